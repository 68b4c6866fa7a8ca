/**
 * Benchmark entry point: `npm run bench -- <section> [options]` (root script: node --import tsx bench/run.ts).
 * Benchmarks are not tests: they print numbers and write bench/results/<section>-latest.json, and never
 * fail on timing.
 */
import { runBacktestBench } from './backtest.ts';
import { runBacktestIntradayBench } from './backtest-intraday.ts';
import { runChainsBench } from './chains.ts';
import { runPricing } from './pricing.ts';
import { runServiceBench } from './service.ts';
import { runSweepBench } from './sweep.ts';

type Section = (args: readonly string[]) => Promise<void>;

/** Sections by name. */
export const SECTIONS: Record<string, Section> = {
  pricing: runPricing,
  chains: async (args) => {
    await runChainsBench(args);
  },
  backtest: runBacktestBench,
  'backtest-intraday': runBacktestIntradayBench,
  sweep: runSweepBench,
  service: runServiceBench,
};

const USAGE = `usage: npm run bench -- <section> [options]
sections: ${Object.keys(SECTIONS).join(', ')}
  npm run bench -- pricing --help   for the pricing options`;

async function main(argv: readonly string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    if (!name) process.exitCode = 2;
    return;
  }
  const section = SECTIONS[name];
  if (!section) {
    process.stderr.write(`unknown bench section '${name}'\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  await section(rest);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
