import { type IsoDate, SPX_MULTIPLIER, VIX_OPTION_MULTIPLIER } from '../domain/index';
import type { Book, CondorPosition, CondorQuote, Tier, VixCallPosition } from '../strategies/index';
import { interestEarnedUsd } from './interest';
import { definedRiskMarginUsd } from './margin';
import type { CondorTrade, EquityPoint, HedgeTrade, RollChain } from './types';

/** A condor held by the portfolio: the position, what it cost to open, and its last mark. */
export interface OpenCondor extends CondorPosition {
  readonly feesPaid: number;
  readonly vixAtEntry: number;
  /** Last cost to close, points per condor (>= 0). */
  mark: number;
}

/** A long VIX call held by the portfolio, with its last mark (VIX points per contract). */
export interface OpenHedge extends VixCallPosition {
  readonly feesPaid: number;
  mark: number;
}

/** A condor sale the execution has priced: what the portfolio books when it opens the position. */
export interface CondorOpening {
  readonly quote: CondorQuote;
  readonly quantity: number;
  readonly tier: Tier;
  readonly date: IsoDate;
  /** VIX at the fill (reports group trades by it). */
  readonly vix: number;
  /** Credit received per condor at the fill, points. */
  readonly creditPts: number;
  readonly feesUsd: number;
  /** The chain a roll continues (null: a new chain named after the position). */
  readonly chainId: string | null;
  readonly rollsInChain: number;
  readonly chainRealisedPnl: number;
}

/** A VIX call purchase the execution has priced. */
export interface HedgePurchase {
  readonly layer: number;
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly quantity: number;
  readonly date: IsoDate;
  /** Mid of the quote bought from: the difference to the fill is counted as hedge cost. */
  readonly midPts: number;
  readonly pricePts: number;
  readonly feesUsd: number;
}

interface ChainLedger {
  openedOn: IsoDate;
  closedOn: IsoDate | null;
  rolls: number;
  rollCredits: number;
  pnl: number;
}

/**
 * The book and its ledger: cash, open condors and VIX calls with their marks, closed trades, roll
 * chains, interest and the hedge's running P&L. It only books what execution priced: it never looks at
 * a market, so the backtester and any other driver account the same way. Amounts are USD; prices are
 * index points per condor (SPX) or per contract (VIX), turned into USD by the contract multipliers.
 */
export class Portfolio {
  private cash: number;
  private condors: OpenCondor[] = [];
  private hedges: OpenHedge[] = [];
  private readonly closedTrades: CondorTrade[] = [];
  private readonly closedHedges: HedgeTrade[] = [];
  private readonly chainLedger = new Map<string, ChainLedger>();
  private nextId = 1;
  private hedgePnl = 0;
  private interest = 0;
  private lastAccrual: { date: IsoDate; rate: number } | null = null;

  constructor(readonly initialEquityUsd: number) {
    this.cash = initialEquityUsd;
  }

  get openCondors(): readonly OpenCondor[] {
    return this.condors;
  }

  get openHedges(): readonly OpenHedge[] {
    return this.hedges;
  }

  /** What the engine sees: the positions as they stand (the arrays are not copied). */
  book(): Book {
    return { condors: this.condors, hedges: this.hedges };
  }

  /** Mark-to-market of the open condors, USD (<= 0: they are short). */
  condorValueUsd(): number {
    return this.condors.reduce((s, c) => s - c.mark * SPX_MULTIPLIER * c.quantity, 0);
  }

  /** Mark-to-market of the VIX calls, USD. */
  hedgeValueUsd(): number {
    return this.hedges.reduce((s, h) => s + h.mark * VIX_OPTION_MULTIPLIER * h.quantity, 0);
  }

  equityUsd(): number {
    return this.cash + this.condorValueUsd() + this.hedgeValueUsd();
  }

  marginUsedUsd(): number {
    return this.condors.reduce((s, c) => s + definedRiskMarginUsd(c.strikes, c.quantity), 0);
  }

  /** Interest on cash since the previous session, at the rate known then; remembers today's rate. */
  accrueInterest(date: IsoDate, rate: number): void {
    if (this.lastAccrual !== null) {
      const earned = interestEarnedUsd(this.cash, this.lastAccrual.rate, this.lastAccrual.date, date);
      this.cash += earned;
      this.interest += earned;
    }
    this.lastAccrual = { date, rate };
  }

  /**
   * Books a condor sale, or says why not: the defined-risk margin of all open condors plus this one
   * must fit in equity (buying power).
   */
  openCondor(o: CondorOpening): OpenCondor | string {
    const margin = definedRiskMarginUsd(o.quote.strikes, o.quantity);
    const equityNow = this.cash + this.condorValueUsd() + this.hedgeValueUsd();
    const used = this.marginUsedUsd();
    if (used + margin > equityNow)
      return `buying power: margin ${margin.toFixed(0)} + used ${used.toFixed(0)} > equity ${equityNow.toFixed(0)}`;
    this.cash += o.creditPts * SPX_MULTIPLIER * o.quantity - o.feesUsd;
    const id = `c${this.nextId++}`;
    const chainId = o.chainId ?? id;
    if (!this.chainLedger.has(chainId))
      this.chainLedger.set(chainId, { openedOn: o.date, closedOn: null, rolls: 0, rollCredits: 0, pnl: 0 });
    const p: OpenCondor = {
      id,
      chainId,
      tier: o.tier,
      expiry: o.quote.expiry,
      root: o.quote.root,
      settlement: o.quote.settlement,
      strikes: o.quote.strikes,
      quantity: o.quantity,
      openedOn: o.date,
      entryCredit: o.creditPts,
      rollsInChain: o.rollsInChain,
      chainRealisedPnl: o.chainRealisedPnl,
      feesPaid: o.feesUsd,
      vixAtEntry: o.vix,
      mark: o.quote.creditMid,
    };
    this.condors.push(p);
    return p;
  }

  /** Closes a condor at `debitPts` per condor (a settlement value or a buy-back fill) and records the trade. */
  closeCondor(
    p: OpenCondor,
    date: IsoDate,
    debitPts: number,
    exit: CondorTrade['exit'],
    closeFeesUsd: number,
  ): void {
    this.cash -= debitPts * SPX_MULTIPLIER * p.quantity + closeFeesUsd;
    const pnl = (p.entryCredit - debitPts) * SPX_MULTIPLIER * p.quantity - p.feesPaid - closeFeesUsd;
    this.closedTrades.push({
      id: p.id,
      chainId: p.chainId,
      tier: p.tier,
      openedOn: p.openedOn,
      closedOn: date,
      expiry: p.expiry,
      strikes: { ...p.strikes },
      quantity: p.quantity,
      entryCredit: p.entryCredit,
      exitDebit: debitPts,
      exit,
      pnl,
      fees: p.feesPaid + closeFeesUsd,
      vixAtEntry: p.vixAtEntry,
      rollsInChainBefore: p.rollsInChain,
    });
    const c = this.chainLedger.get(p.chainId);
    if (c) {
      c.pnl += pnl;
      if (exit !== 'rolled') c.closedOn = date;
    }
    this.condors = this.condors.filter((x) => x !== p);
  }

  /** Counts a roll in its chain: one more roll and its net credit (points per condor). */
  recordRoll(chainId: string, rollCreditPts: number): void {
    const c = this.chainLedger.get(chainId);
    if (c) {
      c.rolls += 1;
      c.rollCredits += rollCreditPts;
    }
  }

  /** Books a VIX call purchase; slippage from the mid and fees count as hedge cost at once. */
  buyHedge(b: HedgePurchase): OpenHedge {
    this.cash -= b.pricePts * VIX_OPTION_MULTIPLIER * b.quantity + b.feesUsd;
    this.hedgePnl += (b.midPts - b.pricePts) * VIX_OPTION_MULTIPLIER * b.quantity - b.feesUsd;
    const h: OpenHedge = {
      id: `h${this.nextId++}`,
      layer: b.layer,
      expiry: b.expiry,
      strike: b.strike,
      quantity: b.quantity,
      openedOn: b.date,
      entryPrice: b.pricePts,
      feesPaid: b.feesUsd,
      mark: b.midPts,
    };
    this.hedges.push(h);
    return h;
  }

  /** Sells (or settles) a VIX call position at `pricePts` and records the trade. */
  closeHedge(
    h: OpenHedge,
    date: IsoDate,
    pricePts: number,
    exit: HedgeTrade['exit'],
    closeFeesUsd: number,
  ): void {
    this.cash += pricePts * VIX_OPTION_MULTIPLIER * h.quantity - closeFeesUsd;
    const pnl = (pricePts - h.entryPrice) * VIX_OPTION_MULTIPLIER * h.quantity - h.feesPaid - closeFeesUsd;
    this.hedgePnl += (pricePts - h.mark) * VIX_OPTION_MULTIPLIER * h.quantity - closeFeesUsd; // the part not yet in the marks
    this.closedHedges.push({
      id: h.id,
      layer: h.layer,
      openedOn: h.openedOn,
      closedOn: date,
      expiry: h.expiry,
      strike: h.strike,
      quantity: h.quantity,
      entryPrice: h.entryPrice,
      exitPrice: pricePts,
      exit,
      pnl,
      fees: h.feesPaid + closeFeesUsd,
    });
    this.hedges = this.hedges.filter((x) => x !== h);
  }

  /**
   * Sells part of a VIX call position (Temporal Vega Martingale): the sold part is a closed trade that
   * carries the opening fees; the rest stays open as `<id>r` with none.
   */
  sellPartOfHedge(
    h: OpenHedge,
    quantity: number,
    date: IsoDate,
    pricePts: number,
    closeFeesUsd: number,
  ): void {
    const rest: OpenHedge = { ...h, id: `${h.id}r`, quantity: h.quantity - quantity, feesPaid: 0 };
    this.closeHedge({ ...h, quantity }, date, pricePts, 'sold', closeFeesUsd);
    this.hedges = this.hedges.filter((x) => x.id !== h.id);
    this.hedges.push(rest);
  }

  /** Re-marks a condor at its cost to close (points per condor). */
  markCondor(p: OpenCondor, midPts: number): void {
    p.mark = midPts;
  }

  /** Re-marks the VIX calls at the given mids (a missing quote keeps the last mark). */
  markHedges(midOf: (h: OpenHedge) => number | undefined): void {
    let change = 0;
    for (const h of this.hedges) {
      const mid = midOf(h);
      if (mid !== undefined) {
        change += (mid - h.mark) * VIX_OPTION_MULTIPLIER * h.quantity;
        h.mark = mid;
      }
    }
    this.hedgePnl += change;
  }

  /** The equity curve's point for this session, after every fill, settlement and mark. */
  equityPoint(date: IsoDate, spx: number, vix: number): EquityPoint {
    const condorValue = this.condorValueUsd();
    const hedgeValue = this.hedgeValueUsd();
    return {
      date,
      equity: this.cash + condorValue + hedgeValue,
      cash: this.cash,
      condorValue,
      hedgeValue,
      marginUsed: this.marginUsedUsd(),
      spx,
      vix,
      hedgePnlToDate: this.hedgePnl,
      interestToDate: this.interest,
    };
  }

  get trades(): readonly CondorTrade[] {
    return this.closedTrades;
  }

  get hedgeTrades(): readonly HedgeTrade[] {
    return this.closedHedges;
  }

  /** Every chain of positions rolled from one another, with its rolls, credits and P&L. */
  rollChains(): RollChain[] {
    return [...this.chainLedger.entries()].map(([chainId, c]) => ({
      chainId,
      openedOn: c.openedOn,
      closedOn: c.closedOn,
      rolls: c.rolls,
      rollCredits: c.rollCredits,
      pnl: c.pnl,
      recovered: c.rolls > 0 && c.closedOn !== null && c.pnl >= 0,
    }));
  }
}
