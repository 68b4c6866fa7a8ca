import { strikeIndex } from '../../market/index';
import { normCdf } from '../../math/index';
import type { CondorQuote, CondorStrikes } from '../types';
import { type ChainContext, type OptionRead, readOption } from './chain-analytics';

/** Why a condor could not be priced at the strikes asked for. */
export interface Unpriceable {
  readonly unpriceable: string;
}

export function isUnpriceable(v: CondorQuote | Unpriceable): v is Unpriceable {
  return (v as Unpriceable).unpriceable !== undefined;
}

function leg(ctx: ChainContext, strike: number, right: 'call' | 'put'): OptionRead | string {
  const i = strikeIndex(ctx.chain, strike);
  if (i < 0) return `strike ${strike} is not listed for ${ctx.chain.expiry}`;
  const read = readOption(ctx, i, right);
  return read ?? `no two-sided ${right} market at ${strike} (${ctx.chain.expiry})`;
}

/** Risk-neutral P(S_T > K) at vol sigma: N(d2). */
function probabilityAbove(ctx: ChainContext, K: number, sigma: number): number {
  const { chain, r, q, years } = ctx;
  if (!(sigma > 0) || !(years > 0)) return chain.underlying > K ? 1 : 0;
  const sd = sigma * Math.sqrt(years);
  const d2 = (Math.log(chain.underlying / K) + (r - q) * years) / sd - 0.5 * sd;
  return normCdf(d2);
}

/** Prices a short iron condor at the given strikes off the chain: credit at mid and natural, risk, Greeks. */
export function priceCondor(ctx: ChainContext, strikes: CondorStrikes): CondorQuote | Unpriceable {
  const pl = leg(ctx, strikes.putLong, 'put');
  const ps = leg(ctx, strikes.putShort, 'put');
  const cs = leg(ctx, strikes.callShort, 'call');
  const cl = leg(ctx, strikes.callLong, 'call');
  if (typeof pl === 'string') return { unpriceable: pl };
  if (typeof ps === 'string') return { unpriceable: ps };
  if (typeof cs === 'string') return { unpriceable: cs };
  if (typeof cl === 'string') return { unpriceable: cl };
  const putLong = pl;
  const putShort = ps;
  const callShort = cs;
  const callLong = cl;
  const creditMid = putShort.mid - putLong.mid + (callShort.mid - callLong.mid);
  const creditNatural = putShort.bid - putLong.ask + (callShort.bid - callLong.ask);
  const width = Math.max(strikes.putShort - strikes.putLong, strikes.callLong - strikes.callShort);
  const lower = strikes.putShort - creditMid;
  const upper = strikes.callShort + creditMid;
  const pBelow = 1 - probabilityAbove(ctx, lower, putShort.iv);
  const pAbove = probabilityAbove(ctx, upper, callShort.iv);
  const gps = putShort.greeks;
  const gpl = putLong.greeks;
  const gcs = callShort.greeks;
  const gcl = callLong.greeks;
  const c = ctx.chain;
  return {
    expiry: c.expiry,
    root: c.root,
    settlement: c.settlement,
    strikes,
    creditMid,
    creditNatural,
    maxLossMid: width - creditMid,
    breakevens: { lower, upper },
    shortPutDelta: putShort.greeks.delta,
    shortCallDelta: callShort.greeks.delta,
    shortPutIv: putShort.iv,
    shortCallIv: callShort.iv,
    legIvs: { putLong: putLong.iv, putShort: putShort.iv, callShort: callShort.iv, callLong: callLong.iv },
    yearsToSettlement: ctx.years,
    rate: ctx.r,
    dividendYield: ctx.q,
    probabilityOfProfit: Math.max(0, 1 - pBelow - pAbove),
    greeks: {
      delta: -gps.delta + gpl.delta - gcs.delta + gcl.delta,
      gamma: -gps.gamma + gpl.gamma - gcs.gamma + gcl.gamma,
      vega: -gps.vega + gpl.vega - gcs.vega + gcl.vega,
      theta: -gps.theta + gpl.theta - gcs.theta + gcl.theta,
    },
    underlying: c.underlying,
    quoteTimeUtcMs: c.quoteTimeUtcMs,
    source: c.source,
  };
}

/**
 * The first listed strikes outside S +/- distance (M§1: "the first 5-point strike outside S +/- k*EDR"),
 * with longs `width` further out. Uses the chain's own grid, so a 25-point far wing is respected.
 */
export function strikesOutside(
  ctx: ChainContext,
  distancePts: number,
  width: number,
): CondorStrikes | undefined {
  const s = ctx.chain.strikes;
  const spot = ctx.chain.underlying;
  let putShort = Number.NaN;
  let callShort = Number.NaN;
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i]! <= spot - distancePts) {
      putShort = s[i]!;
      break;
    }
  }
  for (let i = 0; i < s.length; i++) {
    if (s[i]! >= spot + distancePts) {
      callShort = s[i]!;
      break;
    }
  }
  if (Number.isNaN(putShort) || Number.isNaN(callShort)) return undefined;
  return { putLong: putShort - width, putShort, callShort, callLong: callShort + width };
}
