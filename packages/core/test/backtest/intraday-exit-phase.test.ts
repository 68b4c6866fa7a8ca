import { describe, expect, it } from 'vitest';
import { syntheticChain } from '../../../../test/support/chains';
import { syntheticJune2024 } from '../../../../test/support/synthetic-june-2024';
import {
  type BacktestResult,
  type BacktestSession,
  buyFillDebit,
  CALIBRATED_SHORT_DATED_PARAMS,
  type ChainSource,
  INTRADAY_SHARE_OF_SESSION_VARIANCE,
  type IntradayBacktestInputs,
  type IntradayBar,
  type IntradayDay,
  type IsoDate,
  ModelledChainSource,
  modelCondorPricer,
  type OptionChain,
  ORATS_LIKE_FILL,
  resolveConfig,
  runBacktest,
  type SurfaceInputs,
  sessionVwap,
  shortDatedVolFn,
  strikeIndex,
  surfaceCondorPricer,
  type VolSurface,
} from '../../src/index';

// The synthetic June 2024 month: its 2024-06-14 drop of 34 points lands just inside the previous day's put short.
const { spxOf, chains, vixOptions, sessions } = syntheticJune2024({ dropPoints: 34 });

/*
 * Issue 16, the intraday exit phase wired into the runner: a hand-built expiry day on which a
 * 2 x credit stop fires at a known hourly bar and fills at a known price, a poisoned later bar that
 * must not change it, the daily-OHLC approximation's ordering on a day without bars, and the report.
 */

const cfg = resolveConfig('vixshield', { entry: { tierPolicy: 'highest-allowed' } });
const opts = {
  initialEquity: 100_000,
  fill: ORATS_LIKE_FILL,
  pricesSource: { kind: 'modelled' as const, detail: 'synthetic test smile' },
};
const VOL = 0.14;
// A flat 14% surface, the synthetic chains' ATM vol. It has no one-day vol, so the phase marks with
// impliedVol (the short-dated regime needs one: surfaceCondorPricer).
const flatSurface = { impliedVol: () => VOL, inputs: {} } as unknown as VolSurface;

function hourlyDay(date: IsoDate, closes: readonly number[]): IntradayDay {
  const bars: IntradayBar[] = closes.map((c, i) => {
    const o = i === 0 ? c : (closes[i - 1] as number);
    return { startEt: 570 + 60 * i, open: o, high: Math.max(o, c), low: Math.min(o, c), close: c };
  });
  return {
    date,
    symbol: 'spx',
    source: 'bars',
    resolutionMinutes: 60,
    windowOpenEt: 570,
    windowCloseEt: 960,
    bars,
    closingPrint: null,
    missingStartsEt: [],
  };
}

function inputs(days: ReadonlyMap<string, IntradayDay>): IntradayBacktestInputs {
  // Plain calendar time: the flat 14% is then the vol of every mark, as the reference pricer reads it.
  return {
    bars: (d) => days.get(d),
    surface: () => flatSurface,
    nonTradingDayVarianceWeight: null,
    description: 'hand-built hourly bars',
  };
}

const run = (c: typeof cfg, intraday?: IntradayBacktestInputs, s: readonly BacktestSession[] = sessions) =>
  runBacktest(s, { chains: chains(), vixOptions }, c, { ...opts, ...(intraday ? { intraday } : {}) });

const base = run(cfg);
// A 1DTE condor that expired worthless in the daily run: its expiry day gets the hand-built bars.
const held = base.trades.find((t) => t.exit === 'expired' && t.openedOn < t.expiry)!;
const D = held.expiry;
const prevSpx = spxOf.get(held.openedOn)!;
// 09:30-13:30 quiet at the entry level; the 12:30-13:30 ET bar (index 3) closes 10 points below the
// put short; the last bars climb back.
const closes = [
  prevSpx,
  prevSpx + 2,
  prevSpx - 1,
  held.strikes.putShort - 10,
  prevSpx - 20,
  prevSpx,
  prevSpx,
];
const stopCfg = resolveConfig('vixshield', {
  entry: { tierPolicy: 'highest-allowed' },
  exits: { intraday: { stopCreditMultiple: 2, daysWithoutBars: 'hold' } },
});

describe('intraday exit phase in the backtest runner (issue 16)', () => {
  const pricer = modelCondorPricer({ strikes: held.strikes, r: 0.05, q: 0.013, vol: VOL });
  const withStop = run(stopCfg, inputs(new Map([[D, hourlyDay(D, closes)]])));

  it('the hand-built day: quiet bars do not stop, the 13:30 ET bar does (reference pricer)', () => {
    // Minutes to the 16:00 ET settlement at each bar close: 360, 300, 240, 180, ...
    for (let i = 0; i < 3; i++) {
      const q = pricer(closes[i]!, 360 - 60 * i)!;
      expect(q.mid).toBeLessThan(2 * held.entryCredit);
    }
    expect(pricer(closes[3]!, 150)!.mid).toBeGreaterThanOrEqual(2 * held.entryCredit);
  });

  it('a stop triggers at the known bar and fills at the known price', () => {
    const t = withStop.trades.find((x) => x.id === held.id)!;
    const q = pricer(closes[3]!, 150)!;
    const expectedFill = buyFillDebit(q.mid, q.natural, 4, ORATS_LIKE_FILL);
    expect(t.exit).toBe('closed');
    expect(t.closedOn).toBe(D);
    expect(t.exitDebit).toBeCloseTo(expectedFill, 10);
    expect(t.exitDebit).toBeGreaterThan(q.mid);
    expect(t.exitDebit).toBeLessThan(q.natural);
    const rec = withStop.intraday!.exits.find((e) => e.positionId === held.id)!;
    expect(rec).toMatchObject({ date: D, atEt: '13:30', rule: 'stop-credit-multiple', source: 'bars' });
    expect(rec.spot).toBe(closes[3]);
    expect(rec.minutesToExpiry).toBe(150);
    // The daily run held it to a worthless expiry: the stop is a loss the daily backtest never saw.
    expect(t.pnl).toBeLessThan(held.pnl);
  });

  it('a poisoned later bar does not change the earlier exit', () => {
    const poisoned = [...closes.slice(0, 4), 1, 99_999, Number.NaN];
    const r = run(stopCfg, inputs(new Map([[D, hourlyDay(D, poisoned)]])));
    const a = withStop.trades.find((x) => x.id === held.id)!;
    const b = r.trades.find((x) => x.id === held.id)!;
    expect(b).toEqual(a);
    expect(r.intraday!.exits.find((e) => e.positionId === held.id)).toEqual(
      withStop.intraday!.exits.find((e) => e.positionId === held.id),
    );
  });

  it('reports every session as bars, approximation or neither', () => {
    const x = withStop.intraday!;
    expect(x.sessions).toEqual({ bars: 1, ohlcApproximation: 0, neither: sessions.length - 1 });
    expect(x.exitsByRule['stop-credit-multiple']).toBe(x.exits.length);
    expect(withStop.assumptions.some((a) => a.includes('Intraday exits'))).toBe(true);
  });

  it('no rule set: the counts are reported, everything else is the run without intraday inputs', () => {
    const days = new Map([[D, hourlyDay(D, closes)]]);
    const none = run(cfg, inputs(days));
    expect(none.intraday).toMatchObject({
      rulesSet: false,
      sessions: { bars: 1, ohlcApproximation: 0, neither: sessions.length - 1 },
      condorDays: { bars: 0, ohlcApproximation: 0, neither: 0 },
      marks: { real: 0, modelled: 0 },
      exits: [],
    });
    expect(base.intraday).toMatchObject({
      rulesSet: false,
      sessions: { bars: 0, ohlcApproximation: 0, neither: sessions.length },
    });
    // The bars day is quiet at the entry level: its TWAP moves no rollback decision here.
    const { intraday: _a, ...rest } = none;
    const { intraday: _b, ...restBase } = base;
    expect(JSON.stringify(rest)).toBe(JSON.stringify(restBase));
  });

  it('a day without bars uses the daily-OHLC approximation, the adverse extreme (the low) first', () => {
    // The same expiry day with only a daily bar: the low is the put short - 10 (adverse), the high a
    // quarter of the way from the entry level to the call short (far from it, whichever way the
    // balanced RSAi placed the shorts).
    const low = held.strikes.putShort - 10;
    const top = Math.max(prevSpx, spxOf.get(D)!); // the bar's high is at least its open and close
    const high = top + 0.25 * (held.strikes.callShort - top);
    const withOhlc: BacktestSession[] = sessions.map((s) =>
      s.date === D ? { ...s, spxDaily: { open: prevSpx, high, low, close: spxOf.get(D)! } } : s,
    );
    const approxCfg = resolveConfig('vixshield', {
      entry: { tierPolicy: 'highest-allowed' },
      exits: { intraday: { stopCreditMultiple: 2 } },
    });
    const r: BacktestResult = run(approxCfg, inputs(new Map()), withOhlc);
    expect(r.intraday!.sessions).toEqual({ bars: 0, ohlcApproximation: 1, neither: sessions.length - 1 });
    const rec = r.intraday!.exits.find((e) => e.positionId === held.id)!;
    expect(rec.source).toBe('ohlc-approximation');
    // The path reaches the low at 1/3 of the session (11:40 ET) on 5-minute synthetic bars: the stop
    // fires on the way down, before the high, at or before 11:40.
    expect(rec.atEt <= '11:40').toBe(true);
    expect(rec.spot).toBeLessThan(prevSpx);
    expect(rec.spot).toBeGreaterThanOrEqual(low);
    // Had the favourable extreme come first, the path would rise to the high until 11:40 and reach
    // the low only at 13:50 (2/3): the stop would fire after 11:40. The mirror day (the high beyond the
    // call short, a shallow low) takes the high first and stops on the way up.
    const mirror: BacktestSession[] = sessions.map((s) =>
      s.date === D
        ? {
            ...s,
            spxDaily: { open: prevSpx, high: held.strikes.callShort + 10, low: prevSpx - 5, close: prevSpx },
          }
        : s,
    );
    const up = run(approxCfg, inputs(new Map()), mirror).intraday!.exits.find(
      (e) => e.positionId === held.id,
    )!;
    expect(up.source).toBe('ohlc-approximation');
    expect(up.atEt <= '11:40').toBe(true);
    expect(up.spot).toBeGreaterThan(prevSpx);
    // 'hold' on days without bars: the approximation is off and the day counts as neither.
    const hold = run(stopCfg, inputs(new Map()), withOhlc);
    expect(hold.intraday!.sessions.ohlcApproximation).toBe(0);
    expect(hold.trades.find((x) => x.id === held.id)!.exit).toBe('expired');
  });
});

describe('intraday marks from recorded real quotes (issue 16)', () => {
  const stopCfg2 = resolveConfig('vixshield', {
    entry: { tierPolicy: 'highest-allowed' },
    exits: { intraday: { stopCreditMultiple: 2, daysWithoutBars: 'hold' } },
  });
  // A recorded SPXW chain of the held condor's expiry on its expiry day, quoted at `timeCt` (Chicago):
  // the market then prices the day's options far richer (100% vol) than the model's flat 14%, so the
  // condor costs more than twice its credit there while the model says it is cheap.
  function recorded(timeCt: string): OptionChain {
    const c = syntheticChain({
      asOf: D,
      expiry: D,
      spot: closes[1]!,
      atmVol: 1.0,
      halfWidth: 120,
      timeCt,
    });
    return { ...c, source: { kind: 'real', vendor: 'test recorder', file: 'hand-built' } };
  }
  // The run's chain source: the same daily chains, plus the day's recorded quotes for intraday marks.
  const withRecorded = (rec: readonly OptionChain[]): ChainSource => ({
    ...chains(),
    quotesOn: (asOf, expiry) => rec.filter((c) => c.asOf === asOf && c.expiry === expiry),
  });
  const runWith = (rec: readonly OptionChain[]) =>
    runBacktest(sessions, { chains: withRecorded(rec), vixOptions }, stopCfg2, {
      ...opts,
      intraday: inputs(new Map([[D, hourlyDay(D, closes)]])),
    });
  // The condor's cost to close from a chain's bid/ask, leg by leg (independent of the pricer code).
  function legsCost(c: OptionChain): { mid: number; natural: number } {
    const k = held.strikes;
    const at = (K: number) => strikeIndex(c, K);
    const mid = (bid: Float64Array, ask: Float64Array, K: number) => (bid[at(K)]! + ask[at(K)]!) / 2;
    return {
      mid:
        mid(c.putBid, c.putAsk, k.putShort) -
        mid(c.putBid, c.putAsk, k.putLong) +
        mid(c.callBid, c.callAsk, k.callShort) -
        mid(c.callBid, c.callAsk, k.callLong),
      natural:
        c.putAsk[at(k.putShort)]! -
        c.putBid[at(k.putLong)]! +
        c.callAsk[at(k.callShort)]! -
        c.callBid[at(k.callLong)]!,
    };
  }
  const model = modelCondorPricer({ strikes: held.strikes, r: 0.05, q: 0.013, vol: VOL });

  it('a recorded chain 2 minutes before the 11:30 ET bar close marks the condor there; the stop follows it', () => {
    const chain = recorded('10:28'); // 11:28 ET
    const real = legsCost(chain);
    // The real mark and the model's differ, and only the real one is past the stop.
    expect(real.mid).toBeGreaterThanOrEqual(2 * held.entryCredit);
    expect(model(closes[1]!, 270)!.mid).toBeLessThan(2 * held.entryCredit);
    const r = runWith([chain]);
    const rec = r.intraday!.exits.find((e) => e.positionId === held.id)!;
    expect(rec).toMatchObject({ atEt: '11:30', rule: 'stop-credit-multiple', quotes: 'real' });
    expect(rec.closeMid).toBeCloseTo(real.mid, 10);
    expect(rec.reason).toContain('real quotes of test recorder stamped 11:28 ET');
    const t = r.trades.find((x) => x.id === held.id)!;
    // Filled under the run's fill model on the real bid/ask.
    expect(t.exitDebit).toBeCloseTo(buyFillDebit(real.mid, real.natural, 4, ORATS_LIKE_FILL), 10);
    // Counted: one mark from real quotes (11:30), the other bar closes of the run modelled.
    expect(r.intraday!.marks.real).toBe(1);
    expect(r.intraday!.marks.modelled).toBe(r.intraday!.barsEvaluated - r.intraday!.barsUnpriceable - 1);
    // Without the recorded chain the model stops it later, at 13:30 ET.
    expect(withStopExit().atEt).toBe('13:30');
  });

  it('a quote stamped after the bar close is never used (nor one older than the age limit)', () => {
    // 11:31 ET: one minute after the 11:30 bar close; at the 12:30 close it is 59 minutes old.
    const late = runWith([recorded('10:31')]);
    const rec = late.intraday!.exits.find((e) => e.positionId === held.id)!;
    expect(rec).toMatchObject({ atEt: '13:30', quotes: 'modelled' });
    expect(late.intraday!.marks.real).toBe(0);
    expect(JSON.stringify(late.trades)).toBe(JSON.stringify(runWith([]).trades));
  });

  function withStopExit() {
    return runWith([]).intraday!.exits.find((e) => e.positionId === held.id)!;
  }
});

describe('the rollback rule input: TWAP where bars exist, missing elsewhere', () => {
  it('TWAP of the closed bars, named TWAP; without bars the input is named missing', () => {
    const d = hourlyDay('2024-06-05' as IsoDate, [100, 102, 104, 106, 108, 110, 112]);
    const v = sessionVwap(d, '15:10', 99);
    // ohlc4 per bar, each weighted by its minutes (the 15:30 bar is half an hour).
    const px = d.bars.map((b) => (b.open + b.high + b.low + b.close) / 4);
    const w = d.bars.map((b) => Math.min(b.startEt + 60, 960) - b.startEt);
    const expected = px.reduce((s, p, i) => s + p * w[i]!, 0) / w.reduce((a, b) => a + b, 0);
    expect(v.kind).toBe('twap');
    expect(v.value).toBeCloseTo(expected, 12);
    expect(v.label).toMatch(/^TWAP .* hourly bars .*not a VWAP/);
    // At 12:00 CT (13:00 ET) only the bars closed by then count: 09:30-12:30 ET.
    expect(sessionVwap(d, '12:00', 99).value).toBeCloseTo((px[0]! + px[1]! + px[2]!) / 3, 12);
    const missing = sessionVwap(undefined, '15:10', 99);
    expect(missing).toMatchObject({ value: 99, kind: 'typical-price' });
    expect(missing.label).toMatch(/VWAP input missing/);
    expect(sessionVwap(undefined, '15:10', null).value).toBeNull();
  });
});

describe('surfaceCondorPricer: a live 0-2 session condor is marked by the model that priced it', () => {
  const inputs: SurfaceInputs = { spot: 5000, r: 0.04, q: 0.015, vix: 15, vix9d: 14, oneDayVix: 12 };
  const src = new ModelledChainSource({ inputs: () => inputs });
  const thu = '2024-06-13' as IsoDate;
  const fri = '2024-06-14' as IsoDate;
  const chain = src.chain(thu, fri)!;
  const surface = src.surface(thu)!;
  const at = (k: number) => Array.from(chain.strikes).indexOf(k);
  const strikes = { putLong: 4920, putShort: 4925, callShort: 5075, callLong: 5080 };
  const p = { strikes, expiry: fri, settlement: 'PM' as const };
  const settleMs = Date.UTC(2024, 5, 14, 20, 0);
  const mid = (put: boolean, k: number) =>
    put
      ? (chain.putBid[at(k)]! + chain.putAsk[at(k)]!) / 2
      : (chain.callBid[at(k)]! + chain.callAsk[at(k)]!) / 2;

  it("at the entry instant it prices each leg at the modelled chain's own vol: one model for entry and marks", () => {
    const pricer = surfaceCondorPricer(surface, p, inputs.r, inputs.q, { surfaceDate: thu, date: thu });
    const minutes = (settleMs - chain.quoteTimeUtcMs) / 60_000;
    const ref = modelCondorPricer({ strikes, r: inputs.r, q: inputs.q, vol: (k) => chain.putIv[at(k)]! });
    expect(pricer(5000, minutes)!.mid).toBeCloseTo(ref(5000, minutes)!.mid, 12);
    expect(pricer(5000, minutes)!.natural).toBeCloseTo(ref(5000, minutes)!.natural, 12);
    // and the chain's quoted mids agree within a tick per leg
    const fromChain = mid(true, 4925) - mid(true, 4920) + mid(false, 5075) - mid(false, 5080);
    expect(Math.abs(pricer(5000, minutes)!.mid - fromChain)).toBeLessThan(0.1);
  });

  it('on the expiry session the variance left is the rest of that session, on the one-day vol in business time', () => {
    const pricer = surfaceCondorPricer(surface, p, inputs.r, inputs.q, { surfaceDate: thu, date: fri });
    const main = surfaceCondorPricer(surface, p, inputs.r, inputs.q, { surfaceDate: thu, date: fri }, null);
    // 12:30 ET (16:30 UTC), 3.5 of 6.5 hours left: of the open-to-close share of the session's variance,
    // 0.410 is still to come at that hourly mark (INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS[3])
    const minutes = 210;
    const units = 0.41 * INTRADAY_SHARE_OF_SESSION_VARIANCE;
    const scale = Math.sqrt(units / 252 / (minutes / 525_600));
    const vol = shortDatedVolFn(surface, CALIBRATED_SHORT_DATED_PARAMS, scale)!;
    const ref = modelCondorPricer({ strikes, r: inputs.r, q: inputs.q, vol: (k, y) => vol(k, y) });
    const short = pricer(5000, minutes)!.mid;
    expect(short).toBeCloseTo(ref(5000, minutes)!.mid, 12);
    // the ATM of that mark: 0.932 x 12% x scale (1.55; 1.77 were the variance spread evenly)
    expect(vol(surface.forward(minutes / 525_600), minutes / 525_600)).toBeCloseTo(0.932 * 0.12 * scale, 12);
    expect(scale).toBeCloseTo(1.549, 3);
    // without the short regime the surface's own vol prices it, on the same session clock: the rest of
    // the session as trading time (a = 7 / 5.2 per trading day), 0.41 x 0.589 of a session in 3.5 hours
    const ratio = ((7 / 5.2) * units) / (minutes / 1440);
    const termRef = modelCondorPricer({
      strikes,
      r: inputs.r,
      q: inputs.q,
      vol: (k, y) => surface.impliedVol(k, y) * Math.sqrt(ratio),
    });
    expect(main(5000, minutes)!.mid).toBeCloseTo(termRef(5000, minutes)!.mid, 12);
  });

  it('on a scheduled FOMC decision session the marks read its own share and profile', () => {
    // the same surface, with Friday (session 1 of Thursday's surface) a decision day
    const fomcSrc = new ModelledChainSource({ inputs: () => ({ ...inputs, fomcDecisionSessions: [1] }) });
    const fomcSurface = fomcSrc.surface(thu)!;
    const pricer = surfaceCondorPricer(fomcSurface, p, inputs.r, inputs.q, { surfaceDate: thu, date: fri });
    const plain = surfaceCondorPricer(surface, p, inputs.r, inputs.q, { surfaceDate: thu, date: fri });
    // 12:30 ET: 0.759 of the session's variance is open-to-close and 0.833 of it still to come
    const minutes = 210;
    const scale = Math.sqrt((0.833 * 0.759) / 252 / (minutes / 525_600));
    const vol = shortDatedVolFn(fomcSurface, CALIBRATED_SHORT_DATED_PARAMS, scale)!;
    const ref = modelCondorPricer({ strikes, r: inputs.r, q: inputs.q, vol: (k, y) => vol(k, y) });
    expect(pricer(5000, minutes)!.mid).toBeCloseTo(ref(5000, minutes)!.mid, 12);
    expect(pricer(5000, minutes)!.mid).toBeGreaterThan(1.3 * plain(5000, minutes)!.mid);
    // Thursday's own marks (session 0) are not a decision day's
    const thuMinutes = (settleMs - chain.quoteTimeUtcMs) / 60_000;
    const thuFomc = surfaceCondorPricer(fomcSurface, p, inputs.r, inputs.q, { surfaceDate: thu, date: thu });
    const thuPlain = surfaceCondorPricer(surface, p, inputs.r, inputs.q, { surfaceDate: thu, date: thu });
    expect(thuFomc(5000, thuMinutes)!.mid).toBe(thuPlain(5000, thuMinutes)!.mid);
  });

  it('an expiry beyond two sessions of the surface date keeps the surface vol', () => {
    const later = { strikes, expiry: '2024-06-21' as IsoDate, settlement: 'PM' as const };
    const a = surfaceCondorPricer(surface, later, inputs.r, inputs.q, { surfaceDate: thu, date: fri });
    const b = surfaceCondorPricer(surface, later, inputs.r, inputs.q, { surfaceDate: thu, date: fri }, null);
    expect(a(5000, 3 * 1440)).toEqual(b(5000, 3 * 1440));
  });

  it('an inverted front: a later expiry is never marked below the 2-session one (no calendar arbitrage in marks)', () => {
    // One-day vol 40 against VIX9D 14: the 2-session expiry (Mon 06-17) carries far more variance than the
    // term regime puts on the 3-session one (Tue 06-18); the mark on Friday 12:30 ET floors the later one.
    const hot = new ModelledChainSource({ inputs: () => ({ ...inputs, oneDayVix: 40 }) }).surface(thu)!;
    const wide = { putLong: 4800, putShort: 4900, callShort: 5100, callLong: 5200 };
    const mark = (expiry: string, shortDated?: null) =>
      surfaceCondorPricer(
        hot,
        { strikes: wide, expiry: expiry as IsoDate, settlement: 'PM' },
        inputs.r,
        inputs.q,
        { surfaceDate: thu, date: fri },
        shortDated,
      );
    const minutesTo = (expiry: string) =>
      (Date.parse(`${expiry}T20:00:00Z`) - Date.UTC(2024, 5, 14, 16, 30)) / 60_000;
    const two = mark('2024-06-17')(5000, minutesTo('2024-06-17'))!.mid;
    const three = mark('2024-06-18')(5000, minutesTo('2024-06-18'))!.mid;
    const threeUnfloored = mark('2024-06-18', null)(5000, minutesTo('2024-06-18'))!.mid;
    // a condor is short premium: more variance, a larger debit to close
    expect(three).toBeGreaterThanOrEqual(two - 1e-9);
    expect(threeUnfloored).toBeLessThan(two);
  });
});
