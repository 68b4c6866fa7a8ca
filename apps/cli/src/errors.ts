import { DomainError, type ErrorKind, InvalidInputError } from '@vixshield/core';

/**
 * How the CLI reports each kind of failure: ONE table from error kind to exit code (see
 * docs/decisions/0008-errors.md). Bad input the user can fix exits 2; a missing thing, the environment
 * or damaged stored data exits 1.
 */
export const EXIT_CODE_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 2,
  conflict: 2,
  'not-found': 1,
  unavailable: 1,
  damaged: 1,
};

/**
 * The command-line option of each input field the use cases name: errors name domain fields (`equity`,
 * `from`, `walkForward`); the CLI prints them as the options a user types. A field not listed is `--`
 * plus its name in kebab case.
 */
export const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  date: '--date',
  from: '--from',
  to: '--to',
  equity: '--equity',
  preset: '--preset',
  fill: '--fill',
  expiry: '--expiry',
  book: '--book',
  source: '--source',
  strategy: '--strategy',
  config: '--config',
  param: '--param',
  step: '--step',
  walkForward: '--walk-forward',
  holdout: '--holdout',
  pboBlocks: '--pbo-blocks',
  workers: '--workers',
  queue: '--queue',
  random: '--random',
  seed: '--seed',
  iterations: '--iterations',
};

/** The option that sets `field`, as the user types it (`from` -> `--from`, `dataDir` -> `--data-dir`). */
export function optionOfField(field: string): string {
  return OPTION_OF_FIELD[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * An option the CLI itself rejects (before any use case runs): the message names the option as typed
 * and says how to fix it.
 */
export function optionError(message: string, field: string): InvalidInputError {
  return new InvalidInputError(message, field, 'see the command with --help for its options', {
    hintInMessage: true,
  });
}

/** The line printed for a failure the user can act on (no `vixshield:` prefix, no newline). */
export function describeError(err: DomainError): string {
  const message = err.render(optionOfField);
  if (err.hintInMessage) return message;
  const hint = err.renderHint(optionOfField);
  return err.kind === 'invalid' ? `${message} (field ${err.field}; ${hint})` : `${message}; ${hint}`;
}

/**
 * The fix for an operating-system error reaching the CLI (a path that cannot be written, a port in
 * use): the environment, not a bug, so exit 1 with the message and this hint rather than a stack.
 */
const FIX_OF_SYSTEM_ERROR: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is in use: stop the other server or pass another --port',
  EACCES: 'permission denied: pick a path you can write, or fix its permissions',
  EPERM: 'operation not permitted: pick a path you can write, or fix its permissions',
  ENOENT: 'no such file or directory: check the path',
  ENOTDIR: 'a part of the path is not a directory: pick another path',
  EISDIR: 'the path is a directory: give a file name',
  EROFS: 'the file system is read-only: pick another path',
  ENOSPC: 'no space left on the device: free some space or pick another path',
};

/**
 * Prints an error for a person and returns the exit code: never a stack trace (an unexpected error
 * prints its message; VIXSHIELD_DEBUG=1 adds the stack for a bug report).
 */
export function reportError(err: unknown): number {
  if (err instanceof DomainError) {
    process.stderr.write(`vixshield: ${describeError(err)}\n`);
    return EXIT_CODE_OF_KIND[err.kind];
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in FIX_OF_SYSTEM_ERROR) {
    process.stderr.write(`vixshield: ${(err as Error).message}; ${FIX_OF_SYSTEM_ERROR[code]}\n`);
    return EXIT_CODE_OF_KIND.unavailable;
  }
  const message = err instanceof Error ? err.message : String(err);
  const stack = process.env.VIXSHIELD_DEBUG && err instanceof Error ? `\n${err.stack ?? ''}` : '';
  process.stderr.write(
    `vixshield: internal error: ${message} (this is a bug: please report it with the command; VIXSHIELD_DEBUG=1 prints the stack)${stack}\n`,
  );
  return 1;
}
