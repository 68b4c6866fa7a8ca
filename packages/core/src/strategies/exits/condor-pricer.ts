import { MINUTES_PER_YEAR } from '../../calendar/index';
import { InvalidInputError } from '../../domain/index';
import { CALIBRATED_SPREAD_PARAMS, quoteAround, type SpreadParams } from '../../market/index';
import { bsmPrice } from '../../pricing/index';
import type { CondorStrikes } from '../types';
import type { CondorPricer } from './intraday-exits';

/**
 * A MODELLED condor pricer for the intraday exit evaluator: each leg at its Black-Scholes-Merton
 * mid for the time left (ACT/365 on calendar minutes, as `yearFraction`), bid/ask from the calibrated
 * spread model on the SPX tick grid (`quoteAround`), so the spread near expiry is the model's: a leg
 * under one tick is quoted 0 / 0.05. At or after expiry every leg is worth its intrinsic value
 * (no spread). Prices from it are modelled, not quotes; say so in every result that uses it.
 */
export interface ModelCondorPricerOptions {
  readonly strikes: CondorStrikes;
  /** Continuously compounded rate and dividend yield, per year. */
  readonly r: number;
  readonly q: number;
  /** Implied vol (decimal): one number, or a function of strike, years to expiry and spot. */
  readonly vol: number | ((strike: number, years: number, spot: number) => number);
  readonly spread?: SpreadParams;
}

export function modelCondorPricer(opts: ModelCondorPricerOptions): CondorPricer {
  const { strikes: k, r, q } = opts;
  const spread = opts.spread ?? CALIBRATED_SPREAD_PARAMS;
  if (!(k.putLong < k.putShort && k.putShort < k.callShort && k.callShort < k.callLong)) {
    throw new InvalidInputError(
      `strikes: need putLong < putShort < callShort < callLong, got ${k.putLong}/${k.putShort}/${k.callShort}/${k.callLong}`,
      'strikes',
      'pass the condor strikes in order',
    );
  }
  const volOf = typeof opts.vol === 'number' ? () => opts.vol as number : opts.vol;
  const q4 = new Float64Array(2);
  return (spot, minutesToExpiry) => {
    if (minutesToExpiry <= 0) {
      const put = (K: number) => Math.max(K - spot, 0);
      const call = (K: number) => Math.max(spot - K, 0);
      const v = put(k.putShort) - put(k.putLong) + call(k.callShort) - call(k.callLong);
      return { mid: v, natural: v };
    }
    const years = minutesToExpiry / MINUTES_PER_YEAR;
    let mid = 0;
    let natural = 0;
    const leg = (isCall: boolean, K: number, short: boolean) => {
      const m = bsmPrice({
        isCall,
        spot,
        strike: K,
        yearsToExpiry: years,
        riskFreeRate: r,
        dividendYield: q,
        vol: volOf(K, years, spot),
      });
      quoteAround(m, spread, q4, 0);
      if (short) {
        mid += m;
        natural += q4[1] as number; // buy back at the ask
      } else {
        mid -= m;
        natural -= q4[0] as number; // sell at the bid
      }
    };
    leg(false, k.putShort, true);
    leg(false, k.putLong, false);
    leg(true, k.callShort, true);
    leg(true, k.callLong, false);
    return { mid, natural };
  };
}
