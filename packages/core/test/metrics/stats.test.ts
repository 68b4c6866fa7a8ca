import { describe, expect, it } from 'vitest';
import {
  bootstrapMeanCi,
  deflatedSharpe,
  expectedMaxSharpe,
  historicalCvar,
  kurtosis,
  maxDrawdown,
  mulberry32,
  olsFit,
  probabilisticSharpe,
  quantileSorted,
  sampleStdev,
  skewness,
} from '../../src/index';

describe('descriptive statistics', () => {
  it('sample stdev, skewness and kurtosis by hand', () => {
    // 1, 2, 3, 4: mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; / 3 -> sd sqrt(5/3)
    expect(sampleStdev([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 14);
    // symmetric -> skew 0; population m2 = 1.25, m4 = (5.0625 x 2 + 0.0625 x 2) / 4 = 2.5625 -> 2.5625 / 1.5625 = 1.64
    expect(skewness([1, 2, 3, 4])).toBeCloseTo(0, 14);
    expect(kurtosis([1, 2, 3, 4])).toBeCloseTo(1.64, 14);
    // 0, 0, 3: mean 1, m2 = (1 + 1 + 4) / 3 = 2, m3 = (-1 - 1 + 8) / 3 = 2 -> 2 / 2^1.5 = 0.70710678
    expect(skewness([0, 0, 3])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(sampleStdev([1])).toBeNull();
    expect(skewness([2, 2, 2])).toBeNull();
    expect(kurtosis([])).toBeNull();
  });

  it('type-7 quantiles and historical CVaR', () => {
    expect(quantileSorted([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantileSorted([1, 2], 0.5)).toBe(1.5);
    expect(quantileSorted([], 0.5)).toBeNull();
    const v = Array.from({ length: 100 }, (_, i) => i - 50); // -50..49
    // k95 = ceil(0.05 x 100) = 5 worst: -50..-46 -> mean -48; k99 = 1 -> -50
    expect(historicalCvar(v, 0.95)).toBe(-48);
    expect(historicalCvar(v, 0.99)).toBe(-50);
    expect(historicalCvar([], 0.95)).toBeNull();
    expect(() => historicalCvar(v, 1)).toThrow();
  });

  it('OLS recovers an exact line and refuses a constant regressor', () => {
    const fit = olsFit([1, 2, 3], [3, 5, 7]);
    expect(fit?.slope).toBeCloseTo(2, 14);
    expect(fit?.intercept).toBeCloseTo(1, 14);
    expect(fit?.correlation).toBeCloseTo(1, 14);
    expect(olsFit([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(olsFit([1], [1])).toBeNull();
  });

  it('maxDrawdown on a raw series: the episode starts at the LAST visit of the peak', () => {
    // 10 -> 5 recovers at index 2, then falls to 4 (depth 0.6) from that second visit of 10
    expect(maxDrawdown([])).toBeNull();
    expect(maxDrawdown([10, 5, 10, 4, 8])).toMatchObject({
      depth: 0.6,
      peakIndex: 2,
      troughIndex: 3,
      recoveryIndex: null,
      duration: 2,
    });
  });
});

describe('mulberry32 and the bootstrap', () => {
  it('mulberry32 is deterministic, in [0, 1), and matches its reference first output', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // The public-domain C reference (uint32 state += 0x6D2B79F5 ...) compiled with gcc, seed 42, gives
    // 2581720956 then 1925393290.
    const c = mulberry32(42);
    expect(c() * 4294967296).toBe(2581720956);
    expect(c() * 4294967296).toBe(1925393290);
  });

  it('bootstrapMeanCi is reproducible by seed and brackets the sample mean', () => {
    const values = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 2 + 0.3);
    const a = bootstrapMeanCi(values, { iterations: 500, seed: 7, level: 0.9 });
    const b = bootstrapMeanCi(values, { iterations: 500, seed: 7, level: 0.9 });
    const c = bootstrapMeanCi(values, { iterations: 500, seed: 8, level: 0.9 });
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(a?.lower).toBeLessThan(a?.mean as number);
    expect(a?.upper).toBeGreaterThan(a?.mean as number);
    // standard error ~ sd / sqrt(n) = ~1.41 / 14.1 = 0.1: a 90% interval is about +-0.165 wide
    expect((a?.upper as number) - (a?.lower as number)).toBeGreaterThan(0.2);
    expect((a?.upper as number) - (a?.lower as number)).toBeLessThan(0.45);
    const wide = bootstrapMeanCi(values, { iterations: 500, seed: 7, level: 0.99 });
    expect((wide?.upper as number) - (wide?.lower as number)).toBeGreaterThan(
      (a?.upper as number) - (a?.lower as number),
    );
    expect(bootstrapMeanCi(values, { iterations: 500, seed: 7, level: 0.9, blockLength: 1 })).toEqual(a);
    expect(bootstrapMeanCi([])).toBeNull();
    expect(bootstrapMeanCi([5], { iterations: 10 })).toMatchObject({ mean: 5, lower: 5, upper: 5 });
    expect(() => bootstrapMeanCi([1, Number.NaN])).toThrow();
    expect(() => bootstrapMeanCi([1], { iterations: 0 })).toThrow();
  });
});

describe('block bootstrap', () => {
  it('widens the interval for a persistent series and keeps it for white noise', () => {
    // A slow regime-switching series: blocks of 25 equal values (+1 or -1), strongly autocorrelated.
    const rand = mulberry32(11);
    const persistent: number[] = [];
    for (let b = 0; b < 40; b++) {
      const v = rand() < 0.5 ? 1 : -1;
      for (let j = 0; j < 25; j++) persistent.push(v);
    }
    const width = (blockLength: number, xs: number[]) => {
      const ci = bootstrapMeanCi(xs, { iterations: 800, seed: 3, blockLength }) as {
        lower: number;
        upper: number;
      };
      return ci.upper - ci.lower;
    };
    // i.i.d. resampling ignores the persistence: its interval is ~sqrt(25) = 5x too narrow
    expect(width(25, persistent)).toBeGreaterThan(3 * width(1, persistent));
    const noise = Array.from({ length: 1000 }, () => rand() * 2 - 1);
    expect(width(25, noise) / width(1, noise)).toBeGreaterThan(0.7);
    expect(width(25, noise) / width(1, noise)).toBeLessThan(1.4);
    expect(() => bootstrapMeanCi(noise, { blockLength: 0 })).toThrow(/blockLength/);
  });
});

describe('probabilistic and deflated Sharpe ratio (Bailey & Lopez de Prado 2014)', () => {
  it('reproduces the numerical example of the DSR paper', () => {
    // Annualised SR 2.5 on 5 years of daily data (T = 1250, 250 days a year), N = 100 trials with
    // annualised cross-trial variance 1/2, skew -3, kurtosis 10. The paper reports
    // SR0 (non-annualised) ~ 0.1132 and DSR ~ 0.9004; scipy (norm.ppf/norm.cdf) on the same formulas
    // gives 0.1131720 and 0.9003968.
    const perYear = 250;
    const sr = 2.5 / Math.sqrt(perYear);
    const v = 0.5 / perYear;
    expect(expectedMaxSharpe(100, v)).toBeCloseTo(0.113172, 6);
    expect(deflatedSharpe(sr, 100, 1250, -3, 10, { trialSharpeVariance: v })).toBeCloseTo(0.9003968, 6);
  });

  it('PSR by hand for normal returns', () => {
    // SR 0.1, T = 250, skew 0, kurt 3: z = 0.1 x sqrt(249) / sqrt(1 + 0.5 x 0.01) = 1.577973 / 1.0024969
    // = 1.574043; normal table: Phi(1.57) = 0.94179, Phi(1.58) = 0.94295 -> 0.94179 + 0.4043 x 0.00116 = 0.94226
    const z = (0.1 * Math.sqrt(249)) / Math.sqrt(1.005);
    expect(probabilisticSharpe(0.1, 0, 250, 0, 3)).toBeCloseTo(0.94226, 5);
    expect(z).toBeCloseTo(1.574043, 5);
  });

  it('one trial: DSR = PSR against 0; more trials deflate more', () => {
    expect(deflatedSharpe(0.1, 1, 250, 0, 3)).toBe(probabilisticSharpe(0.1, 0, 250, 0, 3));
    const d10 = deflatedSharpe(0.1, 10, 250, 0, 3) as number;
    const d1000 = deflatedSharpe(0.1, 1000, 250, 0, 3) as number;
    expect(d10).toBeLessThan(probabilisticSharpe(0.1, 0, 250, 0, 3) as number);
    expect(d1000).toBeLessThan(d10);
    expect(expectedMaxSharpe(1, 1)).toBe(0);
  });

  it('null where the asymptotic variance is not positive; throws on bad inputs', () => {
    // 1 - 5 x 0.5 + (3 - 1)/4 x 0.25 = -1.375 < 0
    expect(probabilisticSharpe(0.5, 0, 100, 5, 3)).toBeNull();
    expect(() => deflatedSharpe(0.1, 0, 250, 0, 3)).toThrow(/nTrials/);
    expect(() => deflatedSharpe(0.1, 2, 1, 0, 3)).toThrow(/nObs/);
    expect(() => probabilisticSharpe(Number.NaN, 0, 10, 0, 3)).toThrow(/sharpe/);
  });
});
