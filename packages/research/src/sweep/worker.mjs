// Piscina worker entry: loads the TypeScript job runner through tsx (no build step, like the CLI).
import { register } from 'tsx/esm/api';

register();
const { runSweepJob } = await import('./job.ts');

export default function run(job) {
  return runSweepJob(job);
}
