import {
  businessTimeVix,
  CALIBRATED_ONE_DAY_VIX_FROM_VIX_PARAMS,
  CALIBRATED_ONE_DAY_VIX_PARAMS,
  FOMC_DAY_INTRADAY_SHARE_OF_SESSION_VARIANCE,
  FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS,
  fitOneDayVix,
  fitOneDayVixFromVix,
  holidaysBeforeNextSession,
  INTRADAY_SHARE_OF_SESSION_VARIANCE,
  INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS,
  type IsoDate,
  isPayrollsDay,
  ModelledChainSource,
  measureIntradayVarianceProfile,
  modelOneDayVix,
  modelOneDayVixFromVix,
  nextTradingDay,
  type OneDayVixFeatures,
  payrollsReleaseDate,
  shortDatedBusinessYears,
  vixFromChains,
} from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  exchangeIsTradingDay,
  fomcDecisionSessionsAt,
  loadEmbeddedSpxw20190626,
  loadEmbeddedVix1d,
  loadIntradayBars,
  loadRealChain1545,
  loadVix1dCloses,
  nextSessionReleasesAt,
  oneDayVixAt,
  oneDayVixFeaturesAt,
  oneDayVixFromVixFeaturesAt,
  payrollsOn,
  scheduledFomcOn,
  secondSessionVarianceRatioAt,
  surfaceInputsAt,
} from '../src/index';
import { embedded } from './helpers/load';

const median = (a: readonly number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
};

describe('VIX1D training closes (data/vix1d-close-2024-09-30-to-2025-06-30.csv)', () => {
  const rows = loadEmbeddedVix1d(exchangeIsTradingDay);
  it('has the 187 documented closes', () => {
    expect(rows.length).toBe(187);
    expect(rows[0]).toEqual({ date: '2024-09-30', value: 11.97 });
    expect(rows.at(-1)!.date).toBe('2025-06-30');
  });
  it('rejects bad rows naming file, line and field', () => {
    const bad = (text: string) => () => loadVix1dCloses(text, 'v.csv', exchangeIsTradingDay);
    expect(bad('date,close\n2024-10-01,14.6\n2024-09-30,12\n')).toThrow(/v\.csv:3: field 'date'/);
    expect(bad('date,close\n2024-10-01,-1\n')).toThrow(/v\.csv:2: field 'close'/);
    expect(bad('date,close\n2024-10-05,12\n')).toThrow(/not an NYSE trading day/);
    expect(bad('day,close\n2024-10-01,12\n')).toThrow(DataError);
  });
});

describe('real SPXW chain 2019-06-26 15:45 ET (data/real-chains/)', () => {
  const chain = loadEmbeddedSpxw20190626();
  it('loads every row with the documented expiries and underlying quote', () => {
    expect(chain.quotes.length).toBe(10384); // the shared README said 11,153; the file has 10,384
    expect(new Set(chain.quotes.map((q) => q.expiry)).size).toBe(30);
    expect(chain.spot).toBeCloseTo((2917.8 + 2918.42) / 2, 9);
    expect(chain.quotes.some((q) => q.expiry === '2019-06-26')).toBe(true);
  });
  it('rejects bad rows naming file, line and field', () => {
    const head =
      'quote_date,expiration,strike,option_type,bid_size_1545,bid_1545,ask_size_1545,ask_1545,underlying_bid_1545,underlying_ask_1545\n';
    const bad = (row: string) => () => loadRealChain1545(head + row, 'c.csv');
    expect(bad('2019-06-26,2019-06-28,2900,X,1,1,1,1.1,2917.8,2918.4\n')).toThrow(
      /c\.csv:2: field 'option_type'/,
    );
    expect(bad('2019-06-26,2019-06-28,2900,P,1,1.2,1,1.1,2917.8,2918.4\n')).toThrow(
      /field 'ask_1545'.*below the bid/,
    );
    expect(bad('2019-06-26,2019-06-25,2900,P,1,1,1,1.1,2917.8,2918.4\n')).toThrow(/field 'expiration'/);
  });
});

describe('payrolls release rule', () => {
  it('first Friday; second in January when the first is the 1st-3rd; the day before a Friday holiday', () => {
    expect(payrollsReleaseDate(2024, 11)).toBe('2024-11-01');
    expect(payrollsReleaseDate(2025, 1)).toBe('2025-01-10');
    expect(payrollsReleaseDate(2025, 6)).toBe('2025-06-06');
    expect(payrollsReleaseDate(2025, 7)).toBe('2025-07-03');
    expect(payrollsReleaseDate(2026, 1)).toBe('2026-01-09');
  });

  it('the second session of a 2-session expiry carries the holiday before it, the first session its own', () => {
    const md = embedded();
    const h = Math.exp(2 * CALIBRATED_ONE_DAY_VIX_PARAMS.jHoliday);
    // Tue 2024-11-26: sessions Wed 11-27 and Fri 11-29 (Thanksgiving before the second)
    expect(secondSessionVarianceRatioAt(md, '2024-11-26' as IsoDate)).toBeCloseTo(h, 12);
    // Wed 2024-11-27: sessions Fri 11-29 (after the holiday: in the one-day vol) and Mon 12-02
    expect(secondSessionVarianceRatioAt(md, '2024-11-27' as IsoDate)).toBeCloseTo(1 / h, 12);
    // an ordinary Tuesday -> Wed, Thu
    expect(secondSessionVarianceRatioAt(md, '2024-11-19' as IsoDate)).toBe(1);
  });

  it('holidays before the next session: weekday closures only, a weekend counts nothing', () => {
    const h = (x: string) => holidaysBeforeNextSession(x as IsoDate);
    expect(h('2024-11-27')).toBe(1); // Thanksgiving Thursday
    expect(h('2024-11-29')).toBe(0); // Friday half day -> Monday
    expect(h('2025-01-08')).toBe(1); // 2025-01-09, national day of mourning
    expect(h('2025-01-17')).toBe(1); // Martin Luther King Jr. Day Monday
    expect(h('2025-04-17')).toBe(1); // Good Friday
    expect(h('2025-07-03')).toBe(1); // Independence Day Friday
    expect(h('2025-06-17')).toBe(0); // an ordinary Tuesday
  });
});

describe('releases of a later session: the published calendars, as known before the fact', () => {
  const md = embedded();
  const d = (x: string) => x as IsoDate;
  /** `md` as a live signal sees it on `cut`: the last day loaded, no later snapshot. */
  const liveOn = (cut: IsoDate) => ({
    snapshots: md.snapshots.filter((s) => s.date <= cut),
    byDate: (x: IsoDate) => (x <= cut ? md.byDate(x) : undefined),
    data: md.data,
  });

  it('no look-ahead: an emergency FOMC move is not priced the day before, a scheduled one is', () => {
    // 2020-03-03: the unscheduled 50 bp cut at 10:00 ET. Its snapshot knows it; the close before could not.
    expect(md.byDate(d('2020-03-03'))!.events.fomc).toBe(true);
    expect(scheduledFomcOn(md, d('2020-03-03'))).toBe(false);
    expect(oneDayVixFeaturesAt(md, d('2020-03-02'))!.nextSessionFomc).toBe(false);
    expect(fomcDecisionSessionsAt(md, d('2020-03-02'))).toEqual([]);
    // Fri 2020-02-28: sessions Mon 03-02 and Tue 03-03, neither with a release the market knew of
    expect(secondSessionVarianceRatioAt(md, d('2020-02-28'))).toBe(1);
    // the scheduled decision of 2020-01-29 is priced from the close before it
    expect(scheduledFomcOn(md, d('2020-01-29'))).toBe(true);
    expect(oneDayVixFeaturesAt(md, d('2020-01-28'))!.nextSessionFomc).toBe(true);
    const fomc = Math.exp(2 * CALIBRATED_ONE_DAY_VIX_PARAMS.jFomc);
    expect(secondSessionVarianceRatioAt(md, d('2020-01-27'))).toBeCloseTo(fomc, 12);
    expect(fomcDecisionSessionsAt(md, d('2020-01-27'))).toEqual([2]);
    expect(fomcDecisionSessionsAt(md, d('2020-01-29'))).toEqual([0]);
  });

  it('payrolls: the published calendar where it covers the session, the first-Friday rule after it', () => {
    // the 2025 shutdown: no release on the rule's 2025-10-03, the September report on 2025-11-20
    expect(payrollsOn(md, d('2025-10-03'))).toBe(false);
    expect(payrollsOn(md, d('2025-11-20'))).toBe(true);
    expect(payrollsOn(md, d('2025-12-05'))).toBe(false); // the rule's date; released 2025-12-16
    expect(payrollsOn(md, d('2025-12-16'))).toBe(true);
    expect(oneDayVixFeaturesAt(md, d('2025-10-02'))!.nextSessionPayrolls).toBe(false);
    expect(oneDayVixFeaturesAt(md, d('2025-11-19'))!.nextSessionPayrolls).toBe(true);
    // a first Friday too early in the month: 2016-07-08, not the rule's 2016-07-01
    expect(payrollsOn(md, d('2016-07-01'))).toBe(false);
    expect(payrollsOn(md, d('2016-07-08'))).toBe(true);
    // released on Good Friday 2026-04-03 (market closed): the Monday session moves, not the Thursday
    expect(payrollsOn(md, d('2026-04-02'))).toBe(false);
    expect(payrollsOn(md, d('2026-04-06'))).toBe(true);
    // the live session reads the same (one function for a replay and a day after the last snapshot)
    expect(nextSessionReleasesAt(md, d('2025-10-02'))).toEqual({
      nextSessionCpi: false,
      nextSessionFomc: false,
      nextSessionPayrolls: false,
    });
    expect(nextSessionReleasesAt(md, d('2026-11-05')).nextSessionPayrolls).toBe(true); // after the data
    // after the calendar (it ends 2026-10-02): the rule
    expect(payrollsOn(md, d('2026-11-06'))).toBe(true);
    expect(payrollsOn(md, d('2026-11-13'))).toBe(false);
    // the training window: calendar and rule agree on every session, so the fit is the same
    for (const r of trainingRows()) {
      const next = nextTradingDay(r.date);
      expect(payrollsOn(md, next), next).toBe(isPayrollsDay(next));
    }
  });

  it('on the last day of the data (a live signal) the next session is priced as in a replay', () => {
    // Tue 2026-07-28, the eve of a scheduled FOMC decision (before: no FOMC jump, 12.78 against 14.89)
    const fomcEve = liveOn(d('2026-07-28'));
    expect(fomcEve.byDate(d('2026-07-29'))).toBeUndefined();
    expect(oneDayVixAt(fomcEve, d('2026-07-28'))).toEqual(oneDayVixAt(md, d('2026-07-28')));
    expect(fomcDecisionSessionsAt(fomcEve, d('2026-07-28'))).toEqual([1]);
    expect(surfaceInputsAt({ ...md, ...fomcEve }, d('2026-07-28'))!.fomcDecisionSessions).toEqual([1]);
    // Wed 2025-09-10, the eve of a CPI release (Thu 09-11)
    const cpiEve = liveOn(d('2025-09-10'));
    expect(oneDayVixFeaturesAt(cpiEve, d('2025-09-10'))!.nextSessionCpi).toBe(true);
    expect(oneDayVixAt(cpiEve, d('2025-09-10'))).toEqual(oneDayVixAt(md, d('2025-09-10')));
  });
});

/** Training rows: features at each VIX1D close and the close itself. */
function trainingRows(): { date: IsoDate; features: OneDayVixFeatures; vix1d: number }[] {
  const md = embedded();
  return loadEmbeddedVix1d(exchangeIsTradingDay).map((r) => ({
    date: r.date,
    features: oneDayVixFeaturesAt(md, r.date)!,
    vix1d: r.value,
  }));
}

describe('one-day variance model on the VIX1D training file', () => {
  const rows = trainingRows();
  const logRatios = (p = CALIBRATED_ONE_DAY_VIX_PARAMS, sample = rows) =>
    sample.map((r) => Math.log(modelOneDayVix(r.features, p) / r.vix1d));

  it('every training day has its features (VIX9D and 5 earlier closes)', () => {
    expect(rows.every((r) => r.features !== undefined)).toBe(true);
  });

  it('the intraday share of a session variance is what the embedded SPX bars give, 2017-01-03 .. 2026-08-21', () => {
    const md = embedded();
    const s = md.snapshots;
    const sums = { ordinary: [0, 0, 0], fomc: [0, 0, 0] };
    for (let i = 1; i < s.length; i++) {
      const d = s[i]!;
      const open = d.spx.open;
      if (d.date < '2017-01-01' || d.date > '2026-08-21' || open === null || !(open > 0)) continue;
      const x = scheduledFomcOn(md, d.date) ? sums.fomc : sums.ordinary;
      x[0]! += Math.log(d.spx.close / open) ** 2;
      x[1]! += Math.log(d.spx.close / s[i - 1]!.spx.close) ** 2;
      x[2]!++;
    }
    expect(sums.ordinary[2]).toBe(2346);
    expect(sums.fomc[2]).toBe(76);
    const share = (x: number[]) => x[0]! / x[1]!;
    expect(share(sums.ordinary)).toBeCloseTo(INTRADAY_SHARE_OF_SESSION_VARIANCE, 3);
    expect(share(sums.fomc)).toBeCloseTo(FOMC_DAY_INTRADAY_SHARE_OF_SESSION_VARIANCE, 3);
  });

  it('the intraday variance profile is what the embedded hourly SPX bars give, 2023-09-15 .. 2026-08-21', () => {
    const md = embedded();
    const bars = loadIntradayBars({ resolutions: [60] });
    const closes = new Map(md.snapshots.map((s) => [s.date, s.spx.close] as const));
    const close = (d: IsoDate) => closes.get(d);
    const all = bars.dates('spx').map((date) => bars.day(date, { resolutionMinutes: 60 })!);
    const days = all.filter((x) => !scheduledFomcOn(md, x.date));
    const fomcDays = all.filter((x) => scheduledFomcOn(md, x.date));
    const p = measureIntradayVarianceProfile(days, close);
    expect(p.sessions).toBe(703);
    expect(p.setAside).toEqual([
      '2025-03-04',
      '2025-04-04',
      '2025-04-07',
      '2025-04-08',
      '2025-04-09',
      '2025-04-10',
      '2025-04-16',
      '2025-11-20',
    ]);
    const marks = INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS;
    for (let k = 0; k <= 7; k++) expect(p.left[k]!, `mark ${k}`).toBeCloseTo(marks[k]!, 3);
    // the same, measured directly: the variance from each mark to the official close
    for (let k = 0; k < 7; k++) expect(Math.abs(p.direct[k]! - marks[k]!), `mark ${k}`).toBeLessThan(0.03);
    // front-loaded: less than an even spread would leave at every mark but the last
    for (let k = 1; k <= 5; k++) expect(p.left[k]!).toBeLessThan((6.5 - k) / 6.5);
    expect(p.left[6]!).toBeGreaterThan(0.5 / 6.5);
    // without setting the shock days aside, 2025-04-09 alone makes the 12:30 ET hour (0.182 of the
    // variance, against 0.125) busier than the 10:30 ET hour after the open
    const kept = measureIntradayVarianceProfile(days, close, 0);
    const hour = (x: typeof p, k: number) => x.left[k]! - x.left[k + 1]!;
    expect(kept.setAside).toEqual([]);
    expect(hour(kept, 3)).toBeCloseTo(0.182, 3);
    expect(hour(p, 3)).toBeCloseTo(0.125, 3);
    expect(hour(kept, 3)).toBeGreaterThan(hour(kept, 1));
    expect(hour(p, 3)).toBeLessThan(hour(p, 1));

    // Scheduled FOMC decision days: every one kept, the statement at 14:00 ET holds the variance back
    const f = measureIntradayVarianceProfile(fomcDays, close, 0);
    expect(f.sessions).toBe(24);
    const fomcMarks = FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS;
    for (let k = 0; k <= 7; k++) expect(f.left[k]!, `FOMC mark ${k}`).toBeCloseTo(fomcMarks[k]!, 3);
    for (let k = 0; k < 7; k++) expect(Math.abs(f.direct[k]! - fomcMarks[k]!), `FOMC ${k}`).toBeLessThan(0.1);
    // resampling the 24 sessions (seeded), the share left at 13:30 ET stays far above other days'
    let seed = 20261208;
    const draw = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * fomcDays.length);
    };
    const at1330: number[] = [];
    for (let b = 0; b < 400; b++) {
      const sample = fomcDays.map(() => fomcDays[draw()]!);
      at1330.push(measureIntradayVarianceProfile(sample, close, 0).left[4]!);
    }
    at1330.sort((a, b) => a - b);
    expect(at1330[10]!).toBeGreaterThan(0.6); // the 2.5% quantile
    expect(marks[4]!).toBeLessThan(0.3);
  });

  it('the calibrated parameters are the least-squares fit of the training file', () => {
    const p = fitOneDayVix(rows);
    for (const [k, v] of Object.entries(CALIBRATED_ONE_DAY_VIX_PARAMS)) {
      expect(p[k as keyof typeof p], k).toBeCloseTo(v, 3);
    }
  });

  it('without VIX9D the fallback on VIX: its parameters are the fit of the same file; larger error, no bias', () => {
    const md = embedded();
    const withVix = loadEmbeddedVix1d(exchangeIsTradingDay).map((r) => ({
      features: oneDayVixFromVixFeaturesAt(md, r.date)!,
      vix1d: r.value,
    }));
    const p = fitOneDayVixFromVix(withVix);
    for (const [k, v] of Object.entries(CALIBRATED_ONE_DAY_VIX_FROM_VIX_PARAMS)) {
      expect(p[k as keyof typeof p], k).toBeCloseTo(v, 3);
    }
    const lr = withVix.map((r) => Math.log(modelOneDayVixFromVix(r.features) / r.vix1d));
    expect(median(lr.map(Math.abs))).toBeGreaterThan(0.08); // VIX is a 30-day index: looser than VIX9D
    expect(median(lr.map(Math.abs))).toBeLessThan(0.1);
    expect(Math.abs(median(lr))).toBeLessThan(0.02);
    const cut = Math.floor((withVix.length * 2) / 3);
    const early = fitOneDayVixFromVix(withVix.slice(0, cut));
    const oos = withVix.slice(cut).map((r) => Math.log(modelOneDayVixFromVix(r.features, early) / r.vix1d));
    expect(median(oos.map(Math.abs))).toBeLessThan(0.11);
    // the embedded VIX9D has a hole 2026-07-23 .. 08-20: those days use the fallback, not the old
    // term structure (which put the 2026-08-03 one-day VIX at 18.05 with VIX at 15.86)
    const hole = '2026-08-03' as IsoDate;
    expect(md.byDate(hole)!.vix9d).toBeNull();
    expect(oneDayVixFeaturesAt(md, hole)).toBeUndefined();
    const one = oneDayVixAt(md, hole)!;
    expect(one.source).toBe('model-from-vix');
    expect(one.value).toBe(modelOneDayVixFromVix(oneDayVixFromVixFeaturesAt(md, hole)!));
    expect(one.value).toBeLessThan(md.byDate(hole)!.vix!);
    expect(oneDayVixAt(md, '2026-07-22' as IsoDate)!.source).toBe('model');
  });

  it('in sample: median |log(model/VIX1D)| 0.067, median log ratio about 0', () => {
    const lr = logRatios();
    expect(median(lr.map(Math.abs))).toBeLessThan(0.07);
    expect(Math.abs(median(lr))).toBeLessThan(0.02);
  });

  it('time split (fit before 2025-03-31, check after): median |log ratio| 0.081, median log(model/VIX1D) +0.006', () => {
    const cut = Math.floor((rows.length * 2) / 3);
    const p = fitOneDayVix(rows.slice(0, cut));
    const lr = logRatios(p, rows.slice(cut));
    expect(rows[cut]!.date).toBe('2025-03-31');
    expect(median(lr.map(Math.abs))).toBeLessThan(0.085);
    expect(Math.abs(median(lr))).toBeLessThan(0.02);
  });

  it('holidays: the nine pre-holiday closes sit under a model without the term, on the model with it', () => {
    const hol = rows.filter((r) => r.features.holidaysBeforeNextSession > 0);
    expect(hol.map((r) => r.date)).toEqual([
      '2024-11-27',
      '2024-12-24',
      '2024-12-31',
      '2025-01-08',
      '2025-01-17',
      '2025-02-14',
      '2025-04-17',
      '2025-05-23',
      '2025-06-18',
    ]);
    // surface 1.3.0's least-squares fit of the same file without the holiday term
    const without = {
      a: -0.9707,
      bNine: 1.1289,
      bRealized: 0.0875,
      bCalendar: 0.5165,
      jCpi: 0.1882,
      jFomc: 0.1332,
      jPayrolls: 0.1802,
      jHoliday: 0,
    };
    const lrWithout = logRatios(without, hol);
    expect(lrWithout.filter((x) => x < 0).length).toBe(7);
    expect(median(lrWithout)).toBeLessThan(-0.09);
    expect(Math.abs(median(logRatios(CALIBRATED_ONE_DAY_VIX_PARAMS, hol)))).toBeLessThan(0.03);
    // the term is a pure variance multiplier: one holiday scales the modelled VIX1D by exp(jHoliday)
    const f = hol[0]!.features;
    const ratio = modelOneDayVix(f) / modelOneDayVix({ ...f, holidaysBeforeNextSession: 0 });
    expect(ratio).toBeCloseTo(Math.exp(CALIBRATED_ONE_DAY_VIX_PARAMS.jHoliday), 12);
  });

  it('the VIX method on the modelled 1DTE chain (the VIX1D calculation) tracks VIX1D; surface 1.1.0 did not', () => {
    const md = embedded();
    // Model-only one-day vol (no real VIX1D), as on a day outside the training file.
    const oneDay = (d: IsoDate) => modelOneDayVix(oneDayVixFeaturesAt(md, d)!);
    const vixMethod = (shortDated: null | undefined) => {
      const src = new ModelledChainSource({
        inputs: (d) => {
          const inp = surfaceInputsAt(md, d);
          return inp && { ...inp, oneDayVix: oneDay(d) };
        },
        ...(shortDated === null ? { shortDated: null } : {}),
        cacheSize: 4,
      });
      return rows.map((r) => {
        const front = src.chain(r.date, src.expirations(r.date)[0]!)!;
        // annualised in business time, as Cboe's VIX1D is (one session = 1/252 year)
        const term = vixFromChains({ chain: front, rate: md.byDate(r.date)!.rate!.r }).terms[0]!;
        const v = businessTimeVix(term, shortDatedBusinessYears(r.date, front.quoteTimeUtcMs, front.expiry));
        return { vsVix1d: Math.log(v / r.vix1d), vsInput: Math.log(v / oneDay(r.date)) };
      });
    };
    const now = vixMethod(undefined);
    const before = vixMethod(null);
    // atmPerOneDayVix makes the VIX method give back the one-day vol it was built from (median).
    expect(Math.abs(median(now.map((x) => x.vsInput)))).toBeLessThan(0.01);
    expect(median(now.map((x) => Math.abs(x.vsVix1d)))).toBeLessThan(0.1);
    expect(Math.abs(median(now.map((x) => x.vsVix1d)))).toBeLessThan(0.03);
    // 1.1.0's term structure read the same way (business time): 0.148, twice the short regime's error
    expect(median(before.map((x) => Math.abs(x.vsVix1d)))).toBeGreaterThan(0.14);
    expect(median(before.map((x) => Math.abs(x.vsVix1d)))).toBeGreaterThan(
      2 * median(now.map((x) => Math.abs(x.vsVix1d))),
    );
  });

  it('uses the real VIX1D on a training day, the model elsewhere', () => {
    const md = embedded();
    expect(oneDayVixAt(md, '2024-10-01' as IsoDate)).toEqual({ value: 14.63, source: 'VIX1D' });
    expect(oneDayVixAt(md, '2025-08-01' as IsoDate)?.source).toBe('model');
  });
});
