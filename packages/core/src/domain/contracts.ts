/**
 * Contract specifications, in one place. Prices in the core are index points per option (or per
 * package); dollars appear only where a quantity of contracts meets a price, through these constants.
 */

/** USD per SPX/SPXW index point per contract (Cboe SPX options contract specification). */
export const SPX_MULTIPLIER = 100;

/** USD per VIX index point per VIX option contract (Cboe VIX options contract specification). */
export const VIX_OPTION_MULTIPLIER = 100;

/** Legs of one iron condor (long put, short put, short call, long call), one contract each. */
export const LEGS_PER_CONDOR = 4;

/**
 * The account size used when the user gives none (USD): the CLI, the API, the dashboard and the
 * studies all start from it, so results are comparable across them.
 */
export const DEFAULT_EQUITY_USD = 100_000;
