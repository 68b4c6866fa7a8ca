import { embeddedMarketDay } from '@vixshield/app';
import { Command, CommanderError } from 'commander';
import { registerBacktest, registerStart } from './commands/backtest';
import { registerCalendar } from './commands/calendar';
import { registerChainSnapshot } from './commands/chain-snapshot';
import { registerChains } from './commands/chains';
import { registerConfig } from './commands/config';
import { registerData } from './commands/data';
import { registerEdr } from './commands/edr';
import { registerExplain } from './commands/explain';
import { registerPricing } from './commands/price';
import { registerServe } from './commands/serve';
import { registerSignal } from './commands/signal';
import { registerStudy } from './commands/study';
import { registerSweep, registerWorker } from './commands/sweep';
import { embeddedRateOn, registerVix } from './commands/vix';
import { reportError } from './errors';

/**
 * Composition root for the terminal. Each command lives in ./commands/<name>.ts and registers itself
 * on the program; adapters are built there, the core stays pure.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('vixshield')
    .description('SPX iron condors with a VIX-adaptive hedge: pricing, market data, signals, backtests.')
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
    (p) => registerVix(p, { rateOn: embeddedRateOn() }),
    registerSignal,
    registerBacktest,
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
