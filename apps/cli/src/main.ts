import { createRequire } from 'node:module';
import { embeddedMarketDay, marketData, modelledVix } from '@vixshield/app';
import { SURFACE_MODEL_VERSION } from '@vixshield/core';
import { Command, CommanderError } from 'commander';
import { registerBacktest, registerStart } from './commands/backtest';
import { registerCalendar } from './commands/calendar';
import { registerChainSnapshot } from './commands/chain-snapshot';
import { registerChains } from './commands/chains';
import { registerConfig } from './commands/config';
import { registerData } from './commands/data';
import { registerEdr } from './commands/edr';
import { registerExplain } from './commands/explain';
import { registerModel } from './commands/model';
import { registerPaper } from './commands/paper';
import { registerPricing } from './commands/price';
import { registerServe } from './commands/serve';
import { registerSignal } from './commands/signal';
import { registerStudy } from './commands/study';
import { registerSweep, registerWorker } from './commands/sweep';
import { embeddedRateOn, registerVix } from './commands/vix';
import { reportError } from './errors';

/** `vixshield --version`: the package version and the option-price model's version (results depend on both). */
export function versionLine(): string {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  return `vixshield ${version} (surface model ${SURFACE_MODEL_VERSION}, node ${process.version})`;
}

/**
 * Composition root for the terminal. Each command lives in ./commands/<name>.ts and registers itself
 * on the program; adapters are built there, the core stays pure.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('vixshield')
    .description('SPX iron condors with a VIX-adaptive hedge: pricing, market data, signals, backtests.')
    .version(versionLine(), '-V, --version', 'print the version and the surface model version')
    .exitOverride()
    .showHelpAfterError()
    // Options after a subcommand name belong to that subcommand (e.g. `calendar expirations --json`).
    .enablePositionalOptions();

  // registerEdr takes { loadMarketDay } for --date; without it, --date reports that no data is built in.
  const registrations: Array<(p: Command) => void> = [
    registerPricing,
    registerCalendar,
    registerConfig,
    registerData,
    (p) => registerEdr(p, { loadMarketDay: embeddedMarketDay }),
    (p) =>
      registerVix(p, {
        rateOn: embeddedRateOn(),
        modelledVix: (date, days, dataDir) => modelledVix(marketData(dataDir), date, days),
      }),
    registerModel,
    registerSignal,
    registerBacktest,
    registerPaper,
    registerStart,
    registerChains,
    registerChainSnapshot,
    registerStudy,
    registerSweep,
    registerWorker,
    registerExplain,
    registerServe,
  ];
  for (const r of registrations) r(program);

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      return err.exitCode === 0 ? 0 : 2;
    }
    return reportError(err);
  }
}
