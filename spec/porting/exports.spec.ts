import { expect } from 'chai';
import { KnownContentType, KnownDeletionRecoveryLevels, KnownKeyTypes, KnownSignatureAlgorithms, type KeyType } from '../../lib/index.js';
import { missingExports } from './exports.js';

describe('porting: exports', () => {
  it('every name Microsoft\'s three packages export, keyvault-kit exports too, as value and type alike', function () {
    this.timeout(120_000); // the compiler reads Microsoft's .d.ts files
    // `logger` comes with the logging hook (lib/telemetry); the list must only shrink.
    expect(missingExports()).to.deep.equal([]);
  });

  it('Known* are enums as Microsoft\'s: values and types', () => {
    const kind: KnownKeyTypes = KnownKeyTypes.RSA;
    const wider: KeyType = kind;
    expect(wider).to.equal('RSA');
    expect(KnownSignatureAlgorithms.ES256K).to.equal('ES256K');
    expect(KnownContentType).to.deep.equal({ PFX: 'application/x-pkcs12', PEM: 'application/x-pem-file' });
    expect(KnownDeletionRecoveryLevels.RecoverablePurgeable).to.equal('Recoverable+Purgeable');
  });
});
