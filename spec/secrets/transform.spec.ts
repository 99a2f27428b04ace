import { expect } from 'chai';
import { toKeyVaultSecret } from '../../lib/secrets/transform.js';

describe('secret transform', () => {
  it('carries previousVersion (api 2025-07-01, a certificate\'s secret) as Microsoft\'s SecretProperties does', () => {
    const secret = toKeyVaultSecret({ id: 'https://v.vault.azure.net/secrets/c/v2', value: 'x', managed: true, previousVersion: 'v1' });
    expect(secret.properties).to.include({ name: 'c', version: 'v2', previousVersion: 'v1', managed: true });
  });
});
