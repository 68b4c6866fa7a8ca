/**
 * Pricing benchmark cases: a deterministic SPX-like generator (seeded PRNG) and a loader for the shared
 * reference vectors in test/vectors/pricing/public.json (copied into the repository; provenance in its README). Cases are kept as columns (struct of
 * arrays), which is what the batch APIs and the QuantLib harness read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReferenceCase } from '../../test/support/reference-case';

export interface PricingCases {
  /** where the cases came from, for the report */
  source: string;
  n: number;
  S: Float64Array;
  K: Float64Array;
  /** years (ACT/365, whole minutes for generated cases: minutes / 525600) */
  T: Float64Array;
  /** continuously compounded, per year */
  r: Float64Array;
  /** continuous dividend yield, per year */
  q: Float64Array;
  /** Black volatility per sqrt(year) */
  sigma: Float64Array;
  /** 1 = call, 0 = put */
  isCall: Uint8Array;
}

export const MINUTES_PER_YEAR = 525_600;
export const DEFAULT_PUBLIC_CASES = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../test/vectors/pricing/public.json',
);

/** sfc32: small, fast, good-quality 32-bit PRNG; seeded through splitmix32 so any integer seed works. */
export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next32();
  // 53-bit uniform double in [0, 1)
  return () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
}

export function allocCases(n: number, source: string): PricingCases {
  return {
    source,
    n,
    S: new Float64Array(n),
    K: new Float64Array(n),
    T: new Float64Array(n),
    r: new Float64Array(n),
    q: new Float64Array(n),
    sigma: new Float64Array(n),
    isCall: new Uint8Array(n),
  };
}

/**
 * SPX-like random cases:
 * S uniform 500-7000; K = S x moneyness (uniform 0.5-1.5) rounded to the 5-point strike grid;
 * T in whole minutes: 20% uniform in 1 minute .. 1 day (0DTE), 80% log-uniform in 1 day .. 2 years;
 * sigma log-uniform 0.05-1.5; r uniform 0-0.06; q uniform 0-0.03; calls and puts 50/50.
 */
export function generateCases(n: number, seed: number): PricingCases {
  const rnd = makeRng(seed);
  const c = allocCases(n, `generated (seed ${seed}, n ${n})`);
  const day = 1440;
  const twoYears = 2 * MINUTES_PER_YEAR;
  const logSigLo = Math.log(0.05);
  const logSigHi = Math.log(1.5);
  const logDayLo = Math.log(day);
  const logDayHi = Math.log(twoYears);
  for (let i = 0; i < n; i++) {
    const S = 500 + 6500 * rnd();
    const m = 0.5 + rnd();
    c.S[i] = S;
    c.K[i] = Math.max(5, Math.round((S * m) / 5) * 5);
    const minutes =
      rnd() < 0.2
        ? 1 + Math.floor(rnd() * (day - 1))
        : Math.min(twoYears, Math.round(Math.exp(logDayLo + (logDayHi - logDayLo) * rnd())));
    c.T[i] = minutes / MINUTES_PER_YEAR;
    c.sigma[i] = Math.exp(logSigLo + (logSigHi - logSigLo) * rnd());
    c.r[i] = 0.06 * rnd();
    c.q[i] = 0.03 * rnd();
    c.isCall[i] = rnd() < 0.5 ? 1 : 0;
  }
  return c;
}

type PublicCase = Pick<ReferenceCase, 'model' | 'type' | 'S' | 'F' | 'K' | 'T' | 'r' | 'q' | 'sigma'>;

/**
 * Loads public.json and repeats it until there are at least `minN` options (a 2,100-case pass is too
 * short to time well). Black-76 cases become BSM cases with S = F and q = r (carry 0): same price,
 * delta, gamma, vega and theta; only rho differs, which does not matter for timing.
 */
export function loadPublicCases(path: string, minN: number): PricingCases {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as PublicCase[];
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${path}: expected a non-empty JSON array`);
  const copies = Math.max(1, Math.ceil(minN / raw.length));
  const n = raw.length * copies;
  const c = allocCases(n, `${path} (${raw.length} cases x ${copies}; black76 as bsm with S = F, q = r)`);
  for (let i = 0; i < n; i++) {
    const x = raw[i % raw.length]!;
    const b76 = x.model === 'black76';
    c.S[i] = b76 ? x.F! : x.S!;
    c.K[i] = x.K;
    c.T[i] = x.T;
    c.r[i] = x.r;
    c.q[i] = b76 ? x.r : x.q;
    c.sigma[i] = x.sigma;
    c.isCall[i] = x.type === 'call' ? 1 : 0;
  }
  return c;
}

/** The first `n` cases (a view, no copy). */
export function headCases(c: PricingCases, n: number): PricingCases {
  const m = Math.min(n, c.n);
  return {
    source: c.source,
    n: m,
    S: c.S.subarray(0, m),
    K: c.K.subarray(0, m),
    T: c.T.subarray(0, m),
    r: c.r.subarray(0, m),
    q: c.q.subarray(0, m),
    sigma: c.sigma.subarray(0, m),
    isCall: c.isCall.subarray(0, m),
  };
}

/**
 * Binary cases file read by bench/peers/quantlib/bench.cpp (little-endian):
 * "VXSCASE1", uint32 n, uint32 0, float64[n] S, K, T, r, q, sigma, uint8[n] isCall.
 */
export function writeCasesBinary(path: string, c: PricingCases): void {
  const header = Buffer.alloc(16);
  header.write('VXSCASE1', 0, 'latin1');
  header.writeUInt32LE(c.n, 8);
  header.writeUInt32LE(0, 12);
  const cols = [c.S, c.K, c.T, c.r, c.q, c.sigma].map((a) => {
    const b = Buffer.alloc(a.length * 8);
    for (let i = 0; i < a.length; i++) b.writeDoubleLE(a[i]!, i * 8);
    return b;
  });
  writeFileSync(path, Buffer.concat([header, ...cols, Buffer.from(c.isCall)]));
}
