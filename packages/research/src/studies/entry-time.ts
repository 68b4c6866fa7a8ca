import { intradayData, oneDayLevelPorts } from '@vixshield/app';
import {
  CALIBRATED_SHORT_DATED_PARAMS,
  computeEdr,
  condorSettlementValue,
  ctToEt,
  type IntradayDay,
  type IsoDate,
  LEGS_PER_CONDOR,
  ModelledChainSource,
  MS_PER_MINUTE,
  ORATS_LIKE_FILL,
  resolveConfig,
  sellFillCredit,
  settlementInstantUtcMs,
  surfaceCondorPricer,
  zonedTimeToUtcMs,
} from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import {
  formatHeader,
  type Interval,
  intervalText,
  MIN_SAMPLE,
  meanInterval,
  pctText,
  type StudyHeader,
  type StudyWindowOptions,
  studyHeader,
  studyWindow,
  type Verdict,
  verdictOf,
  verdictRule,
} from './common';

/*
 * Study `entry-time` (M§6 question 8, issue 16): does the 15:10 CT entry beat earlier entries? Asked
 * only on the days with 5-minute SPX bars (66 sessions in 2026): a SMALL SAMPLE from one regime, and
 * labelled so in every output. On each such day and at each entry time T the same 1DTE condor rule is
 * applied at the SPX of the last 5-minute bar closed by T: shorts at the first 5-point strike outside
 * S +/- EDR, 5-point wings, sold at the orats-like fill on the modelled price for the time left to the
 * next session's PM settlement; held to that settlement (the next day's close). Every time T uses the
 * same information (the previous session's VIX family and surface), so the times differ only by the
 * spot and the time left: the comparison is of entry timing, not of information.
 */

export const ENTRY_TIMES_CT: readonly string[] = ['09:00', '11:00', '13:00', '14:30', '15:10'];

export interface EntryTimeRow {
  readonly entryTimeCt: string;
  readonly days: number;
  readonly meanCreditPts: number | null;
  readonly winRate: number | null;
  readonly meanPnlPts: Interval | null;
  /** Paired: this time's P&L minus the 15:10 CT P&L on the same day (points per condor). */
  readonly vs1510: Interval | null;
  readonly verdictBeats1510: Verdict | 'baseline';
}

export interface EntryTimeReport {
  readonly study: 'entry-time';
  readonly question: string;
  readonly answered: boolean;
  readonly smallSample: string;
  readonly header: StudyHeader;
  readonly days: readonly IsoDate[];
  readonly rows: readonly EntryTimeRow[];
  readonly verdictRule: string;
  readonly notes: readonly string[];
}

/** SPX at `timeCt` from 5-minute bars: the close of the last bar closed by then (15:10 CT: the last bar). */
function spotAt(day: IntradayDay, timeCt: string): number | null {
  const at = ctToEt(timeCt);
  let spot: number | null = null;
  for (const b of day.bars) {
    if (Math.min(b.startEt + day.resolutionMinutes, day.windowCloseEt) <= at) spot = b.close;
    else break;
  }
  return spot;
}

export function runEntryTimeStudy(opts: StudyWindowOptions): EntryTimeReport {
  const w = studyWindow(opts);
  const cfg = resolveConfig('vixshield');
  // At another one-day level (a sensitivity run, ADR 0010) the surfaces and the pricer read the same
  // scaled short regime.
  const scale = w.oneDayLevelScale;
  const ports = scale === undefined ? embeddedPorts(w.md) : oneDayLevelPorts(w.md, '15:10', scale);
  const shortDated =
    ports.chains instanceof ModelledChainSource ? ports.chains.shortDated : CALIBRATED_SHORT_DATED_PARAMS;
  const five = intradayData(opts.dataDir, 5).series.find(
    (s) => s.symbol === 'spx' && s.resolutionMinutes === 5,
  );
  const snaps = w.md.snapshots;
  const indexOf = new Map(snaps.map((s, i) => [s.date, i]));
  const pnl = new Map<string, number[]>(ENTRY_TIMES_CT.map((t) => [t, []]));
  const credit = new Map<string, number[]>(ENTRY_TIMES_CT.map((t) => [t, []]));
  const used: IsoDate[] = [];
  for (const day of five?.days ?? []) {
    if (day.date < w.from || day.date > w.to || day.missingStartsEt.length > 0) continue;
    const i = indexOf.get(day.date);
    if (i === undefined || i === 0) continue;
    const prev = snaps[i - 1]!;
    const next = snaps[i + 1];
    // The next session settles the 1DTE condor (PM, at its close); the last day of the data has none.
    if (!next || prev.vix === null || prev.rate === null || prev.dividendYield === null) continue;
    const surface = (ports.chains as { surface?: (d: IsoDate) => unknown }).surface?.(prev.date);
    if (!surface) continue;
    const row: Array<{ t: string; credit: number; pnl: number }> = [];
    for (const t of ENTRY_TIMES_CT) {
      const spot = spotAt(day, t);
      if (spot === null) break;
      const edr = computeEdr(
        { spx: spot, vix: prev.vix, vix9d: prev.vix9d },
        { mode: cfg.edr.mode, multiplier: cfg.edr.multiplier, bias: cfg.edr.bias },
      );
      const step = cfg.condor.strikeStep;
      const putShort = Math.floor((spot - cfg.edr.k * edr.edrPts) / step) * step;
      const callShort = Math.ceil((spot + cfg.edr.k * edr.edrPts) / step) * step;
      const strikes = {
        putLong: putShort - cfg.condor.wingWidth,
        putShort,
        callShort,
        callLong: callShort + cfg.condor.wingWidth,
      };
      const pricer = surfaceCondorPricer(
        surface as Parameters<typeof surfaceCondorPricer>[0],
        { strikes, expiry: next.date as IsoDate, settlement: 'PM' },
        prev.rate.r,
        prev.dividendYield.q,
        { surfaceDate: prev.date as IsoDate, date: day.date as IsoDate },
        shortDated,
      );
      const entryMs = Math.min(
        zonedTimeToUtcMs(day.date, t, 'America/Chicago'),
        zonedTimeToUtcMs(day.date, '15:10', 'America/Chicago'),
      );
      const minutes = (settlementInstantUtcMs(next.date, 'PM') - entryMs) / MS_PER_MINUTE;
      const q = pricer(spot, minutes);
      if (!q) break;
      // Selling: the natural credit is 2 mid - the natural debit.
      const c = sellFillCredit(q.mid, 2 * q.mid - q.natural, LEGS_PER_CONDOR, ORATS_LIKE_FILL);
      const settle = -condorSettlementValue(strikes, next.spx.close);
      row.push({ t, credit: c, pnl: c - settle });
    }
    if (row.length !== ENTRY_TIMES_CT.length) continue;
    used.push(day.date);
    for (const r of row) {
      pnl.get(r.t)!.push(r.pnl);
      credit.get(r.t)!.push(r.credit);
    }
  }
  const boot = { iterations: w.iterations, seed: w.seed, blockLength: 1 };
  const base = pnl.get('15:10')!;
  const rows: EntryTimeRow[] = ENTRY_TIMES_CT.map((t) => {
    const p = pnl.get(t)!;
    const c = credit.get(t)!;
    const diffs = p.map((x, k) => x - (base[k] as number));
    const vs = t === '15:10' ? null : meanInterval(diffs, boot);
    return {
      entryTimeCt: t,
      days: p.length,
      meanCreditPts: c.length > 0 ? c.reduce((a, b) => a + b, 0) / c.length : null,
      winRate: p.length > 0 ? p.filter((x) => x > 0).length / p.length : null,
      meanPnlPts: meanInterval(p, boot),
      vs1510: vs,
      verdictBeats1510: t === '15:10' ? 'baseline' : verdictOf({ kind: 'above', threshold: 0 }, vs),
    };
  });
  const small = `SMALL SAMPLE: ${used.length} sessions with complete 5-minute SPX bars${used.length > 0 ? ` (${used[0]} .. ${used[used.length - 1]})` : ''}, one market regime; an answer here is a hint, not evidence for other years.`;
  return {
    study: 'entry-time',
    question: 'Does the 15:10 CT entry beat earlier entries (09:00, 11:00, 13:00, 14:30 CT)?',
    answered: used.length > 0,
    smallSample: small,
    header: studyHeader(
      w,
      'entry-time',
      'Does the 15:10 CT entry beat earlier entries?',
      {
        entryTimesCt: ENTRY_TIMES_CT,
        bars: '5-minute SPX',
        fill: 'orats-like',
        condor: '1DTE, shorts outside S +/- EDR, 5-point wings',
      },
      ENTRY_TIMES_CT.length,
    ),
    days: used,
    rows,
    verdictRule: `per earlier time, "beats 15:10": the paired mean P&L per condor (that time minus 15:10 CT, same days, i.i.d. bootstrap): ${verdictRule({ kind: 'above', threshold: 0 }, MIN_SAMPLE)}.`,
    notes: [
      small,
      "Every entry time uses the previous session's information (VIX family, surface, rates): a 15:10 CT entry in the backtest also sees that day's VIX close, which this study withholds from every time alike, so its 15:10 row is not the backtest's entry.",
      "SPX at T: the close of the last 5-minute bar closed by T (15:10 CT = 16:10 ET: the 16:00 close). Prices MODELLED (surface for the time left, calibrated spread model); P&L in index points per condor, before fees (the same for every time), held to the next session's close (PM settlement).",
      used.length === 0
        ? 'No session in the window has 5-minute bars (they start 2026-05-19): nothing to compare.'
        : '',
    ].filter((n) => n !== ''),
  };
}

export function formatEntryTimeStudy(r: EntryTimeReport): string {
  const lines = [formatHeader(r.header), `  ${r.smallSample}`, ''];
  for (const x of r.rows) {
    lines.push(
      `${x.entryTimeCt} CT  days ${x.days}  mean credit ${x.meanCreditPts?.toFixed(2) ?? '-'}  win ${pctText(x.winRate)}  mean P&L/condor ${intervalText(x.meanPnlPts, false)}  vs 15:10 ${x.vs1510 ? intervalText(x.vs1510, false) : '-'}  beats 15:10: ${x.verdictBeats1510}`,
    );
  }
  lines.push('', `verdict rule: ${r.verdictRule}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}
