import { SPX_MULTIPLIER } from '../domain/contracts';
import type { IsoDate } from '../domain/index';
import type { ChainSource, EventFlags } from '../market/index';
import type { StrategyConfig, Tier } from '../strategies/index';
import {
  alvh,
  type Book,
  chainContext,
  type EntryDecision,
  entryExpiry,
  exitDecision,
  type GateState,
  type HedgeDecision,
  INITIAL_GATE_STATE,
  type Intent,
  ironCondorCommand,
  isUnpriceable,
  priceCondor,
  type RollDecision,
  temporalThetaMartingale,
  type VixOptionSource,
} from '../strategies/index';

/** Market inputs of one session, all known at its instant (computed from data up to that day only). */
export interface SessionMarket {
  /** SPX at the session instant (the close with daily data). */
  readonly spx: number;
  /** Session VWAP approximated by the typical price (H+L+C)/3; null when the bar has no high/low. */
  readonly vwapApprox: number | null;
  readonly vix: number;
  readonly vix9d: number | null;
  readonly hv20: number | null;
  readonly vix5dAverage: number | null;
  readonly vixZScore: number | null;
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
 * Dollar gamma for a 1% SPX move (USD): sum 0.5 |gamma| (1% S)^2 x 100 x qty over the condors still
 * live after this session (the book's unexpired condors and the one the entry is opening now; a 1DTE
 * condor seen on its expiry day has settled and carries no gamma).
 */
function condorDollarGamma1Pct(ev: SessionEvent, ports: EnginePorts, opening: readonly Intent[]): number {
  const move = 0.01 * ev.market.spx;
  let total = 0;
  for (const i of opening) {
    if (i.kind === 'open')
      total += 0.5 * Math.abs(i.condor.greeks.gamma) * move * move * SPX_MULTIPLIER * i.quantity;
  }
  for (const p of ev.book.condors) {
    const chain = ports.chains.chain(ev.date, p.expiry);
    if (!chain) continue;
    const q = priceCondor(chainContext(chain, ev.market.r, ev.market.q), p.strikes);
    if (isUnpriceable(q)) continue;
    total += 0.5 * Math.abs(q.greeks.gamma) * move * move * SPX_MULTIPLIER * p.quantity;
  }
  return total;
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
  const expiry = entryExpiry(ev.date, cfg.entry);
  const entry = ironCondorCommand(
    {
      date: ev.date,
      spx: m.spx,
      vix: m.vix,
      vix9d: m.vix9d,
      hv20: m.hv20,
      events: m.events,
      r: m.r,
      q: m.q,
      equity: ev.equity,
    },
    expiry ? ports.chains.chain(ev.date, expiry) : undefined,
    expiry,
    cfg,
    state.gate,
  );

  const rolls: RollDecision[] = [];
  const rollInputs = {
    date: ev.date,
    spx: m.spx,
    vwapApprox: m.vwapApprox,
    edrPct: entry.edr.edrPct,
    edrPts: entry.edr.edrPts,
    vix: m.vix,
    noTrades: entry.gate.noTrades,
    r: m.r,
    q: m.q,
    expirations: ports.chains.expirations(ev.date),
    chainFor: (e: IsoDate) => ports.chains.chain(ev.date, e),
  };
  const exits: Intent[] = [];
  for (const p of ev.book.condors) {
    const exit = exitDecision(
      p,
      { date: ev.date, spx: m.spx, r: m.r, q: m.q, chainFor: rollInputs.chainFor },
      cfg.exits,
    );
    if (exit) {
      exits.push(exit);
      reasons.push(exit.reason);
      continue;
    }
    const tierCredit = cfg.condor.tierCredits[p.tier as Tier];
    const d = temporalThetaMartingale(p, tierCredit, rollInputs, cfg);
    rolls.push(d);
    reasons.push(...d.reasons);
  }
  reasons.push(...entry.reasons);

  const hedge = alvh(
    {
      date: ev.date,
      vix: m.vix,
      vix5dAverage: m.vix5dAverage,
      vixZScore: m.vixZScore,
      spx: m.spx,
      equity: ev.equity,
      hedges: ev.book.hedges,
      condors: ev.book.condors,
      chainEntrySpot: state.chainEntrySpot,
      condorDollarGamma1Pct:
        cfg.hedge.mode === 'trigger' ? condorDollarGamma1Pct(ev, ports, entry.intents) : 0,
      triggeredLayers: state.triggeredLayers,
      options: ports.vixOptions,
    },
    cfg,
  );
  reasons.push(...hedge.reasons);

  const intents: Intent[] = [
    ...exits,
    ...rolls.flatMap((r) => r.intents),
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
  return { state: next, intents, reasons, entry, rolls, hedge };
}

/** Registers the spot of a newly opened chain in the engine state (called when an open is filled). */
export function withChainEntry(state: EngineState, chainId: string, spot: number): EngineState {
  return { ...state, chainEntrySpot: { ...state.chainEntrySpot, [chainId]: spot } };
}
