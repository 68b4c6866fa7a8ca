import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DatedValue } from '@vixshield/core';
import { z } from 'zod';
import { parseCsv } from './csv';
import { DataError } from './errors';
import { detectLayout, readValues } from './layout';
import { type IndexSeriesId, loadIndexCloses, type SpxRow, spxRowsFromUser } from './loaders';
import { type IsTradingDay, type LoadReport, newReport } from './report';

/** Series a user may extend or replace with `data import`. */
export const IMPORTABLE_SERIES = [
  'spx',
  'vix',
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

const manifestSchema = z.object({
  version: z.literal(1),
  series: z.record(
    z.string(),
    z.object({
      mode: z.enum(['extend', 'replace']),
      file: z.string(),
      importedFrom: z.string(),
      rows: z.number().int().nonnegative(),
      first: z.string(),
      last: z.string(),
    }),
  ),
});
export type UserManifest = z.infer<typeof manifestSchema>;
export type UserSeriesEntry = UserManifest['series'][string];

const MANIFEST = 'manifest.json';

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

export interface ImportResult {
  readonly series: ImportableSeries;
  readonly mode: ImportMode;
  readonly rows: number;
  readonly first: string;
  readonly last: string;
  readonly storedAt: string;
  readonly report: LoadReport;
}

function atomicWrite(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Imports a user CSV for `series`: the whole file is validated first (layout auto-detected, every
 * row checked, no undocumented problems); only then is it copied into `dataDir` (temp file + rename)
 * and recorded in the manifest. `extend` merges it over the embedded series (user rows win on
 * overlap); `replace` uses it instead of the embedded series.
 */
export function importUserSeries(opts: {
  dataDir: string;
  series: ImportableSeries;
  file: string;
  mode: ImportMode;
  isTradingDay: IsTradingDay;
}): ImportResult {
  const text = readFileSync(opts.file, 'utf8');
  const report = newReport();
  const parsed = parseUserSeries(opts.series, text, opts.file, opts.isTradingDay, report);
  const prob = report.problems[0];
  if (prob) {
    throw new DataError(
      opts.file,
      0,
      'date',
      prob.dates.slice(0, 3).join(' '),
      prob.message,
      'remove rows on exchange holidays and weekends',
    );
  }
  if (parsed.rows.length === 0) {
    throw new DataError(opts.file, 2, 'rows', '', 'no usable rows', 'add rows on trading days');
  }
  const first = parsed.rows[0]!.date;
  const last = parsed.rows.at(-1)!.date;
  mkdirSync(opts.dataDir, { recursive: true });
  const manifest = readManifest(opts.dataDir);
  const stored = `${opts.series}.csv`;
  atomicWrite(join(opts.dataDir, stored), text);
  manifest.series[opts.series] = {
    mode: opts.mode,
    file: stored,
    importedFrom: basename(opts.file),
    rows: parsed.rows.length,
    first,
    last,
  };
  atomicWrite(join(opts.dataDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
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
