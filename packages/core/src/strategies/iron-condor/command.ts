import { dteTradingDays, nextSpxwExpiry } from '../../calendar/index';
import { SPX_MULTIPLIER } from '../../domain/contracts';
import type { IsoDate } from '../../domain/index';
import type { EventFlags } from '../../market/index';
import { computeEdr, type EdrResult, type OptionChain } from '../../market/index';
import type { StrategyConfig } from '../config';
import { type EventDecision, eventFilter } from '../events/event-filter';
import { type GateDecision, type GateState, vixGate } from '../regime/vix-gate';
import type { Cause, CondorQuote, Intent, Tier } from '../types';
import { chainContext } from './chain-analytics';
import { condorsForEquity, premiumGauge, type RsaiStep, rsaiSearch } from './rsai';

/** What the Iron Condor Command sees at the entry instant (all known at that instant). */
export interface EntryInputs {
  readonly date: IsoDate;
  /** SPX at entry (the day's close with daily data). */
  readonly spx: number;
  readonly vix: number;
  readonly vix9d: number | null;
  /** 20-day historical vol, vol points (needed by EDR mode high). */
  readonly hv20: number | null;
  readonly events: EventFlags;
  readonly r: number;
  readonly q: number;
  readonly equity: number;
}

export interface TierPlan {
  readonly tier: Tier;
  readonly targetCredit: number;
  readonly quote?: CondorQuote;
  readonly contracts: number;
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
  const events = eventFilter(inp.events, cfg.events);
  const edr = computeEdr(
    { spx: inp.spx, vix: inp.vix, vix9d: inp.vix9d, hv20: inp.hv20 },
    { mode: cfg.edr.mode, multiplier: cfg.edr.multiplier, bias: cfg.edr.bias },
  );
  for (const f of edr.inputs.fallbacks) reasons.push(`EDR: ${f.reason}`);
  reasons.push(
    `EDR ${edr.edrPct.toFixed(3)}% = ${edr.edrPts.toFixed(1)} pts (${edr.mode}): band ${edr.lower.toFixed(1)} - ${edr.upper.toFixed(1)}`,
  );
  reasons.push(gate.reason);
  reasons.push(`events: ${events.reason}`);

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
  const gaugeQuote = premiumGauge(ctx, edr.edrPts, cfg.condor.wingWidth);
  const gauge = gaugeQuote ? gaugeQuote.creditMid : null;
  const gaugeCause: Cause = {
    rule: 'premium-gauge',
    inputs: { gauge, min: cfg.condor.premiumGaugeMin, edrPts: edr.edrPts },
  };
  if (gauge === null)
    return done('Premium Gauge: the EDR-boundary condor has no two-sided market', gaugeCause);
  reasons.push(`Premium Gauge ${gauge.toFixed(2)} (minimum ${cfg.condor.premiumGaugeMin.toFixed(2)})`);
  if (gauge < cfg.condor.premiumGaugeMin) {
    return done(
      `Premium Gauge ${gauge.toFixed(2)} < ${cfg.condor.premiumGaugeMin.toFixed(2)}: premium too low, no trade`,
      gaugeCause,
      gauge,
    );
  }

  const sizeFactor = gate.sizeMultiplier * (wider ? cfg.events.halfSizeFactor : 1);
  const tiers: TierPlan[] = gate.allowedTiers.map((tier) => {
    const targetCredit = cfg.condor.tierCredits[tier];
    const res = rsaiSearch(ctx, {
      targetCredit,
      wingWidth: cfg.condor.wingWidth,
      strikeStep: cfg.condor.strikeStep,
      maxShortDelta: cfg.condor.maxShortDelta,
      startDistancePts: k * edr.edrPts,
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
    const contracts = Math.floor(
      condorsForEquity(inp.equity, res.quote.maxLossMid, cfg.sizing.maxLossFractionOfEquity) * sizeFactor,
    );
    return {
      tier,
      targetCredit,
      quote: res.quote,
      contracts,
      steps: res.steps,
      ok: contracts > 0,
      reason:
        contracts > 0
          ? `${tier}: ${res.quote.strikes.putLong}/${res.quote.strikes.putShort}p ${res.quote.strikes.callShort}/${res.quote.strikes.callLong}c for ${res.quote.creditMid.toFixed(2)} after ${res.steps.length} RSAi step(s)`
          : `${tier}: equity too small for one condor at max loss ${(res.quote.maxLossMid * SPX_MULTIPLIER).toFixed(0)} USD`,
    };
  });
  for (const t of tiers) reasons.push(t.ok ? t.reason : `${t.tier}: ${t.reason}`);

  const policy = cfg.entry.tierPolicy;
  const tradable = tiers.filter((t) => t.ok);
  const chosen =
    policy === 'highest-allowed' ? tradable[tradable.length - 1] : tradable.find((t) => t.tier === policy);
  if (!chosen) {
    const why =
      policy !== 'highest-allowed' && !gate.allowedTiers.includes(policy)
        ? `the VIX gate does not allow the ${policy} tier`
        : `no tier reached its credit target within the guards`;
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
        edrPct: edr.edrPct,
        vix: inp.vix,
        gauge,
        contracts: chosen.contracts,
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
