import { SPX_MULTIPLIER } from '../domain/contracts';
import type { IsoDate } from '../domain/index';
import type { Intent, StrategyConfig } from '../strategies/index';

/** The day the account could no longer carry one condor at the risk cap, and its equity then. */
export interface Ruin {
  readonly on: IsoDate;
  readonly equityUsd: number;
  readonly reason: string;
}

/**
 * The smallest max loss any tier's 1-lot condor can have (the widest credit on the configured wing):
 * below cap x equity = this, no condor can be sized and the account is ruined for this strategy.
 */
export function smallestCondorMaxLossUsd(cfg: StrategyConfig): number {
  const bestCredit = Math.max(...Object.values(cfg.condor.tierCredits));
  return Math.max(0, cfg.condor.wingWidth - bestCredit) * SPX_MULTIPLIER;
}

/**
 * Ruin, or null: equity at or below zero, or a risk budget (equity x the max-loss cap) smaller than the
 * smallest condor. A ruined account keeps what it holds until it settles but opens nothing: a real
 * broker would not let it, and a backtest that kept buying would report returns of money it did not have.
 */
export function ruinOf(date: IsoDate, equityUsd: number, cfg: StrategyConfig): Ruin | null {
  const budget = equityUsd * cfg.sizing.maxLossFractionOfEquity;
  const smallest = smallestCondorMaxLossUsd(cfg);
  if (equityUsd > 0 && budget >= smallest) return null;
  return {
    on: date,
    equityUsd,
    reason:
      equityUsd <= 0
        ? `ruined on ${date}: equity ${equityUsd.toFixed(0)} USD`
        : `ruined on ${date}: equity ${equityUsd.toFixed(0)} USD x cap ${cfg.sizing.maxLossFractionOfEquity} = ${budget.toFixed(0)} USD cannot carry the smallest condor's max loss ${smallest.toFixed(0)} USD`,
  };
}

/** Intents that add risk or spend cash (a ruined account may still close and let positions settle). */
export function opensRisk(intent: Intent): boolean {
  if (intent.kind === 'open' || intent.kind === 'roll') return true;
  return intent.kind === 'hedge' && intent.action !== 'close';
}
