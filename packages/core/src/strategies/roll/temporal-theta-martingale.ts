import { dteTradingDays } from '../../calendar/index';
import type { IsoDate } from '../../domain/index';
import type { OptionChain } from '../../market/index';
import type { StrategyConfig } from '../config';
import { describeReleases, type HeldThrough } from '../events/event-filter';
import { type ChainContext, chainContext } from '../iron-condor/chain-analytics';
import { isUnpriceable, priceCondor } from '../iron-condor/condor';
import { rsaiSearch } from '../iron-condor/rsai';
import type { Cause, CondorPosition, CondorQuote, Intent } from '../types';
import { condorSettlementValue } from '../types';

/** What the roll rules see for one session (all known at the check instant, 15:10 CT). */
export interface RollInputs {
  readonly date: IsoDate;
  /** SPX at the check (the day's close with daily data; the settlement level for today's PM expiries). */
  readonly spx: number;
  /** Session VWAP; with daily bars the typical price (H+L+C)/3, an approximation (M§2). null when unknown. */
  readonly vwapApprox: number | null;
  /** What vwapApprox is (a TWAP of bars, or the typical price standing in for a missing input). */
  readonly vwapLabel?: string;
  readonly edrPct: number;
  readonly edrPts: number;
  readonly vix: number;
  /** The VIX gate said no trades (VIX > 25): rolls are trades too, so none. */
  readonly noTrades: boolean;
  readonly r: number;
  readonly q: number;
  /** Expiries listed on `date` that the rules may roll into, ascending. */
  readonly expirations: readonly IsoDate[];
  /** The chain port: the chain of an expiry at this session's quote instant. */
  readonly chainFor: (expiry: IsoDate) => OptionChain | undefined;
  /** Expected fill of a condor sale as a share of the package spread (0.5 = mid); default mid. */
  readonly fillShare?: number;
  /** The releases a condor opened now and expiring on `expiry` would be open through (M§1 event rule). */
  readonly heldThrough?: (expiry: IsoDate) => HeldThrough;
}

export interface RollDecision {
  readonly intents: readonly Intent[];
  readonly reasons: readonly string[];
}

/** Threatened (M§2): at the check SPX is at or beyond a short strike, or a short |delta| >= the threshold. */
export function isThreatened(
  p: Pick<CondorPosition, 'strikes'>,
  spx: number,
  shortDeltas: { put: number; call: number } | null,
  threatenedDelta: number,
): boolean {
  if (spx <= p.strikes.putShort || spx >= p.strikes.callShort) return true;
  if (!shortDeltas) return false;
  return Math.abs(shortDeltas.put) >= threatenedDelta || Math.abs(shortDeltas.call) >= threatenedDelta;
}

/** The forward-roll trigger: EDR > 0.94% OR (AND, if configured) VIX > 16. */
export function forwardTrigger(edrPct: number, vix: number, roll: StrategyConfig['roll']): boolean {
  const a = edrPct > roll.edrThresholdPct;
  const b = vix > roll.vixThreshold;
  return roll.combine === 'or' ? a || b : a && b;
}

interface Candidate {
  readonly expiry: IsoDate;
  readonly dte: number;
  readonly quote: CondorQuote;
  /** Credit of the new condor at the expected fill. */
  readonly creditFill: number;
  readonly rollCredit: number;
}

/**
 * The least net roll credit a roll may have, points per condor: -roll.maxNetRollDebit when a debit is
 * allowed (issue 15 case 3: a 5-wide condor at the |delta| guard earns 2-2.7, never the 5.00 a full-width
 * loss costs to close), else roll.minNetRollCredit (M§2 as published).
 */
export function requiredNetRollCredit(roll: StrategyConfig['roll']): number {
  return roll.maxNetRollDebit > 0 ? -roll.maxNetRollDebit : roll.minNetRollCredit;
}

/**
 * The nearest expiry in [minDte, maxDte] trading days where RSAi finds a condor whose credit covers the
 * closing debit plus the minimum net roll credit. Strikes start k x EDR x sqrt(dte) out.
 */
function findRollTarget(
  inp: RollInputs,
  cfg: StrategyConfig,
  closeDebit: number,
  minDte: number,
  maxDte: number,
  tierCredit: number,
): Candidate | string {
  const tried: string[] = [];
  for (const expiry of inp.expirations) {
    const dte = dteTradingDays(inp.date, expiry);
    if (dte < minDte) continue;
    if (dte > maxDte) break;
    const chain = inp.chainFor(expiry);
    if (!chain) {
      tried.push(`${expiry}: no chain`);
      continue;
    }
    if (inp.heldThrough && cfg.events.policy !== 'ignore') {
      // The rolled condor is a condor like any other: it is not held through a release (M§1).
      const held = inp.heldThrough(expiry);
      if (held.releases.length > 0) {
        tried.push(`${expiry} (${dte} DTE): would be held through ${describeReleases(held.releases)}`);
        continue;
      }
    }
    const ctx: ChainContext = chainContext(chain, inp.r, inp.q);
    const target = Math.max(tierCredit, closeDebit + requiredNetRollCredit(cfg.roll));
    const res = rsaiSearch(ctx, {
      targetCredit: target,
      wingWidth: cfg.condor.wingWidth,
      strikeStep: cfg.condor.strikeStep,
      maxShortDelta: cfg.condor.maxShortDelta,
      startDistancePts: cfg.edr.k * inp.edrPts * Math.sqrt(Math.max(1, dte)),
      fillShare: inp.fillShare ?? 0.5,
    });
    if (res.ok)
      return {
        expiry,
        dte,
        quote: res.quote,
        creditFill: res.creditFill,
        rollCredit: res.creditFill - closeDebit,
      };
    tried.push(`${expiry} (${dte} DTE): ${res.reason}`);
  }
  return tried.length > 0 ? tried.join('; ') : `no expiry ${minDte}-${maxDte} trading days out`;
}

/** Cost to close a position now, points per condor (>= 0): its settlement on expiry day, else the mid. */
function closeDebitOf(p: CondorPosition, inp: RollInputs): number | string {
  if (p.expiry === inp.date) return -condorSettlementValue(p.strikes, inp.spx);
  const chain = inp.chainFor(p.expiry);
  if (!chain) return `no chain for ${p.expiry} to close it`;
  const q = priceCondor(chainContext(chain, inp.r, inp.q), p.strikes);
  return isUnpriceable(q) ? q.unpriceable : q.creditMid;
}

/**
 * Temporal Theta Martingale (M§2): rolls in time, not size.
 * - Forward roll: an expiring condor that is threatened at the check, when EDR > 0.94% OR VIX > 16, is
 *   closed (settled) and re-opened at the same quantity in the nearest 1-7 DTE expiry giving a net roll
 *   credit >= 0.
 * - Rollback: a chain at 3+ DTE rolls back to 0-2 DTE when EDR < 0.94% and SPX is below the session VWAP.
 * - Seed variant (M§4, rollbackMode next-weekly): an expiring 0-2 DTE condor near its break-even (within
 *   a fraction of EDR) moves into the next weekly cycle.
 * At most maxRolls per chain; no rolls when the VIX gate says no trades.
 */
export function temporalThetaMartingale(
  p: CondorPosition,
  tierCredit: number,
  inp: RollInputs,
  cfg: StrategyConfig,
): RollDecision {
  const roll = cfg.roll;
  const reasons: string[] = [];
  if (!roll.enabled) return { intents: [], reasons };
  const dte = dteTradingDays(inp.date, p.expiry);
  const baseInputs = {
    positionId: p.id,
    chainId: p.chainId,
    spx: inp.spx,
    edrPct: inp.edrPct,
    vix: inp.vix,
    rollsInChain: p.rollsInChain,
    maxRolls: roll.maxRolls,
  };
  if (p.rollsInChain >= roll.maxRolls) {
    if (p.expiry === inp.date)
      reasons.push(`${p.id}: chain ${p.chainId} has used its ${roll.maxRolls} rolls; it settles`);
    return { intents: [], reasons };
  }
  const quantity = Math.floor(p.quantity * Math.min(roll.sizeMultiplier, roll.sizeMultiplierCap));

  const makeRoll = (
    direction: 'forward' | 'rollback',
    minDte: number,
    maxDte: number,
    rule: string,
    why: string,
  ): RollDecision => {
    if (inp.noTrades) {
      reasons.push(`${p.id}: ${why}, but the VIX gate says no trades: no roll`);
      return { intents: [], reasons };
    }
    const debit = closeDebitOf(p, inp);
    if (typeof debit === 'string') {
      reasons.push(`${p.id}: ${why}, but cannot price the close: ${debit}`);
      return { intents: [], reasons };
    }
    const target = findRollTarget(inp, cfg, debit, minDte, maxDte, tierCredit);
    if (typeof target === 'string') {
      reasons.push(`${p.id}: ${why}, but no roll target: ${target}`);
      return { intents: [], reasons };
    }
    const cause: Cause = {
      rule,
      inputs: {
        ...baseInputs,
        closeDebit: debit,
        newExpiry: target.expiry,
        newDte: target.dte,
        rollCredit: target.rollCredit,
      },
    };
    const reason = `${direction} roll ${p.id} -> ${target.expiry} (${target.dte} DTE) ${target.quote.strikes.putShort}p/${target.quote.strikes.callShort}c: ${why}; close ${debit.toFixed(2)}, new credit ${target.creditFill.toFixed(2)} at the expected fill, net ${target.rollCredit >= 0 ? '+' : ''}${target.rollCredit.toFixed(2)}${target.rollCredit < 0 ? ` (a debit roll, within the ${cfg.roll.maxNetRollDebit.toFixed(2)} limit)` : ''}`;
    reasons.push(reason);
    return {
      intents: [
        {
          kind: 'roll',
          positionId: p.id,
          direction,
          to: target.quote,
          quantity,
          rollCredit: target.rollCredit,
          closeDebitMid: debit,
          reason,
          cause,
        },
      ],
      reasons,
    };
  };

  if (p.expiry === inp.date || dte <= roll.rollbackMaxDte) {
    if (roll.rollbackMode === 'next-weekly') {
      // M§4: "when SPX comes within 0.25 x EDR of a break-even": within that distance on either side
      // of it. A condor already further past a break-even is not "near" it: the M§2 forward roll of a
      // threatened condor (below) decides, and the reason says how far past it is.
      const near = roll.seedBreakevenFractionOfEdr * inp.edrPts;
      const lowerBe = p.strikes.putShort - p.entryCredit;
      const upperBe = p.strikes.callShort + p.entryCredit;
      const side = Math.abs(inp.spx - lowerBe) <= Math.abs(inp.spx - upperBe) ? 'lower' : 'upper';
      const be = side === 'lower' ? lowerBe : upperBe;
      const gap = inp.spx - be;
      const past = side === 'lower' ? gap < 0 : gap > 0;
      const where = `SPX ${inp.spx.toFixed(2)} is ${Math.abs(gap).toFixed(1)} pts ${gap < 0 ? 'below' : 'above'} the ${side} break-even ${be.toFixed(2)}${past ? ' (past it)' : ''}`;
      if (Math.abs(gap) <= near) {
        return makeRoll(
          'forward',
          roll.seedNextWeeklyMinDte,
          roll.seedNextWeeklyMaxDte,
          'seed-rollback-next-weekly',
          `${where}, within ${near.toFixed(1)} pts (${roll.seedBreakevenFractionOfEdr} x EDR)`,
        );
      }
      if (past) {
        reasons.push(
          `${p.id}: ${where}, beyond ${near.toFixed(1)} pts (${roll.seedBreakevenFractionOfEdr} x EDR): not near it, the seed rollback does not apply`,
        );
      }
    }
    if (p.expiry !== inp.date) return { intents: [], reasons };
    const threatened = isThreatened(p, inp.spx, null, roll.threatenedDelta);
    if (!threatened) return { intents: [], reasons };
    if (!forwardTrigger(inp.edrPct, inp.vix, roll)) {
      reasons.push(
        `${p.id}: threatened (SPX ${inp.spx.toFixed(2)} vs shorts ${p.strikes.putShort}/${p.strikes.callShort}) but EDR ${inp.edrPct.toFixed(3)}% <= ${roll.edrThresholdPct}% ${roll.combine === 'or' ? 'and' : 'or'} VIX ${inp.vix.toFixed(2)} <= ${roll.vixThreshold}: it settles`,
      );
      return { intents: [], reasons };
    }
    return makeRoll(
      'forward',
      roll.forwardMinDte,
      roll.forwardMaxDte,
      'ttm-forward-roll',
      `threatened at expiry (SPX ${inp.spx.toFixed(2)} vs shorts ${p.strikes.putShort}/${p.strikes.callShort}), EDR ${inp.edrPct.toFixed(3)}%, VIX ${inp.vix.toFixed(2)}`,
    );
  }

  if (dte >= roll.rollbackMinDte && inp.edrPct < roll.edrThresholdPct) {
    const belowVwap = inp.vwapApprox !== null && inp.spx < inp.vwapApprox;
    if (!roll.rollbackRequiresBelowVwap || belowVwap) {
      return makeRoll(
        'rollback',
        1,
        roll.rollbackMaxDte,
        'ttm-rollback',
        `chain at ${dte} DTE, EDR ${inp.edrPct.toFixed(3)}% < ${roll.edrThresholdPct}%${roll.rollbackRequiresBelowVwap ? `, SPX ${inp.spx.toFixed(2)} below ${inp.vwapLabel ?? `VWAP~${(inp.vwapApprox as number).toFixed(2)} (typical-price approximation)`}` : ''}`,
      );
    }
  }
  return { intents: [], reasons };
}
