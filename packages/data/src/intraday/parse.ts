import { basename } from 'node:path';
import { type IsoDate, MS_PER_DAY, MS_PER_MINUTE, toDayNumber, utcMsToZoned } from '@vixshield/core';
import { parseCsv } from '../csv';
import { DataError } from '../errors';
import { parseDateText } from '../fields';

/*
 * Intraday bar files, three layouts (detected from the header; names are case-insensitive):
 * - per day:   `time,open,high,low,close`, the date from the file name `YYYY-MM-DD.csv` (the embedded layout);
 * - multi-day: `date,time,open,high,low,close`;
 * - stamped:   `datetime,open,high,low,close` (or `timestamp`): `YYYY-MM-DD HH:MM[:SS]` New York time, or ISO
 *              8601 with an offset (`2026-08-13T13:30:00Z`, `...-04:00`), converted to New York time.
 * Times are bar STARTS in New York time. A `volume` column is allowed and ignored (index bars have none);
 * any other column is an error. Every malformed cell is a DataError naming file, line, field and the fix.
 */

/** One parsed row: the bar as written, before the session rules. */
export interface RawBar {
  readonly date: IsoDate;
  /** Bar start, minutes since midnight New York time. */
  readonly startEt: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly line: number;
}

export interface ParsedBarFile {
  readonly file: string;
  readonly layout: 'per-day' | 'multi-day' | 'stamped';
  readonly rows: readonly RawBar[];
  /** Columns present but not used (only `volume` is accepted). */
  readonly ignoredColumns: readonly string[];
}

const NUM_RE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const HHMM_RE = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const STAMP_RE =
  /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*(Z|[+-]\d{2}:?\d{2}))?$/;
const FILE_DATE_RE = /^(\d{4}-\d{2}-\d{2})\.csv$/i;

/** The date a per-day file is named after, or undefined. */
export function dateOfFileName(file: string): IsoDate | undefined {
  const m = FILE_DATE_RE.exec(basename(file));
  return m ? parseDateText(m[1] as string) : undefined;
}

function parseTime(raw: string, file: string, line: number, field: string): number {
  const m = HHMM_RE.exec(raw.trim());
  const h = m ? Number(m[1]) : Number.NaN;
  const min = m ? Number(m[2]) : Number.NaN;
  const sec = m?.[3] === undefined ? 0 : Number(m[3]);
  if (!m || h > 23 || min > 59 || sec !== 0) {
    throw new DataError(
      file,
      line,
      field,
      raw,
      m && sec !== 0 ? 'bar starts must be whole minutes' : 'not a time of day',
      'use HH:MM (New York time, the bar start), e.g. 09:30',
    );
  }
  return h * 60 + min;
}

function parsePrice(raw: string, file: string, line: number, field: string): number {
  const t = raw.trim();
  const v = NUM_RE.test(t) ? Number(t) : Number.NaN;
  if (!Number.isFinite(v) || v <= 0) {
    throw new DataError(
      file,
      line,
      field,
      raw,
      Number.isFinite(v) ? 'must be greater than 0' : 'not a number',
      'use the index level in points, e.g. 5301.25',
    );
  }
  return v;
}

/** `YYYY-MM-DD HH:MM` New York, or ISO with an offset -> (New York date, minutes ET). */
function parseStamp(
  raw: string,
  file: string,
  line: number,
  field: string,
): { date: IsoDate; startEt: number } {
  const m = STAMP_RE.exec(raw.trim());
  const date = m ? parseDateText(m[1] as string) : undefined;
  const h = Number(m?.[2]);
  const min = Number(m?.[3]);
  const sec = m?.[4] === undefined ? 0 : Number(m[4]);
  if (!m || date === undefined || h > 23 || min > 59 || sec !== 0) {
    throw new DataError(
      file,
      line,
      field,
      raw,
      m && sec !== 0 ? 'bar starts must be whole minutes' : 'not a date and time',
      "use 'YYYY-MM-DD HH:MM' in New York time, or ISO 8601 with an offset such as 2026-08-13T13:30:00Z",
    );
  }
  const zone = m[5];
  if (zone === undefined) return { date, startEt: h * 60 + min };
  const sign = zone === 'Z' ? 0 : zone.startsWith('-') ? -1 : 1;
  const digits = zone.replace(/[^0-9]/g, '');
  const offsetMinutes =
    zone === 'Z' ? 0 : sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  const utcMs = toDayNumber(date) * MS_PER_DAY + (h * 60 + min - offsetMinutes) * MS_PER_MINUTE;
  const ny = utcMsToZoned(utcMs, 'America/New_York');
  const [hh, mm] = ny.hhmm.split(':').map(Number) as [number, number];
  return { date: ny.date, startEt: hh * 60 + mm };
}

/**
 * Parses one bar file (any of the three layouts). Rows must be OHLC-consistent: every price > 0,
 * low <= open, close <= high. Session and grid rules are checked later, per day (`buildDays`).
 */
export function parseBarFile(text: string, file: string): ParsedBarFile {
  const table = parseCsv(text, file);
  const header = table.header.map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const known = new Set(['date', 'time', 'datetime', 'timestamp', 'open', 'high', 'low', 'close', 'volume']);
  const unknown = table.header.filter((h) => !known.has(h.toLowerCase()));
  if (unknown.length > 0) {
    throw new DataError(
      file,
      1,
      'header',
      table.header.join(','),
      `unknown column(s) ${unknown.map((u) => `'${u}'`).join(', ')}`,
      'use time,open,high,low,close (per-day file named YYYY-MM-DD.csv), date,time,open,high,low,close or datetime,open,high,low,close; a volume column is allowed',
    );
  }
  const stampCol = col('datetime') >= 0 ? col('datetime') : col('timestamp');
  const layout: ParsedBarFile['layout'] =
    stampCol >= 0 ? 'stamped' : col('date') >= 0 ? 'multi-day' : 'per-day';
  for (const need of ['open', 'high', 'low', 'close', ...(layout === 'stamped' ? [] : ['time'])]) {
    if (col(need) < 0) {
      throw new DataError(
        file,
        1,
        'header',
        table.header.join(','),
        `missing column '${need}'`,
        'use time,open,high,low,close (per-day file named YYYY-MM-DD.csv), date,time,open,high,low,close or datetime,open,high,low,close',
      );
    }
  }
  const fileDate = layout === 'per-day' ? dateOfFileName(file) : undefined;
  if (layout === 'per-day' && fileDate === undefined) {
    throw new DataError(
      file,
      1,
      'file name',
      basename(file),
      'a file with a time column but no date column must be named after its date',
      'name it YYYY-MM-DD.csv, or add a date column (date,time,open,high,low,close)',
    );
  }
  if (table.rows.length === 0) {
    throw new DataError(file, 2, 'rows', '', 'no bars', 'add bar rows below the header');
  }
  const iO = col('open');
  const iH = col('high');
  const iL = col('low');
  const iC = col('close');
  const iT = col('time');
  const iD = col('date');
  const width = header.length;
  const rows: RawBar[] = [];
  for (const r of table.rows) {
    const f = r.fields;
    if (f.length !== width) {
      throw new DataError(
        file,
        r.line,
        'row',
        f.join(','),
        `has ${f.length} fields, the header has ${width}`,
        'give every row one value per header column',
      );
    }
    let date: IsoDate;
    let startEt: number;
    if (layout === 'stamped') {
      ({ date, startEt } = parseStamp(f[stampCol] as string, file, r.line, table.header[stampCol] as string));
    } else {
      if (layout === 'multi-day') {
        const d = parseDateText(f[iD] as string);
        if (d === undefined || !/^\d{4}-\d{2}-\d{2}$/.test((f[iD] as string).trim())) {
          throw new DataError(file, r.line, 'date', f[iD] as string, 'not a valid date', 'use YYYY-MM-DD');
        }
        date = d;
      } else date = fileDate as IsoDate;
      startEt = parseTime(f[iT] as string, file, r.line, 'time');
    }
    const open = parsePrice(f[iO] as string, file, r.line, 'open');
    const high = parsePrice(f[iH] as string, file, r.line, 'high');
    const low = parsePrice(f[iL] as string, file, r.line, 'low');
    const close = parsePrice(f[iC] as string, file, r.line, 'close');
    if (high < Math.max(open, close)) {
      throw new DataError(
        file,
        r.line,
        'high',
        f[iH] as string,
        `below the open or close (open ${open}, close ${close})`,
        'the high must be >= open and close: check the column order (time,open,high,low,close)',
      );
    }
    if (low > Math.min(open, close)) {
      throw new DataError(
        file,
        r.line,
        'low',
        f[iL] as string,
        `above the open or close (open ${open}, close ${close})`,
        'the low must be <= open and close: check the column order (time,open,high,low,close)',
      );
    }
    rows.push({ date, startEt, open, high, low, close, line: r.line });
  }
  return { file, layout, rows, ignoredColumns: header.includes('volume') ? ['volume'] : [] };
}
