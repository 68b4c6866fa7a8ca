import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatEt, type IntradayDay, type IntradaySymbol, type IsoDate } from '@vixshield/core';
import { z } from 'zod';
import { ensureDirectory } from '../directories';
import { DataError } from '../errors';
import { atomicWrite } from '../user-store';
import {
  buildDays,
  INTRADAY_RULES,
  type IntradayLoadReport,
  inferResolutionMinutes,
  newIntradayReport,
  RuleLog,
  recordRules,
  seriesId,
} from './days';
import { type ParsedBarFile, parseBarFile } from './parse';

/*
 * User intraday bars beside the daily user series: `<dataDir>/intraday/`, one normalised CSV per
 * import (`date,time,open,high,low,close`, New York bar starts, only the bars the rules keep, the
 * closing print as its flat row) and `manifest.json` (zod-validated). Like `data import` for daily
 * series (user-store.ts): everything is validated before anything is written, the file and then the
 * manifest are written through a temp file + rename, and on load later imports win day by day.
 */

export const INTRADAY_USER_DIR = 'intraday';
const MANIFEST = 'manifest.json';

const storedSchema = z.object({
  file: z.string().regex(/^(spx|es)-\d+[mh]\.\d+\.csv$/),
  importedFrom: z.array(z.string()).min(1),
  /** sha256 of each source file, in the order of importedFrom. */
  sourceSha256: z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1),
  days: z.number().int().positive(),
  bars: z.number().int().positive(),
  first: z.string(),
  last: z.string(),
});

const manifestSchema = z.object({
  version: z.literal(1),
  series: z.record(
    z.string().regex(/^(spx|es)-\d+[mh]$/),
    z.object({
      symbol: z.enum(['spx', 'es']),
      resolutionMinutes: z.number().int().positive(),
      /** Applied in order over the embedded bars; a later file's day replaces an earlier one. */
      files: z.array(storedSchema).min(1),
    }),
  ),
});
export type IntradayManifest = z.infer<typeof manifestSchema>;

/** Reads `<dataDir>/intraday/manifest.json` (empty when absent); a malformed manifest is a DataError. */
export function readIntradayManifest(dataDir: string): IntradayManifest {
  const p = join(dataDir, INTRADAY_USER_DIR, MANIFEST);
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
      'delete the intraday manifest and re-import',
    );
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const iss = r.error.issues[0] as z.core.$ZodIssue;
    throw new DataError(
      p,
      1,
      iss.path.join('.') || 'manifest',
      '',
      iss.message,
      'delete the intraday manifest and re-import',
    );
  }
  return r.data;
}

export interface ImportBarsOptions {
  readonly dataDir: string;
  /** A bar file, or a directory whose `*.csv` files are all imported. */
  readonly path: string;
  readonly symbol: IntradaySymbol;
  /** Bar length in minutes; inferred from the bar times when absent. */
  readonly resolutionMinutes?: number;
}

export interface ImportBarsResult {
  readonly series: string;
  readonly symbol: IntradaySymbol;
  readonly resolutionMinutes: number;
  readonly resolutionInferred: boolean;
  readonly files: number;
  readonly days: number;
  readonly bars: number;
  readonly first: IsoDate;
  readonly last: IsoDate;
  readonly storedAt: string;
  /** Entries of a directory that were not imported (not `.csv` files). */
  readonly notImported: readonly string[];
  readonly report: IntradayLoadReport;
}

function listInputs(path: string): { files: string[]; notImported: string[] } {
  if (!existsSync(path)) {
    throw new DataError(
      path,
      1,
      'path',
      path,
      'does not exist',
      'give a bar CSV file or a directory of them',
    );
  }
  if (!statSync(path).isDirectory()) return { files: [path], notImported: [] };
  const files: string[] = [];
  const notImported: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const p = join(path, name);
    if (name.toLowerCase().endsWith('.csv') && statSync(p).isFile()) files.push(p);
    else notImported.push(name);
  }
  if (files.length === 0) {
    throw new DataError(
      path,
      1,
      'path',
      path,
      'holds no .csv file',
      'point at a bar file or a directory of YYYY-MM-DD.csv files',
    );
  }
  return { files, notImported };
}

/** The normalised text of days (what a user import stores). */
export function daysToCsv(days: readonly IntradayDay[]): string {
  const lines = ['date,time,open,high,low,close'];
  for (const d of days) {
    for (const b of d.bars)
      lines.push(`${d.date},${formatEt(b.startEt)},${b.open},${b.high},${b.low},${b.close}`);
    if (d.closingPrint !== null) {
      const c = d.closingPrint;
      lines.push(`${d.date},${formatEt(d.windowCloseEt)},${c},${c},${c},${c}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Imports intraday bars: every file is parsed and every day checked against the session rules of
 * `symbol` first (a DataError names file, line, field and fix; nothing is written); only then is the
 * normalised file written to `<dataDir>/intraday/<series>.<n>.csv` and recorded in the manifest.
 */
export function importIntradayBars(opts: ImportBarsOptions): ImportBarsResult {
  const { files, notImported } = listInputs(opts.path);
  const parsed: { p: ParsedBarFile; sha: string }[] = files.map((f) => {
    const buf = readFileSync(f);
    return { p: parseBarFile(buf.toString('utf8'), f), sha: createHash('sha256').update(buf).digest('hex') };
  });
  let res = opts.resolutionMinutes;
  const inferred = res === undefined;
  if (res === undefined) {
    res = inferResolutionMinutes(
      parsed.flatMap((x) => x.p.rows),
      opts.symbol,
    );
    if (res === undefined) {
      throw new DataError(
        files[0] as string,
        1,
        'resolution',
        '',
        'the bar length cannot be told from the bar times',
        'give --resolution (1m, 5m, 1h, ...)',
      );
    }
  }
  const series = seriesId(opts.symbol, res);
  const log = new RuleLog();
  const byDate = new Map<string, { day: IntradayDay; file: string }>();
  for (const { p } of parsed) {
    for (const day of buildDays(p.rows, p.file, opts.symbol, res, log)) {
      const other = byDate.get(day.date);
      if (other) {
        const line = p.rows.find((r) => r.date === day.date)?.line ?? 1;
        throw new DataError(
          p.file,
          line,
          'date',
          day.date,
          `also in ${basename(other.file)}`,
          'import each day once (one file per day, or one multi-day file)',
        );
      }
      byDate.set(day.date, { day, file: p.file });
    }
  }
  const days = [...byDate.values()].map((x) => x.day).sort((a, b) => (a.date < b.date ? -1 : 1));
  if (days.length === 0) {
    throw new DataError(
      opts.path,
      1,
      'rows',
      '',
      `no bar inside the ${opts.symbol === 'es' ? 'ES window (09:30 ET .. the 16:15 options close) on an SPX trading day' : 'session'}`,
      'check the dates and the time zone (New York, bar starts)',
    );
  }
  const report = newIntradayReport();
  recordRules(report, series, log, basename(opts.path));
  if (parsed.some((x) => x.p.ignoredColumns.includes('volume'))) {
    report.quirks.push({
      series,
      rule: INTRADAY_RULES.volumeIgnored,
      dates: [],
      note: 'the volume column is not stored (SPX index bars carry none; the TWAP does not use volume)',
    });
  }
  const dir = join(opts.dataDir, INTRADAY_USER_DIR);
  ensureDirectory(dir, 'intraday data directory');
  const manifest = readIntradayManifest(opts.dataDir);
  const previous = manifest.series[series];
  const next = 1 + Math.max(0, ...(previous?.files ?? []).map((f) => Number(f.file.split('.')[1])));
  const stored = `${series}.${next}.csv`;
  atomicWrite(join(dir, stored), daysToCsv(days));
  const bars = days.reduce((n, d) => n + d.bars.length, 0);
  const first = (days[0] as IntradayDay).date;
  const last = (days.at(-1) as IntradayDay).date;
  manifest.series[series] = {
    symbol: opts.symbol,
    resolutionMinutes: res,
    files: [
      ...(previous?.files ?? []),
      {
        file: stored,
        importedFrom: files.map((f) => basename(f)),
        sourceSha256: parsed.map((x) => x.sha),
        days: days.length,
        bars,
        first,
        last,
      },
    ],
  };
  atomicWrite(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    series,
    symbol: opts.symbol,
    resolutionMinutes: res,
    resolutionInferred: inferred,
    files: files.length,
    days: days.length,
    bars,
    first,
    last,
    storedAt: join(dir, stored),
    notImported,
    report,
  };
}
