import { isTradingDay, settlementInstantUtcMs, vixOptionsOpenAt } from '../calendar/index';
import { SPX_MULTIPLIER } from '../domain/contracts';
import { formatUtcIso, type IsoDate, LEGS_PER_CONDOR } from '../domain/index';
import { DEFAULT_FEES, type FeeSchedule, type FillModel, feesUsd, ORATS_LIKE_FILL } from '../execution/index';
import { type ChainSource, computeEdr, type EventCalendar, type EventFlags } from '../market/index';
import type { StrategyConfig, Tier } from '../strategies/index';
import {
  alvh,
  type Book,
  type BookRiskBudget,
  type CondorPosition,
  chainContext,
  condorSettlementValue,
  type EntryDecision,
  entryExpiry,
  exitDecision,
  type GateState,
  type HedgeDecision,
  type HeldThrough,
  INITIAL_GATE_STATE,
  type Intent,
  ironCondorCommand,
  isUnpriceable,
  maxLossPerCondorUsd,
  priceCondor,
  type RollDecision,
  releasesHeldThrough,
  temporalThetaMartingale,
  type VixOptionSource,
  vixGate,
} from '../strategies/index';

/** Market inputs of one session, all known at its instant (computed from data up to that day only). */
export interface SessionMarket {
  /** SPX at the session instant (the close with daily data). */
  readonly spx: number;
  /** Session VWAP approximated by the typical price (H+L+C)/3; null when the bar has no high/low. */
  readonly vwapApprox: number | null;
  /**
   * What `vwapApprox` is, for the rollback reason: a TWAP of intraday bars, or the typical price with
   * the VWAP input named missing. Absent: the daily typical price (the wording before issue 16).
   */
  readonly vwapLabel?: string;
  readonly vix: number;
  readonly vix9d: number | null;
  readonly hv20: number | null;
  readonly vix5dAverage: number | null;
  readonly vixZScore: number | null;
  /** The VIX z-score of the previous session (seed: an IV extension is a new crossing); null when unknown. */
  readonly vixZScorePrev?: number | null;
  readonly events: EventFlags;
  readonly r: number;
  readonly q: number;
}

/** One session of the daily loop: the 15:10 CT check and entry. The instant is the clock. */
export interface SessionEvent {
  readonly kind: 'session';
  readonly date: IsoDate;
  readonly instantUtcMs: number;
  readonly market: SessionMarket;
  readonly book: Book;
  readonly equity: number;
}

/** The engine's memory between sessions (strategy state only; the book is the portfolio's). */
export interface EngineState {
  readonly gate: GateState;
  /** Seed preset: hedge layers fired in the current trigger episode. */
  readonly triggeredLayers: number;
  /** Spot when each condor chain was opened (seed preset measures the 1.5% move from there). */
  readonly chainEntrySpot: Readonly<Record<string, number>>;
}

export const INITIAL_ENGINE_STATE: EngineState = {
  gate: INITIAL_GATE_STATE,
  triggeredLayers: 0,
  chainEntrySpot: {},
};

export interface EnginePorts {
  readonly chains: ChainSource;
  readonly vixOptions: VixOptionSource;
  /**
   * The published release calendar (FOMC, CPI, PPI, payrolls). Without it only the session's own event
   * flags are known and every later day is reported as unknown.
   */
  readonly events?: EventCalendar;
  /**
   * How orders are expected to fill: tiers, roll credits and sizing are checked at this fill and these
   * fees (issue 15 case 6). Default: the orats-like fill model and the default fees (as the signal).
   */
  readonly execution?: { readonly fill: FillModel; readonly fees: FeeSchedule };
}

/** Width of a condor (the wider wing), points. */
function condorWidth(p: Pick<CondorPosition, 'strikes'>): number {
  return Math.max(p.strikes.putShort - p.strikes.putLong, p.strikes.callLong - p.strikes.callShort);
}

/** Max loss after fill and fees of an open condor, USD (its entry credit is the fill credit). */
export function openCondorMaxLossUsd(
  p: Pick<CondorPosition, 'strikes' | 'entryCredit' | 'quantity'>,
  feesPerCondorUsd: number,
): number {
  return maxLossPerCondorUsd(condorWidth(p), p.entryCredit, feesPerCondorUsd) * p.quantity;
}

export interface StepResult {
  readonly state: EngineState;
  readonly intents: readonly Intent[];
  readonly reasons: readonly string[];
  readonly entry: EntryDecision;
  readonly rolls: readonly RollDecision[];
  readonly hedge: HedgeDecision;
}

/**
 * The condors live after this session and their dollar gamma for a 1% SPX move (USD: sum 0.5 |gamma|
 * (1% S)^2 x 100 x qty): the book's condors that neither settle today (a 1DTE condor seen on its expiry
 * day has settled) nor are closed or rolled out today, plus the roll targets and today's new entry.
 */
export function liveCondorsAfterSession(
  ev: SessionEvent,
  ports: EnginePorts,
  intents: readonly Intent[],
): { count: number; dollarGamma1PctUsd: number } {
  const move = 0.01 * ev.market.spx;
  const gammaUsd = (gamma: number, qty: number) => 0.5 * Math.abs(gamma) * move * move * SPX_MULTIPLIER * qty;
  const leaving = new Set<string>();
  let count = 0;
  let total = 0;
  for (const i of intents) {
    if (i.kind === 'close') leaving.add(i.positionId);
    if (i.kind === 'roll') {
      leaving.add(i.positionId);
      count += 1;
      total += gammaUsd(i.to.greeks.gamma, i.quantity);
    }
    if (i.kind === 'open') {
      count += 1;
      total += gammaUsd(i.condor.greeks.gamma, i.quantity);
    }
  }
  for (const p of ev.book.condors) {
    if (p.expiry <= ev.date || leaving.has(p.id)) continue;
    count += 1;
    const chain = ports.chains.chain(ev.date, p.expiry);
    if (!chain) continue;
    const q = priceCondor(chainContext(chain, ev.market.r, ev.market.q), p.strikes);
    if (isUnpriceable(q)) continue;
    total += gammaUsd(q.greeks.gamma, p.quantity);
  }
  return { count, dollarGamma1PctUsd: total };
}

/**
 * One session through the rules: Temporal Theta Martingale for the condors in the book, the Iron Condor
 * Command for today's entry, then the ALVH hedge. Pure: it reads the market only through `ev` and the
 * ports, so the daily signal and the backtest make the same decision for the same day and data.
 */
export function step(
  state: EngineState,
  ev: SessionEvent,
  ports: EnginePorts,
  cfg: StrategyConfig,
): StepResult {
  const m = ev.market;
  const reasons: string[] = [];
  const fill = ports.execution?.fill ?? ORATS_LIKE_FILL;
  const fees = ports.execution?.fees ?? DEFAULT_FEES;
  const fillShare = fill.spreadShare(LEGS_PER_CONDOR);
  const feesPerCondorUsd = feesUsd(LEGS_PER_CONDOR, fees);
  const heldThrough = (expiry: IsoDate): HeldThrough =>
    releasesHeldThrough(
      ports.events,
      ev.date,
      m.events,
      ev.instantUtcMs,
      expiry,
      settlementInstantUtcMs(expiry, 'PM'),
      cfg.events.kinds,
    );
  const expiry = entryExpiry(ev.date, cfg.entry);
  // The gate and EDR as the entry will see them (pure, recomputed there): the rolls need them first,
  // because the day's entry is sized on the book the rolls leave (issue 15 case 2).
  const gateNow = vixGate(m.vix, cfg.gate, state.gate);
  const edrNow = computeEdr(
    { spx: m.spx, vix: m.vix, vix9d: m.vix9d, hv20: m.hv20 },
    { mode: cfg.edr.mode, multiplier: cfg.edr.multiplier, bias: cfg.edr.bias },
  );

  const rolls: RollDecision[] = [];
  const rollInputs = {
    date: ev.date,
    spx: m.spx,
    vwapApprox: m.vwapApprox,
    ...(m.vwapLabel !== undefined ? { vwapLabel: m.vwapLabel } : {}),
    edrPct: edrNow.edrPct,
    edrPts: edrNow.edrPts,
    vix: m.vix,
    noTrades: gateNow.noTrades,
    r: m.r,
    q: m.q,
    expirations: ports.chains.expirations(ev.date),
    chainFor: (e: IsoDate) => ports.chains.chain(ev.date, e),
    fillShare,
    heldThrough,
  };
  const exits: Intent[] = [];
  const exited = new Set<string>();
  for (const p of ev.book.condors) {
    const exit = exitDecision(
      p,
      { date: ev.date, spx: m.spx, r: m.r, q: m.q, chainFor: rollInputs.chainFor },
      cfg.exits,
    );
    if (exit) {
      exits.push(exit);
      exited.add(p.id);
      reasons.push(exit.reason);
      continue;
    }
    const tierCredit = cfg.condor.tierCredits[p.tier as Tier];
    const d = temporalThetaMartingale(p, tierCredit, rollInputs, cfg);
    rolls.push(d);
    reasons.push(...d.reasons);
  }

  // Book-level risk (issue 15 case 2): the max loss after fill and fees of every condor open after this
  // session (rolled chains included) stays within sizing.maxLossFractionOfEquity of the equity left once
  // today's expiring condors have settled (their settlement cost taken in full: a lower bound).
  let settlingCostUsd = 0;
  for (const p of ev.book.condors) {
    if (p.expiry === ev.date) settlingCostUsd += -condorSettlementValue(p.strikes, m.spx) * 100 * p.quantity;
  }
  const riskEquity = Math.max(0, ev.equity - settlingCostUsd);
  const capUsd = cfg.sizing.maxLossFractionOfEquity * riskEquity;
  const rolledIds = new Set<string>();
  for (const r of rolls) for (const i of r.intents) if (i.kind === 'roll') rolledIds.add(i.positionId);
  let committedUsd = 0;
  const noteParts: string[] = [];
  for (const p of ev.book.condors) {
    if (p.expiry === ev.date || exited.has(p.id) || rolledIds.has(p.id)) continue;
    committedUsd += openCondorMaxLossUsd(p, feesPerCondorUsd);
    noteParts.push(`${p.id} x${p.quantity}`);
  }
  const budgetedRolls: RollDecision[] = rolls.map((r) => {
    const intents: Intent[] = [];
    const extra: string[] = [];
    for (const i of r.intents) {
      if (i.kind !== 'roll') {
        intents.push(i);
        continue;
      }
      const creditFill = i.rollCredit + i.closeDebitMid;
      const perCondor = maxLossPerCondorUsd(condorWidth(i.to), creditFill, feesPerCondorUsd);
      const room = Math.max(0, capUsd - committedUsd);
      const fits = perCondor > 0 ? Math.floor(room / perCondor + 1e-9) : i.quantity;
      const byRisk = Math.min(i.quantity, fits);
      // Liquidity (ADR 0009): a roll order is no bigger than an entry order may be.
      const maxPerOrder = cfg.sizing.maxContractsPerOrder;
      const quantity = Math.min(byRisk, maxPerOrder);
      const old = ev.book.condors.find((c) => c.id === i.positionId);
      if (quantity <= 0) {
        const why = `${i.positionId}: roll to ${i.to.expiry} dropped: its max loss ${perCondor.toFixed(0)} USD per condor does not fit the book cap ${capUsd.toFixed(0)} USD (open condors use ${committedUsd.toFixed(0)} USD)`;
        extra.push(why);
        // A rollback that does not happen leaves the old condor open: it stays in the book's risk.
        if (old && old.expiry !== ev.date) committedUsd += openCondorMaxLossUsd(old, feesPerCondorUsd);
        continue;
      }
      committedUsd += perCondor * quantity;
      noteParts.push(`roll of ${i.positionId} x${quantity}`);
      if (quantity < i.quantity) {
        const parts: string[] = [];
        if (byRisk < i.quantity) parts.push(`the book cap ${capUsd.toFixed(0)} USD`);
        if (quantity < byRisk)
          parts.push(
            `the liquidity limit sizing.maxContractsPerOrder ${maxPerOrder} (about what the displayed size at OTM SPXW strikes absorbs without moving the market, ADR 0009)`,
          );
        const why = `${i.positionId}: roll reduced from ${i.quantity} to ${quantity} condor(s) by ${parts.join(' and ')} (no size is ever added; the rest settles)`;
        extra.push(why);
        intents.push({ ...i, quantity, reason: `${i.reason}; ${why}` });
      } else intents.push(i);
    }
    return { intents, reasons: [...r.reasons, ...extra] };
  });
  for (const r of budgetedRolls)
    reasons.push(...r.reasons.slice(rolls[budgetedRolls.indexOf(r)]!.reasons.length));
  const book: BookRiskBudget = { capUsd, committedUsd, note: noteParts.join(', ') };

  const entry = ironCondorCommand(
    {
      date: ev.date,
      spx: m.spx,
      vix: m.vix,
      vix9d: m.vix9d,
      hv20: m.hv20,
      held: expiry ? heldThrough(expiry) : { releases: [], unknown: [] },
      r: m.r,
      q: m.q,
      equity: riskEquity,
      execution: { fillShare, feesPerCondorUsd },
      book,
    },
    expiry ? ports.chains.chain(ev.date, expiry) : undefined,
    expiry,
    cfg,
    state.gate,
  );
  reasons.push(...entry.reasons);

  const live =
    cfg.hedge.mode === 'trigger'
      ? liveCondorsAfterSession(ev, ports, [...exits, ...rolls.flatMap((r) => r.intents), ...entry.intents])
      : { count: ev.book.condors.length, dollarGamma1PctUsd: 0 };
  let hedge = alvh(
    {
      date: ev.date,
      vix: m.vix,
      vix5dAverage: m.vix5dAverage,
      vixZScore: m.vixZScore,
      vixZScorePrev: m.vixZScorePrev ?? null,
      spx: m.spx,
      equity: ev.equity,
      hedges: ev.book.hedges,
      condors: ev.book.condors,
      chainEntrySpot: state.chainEntrySpot,
      condorDollarGamma1Pct: live.dollarGamma1PctUsd,
      liveCondorsAfterSession: live.count,
      triggeredLayers: state.triggeredLayers,
      options: ports.vixOptions,
    },
    cfg,
  );
  // No VIX option orders while VIX options are closed (e.g. a 15:10 CT instant on an early-close day,
  // when they closed at 12:15 CT): the orders wait for the next session, the reason says so.
  const vixOpen = !isTradingDay(ev.date) || vixOptionsOpenAt(ev.date, ev.instantUtcMs);
  const heldHedgeOrders = vixOpen ? [] : hedge.intents;
  if (!vixOpen && heldHedgeOrders.length > 0) {
    hedge = {
      ...hedge,
      intents: [],
      reasons: [
        ...hedge.reasons,
        `VIX options are closed at ${formatUtcIso(ev.instantUtcMs)}: ${heldHedgeOrders.length} hedge order(s) wait for the next session`,
      ],
    };
  }
  reasons.push(...hedge.reasons);

  const intents: Intent[] = [
    ...exits,
    ...budgetedRolls.flatMap((r) => r.intents),
    ...entry.intents,
    ...hedge.intents,
  ];
  // Remember where new chains started (seed triggers); forget chains no longer in the book.
  const entrySpot: Record<string, number> = {};
  for (const p of ev.book.condors) {
    const s = state.chainEntrySpot[p.chainId];
    if (s !== undefined) entrySpot[p.chainId] = s;
  }
  const next: EngineState = {
    gate: entry.gate.state,
    triggeredLayers: hedge.triggeredLayers,
    chainEntrySpot: entrySpot,
  };
  return { state: next, intents, reasons, entry, rolls: budgetedRolls, hedge };
}

/** Registers the spot of a newly opened chain in the engine state (called when an open is filled). */
export function withChainEntry(state: EngineState, chainId: string, spot: number): EngineState {
  return { ...state, chainEntrySpot: { ...state.chainEntrySpot, [chainId]: spot } };
}
