import type { SettlementStyle } from '../calendar/index';
import type { IsoDate } from '../domain/index';
import type { OptionRoot, PriceSource } from '../market/index';
import type { OptionRight } from '../pricing/index';

/** The credit tiers of the Iron Condor Command (docs/methodology.md §1). */
export type Tier = 'conservative' | 'balanced' | 'aggressive';
export const TIERS: readonly Tier[] = ['conservative', 'balanced', 'aggressive'];

/** One option leg. quantity > 0 is long, < 0 short, in contracts (x100 multiplier). */
export interface OptionLeg {
  readonly root: OptionRoot;
  readonly expiry: IsoDate;
  readonly settlement: SettlementStyle;
  readonly strike: number;
  readonly right: OptionRight;
  readonly quantity: number;
}

/** Strikes of a short iron condor (index points); wings may differ in width. */
export interface CondorStrikes {
  readonly putLong: number;
  readonly putShort: number;
  readonly callShort: number;
  readonly callLong: number;
}

/** Greeks of one condor package (short condor, per 1 condor, index points; vega per 1.00 vol, theta per year). */
export interface PackageGreeks {
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
}

/** A priced condor, as the RSAi search found it. Prices in index points per condor. */
export interface CondorQuote {
  readonly expiry: IsoDate;
  readonly root: OptionRoot;
  readonly settlement: SettlementStyle;
  readonly strikes: CondorStrikes;
  /** Net credit at mid. */
  readonly creditMid: number;
  /** Net credit at the natural market (sell at bids, buy at asks): the worst fill. */
  readonly creditNatural: number;
  /** max(put width, call width) - credit at mid: the loss at expiry beyond a long strike. */
  readonly maxLossMid: number;
  readonly breakevens: { readonly lower: number; readonly upper: number };
  readonly shortPutDelta: number;
  readonly shortCallDelta: number;
  readonly shortPutIv: number;
  readonly shortCallIv: number;
  /**
   * What the legs were priced with, so a reader can revalue the condor before expiry (the T+0 line):
   * each leg's implied vol (from its mid), the years from the quote to settlement, the rate and the
   * dividend yield (continuous, per year).
   */
  readonly legIvs: {
    readonly putLong: number;
    readonly putShort: number;
    readonly callShort: number;
    readonly callLong: number;
  };
  readonly yearsToSettlement: number;
  readonly rate: number;
  readonly dividendYield: number;
  /** Risk-neutral probability that SPX settles between the breakevens. */
  readonly probabilityOfProfit: number;
  readonly greeks: PackageGreeks;
  readonly underlying: number;
  readonly quoteTimeUtcMs: number;
  readonly source: PriceSource;
}

/** Why an intent was produced: the rule and the inputs it saw. */
export interface Cause {
  readonly rule: string;
  readonly inputs: Readonly<Record<string, number | string | boolean | null>>;
}

export type Intent =
  | {
      readonly kind: 'open';
      readonly tier: Tier;
      readonly condor: CondorQuote;
      readonly quantity: number;
      readonly reason: string;
      readonly cause: Cause;
    }
  | { readonly kind: 'close'; readonly positionId: string; readonly reason: string; readonly cause: Cause }
  | {
      readonly kind: 'roll';
      readonly positionId: string;
      readonly direction: 'forward' | 'rollback';
      readonly to: CondorQuote;
      readonly quantity: number;
      /** Credit of the new condor minus the cost of closing the old one (points per condor). */
      readonly rollCredit: number;
      /** Cost to close the rolled position at its mid, points per condor (the settlement value on expiry day). */
      readonly closeDebitMid: number;
      readonly reason: string;
      readonly cause: Cause;
    }
  | {
      readonly kind: 'hedge';
      readonly action: 'open' | 'roll' | 'close';
      readonly layer: number;
      readonly expiry: IsoDate;
      readonly strike: number;
      readonly quantity: number;
      /** Mid price per contract in VIX points (x100). */
      readonly price: number;
      /** When action is roll or close: the hedge position it replaces. */
      readonly positionId?: string;
      readonly reason: string;
      readonly cause: Cause;
    }
  | { readonly kind: 'hold'; readonly reason: string; readonly cause: Cause }
  | { readonly kind: 'skip'; readonly reason: string; readonly cause: Cause };

/** A condor in the book. */
export interface CondorPosition {
  readonly id: string;
  /** Positions rolled from one another share a chain id (Temporal Theta Martingale). */
  readonly chainId: string;
  readonly tier: Tier;
  readonly expiry: IsoDate;
  readonly root: OptionRoot;
  readonly settlement: SettlementStyle;
  readonly strikes: CondorStrikes;
  /** Number of condors (each is 4 legs of 1 contract). */
  readonly quantity: number;
  readonly openedOn: IsoDate;
  /** Credit received per condor at the fill (points). */
  readonly entryCredit: number;
  /** Rolls made so far in this chain before this position. */
  readonly rollsInChain: number;
  /** Realised P&L of the chain before this position, points per condor. */
  readonly chainRealisedPnl: number;
}

/** A long VIX call of the ALVH ladder. */
export interface VixCallPosition {
  readonly id: string;
  readonly layer: number;
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly quantity: number;
  readonly openedOn: IsoDate;
  /** Premium paid per contract, VIX points. */
  readonly entryPrice: number;
}

export interface Book {
  readonly condors: readonly CondorPosition[];
  readonly hedges: readonly VixCallPosition[];
}

export const EMPTY_BOOK: Book = { condors: [], hedges: [] };

export function legsOf(
  p: Pick<CondorPosition, 'root' | 'expiry' | 'settlement' | 'strikes' | 'quantity'>,
): OptionLeg[] {
  const base = { root: p.root, expiry: p.expiry, settlement: p.settlement };
  return [
    { ...base, strike: p.strikes.putLong, right: 'put', quantity: p.quantity },
    { ...base, strike: p.strikes.putShort, right: 'put', quantity: -p.quantity },
    { ...base, strike: p.strikes.callShort, right: 'call', quantity: -p.quantity },
    { ...base, strike: p.strikes.callLong, right: 'call', quantity: p.quantity },
  ];
}

/** Value of a short condor at expiry per condor (points, <= 0): what the seller pays at settlement. */
export function condorSettlementValue(strikes: CondorStrikes, settle: number): number {
  const putSpread = Math.max(0, Math.min(strikes.putShort - settle, strikes.putShort - strikes.putLong));
  const callSpread = Math.max(0, Math.min(settle - strikes.callShort, strikes.callLong - strikes.callShort));
  return -(putSpread + callSpread);
}
