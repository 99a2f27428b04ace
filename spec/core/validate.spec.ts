import { expect } from 'chai';
import { KeyVaultClient, ValidationError } from '../../lib/index.js';
import { countingCredential } from '../helpers/mock.js';

const credential = countingCredential().credential;
const make = (url: string, options = {}) => () => new KeyVaultClient(url, credential, options);

describe('vault URL and options validation', () => {
  it('accepts https vault URLs, with or without a trailing slash or a base path', () => {
    expect(make('https://my.vault.azure.net/')().vaultUrl).to.equal('https://my.vault.azure.net');
    expect(make('https://gateway.example.com/some-prefix/')().vaultUrl).to.equal('https://gateway.example.com/some-prefix');
  });

  it('refuses http unless allowInsecureConnection AND a loopback host', () => {
    expect(make('http://my.vault.azure.net')).to.throw(ValidationError, /not https/);
    expect(make('http://my.vault.azure.net', { allowInsecureConnection: true })).to.throw(ValidationError, /loopback/);
    expect(make('http://127.0.0.1:8443', { allowInsecureConnection: true })().vaultUrl).to.equal('http://127.0.0.1:8443');
    expect(make('http://localhost:1', { allowInsecureConnection: true })().vaultUrl).to.equal('http://localhost:1');
    expect(make('http://127.0.0.1:8443')).to.throw(ValidationError);
  });

  it('refuses garbage, other schemes, credentials and queries in the URL', () => {
    for (const bad of ['not a url', 'ftp://x.vault.azure.net', 'https://user:pw@x.vault.azure.net', 'https://x.vault.azure.net/?a=1', '']) {
      expect(make(bad), bad).to.throw(ValidationError);
    }
    try {
      make('https://user:hunter2@x.vault.azure.net')();
    } catch (error) {
      expect((error as Error).message).to.not.include('hunter2');
    }
  });

  it('refuses unknown api versions and non-credentials', () => {
    expect(make('https://x.vault.azure.net', { apiVersion: '1999-01-01' })).to.throw(ValidationError, /apiVersion/);
    expect(() => new KeyVaultClient('https://x.vault.azure.net', {} as never)).to.throw(ValidationError, /TokenCredential/);
    for (const v of ['7.4', '7.5', '7.6', '2025-07-01'] as const) expect(make('https://x.vault.azure.net', { apiVersion: v })().vaultUrl).to.be.a('string');
  });
});
