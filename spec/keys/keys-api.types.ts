// Compile-only: `npm test` type-checks this file; each @ts-expect-error must stay an error.
// It proves the porting promise: Microsoft's key models flow into our methods, and ours into code written for theirs.
import type * as Microsoft from '@azure/keyvault-keys';
import type { Observable } from 'rxjs';
import {
  CryptographyClient, KeyVaultClient, type DecryptResult, type DeletedKey, type EncryptParameters, type EncryptResult, type JsonWebKey,
  type KeyProperties, type KeyRotationPolicy, type KeyRotationPolicyProperties, type KeyVaultKey, type PagedAsyncIterableIterator, type SignResult,
  type VerifyResult, type WrapResult,
} from '../../lib/index.js';

declare const kv: KeyVaultClient;
declare const theirKey: Microsoft.KeyVaultKey;
declare const theirJwk: Microsoft.JsonWebKey;
declare const theirPolicy: Microsoft.KeyRotationPolicyProperties;
declare const theirParameters: Microsoft.EncryptParameters;
declare const theirDecrypt: Microsoft.DecryptParameters;
declare function takesTheirs(key: Microsoft.KeyVaultKey, deleted: Microsoft.DeletedKey, properties: Microsoft.KeyProperties, policy: Microsoft.KeyRotationPolicy): void;
declare function takesTheirResults(e: Microsoft.EncryptResult, d: Microsoft.DecryptResult, s: Microsoft.SignResult, v: Microsoft.VerifyResult, w: Microsoft.WrapResult): void;

// Microsoft's values into our methods.
export const imported: Promise<KeyVaultKey> = kv.keys.importKey('n', theirJwk);
export const crypto: CryptographyClient = kv.keys.getCryptographyClient(theirKey);
export const local = new CryptographyClient(theirJwk);
export const encrypted: Promise<EncryptResult> = crypto.encrypt(theirParameters);
export const decrypted: Promise<DecryptResult> = crypto.decrypt(theirDecrypt);
export const policy: Promise<KeyRotationPolicy> = kv.keys.updateKeyRotationPolicy('n', theirPolicy);

// Our results into code written for Microsoft's.
declare const ours: { key: KeyVaultKey; deleted: DeletedKey; properties: KeyProperties; policy: KeyRotationPolicy; e: EncryptResult; d: DecryptResult; s: SignResult; v: VerifyResult; w: WrapResult };
takesTheirs(ours.key, ours.deleted, ours.properties, ours.policy);
takesTheirResults(ours.e, ours.d, ours.s, ours.v, ours.w);
export const jwk: Microsoft.JsonWebKey = {} as JsonWebKey;
export const props: KeyRotationPolicyProperties = theirPolicy;

// Both argument forms, Promise and Observable alike.
export const a: Promise<EncryptResult> = crypto.encrypt('RSA-OAEP', new Uint8Array(1));
export const b: Observable<EncryptResult> = crypto.encrypt$({ algorithm: 'A256CBC', plaintext: new Uint8Array(16), iv: new Uint8Array(16) }, { abortSignal: AbortSignal.timeout(1) });
export const c: Observable<DecryptResult> = crypto.decrypt$('RSA1_5', new Uint8Array(1));
export const d: Observable<KeyVaultKey> = kv.keys.updateKeyProperties$('n', { enabled: false });
export const e: Observable<KeyVaultKey> = kv.keys.updateKeyProperties$('n', 'version', { enabled: false });
export const f: Observable<KeyProperties> = kv.keys.listPropertiesOfKeys$({ maxPageSize: 5 });
export const g: PagedAsyncIterableIterator<DeletedKey> = kv.keys.listDeletedKeys();
export const h: Observable<{ isCompleted: boolean; result?: DeletedKey }> = kv.keys.beginDeleteKey$('n', { intervalInMs: 0 });
export const i: Observable<VerifyResult> = crypto.verifyData$('ES256K', new Uint8Array(1), new Uint8Array(64));
export const j: EncryptParameters = { algorithm: 'A128GCM', plaintext: new Uint8Array(1), additionalAuthenticatedData: new Uint8Array(1) };

// @ts-expect-error GCM takes no iv on encrypt (it is generated)
crypto.encrypt({ algorithm: 'A128GCM', plaintext: new Uint8Array(1), iv: new Uint8Array(12) });
// @ts-expect-error GCM decrypt needs the authentication tag
crypto.decrypt({ algorithm: 'A128GCM', ciphertext: new Uint8Array(1), iv: new Uint8Array(12) });
// @ts-expect-error bytes are Uint8Array, not base64 strings
crypto.sign('RS256', 'digest');
// @ts-expect-error the key wrap algorithms are a closed set
crypto.wrapKey('A128GCM', new Uint8Array(16));
// @ts-expect-error getCryptographyClient is synchronous: it has no twin
kv.keys.getCryptographyClient$('n');
// @ts-expect-error sub-clients are read-only
kv.keys = kv.keys;
// @ts-expect-error Date, not epoch seconds
kv.keys.createRsaKey('n', { expiresOn: 1700000000 });
