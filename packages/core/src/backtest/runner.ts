import type { IsoDate } from '../domain/index';
import {
  type EnginePorts,
  type EngineState,
  INITIAL_ENGINE_STATE,
  type SessionMarket,
  type StepResult,
  step,
  withChainEntry,
} from '../engine/index';
import { DEFAULT_FEES, type FeeSchedule, type FillModel } from '../execution/index';
import type { DailyOhlc } from '../market/index';
import {
  condorSettlementLevel,
  type EquityPoint,
  markToMarket,
  Portfolio,
  settleExpiredHedges,
  settleExpiringCondors,
} from '../portfolio/index';
import { type Book, hasIntradayExitRule, type StrategyConfig } from '../strategies/index';
import { createIntradayExitPhase, type IntradayBacktestInputs, sessionVwap } from './intraday-exit-phase';
import { opensRisk, type Ruin, ruinOf } from './ruin';
import { condorQuoteNow, executeIntent, type SessionExecution } from './simulated-broker';
import type { BacktestResult, RejectedIntent } from './types';

/** One trading day as the runner replays it: everything known at the 15:10 CT session instant. */
export interface BacktestSession {
  readonly date: IsoDate;
  readonly instantUtcMs: number;
  readonly market: SessionMarket;
  /** SPX open of the day (AM settlement of SPX monthlies is approximated by it); null when unknown. */
  readonly spxOpen: number | null;
  /** The day's SPX bar (open/high/low/close) for the daily-OHLC approximation; absent on close-only days. */
  readonly spxDaily?: DailyOhlc;
}

export interface BacktestOptions {
  readonly initialEquity: number;
  readonly fill: FillModel;
  readonly fees?: FeeSchedule;
  readonly pricesSource: BacktestResult['pricesSource'];
  readonly onProgress?: (done: number, total: number) => void;
  /** Sees every decision (for parity tests and decision logs); must not mutate anything. */
  readonly onDecision?: (
    session: BacktestSession,
    decision: StepResult,
    equityBefore: number,
    /** The book the engine saw (a signal given this book and equity decides the same). */
    book: Book,
  ) => void;
  /**
   * Intraday SPX bars and the surfaces (issue 16): the rollback rule's session VWAP becomes a TWAP of
   * the bars where they exist, and `exits.intraday` rules (when set) run on them. Absent: daily only.
   */
  readonly intraday?: IntradayBacktestInputs;
}

/**
 * Replays sessions through the same step() as the daily signal: each session accrues interest, settles
 * expired VIX calls, asks the engine, fills its intents at the session's own quotes (simulated broker),
 * settles the condors expiring today and marks the book. Pure: the ports and the sessions are the only
 * inputs.
 */
export function runBacktest(
  sessions: readonly BacktestSession[],
  ports: EnginePorts,
  cfg: StrategyConfig,
  opts: BacktestOptions,
): BacktestResult {
  const fees = opts.fees ?? DEFAULT_FEES;
  // The engine checks tiers and sizes at the fill the simulated broker will give (issue 15 case 6).
  ports = ports.execution ? ports : { ...ports, execution: { fill: opts.fill, fees } };
  const portfolio = new Portfolio(opts.initialEquity);
  let state: EngineState = INITIAL_ENGINE_STATE;
  const equity: EquityPoint[] = [];
  const rejected: RejectedIntent[] = [];
  let ruin: Ruin | null = null;
  // With no intraday exit rule set it only counts sessions: nothing below differs from the daily backtest.
  const intradayPhase = createIntradayExitPhase(cfg, opts.intraday, opts.fill, fees, ports.chains);

  sessions.forEach((s, index) => {
    const bars = opts.intraday?.bars(s.date);
    // The rollback rule's session VWAP: the TWAP of today's bars where they exist (M§2 / R22).
    const m = bars ? withTwap(s.market, sessionVwap(bars, cfg.entry.timeCt, s.market.vwapApprox)) : s.market;
    portfolio.accrueInterest(s.date, m.r);
    // VIX calls expired by today settle at the VRO (approximated by the VIX open).
    settleExpiredHedges(portfolio, s.date, (expiry) => ports.vixOptions.settlement(expiry));
    // Today's regular session, before the 15:10 CT decision: the intraday exit rules on the open condors.
    const prior = index > 0 ? sessions[index - 1] : undefined;
    intradayPhase.run(
      portfolio,
      s.date,
      prior ? { date: prior.date, r: prior.market.r, q: prior.market.q } : undefined,
      s.spxDaily,
    );

    const equityBefore = portfolio.equityUsd();
    ruin ??= ruinOf(s.date, equityBefore, cfg);
    const bookBefore = portfolio.book();
    const res = step(
      state,
      {
        kind: 'session',
        date: s.date,
        instantUtcMs: s.instantUtcMs,
        market: m,
        book: bookBefore,
        equity: equityBefore,
      },
      ports,
      cfg,
    );
    state = res.state;
    // a copy: the portfolio's arrays change as the replay goes on
    opts.onDecision?.(s, res, equityBefore, {
      condors: [...bookBefore.condors],
      hedges: [...bookBefore.hedges],
    });

    const x: SessionExecution = { date: s.date, market: m, ports, fill: opts.fill, fees };
    const rolledToday = new Set<string>();
    for (const intent of res.intents) {
      if (ruin && opensRisk(intent)) {
        rejected.push({ date: s.date, kind: intent.kind, reason: ruin.reason });
        continue;
      }
      const out = executeIntent(x, portfolio, intent);
      if (out.rejected) rejected.push(out.rejected);
      if (out.rolledOut) rolledToday.add(out.rolledOut);
      if (out.openedChain) state = withChainEntry(state, out.openedChain, m.spx);
    }

    // SPXW settles PM at the close; SPX monthlies AM at the open (the SOQ, approximated by the open).
    settleExpiringCondors(
      portfolio,
      s.date,
      (p) => condorSettlementLevel(p.settlement, { open: s.spxOpen, close: m.spx }),
      rolledToday,
    );
    // Mark to market at this session's quotes (a missing quote keeps the last mark).
    markToMarket(portfolio, {
      condorMid: (p) => condorQuoteNow(x, p)?.creditMid,
      hedgeMid: (h) => ports.vixOptions.call(s.date, h.expiry, h.strike)?.mid,
    });
    equity.push(portfolio.equityPoint(s.date, m.spx, m.vix));
    opts.onProgress?.(index + 1, sessions.length);
  });

  const first = sessions[0];
  const last = sessions[sessions.length - 1];
  return {
    from: (first?.date ?? '') as IsoDate,
    to: (last?.date ?? '') as IsoDate,
    initialEquity: opts.initialEquity,
    equity,
    trades: portfolio.trades,
    hedgeTrades: portfolio.hedgeTrades,
    chains: portfolio.rollChains(),
    rejected,
    ruin,
    pricesSource: opts.pricesSource,
    assumptions: [
      'Entries, checks and fills at the 15:10 CT session with daily data: SPX at entry is the day close, VIX its close.',
      `Fills: ${opts.fill.name}${opts.fill.fraction !== undefined ? ` (${opts.fill.fraction} of the spread)` : ''} on package quotes; a missing or crossed quote never fills.`,
      `Fees per contract: broker ${fees.brokerPerContract}, exchange ${fees.exchangePerContract}, clearing ${fees.clearingPerContract} USD; cash settlement has no fee.`,
      'SPXW condors settle PM at the expiry-day close; SPX monthlies AM at the open of the expiry day (an approximation of the SOQ).',
      'VIX calls settle at the VRO, approximated by the VIX open on the expiration day.',
      'Defined-risk margin: the wider wing x 100 per condor; opens beyond equity are rejected.',
      'Cash earns the session rate (3-month T-bill, continuously compounded) between sessions.',
      hasIntradayExitRule(cfg.exits.intraday)
        ? 'Intraday exits (exits.intraday) checked at every bar close of the session where SPX bars exist, on the daily-OHLC approximation elsewhere (see intraday.sessions); other exits at the daily session.'
        : 'Exits other than hold-to-expiry are not evaluated intraday (daily data).',
    ],
    intraday: intradayPhase.report(),
  };
}

function withTwap(m: SessionMarket, v: ReturnType<typeof sessionVwap>): SessionMarket {
  return { ...m, vwapApprox: v.value, vwapLabel: v.label };
}
