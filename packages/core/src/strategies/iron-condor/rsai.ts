import { SPX_MULTIPLIER } from '../../domain/contracts';
import { partitionPoint } from '../../math/index';
import type { CondorQuote, CondorStrikes } from '../types';
import type { ChainContext } from './chain-analytics';
import { deltaCurve } from './chain-analytics';
import { isUnpriceable, priceCondor, strikesOutside } from './condor';

export interface RsaiParams {
  /** Credit target of the tier, points on the condor, met at the expected fill (see fillShare). */
  readonly targetCredit: number;
  readonly wingWidth: number;
  readonly strikeStep: number;
  /** Guard: no short may go beyond this |delta|. */
  readonly maxShortDelta: number;
  /** Starting distance of the shorts from spot, points (k x EDR). */
  readonly startDistancePts: number;
  /**
   * Share of the package spread the expected fill gives up (the configured FillModel for 4 legs: 0.5 =
   * mid, 1 = natural). The target is checked at this credit (issue 15 case 6). Default 0.5 (mid).
   */
  readonly fillShare?: number;
}

export interface RsaiStep {
  readonly side: 'put' | 'call';
  readonly direction: 'inward' | 'outward';
  readonly strikes: CondorStrikes;
  readonly creditMid: number;
  /** Credit at the expected fill (what the target is checked against). */
  readonly creditFill: number;
  readonly putIvAtDelta: number;
  readonly callIvAtDelta: number;
}

export type RsaiResult =
  | {
      readonly ok: true;
      readonly quote: CondorQuote;
      /** Credit at the expected fill. */
      readonly creditFill: number;
      readonly steps: readonly RsaiStep[];
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly steps: readonly RsaiStep[];
      readonly best?: CondorQuote;
    };

/** Credit of a condor sale at a fill `share` of the package spread from the best price (0.5 = mid). */
export function creditAtFillShare(
  q: Pick<CondorQuote, 'creditMid' | 'creditNatural'>,
  share: number,
): number {
  const best = 2 * q.creditMid - q.creditNatural;
  return best - share * (best - q.creditNatural);
}

/**
 * Implied vol of one side's OTM options interpolated at |delta| = d (linear in |delta|) between the
 * nearest |delta| at or below d and the nearest at or above (the lowest strike among equal |delta|).
 */
export function ivAtAbsDelta(ctx: ChainContext, side: 'put' | 'call', d: number): number {
  const { absDelta, iv } = deltaCurve(ctx, side);
  const n = absDelta.length;
  // First index with |delta| > d; everything before it is <= d (the curve is sorted).
  const above = partitionPoint(0, n, (i) => absDelta[i]! > d);
  // Below: the largest |delta| <= d, first of its ties.
  let loIv = Number.NaN;
  let loD = -1;
  if (above > 0) {
    loD = absDelta[above - 1]!;
    let j = above - 1;
    while (j > 0 && absDelta[j - 1] === loD) j--;
    loIv = iv[j]!;
  }
  // At or above: d itself when it is on the curve (the first of its ties), else the next |delta|.
  let hiIv = Number.NaN;
  let hiD = 2;
  if (loD === d) {
    hiD = loD;
    hiIv = loIv;
  } else if (above < n) {
    hiD = absDelta[above]!;
    hiIv = iv[above]!;
  }
  if (Number.isNaN(loIv)) return hiIv;
  if (Number.isNaN(hiIv) || hiD === loD) return loIv;
  return loIv + ((hiIv - loIv) * (d - loD)) / (hiD - loD);
}

/** IVs closer than this (0.01 vol points) count as a tie. */
export const SKEW_TIE_TOLERANCE = 1e-4;
/** Short |delta|s closer than this count as balanced (the search then alternates sides). */
export const DELTA_TIE_TOLERANCE = 1e-3;

function shift(s: CondorStrikes, side: 'put' | 'call', inwardPts: number): CondorStrikes {
  return side === 'put'
    ? { ...s, putShort: s.putShort + inwardPts, putLong: s.putLong + inwardPts }
    : { ...s, callShort: s.callShort - inwardPts, callLong: s.callLong - inwardPts };
}

/**
 * RSAi strike search (M§1, R6), balanced (issue 15 case 7): start with the shorts at the first strikes
 * outside S +/- k*EDR.
 * - Below the tier target (at the expected fill): move one short inward per step, keeping the wing
 *   width. The side moved is the one whose short has the lower |delta| (further out in probability), so
 *   the two sides stay balanced in delta; the skew acts through the deltas (the side with the richer IV
 *   sits further out in points at equal delta, R6: "when upside fear is high the call strikes go further
 *   out"); on a delta tie the richer-skew side moves, on a skew tie the sides alternate. When that move
 *   would push the short past the |delta| guard the search stops: no trade (the other side is never
 *   moved instead, which would build a lopsided condor nobody chose).
 * - Above the target at the start: move outward (the side with the higher |delta| first) while the
 *   credit stays at or above the target, so each tier gets the furthest-out strikes that meet it.
 */
export function rsaiSearch(ctx: ChainContext, p: RsaiParams): RsaiResult {
  // A search is a pure function of the chain (with its rates) and the parameters: configurations that
  // differ elsewhere (sizing, hedge, exits) replaying the same day on shared chains search once.
  let memo = searches.get(ctx);
  if (!memo) {
    memo = new Map();
    searches.set(ctx, memo);
  }
  const key = `${p.targetCredit}|${p.wingWidth}|${p.strikeStep}|${p.maxShortDelta}|${p.startDistancePts}|${p.fillShare ?? 0.5}`;
  let result = memo.get(key);
  if (!result) {
    result = search(ctx, p);
    memo.set(key, result);
  }
  return result;
}

const searches = new WeakMap<ChainContext, Map<string, RsaiResult>>();

function search(ctx: ChainContext, p: RsaiParams): RsaiResult {
  const share = p.fillShare ?? 0.5;
  const fill = (q: CondorQuote) => creditAtFillShare(q, share);
  const meets = (q: CondorQuote) => fill(q) >= p.targetCredit - 1e-9;
  const steps: RsaiStep[] = [];
  let strikes = strikesOutside(ctx, p.startDistancePts, p.wingWidth);
  if (!strikes) return { ok: false, reason: 'the chain has no strikes outside the EDR band', steps };
  let quote = priceCondor(ctx, strikes);
  if (isUnpriceable(quote)) return { ok: false, reason: quote.unpriceable, steps };
  const maxSteps = Math.ceil((2 * p.startDistancePts) / p.strikeStep) + 2;
  const ivs = (q: CondorQuote) => {
    const d = 0.5 * (Math.abs(q.shortPutDelta) + Math.abs(q.shortCallDelta));
    return { putIv: ivAtAbsDelta(ctx, 'put', d), callIv: ivAtAbsDelta(ctx, 'call', d) };
  };
  const record = (
    side: 'put' | 'call',
    direction: 'inward' | 'outward',
    q: CondorQuote,
    iv: { putIv: number; callIv: number },
  ) =>
    steps.push({
      side,
      direction,
      strikes: q.strikes,
      creditMid: q.creditMid,
      creditFill: fill(q),
      putIvAtDelta: iv.putIv,
      callIvAtDelta: iv.callIv,
    });

  if (meets(quote)) {
    // Outward: the furthest-out strikes that still meet the target. Only the short with the higher
    // |delta| moves out (alternating on a tie), so the condor stays balanced; the search ends when that
    // move would take the credit below the target.
    let lastSide: 'put' | 'call' = 'call';
    for (let i = 0; i < 4 * maxSteps; i++) {
      const dp = Math.abs(quote.shortPutDelta);
      const dc = Math.abs(quote.shortCallDelta);
      const side: 'put' | 'call' =
        Math.abs(dp - dc) <= DELTA_TIE_TOLERANCE
          ? lastSide === 'put'
            ? 'call'
            : 'put'
          : dp > dc
            ? 'put'
            : 'call';
      const q = priceCondor(ctx, shift(strikes, side, -p.strikeStep));
      if (isUnpriceable(q) || !meets(q)) break;
      record(side, 'outward', q, ivs(q));
      strikes = q.strikes;
      quote = q;
      lastSide = side;
    }
    return { ok: true, quote, creditFill: fill(quote), steps };
  }

  let lastSide: 'put' | 'call' = 'call';
  for (let i = 0; i < maxSteps; i++) {
    if (meets(quote)) return { ok: true, quote, creditFill: fill(quote), steps };
    const iv = ivs(quote);
    const dp = Math.abs(quote.shortPutDelta);
    const dc = Math.abs(quote.shortCallDelta);
    let side: 'put' | 'call';
    if (Math.abs(dp - dc) > DELTA_TIE_TOLERANCE) side = dp < dc ? 'put' : 'call';
    else if (iv.putIv > iv.callIv + SKEW_TIE_TOLERANCE) side = 'put';
    else if (iv.callIv > iv.putIv + SKEW_TIE_TOLERANCE) side = 'call';
    else side = lastSide === 'put' ? 'call' : 'put';
    const next = shift(strikes, side, p.strikeStep);
    const below = `credit ${fill(quote).toFixed(2)} at the expected fill is below the target ${p.targetCredit.toFixed(2)}`;
    if (next.putShort >= next.callShort)
      return { ok: false, reason: `${below} and the shorts would cross`, steps, best: quote };
    const q = priceCondor(ctx, next);
    if (isUnpriceable(q))
      return {
        ok: false,
        reason: `${below}; the next ${side} strike has no market (${q.unpriceable})`,
        steps,
        best: quote,
      };
    const shortDelta = Math.abs(side === 'put' ? q.shortPutDelta : q.shortCallDelta);
    if (shortDelta > p.maxShortDelta) {
      return {
        ok: false,
        reason: `${below} and the next ${side} move would put its short at |delta| ${shortDelta.toFixed(2)}, past the guard ${p.maxShortDelta}: the search stops`,
        steps,
        best: quote,
      };
    }
    strikes = next;
    quote = q;
    lastSide = side;
    record(side, 'inward', q, iv);
  }
  return meets(quote)
    ? { ok: true, quote, creditFill: fill(quote), steps }
    : { ok: false, reason: 'search exhausted the strikes', steps, best: quote };
}

/**
 * Premium Gauge (M§1, R7): the mid credit of the standard wing-width condor at the EDR-boundary strikes.
 * undefined when that condor cannot be priced.
 */
export function premiumGauge(
  ctx: ChainContext,
  edrDistancePts: number,
  wingWidth: number,
): CondorQuote | undefined {
  const strikes = strikesOutside(ctx, edrDistancePts, wingWidth);
  if (!strikes) return undefined;
  const q = priceCondor(ctx, strikes);
  return isUnpriceable(q) ? undefined : q;
}

/** Contracts such that max loss (width - credit) x 100 x qty <= fraction x equity (M§1, R9). */
export function condorsForEquity(equity: number, maxLossPerCondorPts: number, fraction: number): number {
  if (!(maxLossPerCondorPts > 0) || !(equity > 0)) return 0;
  return Math.floor((fraction * equity) / (maxLossPerCondorPts * SPX_MULTIPLIER) + 1e-9);
}
