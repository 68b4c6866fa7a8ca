import { SPX_MULTIPLIER } from '../../domain/contracts';
import type { CondorQuote, CondorStrikes } from '../types';
import type { ChainContext } from './chain-analytics';
import { deltaCurve } from './chain-analytics';
import { isUnpriceable, priceCondor, strikesOutside } from './condor';

export interface RsaiParams {
  /** Credit target of the tier, points on the condor. */
  readonly targetCredit: number;
  readonly wingWidth: number;
  readonly strikeStep: number;
  /** Guard: no short may go beyond this |delta|. */
  readonly maxShortDelta: number;
  /** Starting distance of the shorts from spot, points (k x EDR). */
  readonly startDistancePts: number;
}

export interface RsaiStep {
  readonly side: 'put' | 'call';
  readonly strikes: CondorStrikes;
  readonly creditMid: number;
  readonly putIvAtDelta: number;
  readonly callIvAtDelta: number;
}

export type RsaiResult =
  | { readonly ok: true; readonly quote: CondorQuote; readonly steps: readonly RsaiStep[] }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly steps: readonly RsaiStep[];
      readonly best?: CondorQuote;
    };

/**
 * Implied vol of one side's OTM options interpolated at |delta| = d (linear in |delta|) between the
 * nearest |delta| at or below d and the nearest at or above (the lowest strike among equal |delta|).
 */
export function ivAtAbsDelta(ctx: ChainContext, side: 'put' | 'call', d: number): number {
  const { absDelta, iv } = deltaCurve(ctx, side);
  const n = absDelta.length;
  // First index with |delta| > d; everything before it is <= d (the curve is sorted).
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (absDelta[mid]! > d) hi = mid;
    else lo = mid + 1;
  }
  const above = lo;
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

/** IVs closer than this (0.01 vol points) count as a tie, and the search alternates sides. */
export const SKEW_TIE_TOLERANCE = 1e-4;

function moveInward(s: CondorStrikes, side: 'put' | 'call', step: number): CondorStrikes {
  return side === 'put'
    ? { ...s, putShort: s.putShort + step, putLong: s.putLong + step }
    : { ...s, callShort: s.callShort - step, callLong: s.callLong - step };
}

/**
 * RSAi strike search (M§1, R6): start with the shorts at the first strikes outside S +/- k*EDR; while
 * the credit is below the tier target, move the short of the side with the richer skew (higher IV at
 * equal |delta|; alternate on ties) one step inward, keeping the wing width. Stop at the target, or
 * report no trade when both sides hit the |delta| guard or the shorts would cross.
 */
export function rsaiSearch(ctx: ChainContext, p: RsaiParams): RsaiResult {
  // A search is a pure function of the chain (with its rates) and the parameters: configurations that
  // differ elsewhere (sizing, hedge, exits) replaying the same day on shared chains search once.
  let memo = searches.get(ctx);
  if (!memo) {
    memo = new Map();
    searches.set(ctx, memo);
  }
  const key = `${p.targetCredit}|${p.wingWidth}|${p.strikeStep}|${p.maxShortDelta}|${p.startDistancePts}`;
  let result = memo.get(key);
  if (!result) {
    result = search(ctx, p);
    memo.set(key, result);
  }
  return result;
}

const searches = new WeakMap<ChainContext, Map<string, RsaiResult>>();

function search(ctx: ChainContext, p: RsaiParams): RsaiResult {
  const steps: RsaiStep[] = [];
  let strikes = strikesOutside(ctx, p.startDistancePts, p.wingWidth);
  if (!strikes) return { ok: false, reason: 'the chain has no strikes outside the EDR band', steps };
  let quote = priceCondor(ctx, strikes);
  if (isUnpriceable(quote)) return { ok: false, reason: quote.unpriceable, steps };
  let lastSide: 'put' | 'call' = 'call';
  const maxSteps = Math.ceil((2 * p.startDistancePts) / p.strikeStep) + 2;
  for (let i = 0; i < maxSteps; i++) {
    if (quote.creditMid >= p.targetCredit - 1e-9) return { ok: true, quote, steps };
    const d = 0.5 * (Math.abs(quote.shortPutDelta) + Math.abs(quote.shortCallDelta));
    const putIv = ivAtAbsDelta(ctx, 'put', d);
    const callIv = ivAtAbsDelta(ctx, 'call', d);
    let order: Array<'put' | 'call'>;
    if (putIv > callIv + SKEW_TIE_TOLERANCE) order = ['put', 'call'];
    else if (callIv > putIv + SKEW_TIE_TOLERANCE) order = ['call', 'put'];
    else order = lastSide === 'put' ? ['call', 'put'] : ['put', 'call'];
    let moved = false;
    for (const side of order) {
      const next = moveInward(strikes, side, p.strikeStep);
      if (next.putShort >= next.callShort) continue;
      const q = priceCondor(ctx, next);
      if (isUnpriceable(q)) continue;
      const shortDelta = Math.abs(side === 'put' ? q.shortPutDelta : q.shortCallDelta);
      if (shortDelta > p.maxShortDelta) continue;
      strikes = next;
      quote = q;
      lastSide = side;
      steps.push({ side, strikes, creditMid: q.creditMid, putIvAtDelta: putIv, callIvAtDelta: callIv });
      moved = true;
      break;
    }
    if (!moved) {
      return {
        ok: false,
        reason: `credit ${quote.creditMid.toFixed(2)} is below the target ${p.targetCredit.toFixed(2)} and both shorts are at the |delta| guard ${p.maxShortDelta}`,
        steps,
        best: quote,
      };
    }
  }
  return quote.creditMid >= p.targetCredit - 1e-9
    ? { ok: true, quote, steps }
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
