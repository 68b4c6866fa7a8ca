import type { StrategyConfig } from '../config';
import { type Cause, TIERS, type Tier } from '../types';

export interface GateState {
  /** True while the gate is in HOLD (or no-trades) and has not yet reopened below `reopenBelow`. */
  readonly holding: boolean;
}

export const INITIAL_GATE_STATE: GateState = { holding: false };

export interface GateDecision {
  readonly vix: number;
  readonly allowedTiers: readonly Tier[];
  /** VIX above the HOLD level (or still holding until it reopens): no new condors. */
  readonly hold: boolean;
  /** VIX above the no-trades level: no new condors and no condor rolls. The ALVH hedge is never paused. */
  readonly noTrades: boolean;
  /** Size multiplier for new condors (0.5 above VIX 28 when enabled). */
  readonly sizeMultiplier: number;
  readonly state: GateState;
  readonly reason: string;
  readonly cause: Cause;
}

/**
 * VIX Risk Scaling (M§1, R14): VIX < 15 all tiers; 15 <= VIX <= 20 Conservative and Balanced;
 * VIX > 20 HOLD (no new condors; positions and hedge untouched); VIX > 25 no trades. Once in HOLD the
 * gate reopens only when VIX drops back below `reopenBelow` (hysteresis; 20 by default, i.e. none).
 */
export function vixGate(
  vix: number,
  gate: StrategyConfig['gate'],
  prev: GateState = INITIAL_GATE_STATE,
): GateDecision {
  const noTrades = vix > gate.noTradesAbove;
  const aboveHold = vix > gate.holdAbove;
  const holding = aboveHold || (prev.holding && vix >= gate.reopenBelow);
  const allowedTiers: Tier[] = holding
    ? []
    : vix < gate.allTiersBelow
      ? [...TIERS]
      : TIERS.filter((t) => t !== 'aggressive');
  const sizeMultiplier = gate.sizeScaleEnabled && vix > gate.sizeScaleAbove ? gate.sizeScaleFactor : 1;
  let reason: string;
  if (noTrades) reason = `VIX ${vix.toFixed(2)} > ${gate.noTradesAbove}: no trades (hedge stays on)`;
  else if (aboveHold)
    reason = `VIX ${vix.toFixed(2)} > ${gate.holdAbove}: HOLD, no new condors (positions and hedge untouched)`;
  else if (holding)
    reason = `VIX ${vix.toFixed(2)} has not yet dropped below ${gate.reopenBelow}: still in HOLD`;
  else if (vix < gate.allTiersBelow)
    reason = `VIX ${vix.toFixed(2)} < ${gate.allTiersBelow}: all tiers allowed`;
  else
    reason = `VIX ${vix.toFixed(2)} in [${gate.allTiersBelow}, ${gate.holdAbove}]: Conservative and Balanced only`;
  return {
    vix,
    allowedTiers,
    hold: holding,
    noTrades,
    sizeMultiplier,
    state: { holding },
    reason,
    cause: {
      rule: 'vix-gate',
      inputs: {
        vix,
        allTiersBelow: gate.allTiersBelow,
        holdAbove: gate.holdAbove,
        noTradesAbove: gate.noTradesAbove,
        reopenBelow: gate.reopenBelow,
        wasHolding: prev.holding,
      },
    },
  };
}
