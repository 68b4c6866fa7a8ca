import { readFileSync } from 'node:fs';
import { fetchText, type HttpOptions, ProviderError, type ProviderHosts } from '@vixshield/data';
import type { ChainQuoteRow } from '../row';
import type { ChainProvider, ChainSnapshot } from './types';
import { checkSnapshot, quoteStamp, toChainRow } from './validate';

/**
 * Cboe's free delayed quotes, `https://cdn.cboe.com/api/global/delayed_quotes/options/_SPX.json`:
 * `{"timestamp": "YYYY-MM-DD HH:MM:SS" (UTC, publication), "symbol": "_SPX", "data": {"current_price": SPX,
 * "last_trade_time": "YYYY-MM-DDTHH:MM:SS" (New York), ..., "options": [{"option": "SPXW250904P05580000",
 * "bid", "bid_size", "ask", "ask_size", "iv", "open_interest", "volume", "delta", "gamma", "vega",
 * "theta", "rho", "theo", "change", "open", "high", "low", "tick", "last_trade_price",
 * "last_trade_time", "percent_change", "prev_day_close"}, ...]}}`: every listed SPX (AM, third
 * Friday) and SPXW (PM) contract, about 30,000 rows, 15 minutes delayed.
 *
 * Read as: quote instant = timestamp - 15 minutes; underlying = current_price; iv decimal (0 = not
 * computed -> NaN); theta per calendar day (x 365 -> per year) and vega per vol point (x 100 -> per
 * 1.00 of vol), the convention of Cboe's quote table (an assumption: Cboe does not document the
 * units; the greeks are vendor columns, never used to price).
 */
export const CBOE_DELAY_SECONDS = 900;
export const CBOE_CHAIN_VENDOR = 'Cboe delayed quotes';

export function cboeChainUrl(hosts: ProviderHosts): string {
  return `${hosts.cboeCdn}/api/global/delayed_quotes/options/_SPX.json`;
}

const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;

/** Parses and normalises a `_SPX.json` payload (throws ProviderError naming `location`). */
export function parseCboeChain(text: string, location: string, hint: string): ChainSnapshot {
  const fail = (reason: string) => new ProviderError('Cboe delayed quotes', location, reason, hint);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw fail(`malformed payload: not valid JSON, cut off or damaged (${(e as Error).message})`);
  }
  const j = json as { timestamp?: unknown; data?: { options?: unknown; current_price?: unknown } } | null;
  const ts =
    typeof j?.timestamp === 'string'
      ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(j.timestamp)
      : null;
  if (!ts)
    throw fail(
      `malformed payload: no "timestamp" as YYYY-MM-DD HH:MM:SS (got ${JSON.stringify(j?.timestamp)})`,
    );
  const options = j?.data?.options;
  if (!Array.isArray(options)) throw fail('malformed payload: no "data.options" array');
  const underlying = num(j?.data?.current_price);
  if (!(underlying > 0))
    throw fail(
      `malformed payload: "data.current_price" ${JSON.stringify(j?.data?.current_price)} is not a price`,
    );
  const publishedUtcMs = Date.UTC(+ts[1]!, +ts[2]! - 1, +ts[3]!, +ts[4]!, +ts[5]!, +ts[6]!);
  const quoteTimeUtcMs = publishedUtcMs - CBOE_DELAY_SECONDS * 1000;
  const stamp = quoteStamp(quoteTimeUtcMs);
  const rows: ChainQuoteRow[] = [];
  for (const o of options as Array<Record<string, unknown>>) {
    const symbol = typeof o?.option === 'string' ? o.option : '';
    rows.push(
      toChainRow(
        {
          symbol,
          bid: num(o.bid),
          ask: num(o.ask),
          last: num(o.last_trade_price),
          volume: num(o.volume),
          openInterest: num(o.open_interest),
          iv: num(o.iv),
          delta: num(o.delta),
          gamma: num(o.gamma),
          thetaPerYear: num(o.theta) * 365,
          vegaPerUnitVol: num(o.vega) * 100,
        },
        stamp,
        underlying,
        (r) => fail(`malformed payload: ${r}`),
      ),
    );
  }
  return {
    provider: 'cboe',
    vendor: CBOE_CHAIN_VENDOR,
    source: location,
    quoteTimeUtcMs,
    publishedUtcMs,
    delaySeconds: CBOE_DELAY_SECONDS,
    underlyingPrice: underlying,
    rows,
  };
}

export interface CboeChainOptions {
  readonly hosts: ProviderHosts;
  readonly http?: HttpOptions;
  /** Read a saved `_SPX.json` instead of the network (the offline alternative; no staleness check). */
  readonly file?: string;
  readonly maxAgeMinutes: number;
}

export function cboeChainProvider(opts: CboeChainOptions): ChainProvider {
  const url = cboeChainUrl(opts.hosts);
  const hint = `offline: save ${url} as a file and run 'vixshield chain snapshot --provider cboe --file <it>'`;
  return {
    id: 'cboe',
    delaySeconds: CBOE_DELAY_SECONDS,
    describe: opts.file ?? url,
    async snapshot(nowUtcMs) {
      const location = opts.file ?? url;
      const text = opts.file
        ? readFileSync(opts.file, 'utf8')
        : await fetchText('Cboe delayed quotes', url, hint, opts.http);
      const s = parseCboeChain(text, location, opts.file ? `fix or replace ${opts.file}` : hint);
      const fail = (r: string) => new ProviderError('Cboe delayed quotes', location, r, hint);
      checkSnapshot(s, nowUtcMs, opts.file ? Number.POSITIVE_INFINITY : opts.maxAgeMinutes, fail);
      return s;
    },
  };
}
