import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, type DatedValue } from '@vixshield/core';
import { z } from 'zod';
import { parseCsv } from './csv';
import { ensureDirectory } from './directories';
import { DataError } from './errors';
import { parseDateText } from './fields';
import { detectLayout, readValues } from './layout';
import { type IsTradingDay, type LoadReport, newReport } from './load-report';
import { type IndexSeriesId, loadIndexCloses, type SpxRow, spxRowsFromUser } from './loaders';

/** Series a user may extend or replace with `data import`. */
export const IMPORTABLE_SERIES = [
  'spx',
  'vix',
  'vix1d',
  'vix9d',
  'vix3m',
  'vix6m',
  'vix1y',
  'vvix',
  'skew',
  'bxm',
  'dgs3mo',
  'dff',
] as const;
export type ImportableSeries = (typeof IMPORTABLE_SERIES)[number];

export type ImportMode = 'extend' | 'replace';

const storedFileSchema = z.object({
  file: z.string().regex(/^[a-z0-9]+\.\d+\.csv$/),
  importedFrom: z.string(),
  rows: z.number().int().positive(),
  first: z.string(),
  last: z.string(),
  /** When it was imported (ISO instant); absent in manifests written before it was recorded. */
  importedAt: z.string().optional(),
});

/**
 * Files `vixshield data update` keeps in the data directory outside the importable series
 * (providers/daily): one validated file each, listed under `extra` in the manifest. The event calendars
 * are read by the engine over the embedded ones (market-data.ts), the VX settlements as the real VX
 * curve of their sessions; `vix1d` is read only from data directories updated before VIX1D became an importable series.
 */
export const EXTRA_SERIES = ['vix1d', 'vxsettle', 'fomc', 'cpi', 'ppi', 'payrolls'] as const;
export type ExtraSeries = (typeof EXTRA_SERIES)[number];

const manifestSchema = z.object({
  version: z.literal(1),
  /** Added by `data update` (optional, so manifests written before it stay valid). */
  extra: z.partialRecord(z.enum(EXTRA_SERIES), storedFileSchema).optional(),
  series: z.partialRecord(
    z.enum(IMPORTABLE_SERIES),
    z.object({
      /** `extend`: the embedded series is the base; `replace`: the user files alone. */
      mode: z.enum(['extend', 'replace']),
      /** Applied in order over the base; later files win on overlapping dates. */
      files: z.array(storedFileSchema).min(1),
    }),
  ),
});
export type UserManifest = z.infer<typeof manifestSchema>;
export type UserSeriesEntry = NonNullable<UserManifest['series'][ImportableSeries]>;

export const MANIFEST = 'manifest.json';

/** Reads `<dataDir>/manifest.json` (empty when absent); a malformed manifest is a DataError. */
export function readManifest(dataDir: string): UserManifest {
  const p = join(dataDir, MANIFEST);
  if (!existsSync(p)) return { version: 1, series: {} };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new DataError(
      p,
      1,
      'manifest',
      '',
      `not valid JSON (${(e as Error).message})`,
      'delete the manifest and re-import',
    );
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const iss = r.error.issues[0]!;
    throw new DataError(
      p,
      1,
      iss.path.join('.') || 'manifest',
      '',
      iss.message,
      'delete the manifest and re-import',
    );
  }
  return r.data;
}

/** Parsed rows of a user series file; `spx` gives bars, the others dated values. */
export type UserSeriesRows = { kind: 'spx'; rows: SpxRow[] } | { kind: 'values'; rows: DatedValue[] };

/** Validates and parses a user file for `series` with the same rules as the embedded loaders. */
export function parseUserSeries(
  series: ImportableSeries,
  text: string,
  file: string,
  isTradingDay: IsTradingDay,
  report: LoadReport,
): UserSeriesRows {
  if (series === 'spx') return { kind: 'spx', rows: spxRowsFromUser(text, file, isTradingDay, report) };
  if (series === 'dgs3mo' || series === 'dff') {
    const table = parseCsv(text, file);
    const layout = detectLayout(table);
    if (layout.kind !== 'value') {
      throw new DataError(
        file,
        1,
        'header',
        table.header.join(','),
        'a rate series needs a DATE,VALUE layout',
        'use the FRED layout observation_date,<SERIES>',
      );
    }
    const rows = readValues(table, layout, 'ratePct');
    return {
      kind: 'values',
      rows: rows.filter((r) => r.value !== null).map((r) => ({ date: r.date, value: r.value as number })),
    };
  }
  return { kind: 'values', rows: loadIndexCloses(series as IndexSeriesId, text, file, isTradingDay, report) };
}

/**
 * Date formats a user file may declare. ISO `YYYY-MM-DD` is the default and the only one read
 * without being declared: `02/12/2026` could be 12 February or 2 December, so a month/day/year file
 * must say so (`dateFormat`, the CLI's `--date-format MM/DD/YYYY`).
 */
export const USER_DATE_FORMATS = ['YYYY-MM-DD', 'MM/DD/YYYY', 'M/D/YYYY'] as const;
export type UserDateFormat = (typeof USER_DATE_FORMATS)[number];

const USER_DATE_RES: Record<UserDateFormat, RegExp> = {
  'YYYY-MM-DD': /^\d{4}-\d{2}-\d{2}$/,
  'MM/DD/YYYY': /^\d{2}\/\d{2}\/\d{4}$/,
  'M/D/YYYY': /^\d{1,2}\/\d{1,2}\/\d{4}$/,
};

/** The dates a user file may hold: the market calendar's range (core/calendar). */
export const USER_DATE_RANGE = {
  first: `${CALENDAR_FIRST_YEAR}-01-01`,
  last: `${CALENDAR_LAST_YEAR}-12-31`,
} as const;

/**
 * The date format a file's layout documents, when no --date-format is given: Cboe's index-history
 * files (a `DATE` column spelt in capitals, as Cboe publishes them, with slash dates) are month/day/year
 * by Cboe's specification; every other layout is ISO YYYY-MM-DD. A hand-made file with slash dates and
 * another header is ambiguous (day/month or month/day) and must say which with --date-format.
 */
export function layoutDateFormat(text: string, file: string): UserDateFormat {
  const table = parseCsv(text, file);
  const dateCol = table.header.findIndex((h) => h.trim() === 'DATE');
  if (dateCol < 0) return 'YYYY-MM-DD';
  const first = (table.rows[0]?.fields[dateCol] ?? '').trim();
  return USER_DATE_RES['MM/DD/YYYY'].test(first) ? 'MM/DD/YYYY' : 'YYYY-MM-DD';
}

/**
 * Checks every row's date of a user file before anything else reads it: written in `format` exactly,
 * a real calendar date, inside USER_DATE_RANGE. The first bad one is a DataError naming the file, the
 * line, the date column and the fix.
 */
export function checkUserDates(text: string, file: string, format: UserDateFormat): void {
  const table = parseCsv(text, file);
  const dateCol = table.header.findIndex((h) =>
    ['date', 'observation_date'].includes(h.trim().toLowerCase()),
  );
  if (dateCol < 0) return; // the layout check names the missing date column
  const field = table.header[dateCol]!;
  const example = { 'YYYY-MM-DD': '2026-02-12', 'MM/DD/YYYY': '02/12/2026', 'M/D/YYYY': '2/12/2026' }[format];
  for (const r of table.rows) {
    const raw = (r.fields[dateCol] ?? '').trim();
    const iso = USER_DATE_RES[format].test(raw) ? parseDateText(raw) : undefined;
    if (iso === undefined) {
      const other = format === 'YYYY-MM-DD' && /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(raw);
      throw new DataError(
        file,
        r.line,
        field,
        raw,
        `is not a date in the format ${format}${other ? ' (month/day or day/month is ambiguous)' : ''}`,
        other
          ? `write dates as YYYY-MM-DD (e.g. 2026-02-12), or declare the file's format: --date-format MM/DD/YYYY if it is month/day/year`
          : `write a real date as ${format}, e.g. ${example}${format === 'YYYY-MM-DD' ? ' (another format needs --date-format, e.g. MM/DD/YYYY)' : ''}`,
      );
    }
    if (iso < USER_DATE_RANGE.first || iso > USER_DATE_RANGE.last) {
      throw new DataError(
        file,
        r.line,
        field,
        raw,
        `${iso} is outside the market calendar (${USER_DATE_RANGE.first} .. ${USER_DATE_RANGE.last})`,
        'check the date: only days the trading calendar covers can be imported',
      );
    }
  }
}

export interface ImportResult {
  readonly series: ImportableSeries;
  readonly mode: ImportMode;
  readonly rows: number;
  readonly first: string;
  readonly last: string;
  readonly storedAt: string;
  readonly report: LoadReport;
}

/** Writes `data` to `path` through a temp file in the same directory + rename (never a partial file). */
export function atomicWrite(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Imports a user CSV for `series`: the whole file is validated first (dates in the declared format and
 * the calendar's range, layout auto-detected, every row checked, no undocumented problems); only then is it copied into `dataDir` (temp file + rename)
 * and recorded in the manifest. `extend` adds it on top of what is there (the embedded series and
 * earlier imports; the newest rows win on overlap); `replace` makes it the whole series (the embedded
 * series and earlier imports of it are no longer used).
 */
export function importUserSeries(opts: {
  dataDir: string;
  series: ImportableSeries;
  file: string;
  mode: ImportMode;
  isTradingDay: IsTradingDay;
  /** How the file writes its dates (default ISO YYYY-MM-DD). */
  dateFormat?: UserDateFormat;
  /** When the import happens (recorded in the manifest; `data imports` lists it). */
  now?: Date;
}): ImportResult {
  const text = readFileSync(opts.file, 'utf8');
  checkUserDates(text, opts.file, opts.dateFormat ?? layoutDateFormat(text, opts.file));
  const report = newReport();
  const parsed = parseUserSeries(opts.series, text, opts.file, opts.isTradingDay, report);
  const prob = report.problems[0];
  if (prob) {
    // name the physical line of the first offending row
    const table = parseCsv(text, opts.file);
    const dateCol = Math.max(
      0,
      table.header.findIndex((h) => ['date', 'observation_date'].includes(h.toLowerCase())),
    );
    const first = prob.dates[0] ?? '';
    const row = table.rows.find((r) => parseDateText(r.fields[dateCol] ?? '') === first);
    throw new DataError(
      opts.file,
      row?.line ?? 1,
      table.header[dateCol] ?? 'date',
      row?.fields[dateCol] ?? first,
      `${prob.message}${prob.dates.length > 1 ? ` (${prob.dates.length} such rows: ${prob.dates.slice(0, 5).join(' ')})` : ''}`,
      'remove rows on exchange holidays and weekends',
    );
  }
  if (parsed.rows.length === 0) {
    throw new DataError(opts.file, 2, 'rows', '', 'no usable rows', 'add rows on trading days');
  }
  const first = parsed.rows[0]!.date;
  const last = parsed.rows.at(-1)!.date;
  ensureDirectory(opts.dataDir, 'data directory');
  const manifest = readManifest(opts.dataDir);
  const previous = manifest.series[opts.series];
  const keep = opts.mode === 'replace' || !previous ? [] : previous.files;
  const next = 1 + Math.max(0, ...(previous?.files ?? []).map((f) => Number(f.file.split('.')[1])));
  const stored = `${opts.series}.${next}.csv`;
  atomicWrite(join(opts.dataDir, stored), text);
  manifest.series[opts.series] = {
    mode: opts.mode === 'replace' ? 'replace' : (previous?.mode ?? 'extend'),
    files: [
      ...keep,
      {
        file: stored,
        importedFrom: basename(opts.file),
        rows: parsed.rows.length,
        first,
        last,
        importedAt: (opts.now ?? new Date()).toISOString(),
      },
    ],
  };
  atomicWrite(join(opts.dataDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  // files no longer referenced (after a replace) are removed only once the manifest is written
  for (const f of previous?.files ?? []) {
    if (!keep.includes(f)) rmSync(join(opts.dataDir, f.file), { force: true });
  }
  return {
    series: opts.series,
    mode: opts.mode,
    rows: parsed.rows.length,
    first,
    last,
    storedAt: join(opts.dataDir, stored),
    report,
  };
}

/** One user import as `data imports` lists it. */
export interface UserImportEntry {
  /** `<series>.<n>`: the stored file's name without `.csv` (what `data remove` takes). */
  readonly id: string;
  readonly series: ImportableSeries;
  /** The series' mode: `extend` (over the embedded series) or `replace`. */
  readonly mode: ImportMode;
  /** The file imported (base name), and the copy stored in the data dir. */
  readonly file: string;
  readonly storedFile: string;
  readonly rows: number;
  readonly first: string;
  readonly last: string;
  /** ISO instant, or null for imports recorded before the time was kept. */
  readonly importedAt: string | null;
}

/** The user imports of `dataDir` (manifest order: by series, then oldest first). */
export function listUserImports(dataDir: string): UserImportEntry[] {
  const manifest = readManifest(dataDir);
  const out: UserImportEntry[] = [];
  for (const series of IMPORTABLE_SERIES) {
    const entry = manifest.series[series];
    for (const f of entry?.files ?? []) {
      out.push({
        id: f.file.replace(/\.csv$/, ''),
        series,
        mode: entry!.mode,
        file: f.importedFrom,
        storedFile: join(dataDir, f.file),
        rows: f.rows,
        first: f.first,
        last: f.last,
        importedAt: f.importedAt ?? null,
      });
    }
  }
  return out;
}

/**
 * Drops user imports: `target` is a series (every import of it: the series is the embedded one
 * again) or one import id (`vix.2`; the last import of a series drops the series entry). The manifest
 * is rewritten first (temp file + rename), then the files no longer listed are deleted: an
 * interrupted removal leaves at worst an unreferenced file, never a manifest naming a missing one.
 */
export function removeUserImport(dataDir: string, target: string): UserImportEntry[] {
  const all = listUserImports(dataDir);
  const removed = all.filter((e) => e.series === target || e.id === target);
  if (removed.length === 0) {
    const known = all.map((e) => e.id);
    throw new DataError(
      join(dataDir, MANIFEST),
      1,
      'import',
      target,
      `no user import is named '${target}'${known.length > 0 ? ` (imports: ${known.join(', ')})` : ' (there are none)'}`,
      'give a series (e.g. vix) or an import id from `vixshield data imports`',
    );
  }
  const manifest = readManifest(dataDir);
  const gone = new Set(removed.map((e) => `${e.id}.csv`));
  for (const series of IMPORTABLE_SERIES) {
    const entry = manifest.series[series];
    if (entry === undefined) continue;
    const files = entry.files.filter((f) => !gone.has(f.file));
    if (files.length === 0) delete manifest.series[series];
    else manifest.series[series] = { ...entry, files };
  }
  atomicWrite(join(dataDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const f of gone) rmSync(join(dataDir, f), { force: true });
  return removed;
}
