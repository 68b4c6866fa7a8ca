/**
 * Package-level fill models. A package has a best price (every leg at its favourable side) and a
 * natural price (every leg crossing the spread); a fill travels some share of that package spread.
 *
 * Default "orats-like": the share depends on the number of legs, after ORATS' published backtest
 * methodology (1 leg 75%, 2 legs 66%, 3 legs 56%, 4 legs 53% of the bid-ask spread; the 2-leg 66% is
 * quoted in ORATS' blog "The tale of two backtests"). Prices are in index points per package.
 */
/**
 * How a package order fills between its best price (every leg at its favourable side) and its natural
 * price (every leg crossing the spread). Implement it to model another broker or venue: the backtest,
 * the daily signal, the Cboe replications and the intraday exits all fill through this interface.
 */
export interface FillModel {
  /** Shown in reports and assumptions (e.g. 'orats-like', 'fraction'). */
  readonly name: string;
  /** For a fraction-of-the-spread model: the share it gives up (reports print it). */
  readonly fraction?: number;
  /**
   * Share of the package spread this fill gives up, measured from the favourable side: 0 = best price,
   * 0.5 = mid, 1 = natural. `legs` is the number of option legs in the package (1 for a single option).
   */
  spreadShare(legs: number): number;
}

/** The built-in models' names, as the CLI and the API accept them (`fraction:<0..1>` for FRACTION). */
export type FillModelName = 'mid' | 'natural' | 'orats-like' | 'fraction';

export const ORATS_LIKE_SHARE_BY_LEGS: readonly number[] = [0, 0.75, 0.66, 0.56, 0.53];

/** Fills at the mid of the package. */
export const MID_FILL: FillModel = { name: 'mid', spreadShare: () => 0.5 };

/** Fills at the natural price: every leg crosses the whole spread. */
export const NATURAL_FILL: FillModel = { name: 'natural', spreadShare: () => 1 };

/** Default: the share of the spread depends on the number of legs (ORATS' published methodology). */
export const ORATS_LIKE_FILL: FillModel = {
  name: 'orats-like',
  spreadShare: (legs) =>
    ORATS_LIKE_SHARE_BY_LEGS[Math.min(legs, ORATS_LIKE_SHARE_BY_LEGS.length - 1)] ?? 0.53,
};

/** A fixed share of the spread from the favourable side, whatever the number of legs. */
export function fractionFill(fraction: number): FillModel {
  return { name: 'fraction', fraction, spreadShare: () => fraction };
}

/** Share of the package spread a fill gives up, measured from the favourable side (0.5 = mid). */
export function spreadShare(model: FillModel, legs: number): number {
  return model.spreadShare(legs);
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
