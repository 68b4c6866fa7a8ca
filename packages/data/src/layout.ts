import type { IsoDate } from '@vixshield/core';
import type { CsvTable } from './csv';
import { DataError } from './errors';
import { type Cell, parseCell } from './fields';

/** Raw OHLC row as read (before quirk rules). */
export interface OhlcRow {
  readonly line: number;
  readonly date: IsoDate;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** Raw dated value; `null` where the source leaves the cell empty or writes NA/"." (FRED holidays). */
export interface ValueRow {
  readonly line: number;
  readonly date: IsoDate;
  readonly value: number | null;
}

/** Header layouts accepted for daily series, auto-detected. */
export type Layout =
  | { kind: 'ohlc'; dateCol: number; open: number; high: number; low: number; close: number; name: string }
  | { kind: 'value'; dateCol: number; valueCol: number; name: string };

const DATE_NAMES = new Set(['date', 'observation_date']);

/**
 * Detects the layout from the header: Cboe index history (DATE,OPEN,HIGH,LOW,CLOSE or DATE,<SYMBOL>),
 * Stooq/Yahoo (Date,Open,High,Low,Close[,Adj Close,Volume]) or FRED (DATE|observation_date,<VALUE>).
 */
export function detectLayout(table: CsvTable): Layout {
  const h = table.header.map((x) => x.toLowerCase());
  const dateCol = h.findIndex((x) => DATE_NAMES.has(x));
  if (dateCol < 0) {
    throw new DataError(
      table.file,
      1,
      'header',
      table.header.join(','),
      'no date column (DATE, Date, date or observation_date)',
      'use a Cboe (DATE,OPEN,HIGH,LOW,CLOSE or DATE,VALUE), Stooq/Yahoo (Date,Open,High,Low,Close) or FRED (observation_date,VALUE) header',
    );
  }
  const col = (n: string) => h.indexOf(n);
  const [o, hi, lo, c] = [col('open'), col('high'), col('low'), col('close')];
  if (o >= 0 || hi >= 0 || lo >= 0 || c >= 0) {
    const missing = (['open', 'high', 'low', 'close'] as const).filter((n) => col(n) < 0);
    if (missing.length > 0) {
      throw new DataError(
        table.file,
        1,
        missing[0]!.toUpperCase(),
        table.header.join(','),
        `OHLC header lacks column(s) ${missing.join(', ')}`,
        'an OHLC file needs Date,Open,High,Low,Close columns',
      );
    }
    return { kind: 'ohlc', dateCol, open: o, high: hi, low: lo, close: c, name: 'ohlc' };
  }
  if (h.length === 2) {
    const valueCol = dateCol === 0 ? 1 : 0;
    return { kind: 'value', dateCol, valueCol, name: table.header[valueCol] ?? 'value' };
  }
  throw new DataError(
    table.file,
    1,
    'header',
    table.header.join(','),
    'unrecognised layout',
    'use DATE,OPEN,HIGH,LOW,CLOSE (Cboe/Stooq/Yahoo) or DATE,VALUE (Cboe single value / FRED)',
  );
}

function cell(table: CsvTable, line: number, fields: readonly string[], col: number): Cell {
  const raw = fields[col];
  const field = table.header[col] ?? `column ${col + 1}`;
  if (raw === undefined) {
    throw new DataError(
      table.file,
      line,
      field,
      '',
      `row has ${fields.length} fields, expected ${table.header.length}`,
      'give every row the same number of comma-separated fields as the header',
    );
  }
  return { file: table.file, line, field, raw };
}

function checkOrder(table: CsvTable, line: number, field: string, prev: IsoDate | undefined, d: IsoDate) {
  if (prev === undefined) return;
  if (d === prev) {
    throw new DataError(
      table.file,
      line,
      field,
      d,
      `duplicate date (also on the previous row)`,
      'keep one row per date',
    );
  }
  if (d < prev) {
    throw new DataError(
      table.file,
      line,
      field,
      d,
      `out of order (after ${prev})`,
      'sort rows by increasing date',
    );
  }
}

function requireRows(table: CsvTable): void {
  if (table.rows.length === 0) {
    throw new DataError(
      table.file,
      2,
      'rows',
      '',
      'the file has a header but no data rows',
      'add data rows below the header',
    );
  }
}

/** Reads an OHLC table: every cell validated, dates strictly increasing, High >= Low etc. unless `allowInconsistentOhlc`. */
export function readOhlc(
  table: CsvTable,
  layout: Extract<Layout, { kind: 'ohlc' }>,
  allowInconsistentOhlc: boolean,
): OhlcRow[] {
  requireRows(table);
  const out: OhlcRow[] = [];
  let prev: IsoDate | undefined;
  const dateField = table.header[layout.dateCol]!;
  for (const r of table.rows) {
    const f = r.fields;
    const date = parseCell('date', cell(table, r.line, f, layout.dateCol));
    checkOrder(table, r.line, dateField, prev, date);
    prev = date;
    const open = parseCell('price', cell(table, r.line, f, layout.open));
    const high = parseCell('price', cell(table, r.line, f, layout.high));
    const low = parseCell('price', cell(table, r.line, f, layout.low));
    const close = parseCell('price', cell(table, r.line, f, layout.close));
    if (!allowInconsistentOhlc) {
      const bad =
        high < low
          ? { field: table.header[layout.high]!, v: high, p: `High ${high} is below Low ${low}` }
          : open > high || open < low
            ? {
                field: table.header[layout.open]!,
                v: open,
                p: `Open ${open} is outside Low..High ${low}..${high}`,
              }
            : close > high || close < low
              ? {
                  field: table.header[layout.close]!,
                  v: close,
                  p: `Close ${close} is outside Low..High ${low}..${high}`,
                }
              : undefined;
      if (bad) {
        throw new DataError(
          table.file,
          r.line,
          bad.field,
          String(bad.v),
          bad.p,
          'fix the row so that Low <= Open, Close <= High',
        );
      }
    }
    out.push({ line: r.line, date, open, high, low, close });
  }
  return out;
}

/**
 * Reads a DATE,VALUE table. Empty, "NA" or "." cells become `null` (the caller decides what an empty
 * cell means for its series); other cells must parse with `kind`.
 */
export function readValues(
  table: CsvTable,
  layout: Extract<Layout, { kind: 'value' }>,
  kind: 'price' | 'ratePct',
): ValueRow[] {
  requireRows(table);
  const out: ValueRow[] = [];
  let prev: IsoDate | undefined;
  const dateField = table.header[layout.dateCol]!;
  for (const r of table.rows) {
    const date = parseCell('date', cell(table, r.line, r.fields, layout.dateCol));
    checkOrder(table, r.line, dateField, prev, date);
    prev = date;
    const c = cell(table, r.line, r.fields, layout.valueCol);
    const t = c.raw.trim();
    const value = t === '' || t === 'NA' || t === '.' ? null : parseCell(kind, c);
    out.push({ line: r.line, date, value });
  }
  return out;
}
