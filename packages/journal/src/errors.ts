import { DamagedDataError } from '@vixshield/core';

/**
 * A row of one of our own SQLite stores that does not hold what we wrote (edited by hand, damaged on
 * disk): names the file, the table, the row id and the column, so the row can be fixed or deleted.
 * Not an InvalidInputError: the caller's request is fine, the stored data is not.
 */
export class StoredRowError extends DamagedDataError {
  override readonly name: string = 'StoredRowError';
  constructor(
    readonly file: string,
    readonly table: string,
    readonly id: string,
    readonly column: string,
    readonly problem: string,
    hint: string,
  ) {
    super(`${file}: table ${table}, id ${id}, column ${column}: ${problem} (fix: ${hint})`, column, hint, {
      hintInMessage: true,
    });
  }
}
