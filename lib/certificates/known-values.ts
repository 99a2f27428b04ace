// The certificate enums of Microsoft's `@azure/keyvault-certificates`, one documented member per line (kept apart
// from models.ts, which they would push past ~400 lines).

/** Known certificate key types, as values (`KnownCertificateKeyTypes.EC`). */
export enum KnownCertificateKeyTypes {
  /** Elliptic curve key. */ EC = 'EC',
  /** Elliptic curve key in a hardware security module. */ ECHSM = 'EC-HSM',
  /** RSA key. */ RSA = 'RSA',
  /** RSA key in a hardware security module. */ RSAHSM = 'RSA-HSM',
  /** Symmetric key (octet sequence; Managed HSM). */ Oct = 'oct',
  /** Symmetric key in a hardware security module (Managed HSM). */ OctHSM = 'oct-HSM',
}
/** Known certificate key curves, as values (`KnownCertificateKeyCurveNames.P256`). */
export enum KnownCertificateKeyCurveNames {
  /** NIST P-256 (secp256r1). */ P256 = 'P-256',
  /** NIST P-384 (secp384r1). */ P384 = 'P-384',
  /** NIST P-521 (secp521r1). */ P521 = 'P-521',
  /** SECG secp256k1. */ P256K = 'P-256K',
}
/** Known key usages, as values (`KnownKeyUsageTypes.DigitalSignature`). */
export enum KnownKeyUsageTypes {
  /** Signatures other than on certificates and CRLs. */ DigitalSignature = 'digitalSignature',
  /** Non-repudiation (content commitment). */ NonRepudiation = 'nonRepudiation',
  /** Encrypting keys. */ KeyEncipherment = 'keyEncipherment',
  /** Encrypting data directly. */ DataEncipherment = 'dataEncipherment',
  /** Key agreement (ECDH). */ KeyAgreement = 'keyAgreement',
  /** Signing certificates (a CA). */ KeyCertSign = 'keyCertSign',
  /** Signing certificate revocation lists. */ CRLSign = 'cRLSign',
  /** With `keyAgreement`: only to encipher. */ EncipherOnly = 'encipherOnly',
  /** With `keyAgreement`: only to decipher. */ DecipherOnly = 'decipherOnly',
}
