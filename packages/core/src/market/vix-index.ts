import { settlementInstantUtcMs } from '../calendar/index';
import { InvalidInputError, type IsoDate } from '../domain/index';
import { type OptionChain, QuoteFlag } from './chain';

/*
 * The VIX index from SPX option chains, following Cboe's published VIX methodology (the "VIX white
 * paper"): per term, a model-free variance from out-of-the-money option mid quotes, then a constant
 * 30-day maturity by linear interpolation of total variance in minutes. Our own implementation.
 *
 * Per term:
 *   T        = minutes from the quote instant to the settlement instant / 525,600
 *              (AM SPX standard: 09:30 ET of the expiry day; PM SPXW: 16:00 ET, or the early close)
 *   F        = K* + e^{RT} (C(K*) - P(K*)),  K* = the strike with the smallest |call mid - put mid|
 *   K0       = the first listed strike at or below F
 *   selection: puts with K < K0, moving down, excluding zero bids and stopping after two consecutive
 *              zero bids; calls with K > K0 likewise moving up; at K0 the average of put and call mid.
 *              A row with no market at all (bid and ask both zero or missing) is not a quote: it is
 *              skipped like an unlisted strike and does not count toward the stop (see VixOptions)
 *   dK_i     = (K_{i+1} - K_{i-1}) / 2 over the selected strikes; at the ends the one-sided gap
 *   sigma^2  = (2/T) sum dK_i / K_i^2 e^{RT} Q(K_i) - (1/T) (F/K0 - 1)^2
 * 30-day:
 *   VIX = 100 sqrt{ [T1 s1^2 (N2 - N30)/(N2 - N1) + T2 s2^2 (N30 - N1)/(N2 - N1)] * N365/N30 }
 *   with N in minutes, N30 = 43,200, N365 = 525,600.
 */

export const MINUTES_30_DAYS = 43_200;
export const MINUTES_365_DAYS = 525_600;

/** One term of the VIX calculation: a chain and its risk-free rate. */
export interface VixTermInput {
  readonly chain: OptionChain;
  /** Risk-free rate for this term, continuously compounded per year (Cboe: T-bill yield to expiry). */
  readonly rate: number;
}

export interface VixTermResult {
  readonly expiry: IsoDate;
  readonly settlement: OptionChain['settlement'];
  /** Minutes from the chain's quote instant to the settlement instant. */
  readonly minutesToExpiry: number;
  /** minutesToExpiry / 525,600. */
  readonly T: number;
  readonly rate: number;
  readonly forward: number;
  /** The strike used for the forward (smallest |call mid - put mid|). */
  readonly forwardStrike: number;
  readonly k0: number;
  /** sigma^2 of this term, annualised (decimal^2 per year). */
  readonly variance: number;
  /** Number of strikes in the sum (K0 counted once). */
  readonly strikesUsed: number;
  /** Lowest and highest strike included. */
  readonly lowestStrike: number;
  readonly highestStrike: number;
}

export interface VixIndexResult {
  /** The index level (volatility in percent points, e.g. 18.5). */
  readonly vix: number;
  /** 1 or 2 terms, near first. */
  readonly terms: readonly VixTermResult[];
  /** Forward and K0 of the near term. */
  readonly forward: number;
  readonly k0: number;
  /** Set when the result is not a standard two-term 30-day interpolation (one term, or no bracketing). */
  readonly note?: string;
}

function bad(field: string, message: string, hint: string): never {
  throw new InvalidInputError(message, field, hint);
}

/** Mid of one side when it has a positive bid and a two-sided market; NaN otherwise. */
function quoteMid(bid: number, ask: number, flags: number): number {
  const unusable =
    QuoteFlag.missingBid | QuoteFlag.missingAsk | QuoteFlag.zeroBid | QuoteFlag.zeroAsk | QuoteFlag.crossed;
  if ((flags & unusable) !== 0 || !(bid > 0) || !(ask >= bid)) return Number.NaN;
  return 0.5 * (bid + ask);
}

/** True when the bid is zero or missing (the white paper's "zero bid"). */
function zeroBid(bid: number, flags: number): boolean {
  return (flags & (QuoteFlag.missingBid | QuoteFlag.zeroBid)) !== 0 || !(bid > 0);
}

/**
 * True when a row has no market at all: bid and ask are both zero or missing (a vendor's placeholder
 * for a series nobody quoted). A zero bid WITH an offer (bid 0, ask 0.05) is a quote and is not this.
 */
export function isNoMarket(bid: number, ask: number, flags: number): boolean {
  const noBid = (flags & (QuoteFlag.missingBid | QuoteFlag.zeroBid)) !== 0 || !(bid > 0);
  const noAsk = (flags & (QuoteFlag.missingAsk | QuoteFlag.zeroAsk)) !== 0 || !(ask > 0);
  return noBid && noAsk;
}

/** Options of the VIX calculation. */
export interface VixOptions {
  /**
   * How a "no market" row (bid and ask both zero or missing) counts in the strike walk.
   *
   * true (the default): it is a missing quote. The white paper walks the quoted series: "Exclude any
   * put option that has a bid price equal to zero (i.e., no bid). [...] once two puts with consecutive
   * strike prices are found to have zero bid prices, no puts with lower strikes are considered for
   * inclusion" (and likewise for calls). A zero bid there is a market maker's quote with no bid
   * (bid 0, ask > 0); a row with neither bid nor ask is not a quote of any kind (Cboe's own feed
   * would not carry it), so it is skipped like an unlisted strike, is not used in the sum and does
   * not count toward the two-consecutive-zero-bids stop. EOD vendor files write such rows as
   * bid = ask = 0 (the 2018 SPXW file has them near the money on 2018-02-05).
   *
   * false: the literal reading, every row with a zero or missing bid counts as a zero bid (kept for
   * comparison: on 2018-02-05 it stops the put walk at 2620 and gives 18.11 against 37.32).
   */
  readonly noMarketAsMissing?: boolean;
}

/**
 * The variance of one term (the white paper's sigma_1^2 or sigma_2^2). `quoteTimeUtcMs` defaults to
 * the chain's own quote instant.
 */
export function vixTermVariance(
  input: VixTermInput,
  quoteTimeUtcMs?: number,
  options: VixOptions = {},
): VixTermResult {
  const skipNoMarket = options.noMarketAsMissing !== false;
  const { chain, rate } = input;
  if (!Number.isFinite(rate)) bad('rate', `rate = ${String(rate)} is not finite`, 'e.g. 0.015 for 1.5%');
  const now = quoteTimeUtcMs ?? chain.quoteTimeUtcMs;
  const settle = settlementInstantUtcMs(chain.expiry, chain.settlement);
  const minutes = (settle - now) / 60_000;
  if (!(minutes > 0)) {
    bad(
      'expiry',
      `chain ${chain.expiry} ${chain.settlement} settles ${minutes.toFixed(1)} minutes after the quote instant`,
      'use an expiry after the quote time',
    );
  }
  const T = minutes / MINUTES_365_DAYS;
  const growth = Math.exp(rate * T);
  const K = chain.strikes;
  const n = K.length;
  const callMid = new Float64Array(n);
  const putMid = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    callMid[i] = quoteMid(chain.callBid[i]!, chain.callAsk[i]!, chain.callFlags[i]!);
    putMid[i] = quoteMid(chain.putBid[i]!, chain.putAsk[i]!, chain.putFlags[i]!);
  }

  // Forward from put-call parity at the strike with the smallest |C - P| (both mids present).
  let best = -1;
  let bestDiff = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const c = callMid[i]!;
    const p = putMid[i]!;
    if (Number.isNaN(c) || Number.isNaN(p)) continue;
    const diff = Math.abs(c - p);
    if (diff < bestDiff) {
      bestDiff = diff;
      best = i;
    }
  }
  if (best < 0) {
    bad('chain', `chain ${chain.expiry}: no strike has both a call and a put quote`, 'need two-sided quotes');
  }
  const forwardStrike = K[best]!;
  const F = forwardStrike + growth * (callMid[best]! - putMid[best]!);

  // K0: the first strike at or below F.
  let k0i = -1;
  for (let i = n - 1; i >= 0; i--) {
    if (K[i]! <= F) {
      k0i = i;
      break;
    }
  }
  if (k0i < 0) bad('chain', `chain ${chain.expiry}: forward ${F} is below every strike`, 'check the chain');
  const k0 = K[k0i]!;

  // Strike selection: collect (strike, Q) ascending.
  const sel: Array<{ k: number; q: number }> = [];
  let zeros = 0;
  for (let i = k0i - 1; i >= 0; i--) {
    if (skipNoMarket && isNoMarket(chain.putBid[i]!, chain.putAsk[i]!, chain.putFlags[i]!)) continue;
    if (zeroBid(chain.putBid[i]!, chain.putFlags[i]!)) {
      if (++zeros >= 2) break;
      continue;
    }
    zeros = 0;
    const q = putMid[i]!;
    if (!Number.isNaN(q)) sel.push({ k: K[i]!, q });
  }
  sel.reverse();
  const pk0 = putMid[k0i]!;
  const ck0 = callMid[k0i]!;
  const qk0 =
    Number.isNaN(pk0) && Number.isNaN(ck0)
      ? bad('chain', `chain ${chain.expiry}: no quote at K0 = ${k0}`, 'need a put or call quote at K0')
      : Number.isNaN(pk0)
        ? ck0
        : Number.isNaN(ck0)
          ? pk0
          : 0.5 * (pk0 + ck0);
  sel.push({ k: k0, q: qk0 });
  zeros = 0;
  for (let i = k0i + 1; i < n; i++) {
    if (skipNoMarket && isNoMarket(chain.callBid[i]!, chain.callAsk[i]!, chain.callFlags[i]!)) continue;
    if (zeroBid(chain.callBid[i]!, chain.callFlags[i]!)) {
      if (++zeros >= 2) break;
      continue;
    }
    zeros = 0;
    const q = callMid[i]!;
    if (!Number.isNaN(q)) sel.push({ k: K[i]!, q });
  }
  if (sel.length < 2) {
    bad('chain', `chain ${chain.expiry}: only ${sel.length} strike selected`, 'need a wider chain');
  }

  let sum = 0;
  const m = sel.length;
  for (let j = 0; j < m; j++) {
    const k = sel[j]!.k;
    const dK =
      j === 0 ? sel[1]!.k - k : j === m - 1 ? k - sel[m - 2]!.k : 0.5 * (sel[j + 1]!.k - sel[j - 1]!.k);
    sum += (dK / (k * k)) * sel[j]!.q;
  }
  const variance = (2 / T) * growth * sum - (1 / T) * (F / k0 - 1) ** 2;
  return {
    expiry: chain.expiry,
    settlement: chain.settlement,
    minutesToExpiry: minutes,
    T,
    rate,
    forward: F,
    forwardStrike,
    k0,
    variance,
    strikesUsed: m,
    lowestStrike: sel[0]!.k,
    highestStrike: sel[m - 1]!.k,
  };
}

/**
 * The VIX from one or two terms. With two, Cboe's 30-day interpolation of total variance (a note is
 * added when the terms do not bracket 30 days, i.e. the formula extrapolates). With one term there is
 * nothing to interpolate: its annualised variance is taken as the 30-day variance (flat variance
 * rate), and the result says so (`terms.length === 1`, `note`).
 */
export function vixFromChains(
  near: VixTermInput,
  next?: VixTermInput,
  options: VixOptions = {},
): VixIndexResult {
  const now = near.chain.quoteTimeUtcMs;
  if (next && next.chain.quoteTimeUtcMs !== now) {
    bad('next', 'near and next chains have different quote instants', 'use chains quoted at the same time');
  }
  const t1 = vixTermVariance(near, now, options);
  if (!next) {
    if (!(t1.variance > 0)) bad('near', `term variance ${t1.variance} is not positive`, 'check the chain');
    return {
      vix: 100 * Math.sqrt(t1.variance),
      terms: [t1],
      forward: t1.forward,
      k0: t1.k0,
      note:
        `one term only (${t1.expiry}, ${(t1.minutesToExpiry / 1440).toFixed(2)} days): its annualised variance ` +
        'is used as the 30-day variance (flat variance rate), no interpolation',
    };
  }
  const t2 = vixTermVariance(next, now, options);
  if (!(t2.minutesToExpiry > t1.minutesToExpiry)) {
    bad('next', `next term ${t2.expiry} does not expire after near term ${t1.expiry}`, 'swap near and next');
  }
  const n1 = t1.minutesToExpiry;
  const n2 = t2.minutesToExpiry;
  const w1 = (n2 - MINUTES_30_DAYS) / (n2 - n1);
  const w2 = (MINUTES_30_DAYS - n1) / (n2 - n1);
  const v30 = (t1.T * t1.variance * w1 + t2.T * t2.variance * w2) * (MINUTES_365_DAYS / MINUTES_30_DAYS);
  if (!(v30 > 0)) bad('chain', `30-day variance ${v30} is not positive`, 'check the chains');
  const bracket = n1 <= MINUTES_30_DAYS && MINUTES_30_DAYS <= n2;
  const result: VixIndexResult = {
    vix: 100 * Math.sqrt(v30),
    terms: [t1, t2],
    forward: t1.forward,
    k0: t1.k0,
  };
  if (bracket) return result;
  return {
    ...result,
    note:
      `terms at ${(n1 / 1440).toFixed(2)} and ${(n2 / 1440).toFixed(2)} days do not bracket 30 days: ` +
      'the 30-day variance is extrapolated linearly in total variance',
  };
}

/**
 * A term's variance annualised in business time, the clock VIX1D is quoted on: its total variance
 * T x sigma^2 (calendar T, as the white paper computes it per term) over `businessYears`, the sessions
 * to its settlement / 252 (shortDatedBusinessYears). At the close the VIX1D is its next-session term
 * alone, so this is the VIX1D calculation there; on calendar time a Friday's Monday term would read
 * sqrt(3) too low against the published index (docs/calibration.md, "VIX1D is quoted in business time").
 */
export function businessTimeVix(term: VixTermResult, businessYears: number): number {
  if (!(Number.isFinite(businessYears) && businessYears > 0)) {
    bad(
      'businessYears',
      `businessYears must be > 0, got ${String(businessYears)}`,
      'sessions to the settlement / 252',
    );
  }
  const total = term.T * term.variance;
  if (!(total > 0)) bad('term', `term variance ${term.variance} is not positive`, 'check the chain');
  return 100 * Math.sqrt(total / businessYears);
}

/** Cboe's term window: near and next terms have more than 23 and less than 37 days to expiration. */
export const VIX_TERM_MIN_MINUTES = 23 * 1440;
export const VIX_TERM_MAX_MINUTES = 37 * 1440;

export interface VixTermChoice {
  readonly near: OptionChain;
  readonly next?: OptionChain;
  /** How the terms were chosen when not a standard pair inside the 23-37 day window. */
  readonly note?: string;
}

/**
 * Picks the near and next terms among `chains` (one quote instant, any expiries): inside Cboe's
 * 23-37 day window, the last expiry at or before 30 days and the first after it; if the window holds
 * one side only, that single term; if it holds none, the pair that brackets 30 days (or the single
 * expiry nearest 30 days), with a note.
 */
export function chooseVixTerms(chains: readonly OptionChain[], quoteTimeUtcMs: number): VixTermChoice {
  const withN = chains
    .map((c) => ({ c, n: (settlementInstantUtcMs(c.expiry, c.settlement) - quoteTimeUtcMs) / 60_000 }))
    .filter((x) => x.n > 0)
    .sort((a, b) => a.n - b.n);
  if (withN.length === 0) bad('chains', 'no chain expires after the quote instant', 'pass unexpired chains');
  const inWin = withN.filter((x) => x.n > VIX_TERM_MIN_MINUTES && x.n < VIX_TERM_MAX_MINUTES);
  const pick = (list: typeof withN): { lo?: (typeof withN)[number]; hi?: (typeof withN)[number] } => ({
    lo: list.filter((x) => x.n <= MINUTES_30_DAYS).at(-1),
    hi: list.find((x) => x.n > MINUTES_30_DAYS),
  });
  const w = pick(inWin);
  if (w.lo && w.hi) return { near: w.lo.c, next: w.hi.c };
  const one = w.lo ?? w.hi;
  if (one) {
    return { near: one.c, note: 'only one expiry inside the 23-37 day window: single-term calculation' };
  }
  const all = pick(withN);
  if (all.lo && all.hi) {
    return {
      near: all.lo.c,
      next: all.hi.c,
      note: 'no expiry inside the 23-37 day window: the pair bracketing 30 days is used',
    };
  }
  const nearest = [...withN].sort(
    (a, b) => Math.abs(a.n - MINUTES_30_DAYS) - Math.abs(b.n - MINUTES_30_DAYS),
  )[0]!;
  return { near: nearest.c, note: 'no expiry inside the 23-37 day window and none bracketing 30 days' };
}

export const MINUTES_9_DAYS = 9 * 1440;

/**
 * A constant-maturity vol index at `targetMinutes` (Cboe's VIX9D method at 9 days: the same per-term
 * variance, interpolated in total variance between the last expiry at or before the target and the
 * first after it). Unlike `vixFromChains` it never extrapolates: without two expiries bracketing the
 * target it returns the reason instead of a level.
 */
export function constantMaturityVolFromChains(
  chains: readonly OptionChain[],
  rate: number,
  targetMinutes: number,
  options: VixOptions = {},
): { value: number; terms: readonly VixTermResult[] } | { value: null; reason: string } {
  if (chains.length === 0) return { value: null, reason: 'no chain' };
  const now = chains[0]!.quoteTimeUtcMs;
  const withN = chains
    .map((c) => ({ c, n: (settlementInstantUtcMs(c.expiry, c.settlement) - now) / 60_000 }))
    .filter((x) => x.n > 0)
    .sort((a, b) => a.n - b.n);
  const lo = withN.filter((x) => x.n <= targetMinutes).at(-1);
  const hi = withN.find((x) => x.n > targetMinutes);
  const days = (n: number) => (n / 1440).toFixed(2);
  if (!lo || !hi) {
    const have = withN.map((x) => `${x.c.expiry} ${x.c.settlement} (${days(x.n)} d)`).join(', ');
    return {
      value: null,
      reason: `no two expiries bracket ${days(targetMinutes)} days (the chain has ${have || 'none'})`,
    };
  }
  const t1 = vixTermVariance({ chain: lo.c, rate }, now, options);
  const t2 = vixTermVariance({ chain: hi.c, rate }, now, options);
  const n1 = t1.minutesToExpiry;
  const n2 = t2.minutesToExpiry;
  const w1 = (n2 - targetMinutes) / (n2 - n1);
  const w2 = (targetMinutes - n1) / (n2 - n1);
  const v = (t1.T * t1.variance * w1 + t2.T * t2.variance * w2) * (MINUTES_365_DAYS / targetMinutes);
  if (!(v > 0))
    return { value: null, reason: `the ${days(targetMinutes)}-day variance ${v} is not positive` };
  return { value: 100 * Math.sqrt(v), terms: [t1, t2] };
}
