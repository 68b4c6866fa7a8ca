// Piscina worker entry of the server's jobs (backtests, first-time signal computations): loads the
// TypeScript jobs through tsx (no build step, like the CLI and the sweep workers), so the engine never
// runs on the server's event loop.
import { register } from 'tsx/esm/api';

register();
const { runBacktestJob } = await import('./backtest.ts');
const { runSignalJob, warmSignalWorker } = await import('./signal.ts');

export default function run(job) {
  if (job.kind === 'warm') return warmSignalWorker(job.dataDir);
  return job.kind === 'signal' ? runSignalJob(job) : runBacktestJob(job);
}
