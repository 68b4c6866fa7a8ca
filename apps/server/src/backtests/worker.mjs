// Piscina worker entry for POST /api/backtests: loads the TypeScript job through tsx (no build step,
// like the CLI and the sweep workers), so a backtest never runs on the server's event loop.
import { register } from 'tsx/esm/api';

register();
const { runBacktestJob } = await import('./job.ts');

export default function run(job) {
  return runBacktestJob(job);
}
