import { expect } from 'chai';
import { parseKeyVaultCertificateIdentifier, parseKeyVaultId, parseKeyVaultKeyIdentifier, parseKeyVaultSecretIdentifier, ValidationError } from '../../lib/index.js';

describe('Key Vault identifiers', () => {
  it('parses secret, key and certificate ids with and without version', () => {
    expect(parseKeyVaultSecretIdentifier('https://v.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef')).to.deep.equal({
      sourceId: 'https://v.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef', vaultUrl: 'https://v.vault.azure.net', collection: 'secrets', name: 'db', version: '0123456789abcdef0123456789abcdef',
    });
    expect(parseKeyVaultKeyIdentifier('https://v.vault.azure.net/keys/k1')).to.include({ name: 'k1', collection: 'keys' }).and.not.have.property('version');
    expect(parseKeyVaultCertificateIdentifier('https://v.vault.azure.net/certificates/c1/')).to.include({ name: 'c1' }).and.not.have.property('version');
    expect(parseKeyVaultId('https://v.vault.azure.net/deletedsecrets/gone')).to.include({ collection: 'deletedsecrets', name: 'gone' });
    expect(parseKeyVaultSecretIdentifier('https://v.vault.azure.net/deletedsecrets/gone')).to.include({ name: 'gone' });
  });

  it('keeps a vault base path (a vault behind a gateway prefix)', () => {
    expect(parseKeyVaultId('https://gw.example.com/some-prefix/secrets/db/abc')).to.include({ vaultUrl: 'https://gw.example.com/some-prefix', name: 'db', version: 'abc' });
    expect(parseKeyVaultId('https://127.0.0.1:8443/keys/k/1')).to.include({ vaultUrl: 'https://127.0.0.1:8443', name: 'k', version: '1' });
  });

  it('refuses what is not an id', () => {
    for (const bad of ['nope', 'https://v.vault.azure.net/', 'https://v.vault.azure.net/other/x/y']) expect(() => parseKeyVaultId(bad), bad).to.throw(ValidationError);
    for (const bad of ['nope', 'https://v.vault.azure.net/', 'https://v.vault.azure.net/a/b/c/d']) expect(() => parseKeyVaultKeyIdentifier(bad), bad).to.throw(ValidationError);
  });

  it('the Microsoft-named parsers parse an id of another collection, as Microsoft\'s do (the collection tells)', () => {
    expect(parseKeyVaultKeyIdentifier('https://v.vault.azure.net/secrets/db')).to.deep.equal({ sourceId: 'https://v.vault.azure.net/secrets/db', vaultUrl: 'https://v.vault.azure.net', collection: 'secrets', name: 'db' });
    expect(parseKeyVaultSecretIdentifier('https://v.vault.azure.net/certificates/c/v1')).to.include({ collection: 'certificates', name: 'c', version: 'v1' });
    // A collection Key Vault does not have still parses by position, as in @azure/keyvault-common.
    expect(parseKeyVaultCertificateIdentifier('https://v.vault.azure.net/other/x/y')).to.include({ collection: 'other', name: 'x', version: 'y', vaultUrl: 'https://v.vault.azure.net' });
  });
});
