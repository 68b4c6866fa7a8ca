import { InvalidInputError, UnavailableError } from '@vixshield/core';

/**
 * The chain store's file is held by another process (DuckDB allows one writer at a time: an import,
 * or a server between chain requests). Retrying later works; the server answers 503.
 */
export class ChainStoreBusyError extends UnavailableError {
  override readonly name: string = 'ChainStoreBusyError';
  constructor(message: string, field: string, hint: string) {
    // A client of the server cannot pick another data dir or stop the server: it can only retry.
    super(message, field, hint, { serviceHint: 'retry when the import has finished' });
  }
}

/** One problem with one field of one line of an imported file. Lines are 1-based; the header is line 1. */
export interface ImportIssue {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly value: string;
  /** What is wrong with the value. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

export function formatIssue(i: ImportIssue): string {
  return `${i.file}:${i.line}: ${i.field} = '${i.value}': ${i.problem}; fix: ${i.fix}`;
}

/** Most issues printed in a ChainImportError message (all are kept in `issues`). */
export const MAX_ISSUES_IN_MESSAGE = 10;

/** How the rows of a rejected file add up: rowsRead = rowsRejected + rowsValid, rowsStored = 0. */
export interface RejectedRowCounts {
  /** Data rows in the file (non-empty lines after the header). */
  readonly rowsRead: number;
  /** Rows with at least one issue (each is named in `issues`). */
  readonly rowsRejected: number;
  /** Rows without an issue: not stored either, since a file is imported whole or not at all. */
  readonly rowsValid: number;
  /** Always 0. */
  readonly rowsStored: 0;
}

/**
 * A file that failed validation. Nothing from it was written anywhere. `issues` lists every problem
 * found (the parser goes on after the first bad row, so one run shows them all); the error's `field`
 * and `hint` are those of the first issue. `counts` reconciles the rows when the rows were read
 * (a header problem stops before).
 */
export class ChainImportError extends InvalidInputError {
  readonly issues: readonly ImportIssue[];
  readonly counts: RejectedRowCounts | undefined;
  constructor(issues: readonly ImportIssue[], rowsRead?: number) {
    const first = issues[0];
    if (first === undefined) throw new Error('ChainImportError needs at least one issue');
    const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map(formatIssue);
    const more =
      issues.length > MAX_ISSUES_IN_MESSAGE ? `\n... and ${issues.length - MAX_ISSUES_IN_MESSAGE} more` : '';
    let counts: RejectedRowCounts | undefined;
    if (rowsRead !== undefined) {
      const rowsRejected = new Set(issues.filter((i) => i.line > 1).map((i) => i.line)).size;
      counts = { rowsRead, rowsRejected, rowsValid: rowsRead - rowsRejected, rowsStored: 0 };
    }
    const rowsPart =
      counts === undefined || counts.rowsRejected === 0
        ? ''
        : ` in ${counts.rowsRejected} of ${counts.rowsRead} ${counts.rowsRead === 1 ? 'row' : 'rows'}`;
    super(
      `${first.file}: ${issues.length} invalid ${issues.length === 1 ? 'value' : 'values'}${rowsPart}; nothing was imported\n${shown.join('\n')}${more}`,
      first.field,
      first.fix,
    );
    this.issues = issues;
    this.counts = counts;
  }
}
