import { Command, CommanderError } from 'commander';
import { registerData } from './commands/data';
import { CliError, reportError } from './errors';

/**
 * Composition root for the terminal. Each command lives in ./commands/<name>.ts and registers itself
 * on the program; adapters are built there, the core stays pure.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('vixshield')
    .description('SPX iron condors with a VIX-adaptive hedge: pricing, market data, signals, backtests.')
    .exitOverride()
    .showHelpAfterError();

  const registrations = [registerData] as Array<(p: Command) => void>;
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

export { CliError };
