import type { SecretClient } from '../secrets/secret-client.js';
import type { KeyClient } from '../keys/key-client.js';
import type { CertificateClient } from '../certificates/certificate-client.js';
import { ForbiddenError, NotFoundError } from '../core/errors.js';
import type { NormalizedSource } from './spec.js';

/** What config$ reads through: the root client's parts it needs (no import of the root, so no directory cycle). */
export interface ConfigVault {
  readonly vaultUrl: string;
  readonly secrets: Pick<SecretClient, 'getSecret'>;
  readonly keys: Pick<KeyClient, 'getKey'>;
  readonly certificates: Pick<CertificateClient, 'getCertificate'>;
  getCertificateWithPrivateKey: CertificateClient['getCertificateWithPrivateKey'];
}

/** What one read of a source found: the value and what identifies it (version and the attributes that matter). */
export interface Loaded {
  readonly value: unknown;
  /** Equal fingerprints: nothing changed, no emission. */
  readonly fingerprint: string;
  /** The value came from a secret: redacted in inspect/JSON. */
  readonly secret: boolean;
}

interface Props {
  version?: string | undefined;
  enabled?: boolean | undefined;
  expiresOn?: Date | undefined;
  notBefore?: Date | undefined;
}
const fingerprintOf = (p: Props): string => `${p.version ?? ''}|${p.enabled ?? ''}|${p.expiresOn?.getTime() ?? ''}|${p.notBefore?.getTime() ?? ''}`;

/** Missing (404) or not readable as it stands (disabled: 403): an optional source is then `undefined`. */
export const isMissing = (error: unknown): boolean => error instanceof NotFoundError || (error instanceof ForbiddenError && /disabled|expired|not ?yet valid/i.test((error as Error).message + String((error as { code?: string }).code)));

/**
 * Reads one source. Key Vault has no value-less GET for a secret's latest version (listing versions costs as
 * much and pages), so a secret is one GET; a key's GET is its public part; a certificate is first read as
 * metadata (`getCertificate`) and its private key fetched only when that changed (`previous` differs).
 */
export async function loadSource(kv: ConfigVault, source: NormalizedSource, previous: Loaded | undefined, signal: AbortSignal): Promise<Loaded> {
  const options = { abortSignal: signal };
  switch (source.kind) {
    case 'secret': {
      const secret = await kv.secrets.getSecret(source.name, options);
      const fingerprint = fingerprintOf(secret.properties);
      if (previous && previous.fingerprint === fingerprint) return previous;
      const value = source.parse ? source.parse(secret.value ?? '') : secret.value;
      return { value, fingerprint, secret: true };
    }
    case 'key': {
      const key = await kv.keys.getKey(source.name, options);
      const fingerprint = fingerprintOf(key.properties);
      return previous && previous.fingerprint === fingerprint ? previous : { value: key, fingerprint, secret: false };
    }
    case 'certificate': {
      const certificate = await kv.certificates.getCertificate(source.name, options);
      const fingerprint = fingerprintOf(certificate.properties);
      if (previous && previous.fingerprint === fingerprint) return previous;
      const value = await kv.getCertificateWithPrivateKey(source.name, { ...options, ...(certificate.properties.version ? { version: certificate.properties.version } : {}) });
      return { value, fingerprint, secret: false };
    }
  }
}
