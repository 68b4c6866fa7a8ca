import { InvalidInputError } from '../domain/index';

/**
 * Small descriptive statistics used by the metrics. Every function returns `null` instead of NaN or
 * Infinity when the statistic is undefined for its input (too few values, zero variance), so a report
 * can print "n/a" with a reason rather than a misleading number.
 */

/** Arithmetic mean; null for an empty array. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Sample standard deviation (divisor n - 1); null for fewer than 2 values. */
export function sampleStdev(values: readonly number[]): number | null {
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values) as number;
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (n - 1));
}

/**
 * Population skewness E[(x - m)^3] / sigma^3 (biased, divisor n) as used by Bailey & Lopez de Prado;
 * null for fewer than 2 values or zero variance.
 */
export function skewness(values: readonly number[]): number | null {
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values) as number;
  let m2 = 0;
  let m3 = 0;
  for (const v of values) {
    const d = v - m;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  if (!(m2 > 0)) return null;
  return m3 / m2 ** 1.5;
}

/**
 * Population kurtosis E[(x - m)^4] / sigma^4 (NOT excess: 3 for a normal distribution, the
 * convention of the deflated Sharpe ratio); null for fewer than 2 values or zero variance.
 */
export function kurtosis(values: readonly number[]): number | null {
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values) as number;
  let m2 = 0;
  let m4 = 0;
  for (const v of values) {
    const d = v - m;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m4 /= n;
  if (!(m2 > 0)) return null;
  return m4 / (m2 * m2);
}

/** Quantile of already-sorted values with linear interpolation between order statistics (Hyndman-Fan type 7). */
export function quantileSorted(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (!(p >= 0 && p <= 1)) throw new InvalidInputError(`p must be in [0, 1], got ${p}`, 'p', 'pass 0..1');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/**
 * Historical conditional value at risk (expected shortfall) at confidence `level` (e.g. 0.95): the
 * mean of the worst k = ceil((1 - level) x n) values, reported as a value of the series (a negative
 * return is a loss). Because k shrinks as the level rises, CVaR99 <= CVaR95 <= mean. Null when empty.
 */
export function historicalCvar(values: readonly number[], level: number): number | null {
  if (!(level > 0 && level < 1)) {
    throw new InvalidInputError(`level must be in (0, 1), got ${level}`, 'level', 'e.g. 0.95');
  }
  const n = values.length;
  if (n === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // The epsilon keeps e.g. (1 - 0.95) x 100 = 5.000000000000004 from becoming 6.
  const k = Math.max(1, Math.ceil((1 - level) * n - 1e-9));
  let s = 0;
  for (let i = 0; i < k; i++) s += sorted[i] as number;
  return s / k;
}

/** Ordinary least squares y = a + b x. Null when fewer than 2 pairs or x has zero variance. */
export function olsFit(
  x: readonly number[],
  y: readonly number[],
): { intercept: number; slope: number; correlation: number | null } | null {
  if (x.length !== y.length) {
    throw new InvalidInputError(`x and y differ in length (${x.length} vs ${y.length})`, 'x', 'align them');
  }
  const n = x.length;
  if (n < 2) return null;
  const mx = mean(x) as number;
  const my = mean(y) as number;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope, correlation: syy > 0 ? sxy / Math.sqrt(sxx * syy) : null };
}

/**
 * mulberry32: a tiny, fast, seeded 32-bit PRNG (Tommy Ettinger's public-domain generator). Returns a
 * function giving uniforms in [0, 1). Same seed, same sequence: used so that studies are reproducible.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BootstrapOptions {
  /** Number of resamples (default 2000). */
  readonly iterations?: number;
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Two-sided confidence level (default 0.95). */
  readonly level?: number;
  /**
   * Block length for a circular moving-block bootstrap (default 1 = i.i.d. resampling). Use a block
   * of a few days to a few weeks for autocorrelated series such as daily returns of overlapping trades.
   */
  readonly blockLength?: number;
}

export interface BootstrapCi {
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly iterations: number;
  readonly seed: number;
  readonly blockLength: number;
}

/**
 * Percentile bootstrap confidence interval of the mean: `iterations` resamples of size n drawn with
 * mulberry32(seed); the bounds are the (1 - level)/2 and (1 + level)/2 type-7 quantiles of the
 * resampled means. Deterministic for a given seed. With blockLength b > 1 each resample is built from
 * ceil(n / b) blocks of b consecutive values starting at uniform positions, wrapping around the end
 * (circular block bootstrap, Politis & Romano 1992), truncated to n; b = 1 is the i.i.d. bootstrap.
 * Null for an empty input.
 */
export function bootstrapMeanCi(
  values: readonly number[],
  options: BootstrapOptions = {},
): BootstrapCi | null {
  const iterations = options.iterations ?? 2000;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  if (!(Number.isInteger(iterations) && iterations >= 1)) {
    throw new InvalidInputError(
      `iterations must be a positive integer, got ${iterations}`,
      'iterations',
      '2000',
    );
  }
  if (!(level > 0 && level < 1)) {
    throw new InvalidInputError(`level must be in (0, 1), got ${level}`, 'level', 'e.g. 0.95');
  }
  const blockLength = options.blockLength ?? 1;
  if (!(Number.isInteger(blockLength) && blockLength >= 1)) {
    throw new InvalidInputError(
      `blockLength must be a positive integer, got ${blockLength}`,
      'blockLength',
      '1',
    );
  }
  for (const v of values) {
    if (!Number.isFinite(v)) throw new InvalidInputError('values must be finite', 'values', 'drop NaN');
  }
  const n = values.length;
  if (n === 0) return null;
  const rand = mulberry32(seed);
  const means = new Float64Array(iterations);
  for (let it = 0; it < iterations; it++) {
    let s = 0;
    let taken = 0;
    while (taken < n) {
      const start = Math.floor(rand() * n);
      for (let j = 0; j < blockLength && taken < n; j++, taken++) s += values[(start + j) % n] as number;
    }
    means[it] = s / n;
  }
  means.sort();
  const sorted = Array.from(means);
  return {
    mean: mean(values) as number,
    lower: quantileSorted(sorted, (1 - level) / 2) as number,
    upper: quantileSorted(sorted, (1 + level) / 2) as number,
    level,
    iterations,
    seed,
    blockLength,
  };
}
