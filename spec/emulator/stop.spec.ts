import { expect } from 'chai';
import nock from 'nock';
import { type Socket, connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { startVault } from '../../lib/emulator/index.js';

/** The port of a vault URL. */
const portOf = (url: string): number => Number(new URL(url).port);

/** A raw TCP connection to the vault, connected (its errors ignored: the vault is expected to drop it). */
async function tcpTo(url: string): Promise<Socket> {
  const socket = connectTcp(portOf(url), '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  return socket;
}

/** Resolves when `socket` is closed (by the vault, since the test never closes it). */
const closed = (socket: Socket): Promise<void> => new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

/**
 * stop() resolves, or the sentinel does: a bound far above a normal stop (milliseconds), far below the server's
 * own timeouts (a TLS handshake's 120 s, headers' 60 s) that a forgotten connection would wait for.
 */
async function stopsBeforeSentinel(stop: () => Promise<void>): Promise<'stopped' | 'still waiting'> {
  const sentinel = new AbortController();
  try {
    return await Promise.race([stop().then(() => 'stopped' as const), sleep(5_000, 'still waiting' as const, { signal: sentinel.signal })]);
  } finally {
    sentinel.abort();
  }
}

// Reported: a config$ unsubscribed while its requests were in flight left the SDK opening TLS connections for
// requests it had already aborted; the vault's stop() then waited ~60 s for one of them.
describe('emulator stop() with connections in every state', function () {
  this.timeout(30_000);
  // These clients are raw sockets that never finish a request: nock (active in the whole run once any spec loads
  // it) would hold them itself, waiting for a request to match, and never connect them to the vault.
  let nockWasActive = false;
  before(() => {
    nockWasActive = nock.isActive();
    if (nockWasActive) nock.restore();
  });
  after(() => {
    if (nockWasActive) nock.activate();
  });

  it('drops a TLS connection still in its handshake (not yet an HTTP connection)', async () => {
    const vault = await startVault();
    // TCP connected, no ClientHello: Node's HTTP server does not know this connection yet.
    const socket = await tcpTo(vault.url);
    await sleep(50); // let the vault accept it
    expect(await stopsBeforeSentinel(() => vault.stop())).to.equal('stopped');
    await closed(socket);
    expect(socket.destroyed).to.equal(true);
  });

  it('drops a TLS connection whose handshake completes after stop() began (the reported case)', async () => {
    const vault = await startVault();
    const tcp = await tcpTo(vault.url);
    await sleep(50); // let the vault accept it
    const stopping = stopsBeforeSentinel(() => vault.stop());
    // Only now the ClientHello: had the vault let the handshake finish, the connection would reach the HTTP
    // server after stop() dropped the connections it knew, and hold stop() until the server's timeouts.
    const socket = connectTls({ socket: tcp, ca: vault.ca, servername: 'localhost' });
    socket.on('error', () => undefined);
    expect(await stopping).to.equal('stopped');
    await closed(socket);
    expect(socket.destroyed).to.equal(true);
  });

  it('drops a plain HTTP request whose body never finishes (the handler waits for it)', async () => {
    const vault = await startVault({ tls: false });
    const socket = await tcpTo(vault.url);
    socket.write(`PUT /secrets/s?api-version=7.6 HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer t\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"value":`);
    await sleep(50);
    expect(await stopsBeforeSentinel(() => vault.stop())).to.equal('stopped');
    await closed(socket);
    expect(socket.destroyed).to.equal(true);
  });
});
