import { settlementInstantUtcMs, yearFraction } from '../../calendar/index';
import { isTradable, type OptionChain } from '../../market/index';
import { bsmGreeks, emptyGreeks, type Greeks, impliedVolBsm, type OptionRight } from '../../pricing/index';

/** What a chain is read with: rates and the time to its settlement, from the chain's own quote instant. */
export interface ChainContext {
  readonly chain: OptionChain;
  /** Continuously compounded rate and dividend yield. */
  readonly r: number;
  readonly q: number;
  /** Years from the quote instant to the settlement instant (calendar minutes / 525,600). */
  readonly years: number;
  /** Per-strike memo of readOption (undefined = not read yet, null = no two-sided market). */
  readonly callReads: Array<OptionRead | null | undefined>;
  readonly putReads: Array<OptionRead | null | undefined>;
  /** Per-side (|delta|, iv) of the readable OTM options in strike order, built on first use. */
  readonly deltaCurves: { put?: DeltaCurve; call?: DeltaCurve };
}

/**
 * |delta| and implied vol of one side's OTM options with a two-sided market and iv > 0, sorted by
 * |delta| ascending, ties kept in strike order (so the first of equal |delta| is the lowest strike index).
 */
export interface DeltaCurve {
  readonly absDelta: Float64Array;
  readonly iv: Float64Array;
}

// One context per chain object (and rates), so the implied vols of a chain are solved once per session
// however many rules read it. Chains are immutable values, so the memo cannot go stale.
const contexts = new WeakMap<OptionChain, ChainContext>();

export function chainContext(chain: OptionChain, r: number, q: number): ChainContext {
  const seen = contexts.get(chain);
  if (seen && seen.r === r && seen.q === q) return seen;
  const years = yearFraction(chain.quoteTimeUtcMs, settlementInstantUtcMs(chain.expiry, chain.settlement));
  const n = chain.strikes.length;
  const ctx: ChainContext = {
    chain,
    r,
    q,
    years,
    callReads: new Array(n),
    putReads: new Array(n),
    deltaCurves: {},
  };
  contexts.set(chain, ctx);
  return ctx;
}

/** One option read off a chain: its market and our analytics at its own implied vol. */
export interface OptionRead {
  readonly strike: number;
  readonly right: OptionRight;
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
  /** Implied vol from the mid (our solver); the chain's vol when the mid has none. NaN when neither. */
  readonly iv: number;
  readonly greeks: Greeks;
}

/**
 * Reads one option, or undefined when its market is not two-sided (missing, zero ask, crossed): such a
 * quote is never priced or filled silently.
 */
export function readOption(ctx: ChainContext, index: number, right: OptionRight): OptionRead | undefined {
  const memo = right === 'call' ? ctx.callReads : ctx.putReads;
  const seen = memo[index];
  if (seen !== undefined) return seen ?? undefined;
  const read = computeRead(ctx, index, right);
  memo[index] = read ?? null;
  return read;
}

function computeRead(ctx: ChainContext, index: number, right: OptionRight): OptionRead | undefined {
  const c = ctx.chain;
  const flags = right === 'call' ? c.callFlags[index]! : c.putFlags[index]!;
  if (!isTradable(flags)) return undefined;
  const bid = right === 'call' ? c.callBid[index]! : c.putBid[index]!;
  const ask = right === 'call' ? c.callAsk[index]! : c.putAsk[index]!;
  const mid = 0.5 * (bid + ask);
  const strike = c.strikes[index]!;
  const isCall = right === 'call';
  const spot = c.underlying;
  const { years, r, q } = ctx;
  // Plain literals rather than spreads of a shared object: this runs for every OTM strike of a chain.
  let iv = Number.NaN;
  if (years > 0) {
    const solved = impliedVolBsm({
      isCall,
      spot,
      strike,
      yearsToExpiry: years,
      riskFreeRate: r,
      dividendYield: q,
      price: mid,
    });
    iv = solved.iv ?? (right === 'call' ? c.callIv[index]! : c.putIv[index]!);
  }
  const greeks = emptyGreeks();
  if (iv > 0 && years > 0)
    bsmGreeks(
      { isCall, spot, strike, yearsToExpiry: years, riskFreeRate: r, dividendYield: q, vol: iv },
      greeks,
    );
  else {
    // No usable vol (a quote at or below intrinsic): treat it as intrinsic with a step delta.
    greeks.price = mid;
    greeks.delta = isCall ? (spot > strike ? 1 : 0) : spot < strike ? -1 : 0;
  }
  return { strike, right, bid, ask, mid, iv, greeks };
}

/**
 * One side's OTM (|delta|, iv) pairs in strike order (puts at or below spot, calls at or above), read
 * once per chain: skew comparisons at equal |delta| run many times per session on the same chain.
 */
export function deltaCurve(ctx: ChainContext, side: OptionRight): DeltaCurve {
  const seen = ctx.deltaCurves[side];
  if (seen) return seen;
  const c = ctx.chain;
  const points: Array<{ ad: number; iv: number; order: number }> = [];
  for (let i = 0; i < c.strikes.length; i++) {
    const k = c.strikes[i]!;
    if (side === 'put' ? k > c.underlying : k < c.underlying) continue;
    const read = readOption(ctx, i, side);
    if (!read || !(read.iv > 0)) continue;
    const ad = Math.abs(read.greeks.delta);
    if (Number.isFinite(ad)) points.push({ ad, iv: read.iv, order: i });
  }
  points.sort((a, b) => a.ad - b.ad || a.order - b.order);
  const curve: DeltaCurve = {
    absDelta: Float64Array.from(points, (p) => p.ad),
    iv: Float64Array.from(points, (p) => p.iv),
  };
  ctx.deltaCurves[side] = curve;
  return curve;
}
