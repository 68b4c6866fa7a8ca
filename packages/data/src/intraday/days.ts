import {
  allowedResolutionsMinutes,
  formatEt,
  gridStartsEt,
  holidayName,
  type IntradayBar,
  type IntradayDay,
  type IntradaySymbol,
  type IsoDate,
  intradayWindowEt,
  isTradingDay,
} from '@vixshield/core';
import { DataError } from '../errors';
import type { RawBar } from './parse';

/*
 * The session rules for intraday bars (data/PROVENANCE.md, "Intraday SPX bars"). Errors (DataError,
 * nothing imported) for: an SPX bar on a day without a session; a bar before the open or after the
 * close; a bar off the grid `09:30 + k x resolution`; bars not in time order or duplicated; bar times
 * that look like bar ENDS. Named rules, recorded in the load report ({series, rule, dates, note}):
 * - `closing-print`: a flat bar (open = high = low = close) stamped at the cash close (16:00, 13:00 on
 *   early-close days) is the official closing print, not a bar: kept as `closingPrint`;
 * - `bar-stamped-at-close`: a bar WITH a range stamped at the close, when the last grid bar before the
 *   close is absent, is that last bar stamped at its end (Yahoo's hourly files on early-close days:
 *   09:30, 10:30, 11:30, "13:00" = the 12:30-13:00 half hour); it is moved to the grid start;
 * - `missing-bars`: grid bars absent from a day (vendor gaps) are NOT an error: the day is kept, the
 *   missing starts are named in the report and in `IntradayDay.missingStartsEt`, and every consumer
 *   counts them (TWAP, exit evaluation). Rows that are wrong are errors; rows that are absent are recorded;
 * - ES only (`es-outside-window-not-used`, `es-non-trading-day-not-used`): ES trades nearly around the
 *   clock, so bars outside 09:30 ET .. the SPX options close (16:15, 13:15) and on days without an
 *   SPX session are legitimate but not used; they are counted and recorded, not stored.
 */

/** A quirk rule applied to intraday bars, as the daily loaders record them. */
export interface IntradayQuirk {
  /** Series id, e.g. `spx-1h`, `es-5m`. */
  readonly series: string;
  readonly rule: string;
  readonly dates: readonly IsoDate[];
  readonly note: string;
}

export interface IntradayLoadReport {
  readonly quirks: IntradayQuirk[];
}

export function newIntradayReport(): IntradayLoadReport {
  return { quirks: [] };
}

export const INTRADAY_RULES = {
  closingPrint: 'closing-print',
  barStampedAtClose: 'bar-stamped-at-close',
  missingBars: 'missing-bars',
  esOutsideWindow: 'es-outside-window-not-used',
  esNonTradingDay: 'es-non-trading-day-not-used',
  volumeIgnored: 'volume-column-ignored',
  userDaysWin: 'user-days-win',
} as const;

/** `1m`, `5m`, `1h`, ... */
export function resolutionLabel(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

/** Parses `1m`, `5m`, `15m`, `1h` (also `60m`); undefined when not a resolution of the symbol. */
export function parseResolution(label: string, symbol: IntradaySymbol): number | undefined {
  const m = /^(\d+)(m|h)$/.exec(label.trim().toLowerCase());
  if (!m) return undefined;
  const minutes = Number(m[1]) * (m[2] === 'h' ? 60 : 1);
  return allowedResolutionsMinutes(symbol).includes(minutes) ? minutes : undefined;
}

export function seriesId(symbol: IntradaySymbol, resolutionMinutes: number): string {
  return `${symbol}-${resolutionLabel(resolutionMinutes)}`;
}

/** Compresses minute lists for notes: `12:47-12:52 (6 bars)`, `13:15`. */
export function describeStarts(starts: readonly number[], resolutionMinutes: number): string {
  const parts: string[] = [];
  let i = 0;
  while (i < starts.length) {
    let j = i;
    while (j + 1 < starts.length && (starts[j + 1] as number) - (starts[j] as number) === resolutionMinutes)
      j++;
    const a = formatEt(starts[i] as number);
    parts.push(j === i ? a : `${a}-${formatEt(starts[j] as number)} (${j - i + 1} bars)`);
    i = j + 1;
  }
  return parts.join(', ');
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The bar length implied by the rows: the greatest common divisor of the bar starts' offsets from
 * 09:30 (bars stamped at or after the close ignored). Undefined when the rows cannot tell (every day
 * has a single bar) or it is not an accepted resolution of the symbol.
 */
export function inferResolutionMinutes(rows: readonly RawBar[], symbol: IntradaySymbol): number | undefined {
  let g = 0;
  for (const r of rows) {
    const off = r.startEt - 570;
    if (off > 0 && r.startEt < 960) g = gcd(off, g);
  }
  if (g === 0) return undefined;
  return allowedResolutionsMinutes(symbol).includes(g) ? g : undefined;
}

interface DayAcc {
  readonly date: IsoDate;
  readonly rows: RawBar[];
}

/** Collects what the rules did, per rule, for the report. */
export class RuleLog {
  private readonly by = new Map<string, { dates: IsoDate[]; details: string[] }>();
  hit(rule: string, date: IsoDate, detail?: string): void {
    let e = this.by.get(rule);
    if (!e) {
      e = { dates: [], details: [] };
      this.by.set(rule, e);
    }
    if (e.dates.at(-1) !== date) e.dates.push(date);
    if (detail !== undefined) e.details.push(detail);
  }
  dates(rule: string): readonly IsoDate[] {
    return this.by.get(rule)?.dates ?? [];
  }
  details(rule: string): readonly string[] {
    return this.by.get(rule)?.details ?? [];
  }
}

/**
 * Checks the rows of one file against the session rules of `symbol` at `resolutionMinutes` and
 * builds one IntradayDay per date. Rows must be in order (date, then strictly increasing time).
 * Throws a DataError naming the file, line, field and fix on the first violation; rules that apply
 * are written to `log`.
 */
export function buildDays(
  rows: readonly RawBar[],
  file: string,
  symbol: IntradaySymbol,
  resolutionMinutes: number,
  log: RuleLog,
): IntradayDay[] {
  if (!allowedResolutionsMinutes(symbol).includes(resolutionMinutes)) {
    throw new DataError(
      file,
      1,
      'resolution',
      resolutionLabel(resolutionMinutes),
      `not an accepted ${symbol.toUpperCase()} bar length`,
      symbol === 'es'
        ? 'ES bars must divide 15 minutes (1m, 3m, 5m, 15m) so the grid ends at the 16:15 ET options close; hourly ES bars straddle it'
        : `use one of ${allowedResolutionsMinutes('spx').map(resolutionLabel).join(', ')}`,
    );
  }
  const groups: DayAcc[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const cur = groups.at(-1);
    if (cur && cur.date === r.date) {
      cur.rows.push(r);
      continue;
    }
    if (seen.has(r.date) || (cur && r.date < cur.date)) {
      throw new DataError(
        file,
        r.line,
        'date',
        r.date,
        cur && r.date < cur.date ? `comes after ${cur.date}` : 'appears again after other dates',
        'sort the rows by date and time, one block per date',
      );
    }
    seen.add(r.date);
    groups.push({ date: r.date, rows: [r] });
  }
  const out: IntradayDay[] = [];
  for (const g of groups) {
    const day = buildDay(g, file, symbol, resolutionMinutes, log);
    if (day) out.push(day);
  }
  return out;
}

function buildDay(
  g: DayAcc,
  file: string,
  symbol: IntradaySymbol,
  res: number,
  log: RuleLog,
): IntradayDay | null {
  const first = g.rows[0] as RawBar;
  if (!isTradingDay(g.date)) {
    if (symbol === 'es') {
      log.hit(INTRADAY_RULES.esNonTradingDay, g.date, `${g.date}: ${g.rows.length} bars`);
      return null;
    }
    const why = holidayName(g.date) ?? 'a weekend';
    throw new DataError(
      file,
      first.line,
      'date',
      g.date,
      `not an exchange trading day (${why}): the SPX index does not print`,
      'remove the bars of holidays and weekends',
    );
  }
  const w = intradayWindowEt(g.date, symbol);
  const closeText = `${formatEt(w.closeEt)}${w.earlyClose ? ', an early close' : ''}`;
  const bars: IntradayBar[] = [];
  let closingPrint: number | null = null;
  let outside = 0;
  let prev: RawBar | undefined;
  const lastGridStart = w.openEt + Math.floor((w.closeEt - 1 - w.openEt) / res) * res;
  for (const r of g.rows) {
    if (prev && r.startEt <= prev.startEt) {
      throw new DataError(
        file,
        r.line,
        'time',
        formatEt(r.startEt),
        `not after the previous bar (${formatEt(prev.startEt)}, line ${prev.line})`,
        'sort the bars by time and remove duplicates',
      );
    }
    prev = r;
    const bar: IntradayBar = { startEt: r.startEt, open: r.open, high: r.high, low: r.low, close: r.close };
    if (symbol === 'spx' && r.startEt === w.closeEt) {
      const flat = r.open === r.high && r.high === r.low && r.low === r.close;
      if (flat) {
        closingPrint = r.close;
        log.hit(INTRADAY_RULES.closingPrint, g.date);
        continue;
      }
      const lastPresent = bars.at(-1)?.startEt ?? Number.NEGATIVE_INFINITY;
      if (bars[0]?.startEt !== w.openEt) {
        throw new DataError(
          file,
          r.line,
          'time',
          formatEt(r.startEt),
          `a bar with a range stamped at the close (${closeText}) and no ${formatEt(w.openEt)} bar: the times look like bar ENDS`,
          'stamp each bar with its START time (New York), e.g. 09:30 for 09:30-09:35',
        );
      }
      if (lastPresent < lastGridStart) {
        bars.push({ ...bar, startEt: lastGridStart });
        log.hit(
          INTRADAY_RULES.barStampedAtClose,
          g.date,
          `${g.date} ${formatEt(r.startEt)} -> ${formatEt(lastGridStart)}`,
        );
        continue;
      }
      throw new DataError(
        file,
        r.line,
        'time',
        formatEt(r.startEt),
        `a bar with a range at the close (${closeText}) after the last bar of the session (${formatEt(lastGridStart)})`,
        'SPX bars start inside the regular session; a bar at the close must be the flat closing print (open = high = low = close)',
      );
    }
    if (r.startEt < w.openEt || r.startEt >= w.closeEt) {
      if (symbol === 'es') {
        outside++;
        continue;
      }
      throw new DataError(
        file,
        r.line,
        'time',
        formatEt(r.startEt),
        r.startEt < w.openEt
          ? `before the ${formatEt(w.openEt)} open`
          : `after the close (${closeText}) on ${g.date}`,
        'SPX bars lie in the regular session (New York time, bar starts); for futures bars use --symbol es',
      );
    }
    if ((r.startEt - w.openEt) % res !== 0) {
      throw new DataError(
        file,
        r.line,
        'time',
        formatEt(r.startEt),
        `not on the ${resolutionLabel(res)} grid from ${formatEt(w.openEt)}`,
        `bar starts are ${formatEt(w.openEt)} + multiples of ${res} minutes; check the resolution (--resolution) or the time zone (New York)`,
      );
    }
    bars.push(bar);
  }
  if (outside > 0) log.hit(INTRADAY_RULES.esOutsideWindow, g.date, `${g.date}: ${outside} bars`);
  if (bars.length === 0) {
    if (symbol === 'es') return null;
    throw new DataError(
      file,
      first.line,
      'time',
      formatEt(first.startEt),
      `no bar inside the session on ${g.date} (only a closing print)`,
      'give the session bars, or remove the day',
    );
  }
  const have = new Set(bars.map((b) => b.startEt));
  const missing = gridStartsEt(w, res).filter((t) => !have.has(t));
  if (missing.length > 0) {
    log.hit(INTRADAY_RULES.missingBars, g.date, `${g.date}: ${describeStarts(missing, res)}`);
  }
  return {
    date: g.date,
    symbol,
    source: 'bars',
    resolutionMinutes: res,
    windowOpenEt: w.openEt,
    windowCloseEt: w.closeEt,
    bars,
    closingPrint,
    missingStartsEt: missing,
  };
}

/** Writes the log of one series into the report: every rule that ran, with its dates and details. */
export function recordRules(report: IntradayLoadReport, series: string, log: RuleLog, source: string): void {
  const notes: Record<string, string> = {
    [INTRADAY_RULES.closingPrint]:
      'a flat bar stamped at the cash close is the official closing print: kept as closingPrint, not as a bar',
    [INTRADAY_RULES.barStampedAtClose]:
      'a bar with a range stamped at the close is the last grid bar stamped at its end: moved to its start',
    [INTRADAY_RULES.missingBars]: 'grid bars missing (vendor gaps); the days are kept and the gaps counted',
    [INTRADAY_RULES.esOutsideWindow]:
      'ES bars outside 09:30 ET .. the SPX options close (16:15, 13:15) are not used',
    [INTRADAY_RULES.esNonTradingDay]: 'ES bars on days without an SPX session are not used',
  };
  for (const rule of [
    INTRADAY_RULES.closingPrint,
    INTRADAY_RULES.barStampedAtClose,
    INTRADAY_RULES.missingBars,
    INTRADAY_RULES.esOutsideWindow,
    INTRADAY_RULES.esNonTradingDay,
  ]) {
    const dates = log.dates(rule);
    if (dates.length === 0) continue;
    const details = log.details(rule);
    report.quirks.push({
      series,
      rule,
      dates: [...dates],
      note: `${source}: ${notes[rule]}${details.length ? ` [${details.join('; ')}]` : ''}`,
    });
  }
}
