import { InvalidInputError } from '@vixshield/core';

/** A user-facing failure: printed without a stack trace, with the exit code given. */
export { UsageError as CliError } from '@vixshield/data';

import { ChainStoreBusyError } from '@vixshield/chains';
import { StoredRowError, UsageError } from '@vixshield/data';
import { describeSystemError } from './system-errors';

/** Prints an error for a person (no stack for expected errors) and returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`vixshield: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof StoredRowError) {
    // Damaged stored data (e.g. a backtests.sqlite row edited by hand): the message names the row.
    process.stderr.write(`vixshield: ${err.message}\n`);
    return 1;
  }
  if (err instanceof ChainStoreBusyError) {
    // Not bad input: another process (an import, a server between requests) holds the store.
    process.stderr.write(`vixshield: ${err.message}; ${err.hint}\n`);
    return 1;
  }
  if (err instanceof InvalidInputError) {
    process.stderr.write(`vixshield: ${err.message} (field ${err.field}; ${err.hint})\n`);
    return 2;
  }
  const system = describeSystemError(err);
  if (system !== null) {
    process.stderr.write(`vixshield: ${system}\n`);
    return 1;
  }
  // A bug: the message for the user, the stack only on request (never by default).
  const debug = process.env.VIXSHIELD_DEBUG === '1';
  process.stderr.write(
    `vixshield: internal error: ${err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message) : String(err)}\n` +
      (debug ? '' : 'vixshield: this is a bug; VIXSHIELD_DEBUG=1 prints the stack for a report\n'),
  );
  return 1;
}
