import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  addDays,
  isTradingDay as coreIsTradingDay,
  type DatedValue,
  type IsoDate,
  nextTradingDay,
  previousTradingDay,
} from '@vixshield/core';
import { ensureDirectory } from '../directories';
import { DataError } from '../errors';
import { type IsTradingDay, newReport } from '../load-report';
import type { IndexSeriesId, SpxRow } from '../loaders';
import { loadEmbeddedMarketData, type MarketData, tradingDaysBetween } from '../market-data';
import {
  atomicWrite,
  type ExtraSeries,
  IMPORTABLE_SERIES,
  type ImportableSeries,
  MANIFEST,
  parseUserSeries,
  readManifest,
  type UserManifest,
} from '../user-store';
import {
  cfeSettlementUrl,
  formatVxSettlements,
  parseCfeSettlement,
  parseStoredVx,
  vxFileName,
} from './daily/cfe-vx';
import { DAILY_PROVIDERS } from './daily/registry';
import type {
  DailyRows,
  DailySeriesId,
  DailySeriesProvider,
  ParseContext,
  VxSettlement,
} from './daily/types';
import { fromDirHint, ProviderError } from './errors';
import { DEFAULT_HOSTS, fetchText, type HttpOptions, type ProviderHosts } from './http';
import { lastCompletedSession } from './session-clock';

/*
 * `vixshield data update`: every series the engine reads (and the ones kept for later) brought up to
 * the last completed session from its provider, or from files downloaded by hand (--from-dir).
 *
 * All or nothing: every payload is read and validated first (the embedded loaders' rules, plus an
 * agreement check against the stored series on the days both have); any failure throws a
 * ProviderError and nothing is written. Then each changed series gets one new file (the rows all
 * earlier updates added plus the new ones, in a canonical CSV the loaders read), written through a
 * temp file + rename, and one rename of manifest.json switches every series at once. A process killed
 * before that rename leaves the previous manifest, which names only the previous files: the data are
 * as they were (the new files, unreferenced, are ignored). Superseded files are deleted afterwards.
 */

/** Rows compared with the stored series before appending (the recent overlap). */
export const OVERLAP_CHECK_ROWS = 10;
/** Closes agree within: SPX points, index points, rate percent. */
export const UPDATE_TOLERANCE = { spx: 0.02, index: 0.005 + 1e-9, rate: 1e-9 } as const;
/** Sessions of VX settlements fetched at most per update (the CFE endpoint keeps a rolling window). */
export const VX_MAX_SESSIONS = 5;
/** How far back the FRED download starts before the stored last day (for the agreement check). */
const FRED_OVERLAP_DAYS = 30;
/** Marks a user-store file written by `data update` (importedFrom). */
export const UPDATE_MARK = 'data update: ';

export interface DataUpdateOptions {
  readonly dataDir: string;
  /** Last day to bring the series to (default: the last completed session at `nowUtcMs`). */
  readonly to?: IsoDate;
  readonly nowUtcMs: number;
  /** Read the payloads from this folder instead of the network (file names: DAILY_PROVIDERS). */
  readonly fromDir?: string;
  readonly hosts?: ProviderHosts;
  readonly http?: HttpOptions;
  /** The exchange calendar port (the loaders'). */
  readonly isTradingDay: IsTradingDay;
  /** Only these series (default: all). */
  readonly only?: readonly DailySeriesId[];
  /** Test seam: runs after the new files are written, before manifest.json switches to them. */
  readonly beforeCommit?: () => void;
}

export interface SeriesUpdate {
  readonly id: DailySeriesId;
  readonly source: string;
  /** `engine`: read by the snapshots; `stored`: kept in the data dir, not read by the engine yet. */
  readonly use: 'engine' | 'stored';
  /** URL or file the payload came from; undefined when skipped. */
  readonly location: string | undefined;
  /** Rows (dates for event calendars) added. */
  readonly added: number;
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
  /** Last date in the payload. */
  readonly sourceLast: IsoDate | null;
  readonly notes: readonly string[];
  /** True when nothing was read (no file in --from-dir, no URL configured). */
  readonly skipped: boolean;
}

export interface DataUpdateReport {
  readonly target: IsoDate;
  readonly series: readonly SeriesUpdate[];
  /** Files written (0 when nothing was new). */
  readonly filesWritten: number;
  readonly manifest: string;
}

const INDEX_SYMBOL: Record<IndexSeriesId, string> = {
  vix: 'VIX',
  vix1d: 'VIX1D',
  vix9d: 'VIX9D',
  vix3m: 'VIX3M',
  vix6m: 'VIX6M',
  vix1y: 'VIX1Y',
  vvix: 'VVIX',
  skew: 'SKEW',
  bxm: 'BXM',
};

/** The user-store id of a stored-only series. */
const EXTRA_ID: Partial<Record<DailySeriesId, ExtraSeries>> = {
  vxSettle: 'vxsettle',
  fomc: 'fomc',
  cpi: 'cpi',
  ppi: 'ppi',
  payrolls: 'payrolls',
};

/** The payload of one provider, read and validated. */
interface Read {
  readonly provider: DailySeriesProvider;
  readonly location: string;
  readonly rows: DailyRows;
  readonly notes: string[];
}

/** A series with something to write. */
interface Pending {
  readonly id: DailySeriesId;
  /** Canonical CSV of the whole update file (earlier updates + the new rows). */
  readonly text: string;
  readonly rows: number;
  readonly first: IsoDate;
  readonly last: IsoDate;
  readonly importedFrom: string;
}

type EngineSeries = ImportableSeries & DailySeriesId;
const isImportable = (id: DailySeriesId): id is EngineSeries =>
  (IMPORTABLE_SERIES as readonly string[]).includes(id);

function malformed(p: { source: string }, location: string, hint: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const msg = err instanceof DataError ? err.message : (err as Error).message;
  return new ProviderError(p.source, location, `malformed payload: ${msg}`, hint);
}

/** The payload text of `p`, from --from-dir or the network; undefined when there is none to read. */
async function payloadOf(
  p: DailySeriesProvider,
  opts: DataUpdateOptions,
  hosts: ProviderHosts,
  since: IsoDate | undefined,
): Promise<{ text: string; location: string } | { skip: string }> {
  if (opts.fromDir !== undefined) {
    const file = join(opts.fromDir, p.fileName);
    if (!existsSync(file)) return { skip: `no ${p.fileName} in ${opts.fromDir}` };
    return { text: readFileSync(file, 'utf8'), location: file };
  }
  const url = p.url(hosts, since);
  if (url === undefined) {
    return {
      skip: `no public URL: set VIXSHIELD_EVENTS_URL to where ${p.fileName} is kept, or put it in --from-dir`,
    };
  }
  return { text: await fetchText(p.source, url, fromDirHint(p.fileName), opts.http), location: url };
}

function canonicalText(
  id: ImportableSeries,
  kind: DailyRows['kind'],
  rows: readonly (SpxRow | DatedValue)[],
): string {
  if (kind === 'spx') {
    const lines = (rows as SpxRow[]).map((r) =>
      r.closeOnly
        ? `${r.date},${r.close},${r.close},${r.close},${r.close}`
        : `${r.date},${r.open},${r.high},${r.low},${r.close}`,
    );
    return `Date,Open,High,Low,Close\n${lines.join('\n')}\n`;
  }
  const header =
    id === 'dgs3mo' || id === 'dff'
      ? `observation_date,${id.toUpperCase()}`
      : `DATE,${INDEX_SYMBOL[id as IndexSeriesId]}`;
  return `${header}\n${(rows as DatedValue[]).map((r) => `${r.date},${r.value}`).join('\n')}\n`;
}

function currentRows(md: MarketData, id: ImportableSeries): readonly { date: IsoDate; value: number }[] {
  if (id === 'spx') return md.data.spx.map((b) => ({ date: b.date, value: b.close }));
  return md.data[id];
}

/** Rows of the stored update file of `id` (earlier updates), or none. */
function previousUpdateRows(
  dataDir: string,
  manifest: UserManifest,
  id: ImportableSeries,
  cal: IsTradingDay,
): (SpxRow | DatedValue)[] {
  const entry = manifest.series[id]?.files.find((f) => f.importedFrom.startsWith(UPDATE_MARK));
  if (!entry) return [];
  const path = join(dataDir, entry.file);
  return parseUserSeries(id, readFileSync(path, 'utf8'), path, cal, newReport()).rows;
}

function nextFileNumber(manifest: UserManifest, id: string): number {
  const files = [
    ...(manifest.series[id as ImportableSeries]?.files ?? []),
    ...(manifest.extra?.[id as ExtraSeries] ? [manifest.extra[id as ExtraSeries]!] : []),
  ];
  return 1 + Math.max(0, ...files.map((f) => Number(f.file.split('.')[1])));
}

/**
 * Brings the series up to date (see the file comment). Throws ProviderError (nothing written) when a
 * source cannot be read or its payload is malformed or disagrees with the stored series.
 */
export async function runDataUpdate(opts: DataUpdateOptions): Promise<DataUpdateReport> {
  const cal = opts.isTradingDay;
  const hosts = opts.hosts ?? DEFAULT_HOSTS;
  let target = opts.to ?? lastCompletedSession(opts.nowUtcMs);
  if (!coreIsTradingDay(target)) target = previousTradingDay(target);
  const md = loadEmbeddedMarketData({ dataDir: opts.dataDir, isTradingDay: cal });
  const manifest: UserManifest = existsSync(opts.dataDir)
    ? readManifest(opts.dataDir)
    : { version: 1, series: {} };
  const lastOf = (id: DailySeriesId): IsoDate | null => {
    if (isImportable(id)) return md.series.find((s) => s.id === id)?.last ?? null;
    return null;
  };

  const results: SeriesUpdate[] = [];
  const pending: Pending[] = [];
  const providers = DAILY_PROVIDERS.filter((p) => !opts.only || opts.only.includes(p.id));

  for (const p of providers) {
    if (p.id === 'vxSettle') {
      const r = await updateVx(p, opts, hosts, manifest, target, cal);
      results.push(r.result);
      if (r.pending) pending.push(r.pending);
      continue;
    }
    const stored = lastOf(p.id);
    const since =
      stored && (p.id === 'dgs3mo' || p.id === 'dff') ? addDays(stored, -FRED_OVERLAP_DAYS) : undefined;
    const got = await payloadOf(p, opts, hosts, since);
    if ('skip' in got) {
      results.push(skipped(p, got.skip));
      continue;
    }
    const hint = opts.fromDir ? `fix or replace the file ${p.fileName}` : fromDirHint(p.fileName);
    const ctx: ParseContext = {
      isTradingDay: cal,
      report: newReport(),
      notes: [],
      ...(stored ? { validateFrom: nextTradingDay(stored) } : {}),
    };
    let rows: DailyRows;
    try {
      rows = p.parse(got.text, got.location, ctx);
    } catch (err) {
      throw malformed(p, got.location, hint, err);
    }
    const problem = ctx.report.problems[0];
    if (problem) {
      throw new ProviderError(
        p.source,
        got.location,
        `${problem.message} on ${problem.dates.slice(0, 5).join(' ')}${problem.dates.length > 5 ? ' ...' : ''}`,
        hint,
      );
    }
    const read: Read = { provider: p, location: got.location, rows, notes: ctx.notes };
    if (rows.kind === 'events') {
      const r = eventUpdate(read, md, manifest, opts.dataDir);
      results.push(r.result);
      if (r.pending) pending.push(r.pending);
    } else if (isImportable(p.id)) {
      const r = engineUpdate(read, p.id, md, manifest, opts.dataDir, target, cal, hint);
      results.push(r.result);
      if (r.pending) pending.push(r.pending);
    } else {
      // every value series is an engine series (VIX1D became one); VX settlements are handled above
      throw new ProviderError(p.source, got.location, `no update rule for ${p.id}`, 'report this as a bug');
    }
  }

  const filesWritten = commit(opts, manifest, pending);
  return { target, series: results, filesWritten, manifest: join(opts.dataDir, MANIFEST) };
}

function skipped(p: DailySeriesProvider, why: string): SeriesUpdate {
  return {
    id: p.id,
    source: p.source,
    use: p.use,
    location: undefined,
    added: 0,
    first: null,
    last: null,
    sourceLast: null,
    notes: [why],
    skipped: true,
  };
}

function engineUpdate(
  read: Read,
  id: EngineSeries,
  md: MarketData,
  manifest: UserManifest,
  dataDir: string,
  target: IsoDate,
  cal: IsTradingDay,
  hint: string,
): { result: SeriesUpdate; pending?: Pending } {
  const p = read.provider;
  const rows = (read.rows.kind === 'spx' || read.rows.kind === 'values' ? read.rows.rows : []) as readonly (
    | SpxRow
    | DatedValue
  )[];
  const closeOf = (r: SpxRow | DatedValue) => ('close' in r ? r.close : r.value);
  const current = currentRows(md, id);
  const last = current.at(-1)?.date ?? null;
  const tol =
    id === 'spx'
      ? UPDATE_TOLERANCE.spx
      : id === 'dgs3mo' || id === 'dff'
        ? UPDATE_TOLERANCE.rate
        : UPDATE_TOLERANCE.index;
  // agreement with the stored series on the recent overlap
  const payloadBy = new Map<string, number>(rows.map((r) => [r.date, closeOf(r)]));
  const disagreements: string[] = [];
  for (const c of current.slice(-OVERLAP_CHECK_ROWS)) {
    const v = payloadBy.get(c.date);
    if (v !== undefined && Math.abs(v - c.value) > tol)
      disagreements.push(`${c.date}: stored ${c.value}, source ${v}`);
  }
  if (disagreements.length > 0) {
    throw new ProviderError(
      p.source,
      read.location,
      `disagrees with the stored ${id} series by more than ${tol < 1e-6 ? 0 : tol} on ${disagreements.join('; ')}`,
      `${hint}; or check the stored data with 'vixshield data check'`,
    );
  }
  const added = rows.filter((r) => (last === null || r.date > last) && r.date <= target);
  const sourceLast = rows.at(-1)?.date ?? null;
  const notes = [...read.notes];
  if (sourceLast !== null && last !== null && sourceLast <= last)
    notes.push(`the source ends ${sourceLast}; stored data end ${last}`);
  else if (sourceLast !== null && sourceLast < target)
    notes.push(`the source ends ${sourceLast}, before ${target}`);
  if (added.length > 0 && last !== null && id !== 'dff') {
    const days = tradingDaysBetween(nextTradingDay(last), added.at(-1)!.date, cal);
    const have = new Set<string>(added.map((r) => r.date));
    const missing = days.filter((d) => !have.has(d));
    if (missing.length > 0)
      notes.push(
        `trading days without a row: ${missing.slice(0, 6).join(' ')}${missing.length > 6 ? ` (+${missing.length - 6})` : ''}`,
      );
  }
  const result: SeriesUpdate = {
    id,
    source: p.source,
    use: p.use,
    location: read.location,
    added: added.length,
    first: added[0]?.date ?? null,
    last: added.at(-1)?.date ?? null,
    sourceLast,
    notes,
    skipped: false,
  };
  if (added.length === 0) return { result };
  const all = [...previousUpdateRows(dataDir, manifest, id, cal), ...added];
  const text = canonicalText(id, read.rows.kind, all);
  return {
    result,
    pending: {
      id,
      text,
      rows: all.length,
      first: all[0]!.date,
      last: all.at(-1)!.date,
      importedFrom: `${UPDATE_MARK}${p.source} ${read.location}`,
    },
  };
}

/** An event calendar: the validated file replaces the stored one when its dates differ. */
function eventUpdate(
  read: Read,
  md: MarketData,
  manifest: UserManifest,
  dataDir: string,
): { result: SeriesUpdate; pending?: Pending } {
  const p = read.provider;
  if (read.rows.kind !== 'events') throw new Error('not an event calendar');
  const extra = EXTRA_ID[p.id]!;
  const prevEntry = manifest.extra?.[extra];
  let before: readonly IsoDate[];
  if (prevEntry !== undefined) {
    const path = join(dataDir, prevEntry.file);
    const prev = p.parse(readFileSync(path, 'utf8'), path, {
      isTradingDay: () => true,
      report: newReport(),
      notes: [],
    });
    before = prev.kind === 'events' ? prev.dates : [];
  } else before = p.id === 'fomc' ? md.data.fomc : p.id === 'cpi' ? md.data.cpi : [];
  const dates = read.rows.dates;
  // compared over the file's own span (the embedded FOMC list also holds 1936-2014 meeting days and
  // the tentative schedule after it; a file's dates win inside its span only)
  before = before.filter((x) => dates.length > 0 && x >= dates[0]! && x <= dates.at(-1)!);
  const had = new Set<string>(before);
  const added = dates.filter((d) => !had.has(d));
  const same = added.length === 0 && dates.length === before.length;
  const result: SeriesUpdate = {
    id: p.id,
    source: p.source,
    use: p.use,
    location: read.location,
    added: added.length,
    first: added[0] ?? null,
    last: added.at(-1) ?? null,
    sourceLast: dates.at(-1) ?? null,
    notes: [...read.notes, same ? 'unchanged' : `replaces the stored calendar (${dates.length} dates)`],
    skipped: false,
  };
  if (same) return { result };
  return {
    result,
    pending: {
      id: p.id,
      text: read.rows.text,
      rows: dates.length,
      first: dates[0]!,
      last: dates.at(-1)!,
      importedFrom: `${UPDATE_MARK}${p.source} ${read.location}`,
    },
  };
}

/** VX settlements: one payload per session after the stored ones, up to the target (at most VX_MAX_SESSIONS). */
async function updateVx(
  p: DailySeriesProvider,
  opts: DataUpdateOptions,
  hosts: ProviderHosts,
  manifest: UserManifest,
  target: IsoDate,
  cal: IsTradingDay,
): Promise<{ result: SeriesUpdate; pending?: Pending }> {
  const entry = manifest.extra?.vxsettle;
  const prev: VxSettlement[] = entry
    ? parseStoredVx(readFileSync(join(opts.dataDir, entry.file), 'utf8'), entry.file)
    : [];
  const last = prev.at(-1)?.date;
  let sessions = tradingDaysBetween(last ? nextTradingDay(last) : addDays(target, -10), target, cal).slice(
    -VX_MAX_SESSIONS,
  );
  if (last === undefined) sessions = sessions.slice(-1);
  const added: VxSettlement[] = [];
  const notes: string[] = [];
  const locations: string[] = [];
  for (const d of sessions) {
    const name = vxFileName(d);
    let text: string;
    let location: string;
    if (opts.fromDir !== undefined) {
      location = join(opts.fromDir, name);
      if (!existsSync(location)) continue;
      text = readFileSync(location, 'utf8');
    } else {
      location = cfeSettlementUrl(hosts, d);
      try {
        text = await fetchText(p.source, location, fromDirHint(name), opts.http);
      } catch (err) {
        // the newest session's settlement may not be published yet: that is not a failure
        if (err instanceof ProviderError && d === sessions.at(-1) && /^HTTP 404\b/.test(err.reason)) {
          notes.push(`${d}: not published yet (HTTP 404)`);
          continue;
        }
        throw err;
      }
    }
    const ctx: ParseContext = { isTradingDay: cal, report: newReport(), notes };
    try {
      added.push(...parseCfeSettlement(text, location, d, ctx));
    } catch (err) {
      throw malformed(p, location, opts.fromDir ? `fix or replace the file ${name}` : fromDirHint(name), err);
    }
    locations.push(location);
  }
  const dates = [...new Set(added.map((r) => r.date))];
  const result: SeriesUpdate = {
    id: p.id,
    source: p.source,
    use: p.use,
    location:
      locations.length === 0
        ? undefined
        : locations.length === 1
          ? locations[0]
          : `${locations.length} files`,
    added: dates.length,
    first: dates[0] ?? null,
    last: dates.at(-1) ?? null,
    sourceLast: dates.at(-1) ?? null,
    notes:
      locations.length === 0
        ? [
            ...notes,
            opts.fromDir
              ? `no ${p.fileName} for ${sessions.join(' ') || 'any new session'}`
              : 'no new session',
          ]
        : notes,
    skipped: locations.length === 0,
  };
  if (added.length === 0) return { result };
  const all = [...prev, ...added];
  return {
    result,
    pending: {
      id: p.id,
      text: formatVxSettlements(all),
      rows: all.length,
      first: all[0]!.date,
      last: all.at(-1)!.date,
      importedFrom: `${UPDATE_MARK}${p.source} ${result.location}`,
    },
  };
}

/** Writes the pending files, then switches the manifest to them in one rename (see the file comment). */
function commit(opts: DataUpdateOptions, manifest: UserManifest, pending: readonly Pending[]): number {
  if (pending.length === 0) return 0;
  ensureDirectory(opts.dataDir, 'data directory');
  const next: UserManifest = {
    ...manifest,
    series: { ...manifest.series },
    ...(manifest.extra ? { extra: { ...manifest.extra } } : {}),
  };
  const superseded: string[] = [];
  for (const w of pending) {
    const storeId = isImportable(w.id) ? w.id : EXTRA_ID[w.id]!;
    const file = `${storeId.toLowerCase()}.${nextFileNumber(manifest, storeId)}.csv`;
    atomicWrite(join(opts.dataDir, file), w.text);
    const entry = { file, importedFrom: w.importedFrom, rows: w.rows, first: w.first, last: w.last };
    if (isImportable(w.id)) {
      const prev = manifest.series[w.id];
      const kept = (prev?.files ?? []).filter((f) => !f.importedFrom.startsWith(UPDATE_MARK));
      superseded.push(
        ...(prev?.files ?? []).filter((f) => f.importedFrom.startsWith(UPDATE_MARK)).map((f) => f.file),
      );
      next.series[w.id] = { mode: prev?.mode ?? 'extend', files: [...kept, entry] };
    } else {
      const id = EXTRA_ID[w.id]!;
      const prev = manifest.extra?.[id];
      if (prev) superseded.push(prev.file);
      next.extra = { ...(next.extra ?? {}), [id]: entry };
    }
  }
  opts.beforeCommit?.();
  atomicWrite(join(opts.dataDir, MANIFEST), `${JSON.stringify(next, null, 2)}\n`);
  for (const f of superseded) rmSync(join(opts.dataDir, f), { force: true });
  return pending.length;
}
