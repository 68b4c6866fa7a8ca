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
