/** Receives one line per request and per response. `console` fits. */
export interface Logger {
  /** A request sent, a response received, a retry planned. */
  info(message: string): void;
  /** A call that failed for good. */
  warn(message: string): void;
}

/** Response headers worth a log line; every other header is left out, and no body is ever logged. */
const LOGGED_HEADERS = ['x-ms-request-id', 'x-ms-client-request-id', 'retry-after', 'x-ms-keyvault-service-version', 'content-length'];
/** Query parameters that carry no data of the caller's. */
const LOGGED_QUERY = new Set(['api-version', 'maxresults', 'includePending']);

/** `KEYVAULT_KIT_LOG=1` (or `info`) logs to stderr when no logger is given. */
export function loggerFromEnv(env = process.env): Logger | undefined {
  const level = env['KEYVAULT_KIT_LOG'];
  if (!level || level === '0' || level === 'off') return undefined;
  return { info: (m) => console.error(m), warn: (m) => console.error(m) };
}

/** The URL with any query value we do not know to be harmless replaced by `REDACTED`. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  for (const key of [...parsed.searchParams.keys()]) {
    if (!LOGGED_QUERY.has(key)) parsed.searchParams.set(key, 'REDACTED');
  }
  return parsed.toString();
}

/** A request leaving: `challenge` marks the token-less, body-less first request that learns where tokens come from. */
export function requestLine(method: string, url: string, clientRequestId: string, retry: number, challenge = false): string {
  return `keyvault-kit → ${method} ${redactUrl(url)} client-request-id=${clientRequestId}${retry ? ` retry=${retry}` : ''}${challenge ? ' (challenge: no token, no body)' : ''}`;
}

/** An attempt failed and another follows: which, why, and after how long a wait. */
export function retryLine(retry: number, limit: number, waitMs: number, error: { name: string; message: string }): string {
  return `keyvault-kit ↻ retry ${retry}/${limit} in ${Math.round(waitMs)} ms after ${error.constructor.name}: ${error.message}`;
}

/** A call failed for good (our error messages carry no body, header or query value). */
export function failureLine(method: string, url: string, error: { name: string; code: string; message: string }): string {
  return `keyvault-kit ✗ ${method} ${redactUrl(url)} ${error.constructor.name} (${error.code}): ${error.message}`;
}

export function responseLine(method: string, url: string, status: number, headers: Headers): string {
  const shown = LOGGED_HEADERS.flatMap((name) => {
    const value = headers.get(name);
    return value === null ? [] : [`${name}=${value}`];
  });
  return `keyvault-kit ← ${status} ${method} ${redactUrl(url)} ${shown.join(' ')}`.trimEnd();
}
