/**
 * An input that breaks a documented precondition. `field` names what was wrong and `hint` says how
 * to fix it, so edges (CLI, HTTP, loaders) can report it without parsing the message.
 */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    message: string,
    readonly field: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Throws an InvalidInputError unless `value` is a finite number. */
export function requireFinite(value: number, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidInputError(
      `${field} must be a finite number, got ${String(value)}`,
      field,
      'pass a finite number',
    );
  }
}
