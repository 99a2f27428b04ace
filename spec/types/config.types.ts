// Compile-only: `npm test` type-checks this file; each @ts-expect-error must stay an error.
import type { Observable } from 'rxjs';
import type { CertificateWithPrivateKey, ConfigStatus, KeyVaultClient, KeyVaultKey } from '../../lib/index.js';

declare const kv: KeyVaultClient;

const config$ = kv.config$({
  dbPassword: 'db-password',
  apiKey: { secret: 'api-key', optional: true },
  port: { secret: 'port', parse: Number },
  flags: { secret: 'flags', parse: (v: string) => v.split(','), optional: true },
  signer: { key: 'signer' },
  tls: { certificateWithPrivateKey: 'web' },
}, { refreshMs: 60_000 });

export const status$: Observable<ConfigStatus> = config$.status$;
config$.subscribe(({ config, changed }) => {
  const db: string = config.dbPassword;
  const api: string | undefined = config.apiKey;
  const port: number = config.port;
  const flags: string[] | undefined = config.flags;
  const signer: KeyVaultKey = config.signer;
  const tls: CertificateWithPrivateKey = config.tls;
  const first: 'dbPassword' | 'apiKey' | 'port' | 'flags' | 'signer' | 'tls' | undefined = changed[0];
  void [db, api, port, flags, signer, tls, first];
  // @ts-expect-error an optional source may be undefined
  const apiRequired: string = config.apiKey;
  // @ts-expect-error parse results keep their type
  const portText: string = config.port;
  // @ts-expect-error no such config key
  void config.missing;
  // @ts-expect-error the config is read-only
  config.dbPassword = 'x';
  void [apiRequired, portText];
});
config$.refresh('port');
// @ts-expect-error refresh takes a config key
config$.refresh('nope');
// @ts-expect-error a source is a name or { secret } / { key } / { certificateWithPrivateKey }
kv.config$({ bad: { table: 'x' } });
// @ts-expect-error parse takes the value as a string
kv.config$({ n: { secret: 'n', parse: (v: number) => v } });
