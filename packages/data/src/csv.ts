import { DataError } from './errors';

/** One data row: its 1-based physical line number in the file and the raw fields. */
export interface CsvRow {
  readonly line: number;
  readonly fields: readonly string[];
}

/** A CSV file whose rows may be read lazily (one pass or more, each yields fresh rows). */
export interface CsvSource {
  readonly file: string;
  /** Header names, trimmed and unquoted ("" for an empty header cell). */
  readonly header: readonly string[];
  /** True when the file has no data row. */
  readonly empty: boolean;
  readonly rows: Iterable<CsvRow>;
}

export interface CsvTable extends CsvSource {
  readonly rows: readonly CsvRow[];
}

/** Iterates the data lines of a quote-free text without materialising them (keeps GC pressure low). */
class PlainRows implements Iterable<CsvRow>, Iterator<CsvRow> {
  private pos: number;
  private line: number;
  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly startLine: number,
  ) {
    this.pos = start;
    this.line = startLine;
  }
  [Symbol.iterator](): Iterator<CsvRow> {
    return new PlainRows(this.text, this.start, this.startLine);
  }
  next(): IteratorResult<CsvRow> {
    const text = this.text;
    const n = text.length;
    while (this.pos < n) {
      let eol = text.indexOf('\n', this.pos);
      if (eol < 0) eol = n;
      const end = eol > this.pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
      const raw = text.slice(this.pos, end);
      const line = this.line;
      this.pos = eol + 1;
      this.line++;
      if (raw !== '') return { value: { line, fields: raw.split(',') }, done: false };
    }
    return { value: undefined, done: true };
  }
}

/**
 * Like parseCsv, but a quote-free file's rows are produced lazily while iterating, so a large file is
 * never held as an array of rows. Files with quotes are parsed eagerly (they are small).
 */
export function scanCsv(text: string, file: string): CsvSource {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.indexOf('"', bom) >= 0) return parseCsv(text, file);
  // header = first non-blank line
  let pos = bom;
  let line = 1;
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const end = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    const raw = text.slice(pos, end);
    pos = eol + 1;
    line++;
    if (raw !== '') {
      const rows = new PlainRows(text, pos, line);
      const empty = rows.next().done === true;
      return {
        file,
        header: raw.split(',').map((h) => h.trim()),
        empty,
        rows: new PlainRows(text, pos, line),
      };
    }
  }
  throw new DataError(
    file,
    1,
    'header',
    '',
    'the file is empty',
    'provide a CSV file with a header row and data rows',
  );
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
  if (text.indexOf('"', i) < 0) {
    // whole-file fast path: no quotes anywhere
    const lines = (i === 0 ? text : text.slice(i)).split('\n');
    for (let k = 0; k < lines.length; k++) {
      let raw = lines[k]!;
      if (raw.charCodeAt(raw.length - 1) === 13) raw = raw.slice(0, -1);
      if (raw !== '') records.push({ line: k + 1, fields: raw.split(',') });
    }
    i = n;
  }
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
  if (!hasHeader) return { file, header: [], empty: records.length === 0, rows: records };
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
  return { file, header: head!.fields.map((h) => h.trim()), empty: rows.length === 0, rows };
}
