import { dteTradingDays, nextSpxwExpiry } from '../../calendar/index';
import type { IsoDate } from '../../domain/index';
import { computeEdr, type EdrResult, type OptionChain } from '../../market/index';
import type { StrategyConfig } from '../config';
import { type EventDecision, eventFilter, type HeldThrough } from '../events/event-filter';
import { type GateDecision, type GateState, vixGate } from '../regime/vix-gate';
import type { Cause, CondorQuote, Intent, Tier } from '../types';
import { chainContext } from './chain-analytics';
import { creditAtFillShare, premiumGauge, type RsaiStep, rsaiSearch } from './rsai';

/** What the Iron Condor Command sees at the entry instant (all known at that instant). */
export interface EntryInputs {
  readonly date: IsoDate;
  /** SPX at entry (the day's close with daily data). */
  readonly spx: number;
  readonly vix: number;
  readonly vix9d: number | null;
  /** 20-day historical vol, vol points (needed by EDR mode high). */
  readonly hv20: number | null;
  /** The releases the new condor would be open through (computed by the engine for the entry expiry). */
  readonly held: HeldThrough;
  readonly r: number;
  readonly q: number;
  readonly equity: number;
  /** How the order is expected to fill: tiers are checked and sizing is done at this credit (case 6). */
  readonly execution: EntryExecution;
  /** Book-level max-loss budget (issue 15 case 2): what the condors staying open already use. */
  readonly book: BookRiskBudget;
}

/** The expected fill of a condor sale: spread share of the FillModel for 4 legs, and fees per condor. */
export interface EntryExecution {
  /** 0.5 = mid, 1 = natural (FillModel.spreadShare(4)). */
  readonly fillShare: number;
  /** Commissions and fees to open one condor (4 contracts), USD. */
  readonly feesPerCondorUsd: number;
}

/** Book risk at the entry: the cap and what the condors open after this session's other intents use. */
export interface BookRiskBudget {
  /** sizing.maxLossFractionOfEquity x the equity left after today's settlements (USD). */
  readonly capUsd: number;
  /** Max loss after fill and fees of the condors open after this session (rolled chains included), USD. */
  readonly committedUsd: number;
  /** What committed is made of, for the reason ("c12 x3, roll of c11 x5"). */
  readonly note: string;
}

/** Max loss of one condor after its fill and fees: (width - fill credit) x 100 + fees (USD). */
export function maxLossPerCondorUsd(
  widthPts: number,
  fillCreditPts: number,
  feesPerCondorUsd: number,
): number {
  return (widthPts - fillCreditPts) * 100 + feesPerCondorUsd;
}

export interface TierPlan {
  readonly tier: Tier;
  readonly targetCredit: number;
  readonly quote?: CondorQuote;
  /** Credit at the expected fill (points per condor). */
  readonly fillCredit?: number;
  /** Max loss after fill and fees, USD per condor. */
  readonly maxLossUsdPerCondor?: number;
  readonly contracts: number;
  /**
   * What the risk sizing (R9 and the book cap) allowed, present only when the liquidity limit
   * sizing.maxContractsPerOrder cut it down to `contracts` (ADR 0009).
   */
  readonly contractsByRisk?: number;
  readonly steps: readonly RsaiStep[];
  readonly ok: boolean;
  readonly reason: string;
}

export interface EntryDecision {
  readonly date: IsoDate;
  readonly expiry: IsoDate | null;
  readonly gate: GateDecision;
  readonly events: EventDecision;
  readonly edr: EdrResult;
  readonly premiumGauge: number | null;
  readonly tiers: readonly TierPlan[];
  /** The tier the strategy trades under its tier policy, if any. */
  readonly chosenTier: Tier | null;
  readonly intents: readonly Intent[];
  readonly reasons: readonly string[];
  readonly skip: boolean;
  readonly skipReason: string | null;
}

/** The expiry a daily entry trades: the nearest SPXW (PM) expiry min..max trading days out. */
export function entryExpiry(date: IsoDate, entry: StrategyConfig['entry']): IsoDate | null {
  const next = nextSpxwExpiry(date, Math.max(1, entry.minTradingDaysToExpiry));
  if (next === undefined) return null;
  const dte = dteTradingDays(date, next);
  return dte >= entry.minTradingDaysToExpiry && dte <= entry.maxTradingDaysToExpiry ? next : null;
}

function skipIntent(reason: string, cause: Cause): Intent {
  return { kind: 'skip', reason, cause };
}

/**
 * The daily pipeline of M§1: calendar -> events -> VIX gate -> EDR -> Premium Gauge -> RSAi per allowed
 * tier -> sizing. Pure: the chain for the entry expiry is passed in by the caller (the engine's port).
 */
export function ironCondorCommand(
  inp: EntryInputs,
  chain: OptionChain | undefined,
  expiry: IsoDate | null,
  cfg: StrategyConfig,
  gateState: GateState,
): EntryDecision {
  const reasons: string[] = [];
  const gate = vixGate(inp.vix, cfg.gate, gateState);
  const events = eventFilter(inp.held, cfg.events);
  const edr = computeEdr(
    { spx: inp.spx, vix: inp.vix, vix9d: inp.vix9d, hv20: inp.hv20 },
    { mode: cfg.edr.mode, multiplier: cfg.edr.multiplier, bias: cfg.edr.bias },
  );
  for (const f of edr.inputs.fallbacks) reasons.push(`EDR: ${f.reason}`);
  reasons.push(
    `EDR ${edr.edrPct.toFixed(3)}% = ${edr.edrPts.toFixed(1)} pts (${edr.mode}): band ${edr.lower.toFixed(1)} - ${edr.upper.toFixed(1)}`,
  );
  reasons.push(gate.reason);
  // A skip states the event reason once, as the skip reason (done below).
  if (events.action !== 'skip') reasons.push(`events: ${events.reason}`);

  const base = { date: inp.date, expiry, gate, events, edr };
  const done = (
    skipReason: string,
    cause: Cause,
    gauge: number | null = null,
    tiers: TierPlan[] = [],
  ): EntryDecision => {
    reasons.push(skipReason);
    return {
      ...base,
      premiumGauge: gauge,
      tiers,
      chosenTier: null,
      intents: [gate.hold ? { kind: 'hold', reason: skipReason, cause } : skipIntent(skipReason, cause)],
      reasons,
      skip: true,
      skipReason,
    };
  };

  if (gate.noTrades || gate.hold) return done(gate.reason, gate.cause);
  if (events.action === 'skip') return done(events.reason, events.cause);
  if (expiry === null) {
    return done(
      `no SPXW expiry ${cfg.entry.minTradingDaysToExpiry}-${cfg.entry.maxTradingDaysToExpiry} trading days out on ${inp.date}`,
      {
        rule: 'calendar',
        inputs: {
          date: inp.date,
          minDte: cfg.entry.minTradingDaysToExpiry,
          maxDte: cfg.entry.maxTradingDaysToExpiry,
        },
      },
    );
  }
  if (!chain)
    return done(`no option chain for ${expiry} on ${inp.date}`, {
      rule: 'chain',
      inputs: { date: inp.date, expiry },
    });

  const ctx = chainContext(chain, inp.r, inp.q);
  const wider = events.action === 'half-size-wider';
  const k = wider ? cfg.events.widerK : cfg.edr.k;
  const share = inp.execution.fillShare;
  const gaugeQuote = premiumGauge(ctx, edr.edrPts, cfg.condor.wingWidth);
  // The gauge reads the premium a trader would actually get: the credit at the expected fill (case 6/7).
  const gauge = gaugeQuote ? creditAtFillShare(gaugeQuote, share) : null;
  const gaugeCause: Cause = {
    rule: 'premium-gauge',
    inputs: { gauge, min: cfg.condor.premiumGaugeMin, edrPts: edr.edrPts },
  };
  if (gauge === null)
    return done('Premium Gauge: the EDR-boundary condor has no two-sided market', gaugeCause);
  reasons.push(
    `Premium Gauge ${gauge.toFixed(2)} at the expected fill (mid ${(gaugeQuote as CondorQuote).creditMid.toFixed(2)}; minimum ${cfg.condor.premiumGaugeMin.toFixed(2)})`,
  );
  if (gauge < cfg.condor.premiumGaugeMin) {
    return done(
      // Enough digits that the comparison reads true (0.2996 < 0.30, not '0.30 < 0.30').
      `Premium Gauge ${gauge.toFixed(gauge.toFixed(2) === cfg.condor.premiumGaugeMin.toFixed(2) ? 4 : 2)} < ${cfg.condor.premiumGaugeMin.toFixed(2)}: premium too low, no trade`,
      gaugeCause,
      gauge,
    );
  }

  const sizeFactor = gate.sizeMultiplier * (wider ? cfg.events.halfSizeFactor : 1);
  const fraction = cfg.sizing.maxLossFractionOfEquity;
  const roomUsd = Math.max(0, inp.book.capUsd - inp.book.committedUsd);
  const maxPerOrder = cfg.sizing.maxContractsPerOrder;
  const tiers: TierPlan[] = gate.allowedTiers.map((tier) => {
    const targetCredit = cfg.condor.tierCredits[tier];
    const res = rsaiSearch(ctx, {
      targetCredit,
      wingWidth: cfg.condor.wingWidth,
      strikeStep: cfg.condor.strikeStep,
      maxShortDelta: cfg.condor.maxShortDelta,
      startDistancePts: k * edr.edrPts,
      fillShare: share,
    });
    if (!res.ok)
      return {
        tier,
        targetCredit,
        contracts: 0,
        steps: res.steps,
        ok: false,
        reason: res.reason,
        ...(res.best ? { quote: res.best } : {}),
      };
    const width = res.quote.maxLossMid + res.quote.creditMid;
    const perCondor = maxLossPerCondorUsd(width, res.creditFill, inp.execution.feesPerCondorUsd);
    // R9 per condor order, then the book cap over every open condor (case 2).
    const own =
      perCondor > 0 && inp.equity > 0
        ? Math.floor(((fraction * inp.equity) / perCondor) * sizeFactor + 1e-9)
        : 0;
    const bookRoom = perCondor > 0 ? Math.floor(roomUsd / perCondor + 1e-9) : 0;
    const byRisk = Math.max(0, Math.min(own, bookRoom));
    // Liquidity (ADR 0009): no more condors in one order than the displayed size would absorb.
    const contracts = Math.min(byRisk, maxPerOrder);
    const limitedByLiquidity = byRisk > maxPerOrder;
    const strikes = `${res.quote.strikes.putLong}/${res.quote.strikes.putShort}p ${res.quote.strikes.callShort}/${res.quote.strikes.callLong}c`;
    const reducedByBook = bookRoom < own;
    const bookNote = `book cap ${inp.book.capUsd.toFixed(0)} USD, open condors use ${inp.book.committedUsd.toFixed(0)} USD${inp.book.note ? ` (${inp.book.note})` : ''}`;
    const liquidityNote = limitedByLiquidity
      ? `; capped at ${maxPerOrder} condors by the liquidity limit sizing.maxContractsPerOrder (the risk sizing allows ${byRisk}; about what the displayed size at 1DTE OTM SPXW strikes absorbs without moving the market, ADR 0009)`
      : '';
    let reason: string;
    if (contracts > 0)
      reason = `${tier}: ${strikes} for ${res.creditFill.toFixed(2)} at the expected fill (mid ${res.quote.creditMid.toFixed(2)}) after ${res.steps.length} RSAi step(s); max loss ${perCondor.toFixed(0)} USD per condor after fill and fees${reducedByBook ? `; reduced from ${own} to ${bookRoom} by the ${bookNote}` : ''}${liquidityNote}`;
    else if (own > 0)
      reason = `${tier}: ${strikes} found, but the ${bookNote}: no room for one condor at max loss ${perCondor.toFixed(0)} USD; no entry`;
    else
      reason = `${tier}: equity too small for one condor at max loss ${perCondor.toFixed(0)} USD after fill and fees`;
    return {
      tier,
      targetCredit,
      quote: res.quote,
      fillCredit: res.creditFill,
      maxLossUsdPerCondor: perCondor,
      contracts,
      ...(limitedByLiquidity ? { contractsByRisk: byRisk } : {}),
      steps: res.steps,
      ok: contracts > 0,
      reason,
    };
  });
  for (const t of tiers)
    reasons.push(t.maxLossUsdPerCondor !== undefined ? t.reason : `${t.tier}: ${t.reason}`);

  const policy = cfg.entry.tierPolicy;
  const tradable = tiers.filter((t) => t.ok);
  const chosen =
    policy === 'highest-allowed' ? tradable[tradable.length - 1] : tradable.find((t) => t.tier === policy);
  if (!chosen) {
    const why =
      policy !== 'highest-allowed' && !gate.allowedTiers.includes(policy)
        ? `the VIX gate does not allow the ${policy} tier`
        : (tiers.find((t) => t.tier === policy || policy === 'highest-allowed')?.reason ??
          'no tier reached its credit target within the guards');
    return done(
      why,
      { rule: 'rsai', inputs: { policy, allowed: gate.allowedTiers.join(',') } },
      gauge,
      tiers,
    );
  }
  const q = chosen.quote as CondorQuote;
  const intent: Intent = {
    kind: 'open',
    tier: chosen.tier,
    condor: q,
    quantity: chosen.contracts,
    reason: `open ${chosen.contracts} ${chosen.tier} condor(s) ${expiry}: ${chosen.reason}`,
    cause: {
      rule: 'iron-condor-command',
      inputs: {
        tier: chosen.tier,
        targetCredit: chosen.targetCredit,
        creditMid: q.creditMid,
        creditFill: chosen.fillCredit ?? null,
        maxLossUsdPerCondor: chosen.maxLossUsdPerCondor ?? null,
        bookCapUsd: inp.book.capUsd,
        bookCommittedUsd: inp.book.committedUsd,
        edrPct: edr.edrPct,
        vix: inp.vix,
        gauge,
        contracts: chosen.contracts,
        maxContractsPerOrder: maxPerOrder,
        contractsByRisk: chosen.contractsByRisk ?? chosen.contracts,
        limitedBy: chosen.contractsByRisk !== undefined ? 'liquidity' : 'risk',
      },
    },
  };
  return {
    ...base,
    premiumGauge: gauge,
    tiers,
    chosenTier: chosen.tier,
    intents: [intent],
    reasons,
    skip: false,
    skipReason: null,
  };
}
