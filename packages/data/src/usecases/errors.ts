/**
 * A request the caller can fix (bad date, unknown preset, unreadable file): shown to a person without
 * a stack trace. `exitCode` is what a CLI exits with; an HTTP adapter maps it to 400.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
