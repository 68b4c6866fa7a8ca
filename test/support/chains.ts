import {
  bsmGreeks,
  type ChainSource,
  emptyGreeks,
  expirationsListedOn,
  type IsoDate,
  type OptionChain,
  quoteFlags,
  settlementInstantUtcMs,
  yearFraction,
  zonedTimeToUtcMs,
} from '../../packages/core/src/index';

export interface SyntheticChainSpec {
  asOf: string;
  expiry: string;
  spot: number;
  /** ATM vol as a decimal. */
  atmVol: number;
  /** Vol change per unit of log-moneyness ln(K/S) (negative = put skew). */
  skewSlope?: number;
  r?: number;
  q?: number;
  step?: number;
  /** How many strikes each side of spot. */
  halfWidth?: number;
  /** Half-spread in points. */
  halfSpread?: number;
  /** Quote time, Chicago. */
  timeCt?: string;
}

/** A chain priced from a BSM smile (for strategy tests): deterministic, two-sided, SPXW PM. */
export function syntheticChain(spec: SyntheticChainSpec): OptionChain {
  const step = spec.step ?? 5;
  const half = spec.halfWidth ?? 80;
  const r = spec.r ?? 0.04;
  const q = spec.q ?? 0.013;
  const hs = spec.halfSpread ?? 0.05;
  const quoteTimeUtcMs = zonedTimeToUtcMs(spec.asOf as IsoDate, spec.timeCt ?? '15:10', 'America/Chicago');
  const years = yearFraction(quoteTimeUtcMs, settlementInstantUtcMs(spec.expiry as IsoDate, 'PM'));
  const center = Math.round(spec.spot / step) * step;
  const n = 2 * half + 1;
  const strikes = new Float64Array(n);
  const callBid = new Float64Array(n);
  const callAsk = new Float64Array(n);
  const putBid = new Float64Array(n);
  const putAsk = new Float64Array(n);
  const callFlags = new Uint8Array(n);
  const putFlags = new Uint8Array(n);
  const callIv = new Float64Array(n);
  const putIv = new Float64Array(n);
  const g = emptyGreeks();
  for (let i = 0; i < n; i++) {
    const K = center + (i - half) * step;
    strikes[i] = K;
    const vol = Math.max(0.03, spec.atmVol + (spec.skewSlope ?? 0) * Math.log(K / spec.spot));
    callIv[i] = vol;
    putIv[i] = vol;
    const option = {
      spot: spec.spot,
      strike: K,
      yearsToExpiry: years,
      riskFreeRate: r,
      dividendYield: q,
      vol,
    };
    const c = bsmGreeks({ ...option, isCall: true }, g).price;
    const p = bsmGreeks({ ...option, isCall: false }, g).price;
    callBid[i] = Math.max(0, c - hs);
    callAsk[i] = c + hs;
    putBid[i] = Math.max(0, p - hs);
    putAsk[i] = p + hs;
    callFlags[i] = quoteFlags(callBid[i]!, callAsk[i]!);
    putFlags[i] = quoteFlags(putBid[i]!, putAsk[i]!);
  }
  return {
    asOf: spec.asOf as IsoDate,
    quoteTimeUtcMs,
    expiry: spec.expiry as IsoDate,
    root: 'SPXW',
    settlement: 'PM',
    underlying: spec.spot,
    strikes,
    callBid,
    callAsk,
    putBid,
    putAsk,
    callFlags,
    putFlags,
    callIv,
    putIv,
    source: {
      kind: 'modelled',
      model: 'test-smile',
      version: '1',
      inputs: { atmVol: spec.atmVol, skew: spec.skewSlope ?? 0 },
    },
  };
}

/**
 * A chain source over syntheticChain: the PM expiries listed on each day, one chain per (day, expiry)
 * built once, at the day's `spotOf` with a linear put skew (-1.2) and 120 strikes a side.
 * `dropPutAsksOn` flags every put ask missing on that day (a day without a usable quote).
 */
export function syntheticChainSource(opts: {
  readonly spotOf: (asOf: IsoDate) => number;
  readonly atmVol: number;
  readonly dropPutAsksOn?: IsoDate;
}): ChainSource {
  const cache = new Map<string, OptionChain>();
  return {
    pricesSource: 'modelled',
    expirations: (asOf) =>
      expirationsListedOn(asOf)
        .filter((e) => e.settlement === 'PM')
        .map((e) => e.expiry),
    chain: (asOf, expiry) => {
      if (expiry <= asOf) return undefined;
      const key = `${asOf}|${expiry}`;
      if (!cache.has(key)) {
        const c = syntheticChain({
          asOf,
          expiry,
          spot: opts.spotOf(asOf),
          atmVol: opts.atmVol,
          skewSlope: -1.2,
          halfWidth: 120,
        });
        if (asOf === opts.dropPutAsksOn) c.putFlags.fill(2); // every put ask missing that day
        cache.set(key, c);
      }
      return cache.get(key);
    },
  };
}
