import { ProviderError } from './errors';

/** The hosts the providers read from; each can be replaced (tests point them all at loopback). */
export interface ProviderHosts {
  /** Cboe CDN: index histories, delayed quotes, the SPX chart history. */
  readonly cboeCdn: string;
  /** Cboe futures (CFE) market statistics: the daily settlement CSV. */
  readonly cboeFutures: string;
  readonly fred: string;
  readonly tradier: string;
  /** Where the event-calendar files live (FOMC/CPI/PPI/payrolls); none by default. */
  readonly events: string | undefined;
}

export const DEFAULT_HOSTS: ProviderHosts = {
  cboeCdn: 'https://cdn.cboe.com',
  cboeFutures: 'https://www-api.cboe.com',
  fred: 'https://fred.stlouisfed.org',
  tradier: 'https://api.tradier.com',
  events: undefined,
};

/**
 * Every host replaced by `base` (scheme + host + port, e.g. http://127.0.0.1:4567), paths kept: one
 * loopback fixture server then answers for all sources.
 */
export function hostsAt(base: string): ProviderHosts {
  const b = base.replace(/\/+$/, '');
  return { cboeCdn: b, cboeFutures: b, fred: b, tradier: b, events: `${b}/events` };
}

/** Default time limit of one request. */
export const DEFAULT_TIMEOUT_MS = 20_000;

export interface HttpOptions {
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Injected for tests; Node's global fetch otherwise. */
  readonly fetchImpl?: typeof fetch;
}

const USER_AGENT = 'vixshield (https://github.com/vixshield; data update)';

/**
 * GETs `url` and returns the body as text. Any failure (no network, DNS, refused, timeout, HTTP
 * status other than 200, a body cut off mid-transfer) is a ProviderError naming `source` and `url`;
 * `hint` says how to get the data offline. Header values are never put in a message.
 */
export async function fetchText(
  source: string,
  url: string,
  hint: string,
  opts: HttpOptions = {},
): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const f = opts.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await f(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'User-Agent': USER_AGENT, ...(opts.headers ?? {}) },
      redirect: 'follow',
    });
  } catch (err) {
    throw new ProviderError(source, url, describeFetchError(err, timeoutMs), hint);
  }
  if (res.status !== 200) {
    // drain the body so the connection is released; its text is not shown (it may be HTML)
    await res.arrayBuffer().catch(() => undefined);
    throw new ProviderError(
      source,
      url,
      `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`,
      hint,
    );
  }
  try {
    return await res.text();
  } catch (err) {
    throw new ProviderError(
      source,
      url,
      `the response was cut off (${describeFetchError(err, timeoutMs)})`,
      hint,
    );
  }
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'no network (the host name does not resolve)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was reset';
  return `no network or the request failed (${e?.cause?.message ?? e?.message ?? String(err)})`;
}
