/**
 * Timing helper for the benchmarks. Benchmarks are not tests: nothing here asserts on time.
 *
 * `measure` runs `fn` (one pass over `n` options, returning a checksum) `warmup` times untimed so the
 * JIT can compile it, then `reps` times timed. It reports the best and the median options/second and
 * the checksum of the last timed pass (kept so the work cannot be optimised away, and printed so a
 * broken run is visible).
 */

export type Peer = 'quantlib' | 'npm' | 'ours';
/** greeks = price + the five Greeks (delta, gamma, vega, theta, rho); price = price only; iv = implied vol. */
export type Kind = 'greeks' | 'price' | 'iv';

export interface Measurement {
  /** stable id, e.g. `ql-blackcalculator`, `npm-greeks`, `ours-bsmGreeksBatch` */
  id: string;
  /** human-readable row label */
  name: string;
  peer: Peer;
  kind: Kind;
  /** options per timed pass */
  n: number;
  /** timed passes */
  reps: number;
  /** by wall-clock time */
  bestOpsPerSec: number;
  medianOpsPerSec: number;
  /**
   * by CPU time (Node: process.cpuUsage, all threads of the process; QuantLib: the timing thread), which
   * leaves out time the OS gave to other jobs on a shared machine
   */
  bestCpuOpsPerSec: number;
  medianCpuOpsPerSec: number;
  checksum: number;
  /** conventions, restrictions (e.g. "q = 0"), solver settings */
  note?: string;
}

export interface MeasureSpec {
  id: string;
  name: string;
  peer: Peer;
  kind: Kind;
  n: number;
  note?: string;
  /** untimed passes first (default 2) */
  warmup?: number;
  /** timed passes (default 7) */
  reps?: number;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

let sink = 0;

/** Runs `fn` (one pass over `spec.n` options; returns a checksum) and reports options/second. */
export function measure(spec: MeasureSpec, fn: () => number): Measurement {
  const warmup = spec.warmup ?? 2;
  const reps = Math.max(1, spec.reps ?? 7);
  for (let i = 0; i < warmup; i++) sink += fn();
  const rates: number[] = [];
  const cpuRates: number[] = [];
  let checksum = 0;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    checksum = fn();
    const t1 = process.hrtime.bigint();
    const c1 = process.cpuUsage(c0);
    sink += checksum;
    const secs = Number(t1 - t0) / 1e9;
    rates.push(spec.n / Math.max(secs, 1e-9));
    cpuRates.push(spec.n / Math.max((c1.user + c1.system) / 1e6, 1e-6));
  }
  const m: Measurement = {
    id: spec.id,
    name: spec.name,
    peer: spec.peer,
    kind: spec.kind,
    n: spec.n,
    reps,
    bestOpsPerSec: Math.max(...rates),
    medianOpsPerSec: median(rates),
    bestCpuOpsPerSec: Math.max(...cpuRates),
    medianCpuOpsPerSec: median(cpuRates),
    checksum,
  };
  if (spec.note !== undefined) m.note = spec.note;
  return m;
}

/** Keeps the running sum of all checksums observable (so no pass is dead code). */
export function timingSink(): number {
  return sink;
}
