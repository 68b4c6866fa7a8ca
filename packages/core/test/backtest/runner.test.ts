import { describe, expect, it } from 'vitest';
import { syntheticJune2024 } from '../../../../test/support/synthetic-june-2024';
import {
  computeBacktestSummary,
  DEFAULT_FEES,
  type EnginePorts,
  eventCalendarOf,
  executeIntent,
  type Intent,
  type IsoDate,
  ORATS_LIKE_FILL,
  Portfolio,
  resolveConfig,
  ruinOf,
  runBacktest,
  smallestCondorMaxLossUsd,
} from '../../src/index';

// The synthetic June 2024 month: its 2024-06-14 drop of 45 points lands just inside the previous day's
// put short (5025/5030p of the Aggressive tier: settles at 5027, a 3-point debit).
const { days, chains, vixOptions, sessions } = syntheticJune2024({ dropPoints: 45 });

// The published calendar the engine sees: FOMC on 2024-06-12, and (for the money test) CPI on 2024-07-01.
const calendar = eventCalendarOf({
  fomc: ['2024-06-12' as IsoDate],
  cpi: ['2024-07-01' as IsoDate],
  ppi: [],
  payrolls: [],
});

// The highest allowed tier puts the shorts close enough for the 2024-06-14 drop to threaten them.
const cfg = resolveConfig('vixshield', { entry: { tierPolicy: 'highest-allowed' } });
const opts = {
  initialEquity: 100_000,
  fill: ORATS_LIKE_FILL,
  pricesSource: { kind: 'modelled' as const, detail: 'synthetic test smile' },
};

describe('backtest runner', () => {
  const ports: EnginePorts = { chains: chains(), vixOptions, events: calendar };
  const res = runBacktest(sessions, ports, cfg, opts);

  it('has one equity point per session and trades with reasons behind them', () => {
    expect(res.equity).toHaveLength(days.length);
    expect(res.trades.length).toBeGreaterThan(5);
    expect(res.hedgeTrades.length + 0).toBeGreaterThanOrEqual(0);
  });

  it('conserves money: with every position closed, equity = initial + trade P&L + interest', () => {
    // No hedge, and the condor of the last session would be held through the (calendar) CPI release of
    // 2024-07-01, so no new condor opens and nothing is open at the end.
    const noHedge = resolveConfig('vixshield', { hedge: { enabled: false } });
    const r = runBacktest(sessions, { chains: chains(), vixOptions, events: calendar }, noHedge, opts);
    const end = r.equity[r.equity.length - 1]!;
    expect(end.condorValue).toBe(0);
    expect(end.hedgeValue).toBe(0);
    const pnl = r.trades.reduce((s, t) => s + t.pnl, 0);
    expect(end.equity).toBeCloseTo(100_000 + pnl + end.interestToDate, 6);
    expect(end.interestToDate).toBeGreaterThan(0);
  });

  it('is deterministic: two runs give byte-identical results', () => {
    const again = runBacktest(sessions, { chains: chains(), vixOptions, events: calendar }, cfg, opts);
    expect(JSON.stringify(again)).toBe(JSON.stringify(res));
  });

  it('skips the entry whose condor would be held through the FOMC release and trades after it', () => {
    // 2024-06-11's 1DTE condor expires on the FOMC day (14:00 ET release); 2024-06-12's entry comes after it.
    expect(res.trades.some((t) => t.openedOn === '2024-06-11')).toBe(false);
    expect(res.trades.some((t) => t.openedOn === '2024-06-12')).toBe(true);
  });

  it('a day with a missing quote does not fill', () => {
    const r2 = runBacktest(
      sessions,
      { chains: chains('2024-06-05' as IsoDate), vixOptions, events: calendar },
      cfg,
      opts,
    );
    expect(r2.trades.some((t) => t.openedOn === '2024-06-05')).toBe(false);
    expect(res.trades.some((t) => t.openedOn === '2024-06-05')).toBe(true);
  });

  it('the drop threatens condors and the Temporal Theta Martingale rolls them', () => {
    expect(res.trades.some((t) => t.exit === 'rolled')).toBe(true);
    expect(res.chains.some((c) => c.rolls > 0)).toBe(true);
  });
});

describe('ruin (issue 18: no trading on money the account does not have)', () => {
  const ports: EnginePorts = { chains: chains(), vixOptions };

  it('the threshold: cap x equity against the smallest 1-lot max loss, (5 - 1.60) x 100 = 340 USD', () => {
    expect(smallestCondorMaxLossUsd(cfg)).toBeCloseTo(340, 9);
    expect(ruinOf('2024-06-03' as IsoDate, 3_400, cfg)).toBeNull();
    expect(ruinOf('2024-06-03' as IsoDate, 3_399, cfg)?.reason).toContain('cannot carry');
    expect(ruinOf('2024-06-03' as IsoDate, 0, cfg)?.reason).toBe('ruined on 2024-06-03: equity 0 USD');
    expect(ruinOf('2024-06-03' as IsoDate, -10, cfg)).not.toBeNull();
  });

  it('an account that cannot carry one condor at the cap opens nothing, buys no hedge and says so', () => {
    const poor = runBacktest(sessions, ports, cfg, { ...opts, initialEquity: 3_000 });
    expect(poor.ruin?.on).toBe(days[0]);
    expect(poor.trades).toHaveLength(0);
    expect(poor.hedgeTrades).toHaveLength(0);
    expect(poor.rejected.length).toBeGreaterThan(0);
    for (const r of poor.rejected) expect(r.reason).toContain(`ruined on ${days[0]}`);
    for (const p of poor.equity) expect(p.equity).toBeGreaterThanOrEqual(3_000); // cash plus interest
    const s = computeBacktestSummary(poor);
    expect(s.ruinedOn).toBe(days[0]);
  });

  it('a solvent account is never marked ruined', () => {
    expect(runBacktest(sessions, ports, cfg, opts).ruin).toBeNull();
  });

  it('a VIX call purchase beyond free buying power is refused', () => {
    const portfolio = new Portfolio(100);
    const s0 = sessions[0]!;
    const out = executeIntent(
      { date: s0.date, market: s0.market, ports, fill: ORATS_LIKE_FILL, fees: DEFAULT_FEES },
      portfolio,
      {
        kind: 'hedge',
        action: 'open',
        layer: 0,
        expiry: '2024-07-17' as IsoDate,
        strike: 14,
        quantity: 4,
        price: 1.45,
        reason: 'test',
        cause: { rule: 'test', inputs: {} },
      } as Intent,
    );
    expect(out.rejected?.reason).toMatch(/^buying power: 4 VIX 2024-07-17 14C cost \d+ > free 100 USD$/);
    expect(portfolio.openHedges).toHaveLength(0);
  });

  it('a wiped-out curve reports no Sharpe and names the day equity reached zero', () => {
    const eq = (date: string, equity: number) => ({
      date: date as IsoDate,
      equity,
      cash: equity,
      condorValue: 0,
      hedgeValue: 0,
      marginUsed: 0,
      hedgePnlToDate: 0,
      interestToDate: 0,
      spx: 5000,
      vix: 15,
    });
    // Rising days then a wipe-out: without the rule a Sharpe over the rising days would be positive.
    const result = {
      from: '2024-06-03' as IsoDate,
      to: '2024-06-07' as IsoDate,
      initialEquity: 1_000,
      equity: [
        eq('2024-06-03', 1_010),
        eq('2024-06-04', 1_030),
        eq('2024-06-05', 1_040),
        eq('2024-06-06', -50),
        eq('2024-06-07', -50),
      ],
      trades: [],
      hedgeTrades: [],
      chains: [],
      rejected: [],
      pricesSource: { kind: 'modelled' as const, detail: 'hand-made curve' },
      assumptions: [],
    };
    const s = computeBacktestSummary(result);
    expect(s.ruinedOn).toBe('2024-06-06');
    expect(s.sharpe).toBeNull();
    expect(s.sortino).toBeNull();
    expect(s.cagr).toBe(-1);
    expect(s.notes.join(' ')).toContain('Sharpe and Sortino are null: the account was ruined');
  });
});
