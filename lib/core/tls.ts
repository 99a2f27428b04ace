import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';
import { NetworkError, ValidationError, type KeyVaultErrorInit } from './errors.js';

type Connector = buildConnector.connector;
/** undici's connector as it is: it returns the socket it opens (its type says `void`). */
type SocketConnector = (options: buildConnector.Options, callback: buildConnector.Callback) => TLSSocket | undefined;

const PEM_CERTIFICATE = /-----BEGIN (TRUSTED )?CERTIFICATE-----/;

/**
 * The `ca` option, checked at construction: PEM text (one string or several). A file path (an easy slip:
 * `vault.caFile` for `vault.ca`) would be ignored by TLS and fail every request later with a trust error.
 */
export function checkCa(ca: unknown): string | string[] | undefined {
  if (ca === undefined) return undefined;
  const all = Array.isArray(ca) ? ca : [ca];
  for (const item of all) {
    const text = Buffer.isBuffer(item) ? item.toString('latin1') : item;
    if (typeof text === 'string' && PEM_CERTIFICATE.test(text)) continue;
    const looksLikePath = typeof text === 'string' && text.length < 4096 && !text.includes('\n');
    throw new ValidationError(
      looksLikePath
        ? `ca must be PEM text, not a file path (${JSON.stringify(text)}): pass its content, e.g. readFileSync(path, 'utf8'); for the local vault, { ca: vault.ca }.`
        : 'ca must be PEM text: one or more "-----BEGIN CERTIFICATE-----" blocks (for the local vault, { ca: vault.ca }).',
      'InvalidCa',
    );
  }
  return Buffer.isBuffer(ca) ? ca.toString('latin1') : (ca as string | string[]);
}

/** Who the refused certificate names, when the connection saw it, on the socket error the connector reports. */
const PEER = Symbol('keyvault-kit.peerCertificate');
interface Names { subject: string; issuer: string }
interface WithPeer { [PEER]?: Names; cert?: PeerCertificate }

const nameOf = (name: PeerCertificate['subject'] | undefined): string =>
  name ? Object.entries(name).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`).join(', ') : '';

/**
 * undici's connector, made to remember the certificate each TLS connection was shown: Node checks the chain and
 * drops the socket (and with it the certificate) before the error surfaces, so the certificate is read as the
 * handshake ends, before Node's own check runs. Verification itself is untouched (`rejectUnauthorized` stays on).
 */
export function rememberingPeer(connect: Connector): Connector {
  return (options, callback) => {
    let peer: Names | undefined;
    const socket = (connect as SocketConnector)(options, (...args) => {
      if (args[0] && peer) (args[0] as WithPeer)[PEER] = peer;
      callback(...args);
    });
    // 'secure' ends the handshake; Node checks the chain in its own 'secure' listener, which ours now precedes.
    if (socket && options.protocol === 'https:') {
      socket.prependOnceListener('secure', () => {
        const { subject, issuer } = socket.getPeerCertificate();
        peer = { subject: nameOf(subject), issuer: nameOf(issuer) };
      });
    }
    return socket;
  };
}

/** OpenSSL's and Node's names for a certificate that was not trusted or does not fit the host. */
const TRUST = /CERT|SELF_SIGNED|UNABLE_TO_(GET_ISSUER|VERIFY)|INVALID_CA|HOSTNAME_MISMATCH/;
/** Other handshake failures (e.g. TLS spoken to a plain HTTP port): as permanent as a refused certificate. */
const HANDSHAKE = /^(ERR_SSL_|ERR_TLS_|EPROTO$)/;

/**
 * A TLS failure as an error that says what was refused and how to trust it, or `undefined` for any other
 * socket error. Codes: `CertificateError` (the certificate was not trusted or does not fit the host),
 * `TlsError` (the handshake failed). Neither is retried.
 */
export function tlsError(socketError: { code?: unknown; message?: string } & WithPeer, where: Omit<KeyVaultErrorInit, 'code'>, request: string): NetworkError | undefined {
  const code = typeof socketError.code === 'string' ? socketError.code : '';
  if (TRUST.test(code)) {
    const names = socketError[PEER] ?? (socketError.cert && { subject: nameOf(socketError.cert.subject), issuer: nameOf(socketError.cert.issuer) });
    const which = names ? `: subject "${names.subject}", issuer "${names.issuer}"` : '';
    return new NetworkError(
      `The vault's TLS certificate was refused (${code}${which}) ${request}. ` +
        'Trust its CA for this client with the `ca` option (PEM text); for the local vault, pass `{ ca: vault.ca }` (or the content of `vault.caFile`).',
      { ...where, code: 'CertificateError', cause: socketError },
    );
  }
  if (HANDSHAKE.test(code)) {
    return new NetworkError(`The TLS handshake with the vault failed (${code}: ${String(socketError.message).split('\n')[0]}) ${request}. Is the URL's scheme right (https vs http)?`, { ...where, code: 'TlsError', cause: socketError });
  }
  return undefined;
}
