import { SPX_MULTIPLIER } from '../domain/index';
import type { CondorStrikes } from '../strategies/index';

/** Width of a condor's wider wing, points: what one condor can lose before its credit. */
export function condorWidth(strikes: CondorStrikes): number {
  return Math.max(strikes.putShort - strikes.putLong, strikes.callLong - strikes.callShort);
}

/**
 * Defined-risk margin of `quantity` condors, USD: the wider wing x the multiplier per condor (a broker
 * holds the wider wing, as only one side can finish in the money; the credit is not netted).
 */
export function definedRiskMarginUsd(strikes: CondorStrikes, quantity: number): number {
  return condorWidth(strikes) * SPX_MULTIPLIER * quantity;
}
