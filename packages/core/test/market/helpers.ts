/** Seeded PRNG (the library's mulberry32) so cross-check series are reproducible. */
import { mulberry32 } from '../../src/metrics/stats';

export { mulberry32 };

/** A geometric random walk of `n` closes starting at `start`, daily vol about `dailyVol`. */
export function randomWalk(n: number, seed: number, start = 4000, dailyVol = 0.012): number[] {
  const rnd = mulberry32(seed);
  const out = [start];
  for (let i = 1; i < n; i++) {
    // Sum of 3 uniforms, centred: roughly normal, scaled to unit variance (var of U(0,1) is 1/12).
    const z = (rnd() + rnd() + rnd() - 1.5) / 0.5;
    out.push((out[i - 1] as number) * Math.exp(dailyVol * z));
  }
  return out;
}

/** Indices where a series is defined. */
export function definedFrom(series: readonly (number | null)[]): number {
  return series.findIndex((v) => v !== null);
}
