import { InvalidInputError } from '@vixshield/core';

/** A user-facing failure: printed without a stack trace, with the exit code given. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Prints an error for a person (no stack for expected errors) and returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof CliError) {
    process.stderr.write(`vixshield: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof InvalidInputError) {
    process.stderr.write(`vixshield: ${err.message} (field ${err.field}; ${err.hint})\n`);
    return 2;
  }
  process.stderr.write(
    `vixshield: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 1;
}
