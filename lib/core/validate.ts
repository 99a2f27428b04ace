import { ValidationError } from './errors.js';

const NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VERSION = /^[0-9a-zA-Z]{1,64}$/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Key Vault object names: 1–127 letters, digits and dashes. */
export function checkName(name: unknown, what = 'name'): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ValidationError(`Invalid ${what} ${JSON.stringify(name)}: use 1-127 letters, digits and dashes.`, 'InvalidName');
  }
  return name;
}

/** An empty or missing version means the latest; anything else must look like a version id. */
export function checkVersion(version: unknown): string {
  if (version === undefined || version === '') return '';
  if (typeof version !== 'string' || !VERSION.test(version)) {
    throw new ValidationError(`Invalid version ${JSON.stringify(version)}.`, 'InvalidVersion');
  }
  return version;
}

export function isLoopback(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** The vault URL without a trailing slash; https only, unless asked for and on a loopback host. */
export function checkVaultUrl(vaultUrl: unknown, allowInsecureConnection = false): URL {
  let url: URL;
  try {
    url = new URL(String(vaultUrl));
  } catch {
    throw new ValidationError(`Invalid vault URL ${JSON.stringify(vaultUrl)}.`, 'InvalidVaultUrl');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ValidationError('The vault URL must not carry credentials, a query or a fragment.', 'InvalidVaultUrl');
  }
  if (url.protocol === 'http:') {
    if (!allowInsecureConnection || !isLoopback(url.hostname)) {
      throw new ValidationError(
        `The vault URL ${url.origin} is not https: tokens are only sent over TLS (http is allowed with allowInsecureConnection: true, and only to a loopback host).`,
        'InsecureVaultUrl',
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new ValidationError(`The vault URL must be https, not ${url.protocol}`, 'InvalidVaultUrl');
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}
