/**
 * Runs the QuantLib peer (bench/peers/quantlib/bench.cpp), building it first with build.sh when the
 * binary is missing or older than its sources. Never throws: when QuantLib cannot be built or run, it
 * returns `{ available: false, why }` and the bench carries on without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PricingCases } from '../../lib/cases.ts';
import { writeCasesBinary } from '../../lib/cases.ts';
import type { Measurement } from '../../lib/timing.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
export const QL_BUILD_DIR = fileURLToPath(new URL('../build/', import.meta.url));
const BINARY = `${QL_BUILD_DIR}quantlib-bench`;
const SOURCES = [`${here}bench.cpp`, `${here}build.sh`];

export interface QuantLibOptions {
  reps: number;
  /** options for the AnalyticEuropeanEngine row (slow: ~0.2 M options/s) */
  engineN: number;
  /** skip build.sh, use an existing binary only */
  noBuild: boolean;
}

interface HarnessRow {
  id: string;
  name: string;
  kind: Measurement['kind'];
  n: number;
  reps: number;
  bestOpsPerSec: number;
  medianOpsPerSec: number;
  bestCpuOpsPerSec: number;
  medianCpuOpsPerSec: number;
  checksum: number;
  note: string;
}

export interface IvAccuracy {
  failures: number;
  maxAbsErr: number | null;
  over1e7: number;
}

interface HarnessOutput {
  peer: 'quantlib';
  quantlibVersion: string;
  compiler: string;
  n: number;
  engineN: number;
  ivN: number;
  iv: { newton: IvAccuracy; lirs: IvAccuracy };
  results: HarnessRow[];
}

export type QuantLibResult =
  | {
      available: true;
      version: string;
      compiler: string;
      ivAccuracy: HarnessOutput['iv'];
      rows: Measurement[];
    }
  | { available: false; why: string };

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1]?.trim() || 'no output';
}

function stale(): boolean {
  if (!existsSync(BINARY)) return true;
  const built = statSync(BINARY).mtimeMs;
  return SOURCES.some((f) => existsSync(f) && statSync(f).mtimeMs > built);
}

export function runQuantLibPeer(cases: PricingCases, opt: QuantLibOptions): QuantLibResult {
  mkdirSync(QL_BUILD_DIR, { recursive: true });
  if (stale()) {
    if (opt.noBuild) {
      if (!existsSync(BINARY)) return { available: false, why: `${BINARY} not built (--no-build given)` };
    } else {
      process.stderr.write('building the QuantLib peer (bench/peers/quantlib/build.sh) ...\n');
      const b = spawnSync('bash', [`${here}build.sh`], { encoding: 'utf8', timeout: 15 * 60_000 });
      if (b.error) return { available: false, why: `build.sh: ${b.error.message}` };
      if (b.status !== 0) return { available: false, why: lastLine(b.stderr) };
    }
  }
  const casesPath = `${QL_BUILD_DIR}cases-pricing.bin`;
  writeCasesBinary(casesPath, cases);
  const args = [casesPath, '--reps', String(opt.reps), '--warmup', '1', '--engine-n', String(opt.engineN)];
  const p = spawnSync(BINARY, args, { encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 16 << 20 });
  if (p.error) return { available: false, why: `quantlib-bench: ${p.error.message}` };
  if (p.status !== 0) return { available: false, why: lastLine(p.stderr) };
  let out: HarnessOutput;
  try {
    out = JSON.parse(p.stdout) as HarnessOutput;
  } catch {
    return {
      available: false,
      why: `quantlib-bench printed something that is not JSON: ${lastLine(p.stdout)}`,
    };
  }
  return {
    available: true,
    version: out.quantlibVersion,
    compiler: out.compiler,
    ivAccuracy: out.iv,
    rows: out.results.map((x) => ({
      id: x.id,
      name: x.name,
      peer: 'quantlib',
      kind: x.kind,
      n: x.n,
      reps: x.reps,
      bestOpsPerSec: x.bestOpsPerSec,
      medianOpsPerSec: x.medianOpsPerSec,
      bestCpuOpsPerSec: x.bestCpuOpsPerSec,
      medianCpuOpsPerSec: x.medianCpuOpsPerSec,
      checksum: x.checksum,
      ...(x.note ? { note: x.note } : {}),
    })),
  };
}
