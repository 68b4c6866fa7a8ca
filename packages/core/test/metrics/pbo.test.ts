import { describe, expect, it } from 'vitest';
import { compound, monthlyReturns, mulberry32, probabilityOfBacktestOverfitting } from '../../src/index';

/** Seeded standard normals (Box-Muller on mulberry32). */
function normals(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** N variants x T periods of iid N(drift_i, sd^2) returns. */
function matrix(seed: number, n: number, t: number, drift: (i: number) => number = () => 0, sd = 0.02) {
  const z = normals(seed);
  return Array.from({ length: n }, (_, i) => Array.from({ length: t }, () => drift(i) + sd * z()));
}

describe('PBO by CSCV: small cases by hand', () => {
  it('S = 2, three variants whose halves reverse: the IS best is the OOS worst both times', () => {
    // mean metric. IS block 0: A 3, B 2, C 1 -> A; OOS block 1: A 1 is the worst, rank 1 of 3,
    // omega = 1/4, lambda = ln(1/3). Reversed for the other combination (C chosen, worst OOS).
    const r = probabilityOfBacktestOverfitting(
      [
        [3, 1],
        [2, 2],
        [1, 3],
      ],
      { blocks: 2, metric: 'mean' },
    )!;
    expect(r.combinations).toBe(2);
    expect(r.pbo).toBe(1);
    expect(r.logits[0]).toBeCloseTo(Math.log(1 / 3), 14);
    expect(r.logits[1]).toBeCloseTo(Math.log(1 / 3), 14);
    expect(r.degradation).toBeNull(); // both pairs are (3, 1): no spread in IS
    expect(r.probabilityOfOosLoss).toBe(0);
  });

  it('S = 4, one lucky block: every one of the 6 combinations picks the wrong variant', () => {
    // A = [4,0,0,0], B = [1,1,1,1], mean metric, blocks of one period.
    // IS sets containing block 0 ({0,1},{0,2},{0,3}): A 2 > B 1, OOS A 0 < B 1 -> rank 1/3, lambda ln(1/2).
    // IS sets without it ({1,2},{1,3},{2,3}): A 0 < B 1 -> B; OOS A 2 > B 1 -> B rank 1 -> ln(1/2).
    const r = probabilityOfBacktestOverfitting(
      [
        [4, 0, 0, 0],
        [1, 1, 1, 1],
      ],
      { blocks: 4, metric: 'mean' },
    )!;
    expect(r.combinations).toBe(6);
    expect(r.pbo).toBe(1);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(0.5), 14);
    // degradation pairs: (2, 0) x 3 and (1, 1) x 3 -> slope -1, intercept 2
    expect(r.degradation!.slope).toBeCloseTo(-1, 12);
    expect(r.degradation!.intercept).toBeCloseTo(2, 12);
  });

  it('Sharpe metric, S = 2 with two periods per block; a zero-variance half ranks by its mean', () => {
    // A = [1,3 | 2,2]: block 0 Sharpe 2/sqrt(2) = 1.414, block 1 zero variance with mean 2 -> +Inf.
    // B = [0,2 | 1,2]: block 0 1/sqrt(2) = 0.707, block 1 1.5/sqrt(0.5) = 2.121.
    // IS block 0 -> A (1.414 > 0.707), OOS A Inf > B: rank 2 of 2, omega 2/3, lambda ln 2.
    // IS block 1 -> A (Inf), OOS 1.414 > 0.707: lambda ln 2. PBO 0.
    const r = probabilityOfBacktestOverfitting(
      [
        [1, 3, 2, 2],
        [0, 2, 1, 2],
      ],
      { blocks: 2 },
    )!;
    expect(r.pbo).toBe(0);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(2), 14);
    expect(r.degradation).toBeNull(); // every pair has an infinite side
  });

  it('identical variants are collapsed: nothing to select gives null; duplicates do not change the result', () => {
    const a = [0.01, -0.02, 0.03, 0.0, 0.01, 0.02, -0.01, 0.0];
    const b = [0.0, 0.01, -0.01, 0.02, 0.0, -0.03, 0.02, 0.01];
    const c = [0.02, 0.0, 0.01, -0.01, 0.03, 0.0, 0.0, -0.02];
    expect(probabilityOfBacktestOverfitting([a, a, a], { blocks: 4 })).toBeNull();
    const once = probabilityOfBacktestOverfitting([a, b, c], { blocks: 4 })!;
    const twice = probabilityOfBacktestOverfitting([a, b, b, c, a], { blocks: 4 })!;
    expect(twice.variants).toBe(5);
    expect(twice.distinctVariants).toBe(3);
    expect(twice.logits).toEqual(once.logits);
    expect(twice.pbo).toBe(once.pbo);
  });

  it('drops the oldest T mod S periods so the blocks are equal', () => {
    const m = matrix(3, 5, 83);
    const r = probabilityOfBacktestOverfitting(m, { blocks: 8 })!;
    expect(r).toMatchObject({ periods: 83, periodsUsed: 80, periodsDropped: 3, blockLength: 10 });
    const trimmed = probabilityOfBacktestOverfitting(
      m.map((x) => x.slice(3)),
      { blocks: 8 },
    )!;
    expect(trimmed.logits).toEqual(r.logits);
  });

  it('rejects bad input', () => {
    expect(() => probabilityOfBacktestOverfitting([[1, 2, 3, 4]], { blocks: 3 })).toThrow(/even integer/);
    expect(() => probabilityOfBacktestOverfitting([[1, 2, 3, 4]], { blocks: 22 })).toThrow(/even integer/);
    expect(() =>
      probabilityOfBacktestOverfitting(
        [
          [1, 2],
          [1, 2, 3],
        ],
        { blocks: 2 },
      ),
    ).toThrow(/variant 1 has 3 periods/);
    expect(() =>
      probabilityOfBacktestOverfitting(
        [
          [1, Number.NaN],
          [1, 2],
        ],
        { blocks: 2, metric: 'mean' },
      ),
    ).toThrow(/variant 0 period 1 is NaN/);
    // Sharpe needs two periods per half
    expect(() =>
      probabilityOfBacktestOverfitting(
        [
          [1, 2],
          [2, 1],
        ],
        { blocks: 2 },
      ),
    ).toThrow(/at least 2 periods per half/);
  });
});

describe('PBO by CSCV: properties on seeded random matrices', () => {
  it('one dominant variant: PBO near 0 and no OOS loss', () => {
    // variant 0 earns +1 standard deviation a period more than 9 pure-noise variants
    const m = matrix(11, 10, 160, (i) => (i === 0 ? 0.02 : 0));
    const r = probabilityOfBacktestOverfitting(m)!;
    expect(r.blocks).toBe(16);
    expect(r.combinations).toBe(12870);
    expect(r.pbo).toBeLessThan(0.01);
    expect(r.meanLogit).toBeGreaterThan(1.5);
    expect(r.probabilityOfOosLoss).toBe(0);
  });

  it('pure noise: PBO is 0.5 in expectation (even N), each estimate in [0, 1]', () => {
    const pbos: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const r = probabilityOfBacktestOverfitting(matrix(seed, 10, 80), { blocks: 8 })!;
      expect(r.pbo).toBeGreaterThanOrEqual(0);
      expect(r.pbo).toBeLessThanOrEqual(1);
      pbos.push(r.pbo);
    }
    const mean = pbos.reduce((a, b) => a + b, 0) / pbos.length;
    expect(mean).toBeGreaterThan(0.4);
    expect(mean).toBeLessThan(0.6);
  });

  it('does not depend on the order of the variants or on the scale of the returns', () => {
    const m = matrix(5, 6, 64);
    const r = probabilityOfBacktestOverfitting(m, { blocks: 8 })!;
    const reversed = probabilityOfBacktestOverfitting([...m].reverse(), { blocks: 8 })!;
    const scaled = probabilityOfBacktestOverfitting(
      m.map((x) => x.map((v) => v * 3)),
      { blocks: 8 },
    )!;
    expect(reversed.pbo).toBe(r.pbo);
    expect(scaled.logits.map((l) => l.toFixed(12))).toEqual(r.logits.map((l) => l.toFixed(12)));
  });

  it('combinations are symmetric: each IS set appears once and so does its complement', () => {
    const r = probabilityOfBacktestOverfitting(matrix(9, 4, 48), { blocks: 6 })!;
    expect(r.combinations).toBe(20); // C(6, 3)
    expect(r.logits).toHaveLength(20);
  });
});

describe('monthly returns of an equity curve', () => {
  it('month-end values against the previous month end, the first month against the initial equity', () => {
    const r = monthlyReturns(
      [
        { date: '2019-01-30', equity: 101 },
        { date: '2019-01-31', equity: 102 },
        { date: '2019-02-01', equity: 100 },
        { date: '2019-02-28', equity: 107.1 },
        { date: '2019-03-01', equity: 107.1 },
      ],
      100,
    );
    expect(r.periods).toEqual(['2019-01', '2019-02', '2019-03']);
    expect(r.returns[0]).toBeCloseTo(0.02, 14);
    expect(r.returns[1]).toBeCloseTo(0.05, 14);
    expect(r.returns[2]).toBe(0);
    const v = compound(r.returns, 100);
    expect(v.at(-1)).toBeCloseTo(107.1, 10);
  });
  it('after ruin the ruin month is -100% at worst and later months are 0', () => {
    const r = monthlyReturns(
      [
        { date: '2020-01-31', equity: 50 },
        { date: '2020-02-28', equity: -10 },
        { date: '2020-03-31', equity: -12 },
      ],
      100,
    );
    expect(r.returns).toEqual([-0.5, -1, 0]);
    expect(() => monthlyReturns([{ date: '2020-01-31', equity: 1 }], 0)).toThrow(/initialEquity/);
    expect(() =>
      monthlyReturns(
        [
          { date: '2020-02-03', equity: 1 },
          { date: '2020-01-31', equity: 1 },
        ],
        1,
      ),
    ).toThrow(/comes after/);
  });
});
