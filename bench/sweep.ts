import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../packages/core/src/index';
import { marketData, runJobs, type SweepJob } from '../packages/data/src/index';

/**
 * Sweep throughput: N distinct configurations (sizing.maxLossFractionOfEquity varied, so every job is
 * a real backtest and nothing is cached) over 2015-01-02 .. 2025-12-31, with 1 and 2 worker threads.
 * Wall time includes the pool's start (each worker loads the market data once). The 1,000-config
 * figure is extrapolated from the measured steady throughput and said to be so.
 * `npm run bench -- sweep [--n 8] [--workers 1,2] [--from D] [--to D]`
 */
export async function runSweepBench(args: readonly string[]): Promise<void> {
  const arg = (name: string, def: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : def;
  };
  const n = Number(arg('--n', '8'));
  const workerCounts = arg('--workers', '1,2').split(',').map(Number);
  const from = arg('--from', '2015-01-02') as SweepJob['from'];
  const to = arg('--to', '2025-12-31') as SweepJob['to'];
  marketData(); // loaded once in this thread for the serial run
  const rows: Array<Record<string, number | string>> = [];
  for (const w of workerCounts) {
    const jobs: SweepJob[] = Array.from({ length: n }, (_, i) => ({
      // A different fraction per worker count as well, so no run can reuse another's result.
      config: resolveConfig('vixshield', {
        sizing: { maxLossFractionOfEquity: 0.05 + (i + 1) / 1000 + w / 100000 },
      }),
      from,
      to,
    }));
    const t0 = performance.now();
    const { results } = await runJobs(jobs, { workers: w });
    const wallMs = performance.now() - t0;
    const jobMs = results.reduce((a, r) => a + r.elapsedMs, 0) / results.length;
    const perSec = n / (wallMs / 1000);
    rows.push({
      workers: w,
      configs: n,
      wallMs: Math.round(wallMs),
      meanBacktestMs: Math.round(jobMs),
      configsPerSecond: Number(perSec.toFixed(3)),
      extrapolated1000Seconds: Math.round(1000 / perSec),
    });
  }
  const out = {
    section: 'sweep',
    window: `${from} .. ${to}`,
    cpus: cpus().length,
    loadavg1m: Number(loadavg()[0]?.toFixed(2)),
    rows,
    goal: '1,000 configurations over 2015-2025 in under 3 minutes',
    note: 'The 1,000-configuration time is extrapolated from the measured throughput of N configurations (wall time incl. pool start), not measured.',
  };
  for (const r of rows)
    process.stdout.write(
      `sweep ${out.window}, ${r.configs} configs, ${r.workers} worker(s): ${(Number(r.wallMs) / 1000).toFixed(1)} s wall, ${r.meanBacktestMs} ms per backtest, ${r.configsPerSecond} configs/s -> 1,000 configs ~ ${r.extrapolated1000Seconds} s (extrapolated)\n`,
    );
  process.stdout.write(
    `machine: ${out.cpus} cpus, load average ${out.loadavg1m} (shared); goal: ${out.goal}\n`,
  );
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sweep-latest.json'), `${JSON.stringify(out, null, 2)}\n`);
}
