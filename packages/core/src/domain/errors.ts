/**
 * The kinds of failure an edge (CLI, HTTP) has to tell apart. Each edge keeps ONE table from kind to
 * its code (exit code, HTTP status): see docs/decisions/0008-errors.md.
 *
 * - `invalid`: the caller's input breaks a documented precondition; the caller can fix it.
 * - `not-found`: the input is well-formed but the thing asked for does not exist (no chain for a day,
 *   no backtest with that id).
 * - `conflict`: the request contradicts what is already stored (a fill id reused with other content).
 * - `unavailable`: the environment, not the request: a store held by another process, a provider down.
 * - `damaged`: our own stored data does not hold what we wrote (edited by hand, damaged on disk).
 */
export type ErrorKind = 'invalid' | 'not-found' | 'conflict' | 'unavailable' | 'damaged';

export interface DomainErrorOptions {
  /**
   * The message and the hint refer to input fields as `{name}` (only then are braces read as
   * references, so a quoted value with braces in it is never rewritten).
   */
  readonly fieldRefs?: boolean;
  /**
   * The message already says how to fix it (written as one sentence), so an edge prints the message
   * alone rather than appending the hint.
   */
  readonly hintInMessage?: boolean;
  /**
   * The hint for a client of a long-running service (the HTTP API), who cannot change the options the
   * service was started with; default: `hint`.
   */
  readonly serviceHint?: string;
}

/** `{name}` in a message or hint: a reference to the input field `name`, rendered by each edge. */
const FIELD_REF = /\{([a-z][A-Za-z0-9]*)\}/g;

/**
 * Renders the field references `{name}` of a message or hint with `nameOf` (the CLI: the option
 * `--name`; the API: the query or body name). Text without references is returned unchanged.
 */
export function renderFieldRefs(text: string, nameOf: (field: string) => string): string {
  return text.replace(FIELD_REF, (_m, field: string) => nameOf(field));
}

/**
 * A failure shown to a person: `kind` says which class of failure it is, `field` names the input it is
 * about in the domain's words (`equity`, `from`, `date`; never a CLI option or a query parameter), and
 * `hint` says how to fix it. With `fieldRefs`, the message and the hint refer to input fields as
 * `{name}`: `message` shows them as the bare name, and each edge renders them in its own words (see
 * `DomainError.render`).
 */
export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  /** The message as written (with its `{name}` field references when `fieldRefs`). */
  readonly template: string;
  readonly fieldRefs: boolean;
  readonly hintInMessage: boolean;
  readonly serviceHint: string;
  constructor(
    message: string,
    readonly field: string,
    readonly hint: string,
    options: DomainErrorOptions = {},
  ) {
    super(options.fieldRefs ? renderFieldRefs(message, (f) => f) : message);
    this.template = message;
    this.fieldRefs = options.fieldRefs ?? false;
    this.hintInMessage = options.hintInMessage ?? false;
    this.serviceHint = options.serviceHint ?? hint;
  }

  /** The message with its field references rendered by `nameOf` (`--equity` for the CLI). */
  render(nameOf: (field: string) => string): string {
    return this.fieldRefs ? renderFieldRefs(this.template, nameOf) : this.message;
  }

  /** The hint (or the service hint) with its field references rendered by `nameOf`. */
  renderHint(nameOf: (field: string) => string, service = false): string {
    const h = service ? this.serviceHint : this.hint;
    return this.fieldRefs ? renderFieldRefs(h, nameOf) : h;
  }
}

/**
 * An input that breaks a documented precondition. `field` names what was wrong and `hint` says how
 * to fix it, so edges (CLI, HTTP, loaders) can report it without parsing the message.
 */
export class InvalidInputError extends DomainError {
  readonly kind: ErrorKind = 'invalid';
  override readonly name: string = 'InvalidInputError';
}

/** The input is well-formed but what it asks for does not exist (no data for a date, no such run). */
export class NotFoundError extends DomainError {
  readonly kind: ErrorKind = 'not-found';
  override readonly name: string = 'NotFoundError';
}

/** The request contradicts what is already stored (e.g. a fill id reused with different content). */
export class ConflictError extends DomainError {
  readonly kind: ErrorKind = 'conflict';
  override readonly name: string = 'ConflictError';
}

/**
 * The environment cannot serve the request right now (a store held by another process, a provider
 * that does not answer, a data directory another server owns): the request may be fine.
 */
export class UnavailableError extends DomainError {
  readonly kind: ErrorKind = 'unavailable';
  override readonly name: string = 'UnavailableError';
}

/**
 * Our own stored data does not hold what we wrote (a row edited by hand, a file damaged on disk): not
 * the request's fault; the operator fixes or deletes what the message names.
 */
export class DamagedDataError extends DomainError {
  readonly kind: ErrorKind = 'damaged';
  override readonly name: string = 'DamagedDataError';
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

/**
 * The options of an error whose message is one sentence that already says how to fix it, with its
 * field references written `{name}` (most use-case errors).
 */
export const AS_SENTENCE: DomainErrorOptions = { fieldRefs: true, hintInMessage: true };
