import {
  type IsoDate,
  isTradingDay,
  type OptionRight,
  type OptionRoot,
  quoteFlags,
  session,
  utcMsToZoned,
} from '@vixshield/core';
import type { ProviderError } from '@vixshield/data';
import { rootExpiresSafe } from '../parse';
import type { ChainQuoteRow } from '../row';
import { CHAIN_RULES } from '../validation-rules';
import type { ChainSnapshot } from './types';

/** A snapshot older than this many minutes beyond its provider's delay is refused as stale. */
export const DEFAULT_SNAPSHOT_MAX_AGE_MINUTES = 30;

const OSI = /^(SPXW|SPX)(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

/** Root, expiry, right and strike of an SPX/SPXW OSI symbol (`SPXW250904P05580000`), or undefined. */
export function parseSpxOsi(
  symbol: string,
): { root: OptionRoot; expiry: IsoDate; right: OptionRight; strike: number } | undefined {
  const m = OSI.exec(symbol.replaceAll(' ', ''));
  if (!m) return undefined;
  return {
    root: m[1] as OptionRoot,
    expiry: `20${m[2]}-${m[3]}-${m[4]}` as IsoDate,
    right: m[5] === 'C' ? 'call' : 'put',
    strike: Number(m[6]) / 1000,
  };
}

/** Quote date and `HH:MM` (New York, seconds dropped) of an instant. */
export function quoteStamp(utcMs: number): { date: IsoDate; hhmm: string } {
  const z = utcMsToZoned(utcMs, 'America/New_York');
  return { date: z.date, hhmm: z.hhmm };
}

/** The fields of one quote before normalisation (NaN = not given). */
export interface RawQuote {
  readonly symbol: string;
  readonly bid: number;
  readonly ask: number;
  readonly last: number;
  readonly volume: number;
  readonly openInterest: number;
  readonly iv: number;
  readonly delta: number;
  readonly gamma: number;
  /** Per year. */
  readonly thetaPerYear: number;
  /** Per 1.00 of vol. */
  readonly vegaPerUnitVol: number;
}

/**
 * A chain store row from a raw quote, stamped with the snapshot's quote date and minute. Throws
 * ProviderError for a symbol that is not an SPX/SPXW option listed on the calendar, or a negative
 * quote.
 */
export function toChainRow(
  q: RawQuote,
  stamp: { date: IsoDate; hhmm: string },
  underlyingPrice: number,
  fail: (reason: string) => ProviderError,
): ChainQuoteRow {
  // The shared rule table (validation-rules.ts), worded for a provider: the contract names itself.
  const R = CHAIN_RULES;
  const symbol = q.symbol;
  const osi = parseSpxOsi(symbol);
  if (!R.optionSymbolSpxOsi.rule({ parsed: osi !== undefined }))
    throw fail(R.optionSymbolSpxOsi.providerMessage!({ parsed: false, symbol }));
  const { root, expiry } = osi!;
  const order = { expiry, quoteDate: stamp.date, symbol };
  if (!R.expiryNotBeforeQuoteDate.rule(order)) throw fail(R.expiryNotBeforeQuoteDate.providerMessage!(order));
  const listed = { root, expiry, listed: rootExpiresSafe(root, expiry), symbol };
  if (!R.expiryOnCalendar.rule(listed)) throw fail(R.expiryOnCalendar.providerMessage!(listed));
  for (const [field, value] of [
    ['bid', q.bid],
    ['ask', q.ask],
  ] as const) {
    const c = { field, value, min: 0, symbol };
    if (!R.numberAtLeast.rule(c)) throw fail(R.numberAtLeast.providerMessage!(c));
  }
  const iv = q.iv > 0 ? q.iv : Number.NaN; // 0 = not computed
  return {
    quoteDate: stamp.date,
    quoteTimeEt: stamp.hhmm,
    underlying: 'SPX',
    root,
    expiry,
    settlement: root === 'SPX' ? 'AM' : 'PM',
    strike: osi!.strike,
    right: osi!.right,
    bid: q.bid,
    ask: q.ask,
    last: q.last,
    volume: q.volume,
    openInterest: q.openInterest,
    underlyingPrice,
    vendorIv: iv,
    vendorDelta: q.delta,
    vendorGamma: q.gamma,
    vendorTheta: q.thetaPerYear,
    vendorVega: q.vegaPerUnitVol,
    ivPlaceholder: false,
    flags: quoteFlags(q.bid, q.ask),
  };
}

/**
 * Checks a snapshot before it is stored: rows present, both roots (0-1DTE contracts are SPXW, the
 * third-Friday AM monthlies SPX; a chain without SPXW is incomplete), the quote instant inside the
 * regular session of a trading day (the chain store keeps quotes up to the close; a quote after it,
 * e.g. a 16:10 ET real-time quote or an evening Cboe file, is refused rather than restamped), not in
 * the future, and not stale: older than the provider's delay plus `maxAgeMinutes` at `nowUtcMs`.
 */
export function checkSnapshot(
  s: ChainSnapshot,
  nowUtcMs: number,
  maxAgeMinutes: number,
  fail: (reason: string) => ProviderError,
): void {
  if (s.rows.length === 0) throw fail('the chain has no options');
  if (!s.rows.some((r) => r.root === 'SPXW')) {
    throw fail('the chain has no SPXW options (the 0-1DTE contracts are SPXW): refusing an incomplete chain');
  }
  if (!(s.underlyingPrice > 0)) throw fail(`the SPX level '${s.underlyingPrice}' is not a price above 0`);
  const { date, hhmm } = quoteStamp(s.quoteTimeUtcMs);
  const at = `${date} ${hhmm} ET`;
  if (!isTradingDay(date)) throw fail(`the quote time ${at} is not on a trading day (the market was closed)`);
  const ses = session(date);
  if (s.quoteTimeUtcMs < ses.openUtcMs || s.quoteTimeUtcMs > ses.closeUtcMs) {
    throw fail(
      `the quote time ${at} is outside the regular session (${ses.openEt}-${ses.closeEt} ET); the chain store keeps quotes from the session only`,
    );
  }
  if (s.quoteTimeUtcMs > nowUtcMs + 60_000) throw fail(`the quote time ${at} is in the future`);
  const ageMin = (nowUtcMs - s.quoteTimeUtcMs) / 60_000;
  if (ageMin > s.delaySeconds / 60 + maxAgeMinutes) {
    throw fail(
      `stale: the quotes are from ${at}, ${Math.round(ageMin)} minutes ago (limit: the ${s.delaySeconds / 60}-minute delay + ${maxAgeMinutes} minutes)`,
    );
  }
}
