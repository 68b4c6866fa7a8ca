import { InvalidInputError } from '@vixshield/core';

/**
 * A malformed input file: names the file, the 1-based physical line, the field, the bad value and
 * how to fix it. Extends InvalidInputError so edges can report it uniformly.
 */
export class DataError extends InvalidInputError {
  constructor(
    readonly file: string,
    readonly line: number,
    field: string,
    readonly value: string,
    problem: string,
    hint: string,
  ) {
    super(
      `${file}:${line}: field '${field}' ${value === '' ? 'is empty' : `has bad value '${value}'`}: ${problem} (fix: ${hint})`,
      field,
      hint,
    );
    Object.defineProperty(this, 'name', { value: 'DataError' });
  }
}

/**
 * A row of one of our own SQLite stores that does not hold what we wrote (edited by hand, damaged on
 * disk): names the file, the table, the row id and the column, so the row can be fixed or deleted.
 * Not an InvalidInputError: the caller's request is fine, the stored data is not.
 */
export class StoredRowError extends Error {
  constructor(
    readonly file: string,
    readonly table: string,
    readonly id: string,
    readonly column: string,
    readonly problem: string,
    readonly hint: string,
  ) {
    super(`${file}: table ${table}, id ${id}, column ${column}: ${problem} (fix: ${hint})`);
    Object.defineProperty(this, 'name', { value: 'StoredRowError' });
  }
}

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
