/**
 * Package-level fill models. A package has a best price (every leg at its favourable side) and a
 * natural price (every leg crossing the spread); a fill travels some share of that package spread.
 *
 * Default "orats-like": the share depends on the number of legs, after ORATS' published backtest
 * methodology (1 leg 75%, 2 legs 66%, 3 legs 56%, 4 legs 53% of the bid-ask spread; the 2-leg 66% is
 * quoted in ORATS' blog "The tale of two backtests"). Prices are in index points per package.
 */
export type FillModelName = 'mid' | 'natural' | 'orats-like' | 'fraction';

export interface FillModel {
  readonly name: FillModelName;
  /** For 'fraction': share of the spread travelled from the favourable side (0 = best, 1 = natural). */
  readonly fraction?: number;
}

export const ORATS_LIKE_SHARE_BY_LEGS: readonly number[] = [0, 0.75, 0.66, 0.56, 0.53];

/** Share of the package spread a fill gives up, measured from the favourable side (0.5 = mid). */
export function spreadShare(model: FillModel, legs: number): number {
  switch (model.name) {
    case 'mid':
      return 0.5;
    case 'natural':
      return 1;
    case 'fraction':
      return model.fraction ?? 0.5;
    default:
      return ORATS_LIKE_SHARE_BY_LEGS[Math.min(legs, ORATS_LIKE_SHARE_BY_LEGS.length - 1)] ?? 0.53;
  }
}

/**
 * Credit received for selling a package whose natural credit (shorts at bid, longs at ask) is `natural`
 * and mid credit is `mid`: best = 2 mid - natural; fill = best - share x (best - natural).
 */
export function sellFillCredit(mid: number, natural: number, legs: number, model: FillModel): number {
  const best = 2 * mid - natural;
  return best - spreadShare(model, legs) * (best - natural);
}

/** Debit paid to buy a package with natural debit `natural` (longs at ask) and mid `mid`. */
export function buyFillDebit(mid: number, natural: number, legs: number, model: FillModel): number {
  const best = 2 * mid - natural;
  return best + spreadShare(model, legs) * (natural - best);
}

/** Commissions and fees per contract, USD (documented defaults: a discount broker, Cboe SPX fees). */
export interface FeeSchedule {
  readonly brokerPerContract: number;
  readonly exchangePerContract: number;
  readonly clearingPerContract: number;
}

/**
 * Defaults: broker 0.65 USD (typical discount-broker options rate), Cboe SPX/SPXW exchange fee about
 * 0.66 USD (customer, incl. index license surcharge; varies by premium), OCC clearing 0.02 USD.
 * Assumptions to be tuned to a user's broker.
 */
export const DEFAULT_FEES: FeeSchedule = {
  brokerPerContract: 0.65,
  exchangePerContract: 0.66,
  clearingPerContract: 0.02,
};

export function feesUsd(contracts: number, fees: FeeSchedule = DEFAULT_FEES): number {
  return Math.abs(contracts) * (fees.brokerPerContract + fees.exchangePerContract + fees.clearingPerContract);
}
