import { basename } from 'node:path';
import { ChainStoreBusyError } from '@vixshield/chains';
import { InvalidInputError } from '@vixshield/core';
import { StoredRowError, UsageError } from '@vixshield/data';
import { ZodError } from 'zod';

/** Every error response has this shape: never a stack trace. */
export interface ApiError {
  readonly error: string;
  readonly field: string | null;
  readonly hint: string | null;
}

/** An HTTP error with a status and the ApiError body. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field: string | null = null,
    readonly hint: string | null = null,
  ) {
    super(message);
  }
}

/** Maps a UsageError's leading option name (e.g. "--date 2030-01-01 is outside ...") to a field. */
function fieldOfUsage(message: string): string | null {
  const m = /^(?:--)?([a-z][a-zA-Z-]*)\b/.exec(message);
  const known = ['date', 'from', 'to', 'preset', 'equity', 'expiry', 'fill', 'book'];
  if (m && known.includes(m[1]!)) return m[1]!;
  if (/^unknown preset/.test(message)) return 'preset';
  return null;
}

export function toApiError(err: unknown): { status: number; body: ApiError } {
  if (err instanceof HttpError) {
    return { status: err.statusCode, body: { error: err.message, field: err.field, hint: err.hint } };
  }
  if (err instanceof StoredRowError) {
    // Our own stored data is damaged, not the request: a 500, but one the operator can act on. The
    // file is named without its directory (the server's paths are nobody else's business).
    return {
      status: 500,
      body: {
        error: `stored data is damaged: ${basename(err.file)}, table ${err.table}, id ${err.id}, column ${err.column}: ${err.problem}`,
        field: null,
        hint: err.hint,
      },
    };
  }
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : null;
    return {
      status: 400,
      body: {
        error: err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
        field,
        hint: 'see the OpenAPI document at /api/docs/json for the expected shape',
      },
    };
  }
  if (err instanceof UsageError) {
    return {
      status: 400,
      body: { error: err.message, field: fieldOfUsage(err.message), hint: 'fix the request and retry' },
    };
  }
  if (err instanceof ChainStoreBusyError) {
    // Another process (an import) holds the chain store: the request is fine, the store is busy.
    return {
      status: 503,
      body: { error: err.message, field: null, hint: 'retry when the import has finished' },
    };
  }
  if (err instanceof InvalidInputError) {
    return { status: 400, body: { error: err.message, field: err.field, hint: err.hint } };
  }
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const hint =
      e.statusCode === 413
        ? 'the body is larger than the server limit'
        : e.statusCode === 429
          ? 'too many requests: slow down and retry later'
          : e.statusCode === 415
            ? 'send Content-Type: application/json'
            : 'fix the request and retry';
    return { status: e.statusCode, body: { error: e.message ?? 'bad request', field: null, hint } };
  }
  return {
    status: 500,
    body: { error: 'internal error', field: null, hint: 'this is a bug; the server log has the details' },
  };
}
