import type { IsoDate } from '../domain/index';
import type { CondorTrade, EquityPoint, HedgeTrade, RollChain } from '../portfolio/index';
import type { IntradayRunReport } from './intraday-exit-phase';
import type { Ruin } from './ruin';

/** What a decision could not do, and why (e.g. no fill on a crossed quote, no buying power). */
export interface RejectedIntent {
  readonly date: IsoDate;
  readonly kind: string;
  readonly reason: string;
}

export interface BacktestResult {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly initialEquity: number;
  readonly equity: readonly EquityPoint[];
  readonly trades: readonly CondorTrade[];
  readonly hedgeTrades: readonly HedgeTrade[];
  readonly chains: readonly RollChain[];
  readonly rejected: readonly RejectedIntent[];
  /** The day the account could no longer carry one condor at the cap (it opened nothing after); null: never. */
  readonly ruin?: Ruin | null;
  /** 'modelled' or 'real', and what from. */
  readonly pricesSource: { readonly kind: 'modelled' | 'real' | 'mixed'; readonly detail: string };
  readonly assumptions: readonly string[];
  /**
   * The intraday phase (issue 16): sessions on bars / the approximation / neither, marks and exits.
   * Every run of the runner has it (optional for results stored by older versions).
   */
  readonly intraday?: IntradayRunReport;
}
