import type { IsoDate } from '../domain/index';
import type { Tier } from '../strategies/index';

/** One day of the equity curve (USD), marked at the session instant (15:10 CT). */
export interface EquityPoint {
  readonly date: IsoDate;
  readonly equity: number;
  readonly cash: number;
  /** Mark-to-market of open condors (USD, <= 0 for short condors) and of the hedge (USD, >= 0). */
  readonly condorValue: number;
  readonly hedgeValue: number;
  /** Margin held for open condors (defined risk), USD. */
  readonly marginUsed: number;
  readonly spx: number;
  readonly vix: number;
  /** Cumulative hedge P&L (realised + unrealised) to date, USD: lets reports show drawdown without the hedge. */
  readonly hedgePnlToDate: number;
  /** Cumulative interest earned on cash to date, USD. */
  readonly interestToDate: number;
}

/** A closed condor trade (one position from open to settlement, close or roll-out). */
export interface CondorTrade {
  readonly id: string;
  readonly chainId: string;
  readonly tier: Tier;
  readonly openedOn: IsoDate;
  readonly closedOn: IsoDate;
  readonly expiry: IsoDate;
  readonly strikes: { putLong: number; putShort: number; callShort: number; callLong: number };
  readonly quantity: number;
  /** Credit received at the fill, points per condor. */
  readonly entryCredit: number;
  /** Paid to close (settlement value or buy-back fill), points per condor, >= 0. */
  readonly exitDebit: number;
  readonly exit: 'expired' | 'settled-itm' | 'rolled' | 'closed';
  /** (entryCredit - exitDebit) x 100 x quantity - fees, USD. */
  readonly pnl: number;
  readonly fees: number;
  readonly vixAtEntry: number;
  readonly rollsInChainBefore: number;
}

/** A closed VIX-call hedge trade. */
export interface HedgeTrade {
  readonly id: string;
  readonly layer: number;
  readonly openedOn: IsoDate;
  readonly closedOn: IsoDate;
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly exit: 'expired' | 'rolled' | 'sold';
  readonly pnl: number;
  readonly fees: number;
}

/** A roll chain of the Temporal Theta Martingale: the positions rolled from one another. */
export interface RollChain {
  readonly chainId: string;
  readonly openedOn: IsoDate;
  readonly closedOn: IsoDate | null;
  readonly rolls: number;
  /** Sum of net roll credits (points per condor). */
  readonly rollCredits: number;
  /** Cumulative chain P&L, USD. */
  readonly pnl: number;
  /** A chain that was rolled at least once and ended with P&L >= 0. */
  readonly recovered: boolean;
}
