/** An error answered in Key Vault's shape: `{"error":{"code","message"}}` with the service's status. */
export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The service's `innererror.code` where it sends one (`SecretDisabled`). */
    readonly innerCode?: string,
  ) {
    super(message);
  }

  /** The JSON body the service sends for this error. */
  toJSON(): { error: { code: string; message: string; innererror?: { code: string } } } {
    return { error: { code: this.code, message: this.message, ...(this.innerCode ? { innererror: { code: this.innerCode } } : {}) } };
  }
}

/** 400 BadParameter: malformed input, as the service words most validation failures. */
export const badParameter = (message: string): VaultError => new VaultError(400, 'BadParameter', message);

/** 404 with the area's code (`SecretNotFound`, `KeyNotFound`, `CertificateNotFound` ...). */
export const notFound = (code: string, message: string): VaultError => new VaultError(404, code, message);

/** 403 Forbidden: disabled objects, operations outside `key_ops`, a token the vault does not accept for it. */
export const forbidden = (message: string, innerCode?: string): VaultError => new VaultError(403, 'Forbidden', message, innerCode);

/** 409 Conflict: a name in use (restore) or in a deleted but recoverable state. */
export const conflict = (message: string): VaultError => new VaultError(409, 'Conflict', message);
