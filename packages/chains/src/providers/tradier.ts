import { addDays, type IsoDate } from '@vixshield/core';
import { fetchText, type HttpOptions, ProviderError, type ProviderHosts } from '@vixshield/data';
import type { ChainQuoteRow } from '../row';
import type { ChainProvider, ChainSnapshot } from './types';
import { checkSnapshot, quoteStamp, toChainRow } from './validate';

/**
 * Tradier's brokerage market-data API (real-time quotes for account holders; documented at
 * documentation.tradier.com/brokerage-api/markets/...):
 * - `GET /v1/markets/options/expirations?symbol=SPX&includeAllRoots=true` -> `{"expirations": {"date": [...]}}`
 * - `GET /v1/markets/quotes?symbols=SPX` -> `{"quotes": {"quote": {"symbol": "SPX", "last": ..., ...}}}`
 * - `GET /v1/markets/options/chains?symbol=SPX&expiration=YYYY-MM-DD&greeks=true` ->
 *   `{"options": {"option": [{"symbol", "bid", "ask", "last", "volume", "open_interest", "bid_date",
 *   "ask_date" (epoch ms), "option_type", "root_symbol", "expiration_date", "strike",
 *   "greeks": {"delta", "gamma", "theta", "vega", "mid_iv", ...}}, ...]}}` (one object instead of an
 *   array when there is one contract, null when none: Tradier's XML-to-JSON mapping).
 * Headers `Authorization: Bearer <token>` (env TRADIER_TOKEN; never logged, never in a URL or a
 * message) and `Accept: application/json`. Greeks come from ORATS (hourly): theta per day and vega
 * per vol point, converted like Cboe's. Quote instant: the latest bid/ask time in the chain.
 */
export const TRADIER_VENDOR = 'Tradier';
/** Expirations read by default: those within this many calendar days (the 0-1DTE condor's). */
export const TRADIER_DEFAULT_MAX_DTE = 7;

export interface TradierOptions {
  readonly hosts: ProviderHosts;
  readonly token: string | undefined;
  readonly http?: HttpOptions;
  readonly maxDteDays?: number;
  readonly maxAgeMinutes: number;
}

const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
const asArray = <T>(v: T | T[] | null | undefined): T[] =>
  v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];

export function tradierProvider(opts: TradierOptions): ChainProvider {
  const base = `${opts.hosts.tradier}/v1/markets`;
  const hint =
    "offline: export the chain as CSV and run 'vixshield chain snapshot --provider file --file <it>'";
  return {
    id: 'tradier',
    delaySeconds: 0,
    describe: base,
    async snapshot(nowUtcMs) {
      if (!opts.token) {
        throw new ProviderError(
          'Tradier',
          base,
          'no API token: set TRADIER_TOKEN to a Tradier brokerage token (market data needs an account)',
          "or use '--provider cboe' (15 minutes delayed, no key)",
        );
      }
      const headers = { Authorization: `Bearer ${opts.token}`, Accept: 'application/json' };
      const get = async (path: string): Promise<unknown> => {
        const url = `${base}${path}`;
        const text = await fetchText('Tradier', url, hint, { ...opts.http, headers });
        try {
          return JSON.parse(text);
        } catch (e) {
          throw new ProviderError(
            'Tradier',
            url,
            `malformed payload: not valid JSON (${(e as Error).message})`,
            hint,
          );
        }
      };
      const today = quoteStamp(nowUtcMs).date;
      const last = addDays(today, opts.maxDteDays ?? TRADIER_DEFAULT_MAX_DTE);
      const expPath = '/options/expirations?symbol=SPX&includeAllRoots=true';
      const exp = (await get(expPath)) as { expirations?: { date?: unknown } | null } | null;
      const dates = asArray(exp?.expirations?.date as string | string[] | undefined).filter(
        (d): d is IsoDate =>
          typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && d >= today && d <= last,
      );
      if (dates.length === 0) {
        throw new ProviderError(
          'Tradier',
          `${base}${expPath}`,
          `no SPX expiration between ${today} and ${last}`,
          hint,
        );
      }
      const quotePath = '/quotes?symbols=SPX';
      const q = (await get(quotePath)) as { quotes?: { quote?: unknown } | null } | null;
      const quote = asArray(
        q?.quotes?.quote as Record<string, unknown> | Record<string, unknown>[] | undefined,
      ).find((x) => x?.symbol === 'SPX');
      const underlying = num(quote?.last);
      if (!(underlying > 0)) {
        throw new ProviderError(
          'Tradier',
          `${base}${quotePath}`,
          'malformed payload: no SPX last price',
          hint,
        );
      }
      const raw: Array<{ o: Record<string, unknown>; url: string }> = [];
      let latest = 0;
      for (const d of dates) {
        const path = `/options/chains?symbol=SPX&expiration=${d}&greeks=true`;
        const c = (await get(path)) as { options?: { option?: unknown } | null } | null;
        for (const o of asArray(
          c?.options?.option as Record<string, unknown> | Record<string, unknown>[] | undefined,
        )) {
          raw.push({ o, url: `${base}${path}` });
          latest = Math.max(latest, num(o.bid_date) || 0, num(o.ask_date) || 0);
        }
      }
      const quoteTimeUtcMs = latest > 0 ? latest : nowUtcMs;
      const stamp = quoteStamp(quoteTimeUtcMs);
      const rows: ChainQuoteRow[] = raw.map(({ o, url }) => {
        const g = (o.greeks ?? {}) as Record<string, unknown>;
        return toChainRow(
          {
            symbol: typeof o.symbol === 'string' ? o.symbol : '',
            bid: num(o.bid),
            ask: num(o.ask),
            last: num(o.last),
            volume: num(o.volume),
            openInterest: num(o.open_interest),
            iv: num(g.mid_iv),
            delta: num(g.delta),
            gamma: num(g.gamma),
            thetaPerYear: num(g.theta) * 365,
            vegaPerUnitVol: num(g.vega) * 100,
          },
          stamp,
          underlying,
          (r) => new ProviderError('Tradier', url, `malformed payload: ${r}`, hint),
        );
      });
      const s: ChainSnapshot = {
        provider: 'tradier',
        vendor: TRADIER_VENDOR,
        source: base,
        quoteTimeUtcMs,
        publishedUtcMs: null,
        delaySeconds: 0,
        underlyingPrice: underlying,
        rows,
      };
      checkSnapshot(s, nowUtcMs, opts.maxAgeMinutes, (r) => new ProviderError('Tradier', base, r, hint));
      return s;
    },
  };
}
