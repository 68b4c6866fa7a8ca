import { DataError } from './errors';

/** One data row: its 1-based physical line number in the file and the raw fields. */
export interface CsvRow {
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvTable {
  readonly file: string;
  /** Header names, trimmed and unquoted ("" for an empty header cell). */
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

/**
 * Small RFC-4180 reader: strips a UTF-8 BOM, accepts LF or CRLF (and a missing final newline),
 * quoted fields with "" escapes and commas/newlines inside quotes, and trims header names
 * (some vendor headers have leading spaces). Blank lines are skipped. `hasHeader: false` returns the
 * first line as data and an empty header.
 */
export function parseCsv(text: string, file: string, opts: { hasHeader?: boolean } = {}): CsvTable {
  const hasHeader = opts.hasHeader ?? true;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const records: CsvRow[] = [];
  let line = 1;
  while (i < n) {
    const startLine = line;
    // fast path: a line without quotes is split directly
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = n;
    const end = eol > i && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    const raw = text.slice(i, end);
    if (raw.indexOf('"') < 0) {
      if (raw !== '') records.push({ line: startLine, fields: raw.split(',') });
      i = eol + 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    let field = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      if (i < n && text.charCodeAt(i) === 34 /* " */) {
        i++;
        for (;;) {
          if (i >= n) {
            throw new DataError(
              file,
              startLine,
              `column ${fields.length + 1}`,
              field,
              'unterminated quoted field',
              'close the quote with "',
            );
          }
          const c = text.charCodeAt(i);
          if (c === 34) {
            if (text.charCodeAt(i + 1) === 34) {
              field += '"';
              i += 2;
            } else {
              i++;
              break;
            }
          } else {
            if (c === 10) line++;
            field += text[i];
            i++;
          }
        }
      }
      // unquoted part (or the rest after a closing quote)
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      field += text.slice(i, j);
      i = j;
      fields.push(field);
      field = '';
      if (i >= n) endOfRecord = true;
      else {
        const c = text.charCodeAt(i);
        if (c === 44) i++;
        else {
          if (c === 13) i++;
          if (text.charCodeAt(i) === 10) i++;
          line++;
          endOfRecord = true;
        }
      }
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: startLine, fields });
  }
  if (!hasHeader) return { file, header: [], rows: records };
  if (records.length === 0) {
    throw new DataError(
      file,
      1,
      'header',
      '',
      'the file is empty',
      'provide a CSV file with a header row and data rows',
    );
  }
  const [head, ...rows] = records;
  return { file, header: head!.fields.map((h) => h.trim()), rows };
}
