/** Seeded PRNG (mulberry32) so cross-check series are reproducible. */
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
