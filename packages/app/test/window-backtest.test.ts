import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EQUITY_USD,
  type IsoDate,
  MID_FILL,
  ORATS_LIKE_FILL,
  resolveConfig,
  runBacktest,
  sessionsFromSnapshots,
} from '../../core/src/index';
import { embeddedPorts, type MarketData } from '../../data/src/index';
import {
  dataVersion,
  intradayBacktestInputs,
  marketData,
  runWindowBacktest,
  type WindowBacktestKeyParts,
  windowBacktestKey,
  windowSessions,
} from '../src/index';

const from = '2024-06-03' as IsoDate;
const to = '2024-06-28' as IsoDate;
const prices = { kind: 'modelled', detail: 'test' } as const;

describe('the window backtest use case', () => {
  const md = marketData();
  const config = resolveConfig('vixshield');
  const request = {
    md,
    config,
    from,
    to,
    fill: ORATS_LIKE_FILL,
    initialEquityUsd: DEFAULT_EQUITY_USD,
    pricesSource: prices,
  };

  it('gives what runBacktest gives over the same sessions, built from the snapshots up to `to` only', () => {
    const run = runWindowBacktest(request);
    const upTo = md.snapshots.filter((s) => s.date <= to);
    const sessions = sessionsFromSnapshots(upTo, {
      timeCt: config.entry.timeCt,
      zLookbackDays: config.hedge.trigger.zLookbackDays,
    }).sessions.filter((s) => s.date >= from);
    const ports = embeddedPorts(md, { quoteTimeCt: config.entry.timeCt });
    // The same intraday inputs the use case passes (the embedded hourly bars: counts in the report).
    const direct = runBacktest(sessions, ports, config, {
      initialEquity: DEFAULT_EQUITY_USD,
      fill: ORATS_LIKE_FILL,
      pricesSource: prices,
      intraday: intradayBacktestInputs(ports.chains),
    });
    expect(JSON.stringify(run.result)).toBe(JSON.stringify(direct));
    expect(run.result.equity[0]!.date).toBe(from);
    expect(run.result.equity.at(-1)!.date).toBe(to);
  });

  it('answers the same request from the cache, and replays when a decision observer is given', () => {
    const a = runWindowBacktest(request);
    const b = runWindowBacktest(request);
    expect(b.fromCache).toBe(true);
    expect(b.key).toBe(a.key);
    expect(b.result).toBe(a.result);
    let decisions = 0;
    const c = runWindowBacktest({ ...request, onDecision: () => decisions++ });
    expect(c.fromCache).toBe(false);
    expect(decisions).toBe(c.result.equity.length);
    expect(JSON.stringify(c.result)).toBe(JSON.stringify(a.result));
  });

  it('never answers for other inputs: each dependency changes the key', () => {
    const parts: WindowBacktestKeyParts = {
      config,
      from,
      to,
      fill: ORATS_LIKE_FILL,
      initialEquityUsd: DEFAULT_EQUITY_USD,
      dataVersion: dataVersion(md),
      pricesSource: prices,
    };
    const k = windowBacktestKey(parts);
    // The same configuration with its keys in another order is the same configuration.
    const reordered = Object.fromEntries(Object.entries(config).reverse()) as typeof config;
    expect(windowBacktestKey({ ...parts, config: reordered })).toBe(k);
    const variants: Partial<WindowBacktestKeyParts>[] = [
      { config: resolveConfig('seed') },
      { config: { ...config, entry: { ...config.entry, timeCt: '14:00' } } },
      { from: '2024-06-04' },
      { to: '2024-06-27' },
      { fill: MID_FILL },
      // A user's FillModel named like a built-in one but giving up another share is another model.
      { fill: { name: 'orats-like', spreadShare: () => 0.5 } },
      { initialEquityUsd: 50_000 },
      { dataVersion: 'another' },
      { pricesSource: { kind: 'modelled', detail: 'other' } },
      { extra: { job: 2 } },
    ];
    const keys = new Set(variants.map((v) => windowBacktestKey({ ...parts, ...v })));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(k)).toBe(false);
  });

  it('the data fingerprint covers every input the engine reads: a VIX1D close, an event flag, SKEW', () => {
    const base = dataVersion(md);
    const vix1d: MarketData = {
      ...md,
      data: { ...md.data, vix1d: [...md.data.vix1d, { date: '2026-07-15' as IsoDate, value: 7.5 }] },
    };
    expect(dataVersion(vix1d)).not.toBe(base);
    const i = md.snapshots.findIndex((s) => s.date === to);
    const flip = (f: (s: (typeof md.snapshots)[number]) => (typeof md.snapshots)[number]) => {
      const snapshots = md.snapshots.map((s, k) => (k === i ? f(s) : s));
      return dataVersion({ ...md, snapshots });
    };
    expect(flip((s) => ({ ...s, events: { ...s.events, payrolls: !s.events.payrolls } }))).not.toBe(base);
    expect(flip((s) => ({ ...s, skew: (s.skew ?? 130) + 1 }))).not.toBe(base);
    expect(flip((s) => ({ ...s, spx: { ...s.spx, open: (s.spx.open ?? 1) + 1 } }))).not.toBe(base);
    const coverage = md.data.eventCoverage.map((c) =>
      c.kind === 'cpi' ? { ...c, to: '2027-12-31' as IsoDate } : c,
    );
    expect(dataVersion({ ...md, data: { ...md.data, eventCoverage: coverage } })).not.toBe(base);
    // the same data in another object: the same fingerprint
    expect(dataVersion({ ...md })).toBe(base);
  });

  it('keeps sessions and results per market data object: other data never sees them', () => {
    // The same snapshots with the last day's SPX close changed: another market data.
    const last = md.snapshots.findIndex((s) => s.date === to);
    const snapshots = md.snapshots.map((s, i) =>
      i === last ? { ...s, spx: { ...s.spx, close: s.spx.close * 1.1 } } : s,
    );
    const other: MarketData = { ...md, snapshots, byDate: (d) => snapshots.find((s) => s.date === d) };
    expect(dataVersion(other)).not.toBe(dataVersion(md));
    const mine = windowSessions(md, config, from, to);
    const theirs = windowSessions(other, config, from, to);
    expect(theirs.at(-1)!.market.spx).not.toBe(mine.at(-1)!.market.spx);
    const a = runWindowBacktest(request);
    const b = runWindowBacktest({ ...request, md: other });
    expect(b.fromCache).toBe(false);
    expect(b.key).not.toBe(a.key);
  });
});
