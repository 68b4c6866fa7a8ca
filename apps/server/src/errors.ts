import { basename } from 'node:path';
import { DomainError, type ErrorKind } from '@vixshield/core';
import { StoredRowError } from '@vixshield/journal';
import { ZodError } from 'zod';

/** Every error response has this shape: never a stack trace. */
export interface ApiError {
  readonly error: string;
  readonly field: string | null;
  readonly hint: string | null;
}

/**
 * How the API answers each kind of failure: ONE table from error kind to HTTP status (see
 * docs/decisions/0008-errors.md).
 */
export const HTTP_STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  damaged: 500,
};

/**
 * The query or body name of an input field where it differs from the domain's name (none does
 * today: the API's names are the domain's). Errors name domain fields; the API prints them as the
 * names a client sends.
 */
export const API_NAME_OF_FIELD: Readonly<Record<string, string>> = {};

export function apiNameOfField(field: string): string {
  return API_NAME_OF_FIELD[field] ?? field;
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

/** Kinds whose `field` names a request input (the others are about the server's environment). */
const ABOUT_THE_REQUEST: ReadonlySet<ErrorKind> = new Set(['invalid', 'not-found', 'conflict']);

function domainApiError(err: DomainError): ApiError {
  if (err instanceof StoredRowError) {
    // The file is named without its directory (the server's paths are nobody else's business).
    return {
      error: `stored data is damaged: ${basename(err.file)}, table ${err.table}, id ${err.id}, column ${err.column}: ${err.problem}`,
      field: null,
      hint: err.hint,
    };
  }
  return {
    error: err.render(apiNameOfField),
    field: ABOUT_THE_REQUEST.has(err.kind) ? apiNameOfField(err.field) : null,
    hint: err.renderHint(apiNameOfField, true),
  };
}

export function toApiError(err: unknown): { status: number; body: ApiError } {
  if (err instanceof HttpError) {
    return { status: err.statusCode, body: { error: err.message, field: err.field, hint: err.hint } };
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
  if (err instanceof DomainError) {
    return { status: HTTP_STATUS_OF_KIND[err.kind], body: domainApiError(err) };
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
