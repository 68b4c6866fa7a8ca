import type { IsoDate } from '../domain/index';
import { condorSettlementValue } from '../strategies/index';
import type { OpenCondor, Portfolio } from './portfolio';

/**
 * Settles the condors that expire on `date` and were not rolled today, at `levelOf(position)` (the PM
 * close for SPXW, the AM opening level for SPX monthlies: the caller knows which print it has). A condor
 * that finishes out of the money is 'expired'; one that pays anything is 'settled-itm'. No fees: cash
 * settlement has none.
 */
export function settleExpiringCondors(
  portfolio: Portfolio,
  date: IsoDate,
  levelOf: (p: OpenCondor) => number,
  rolledToday: ReadonlySet<string>,
): void {
  for (const p of [...portfolio.openCondors]) {
    if (p.expiry !== date || rolledToday.has(p.id)) continue;
    const debit = -condorSettlementValue(p.strikes, levelOf(p));
    portfolio.closeCondor(p, date, debit, debit > 0 ? 'settled-itm' : 'expired', 0);
  }
}

/**
 * Settles the VIX calls whose options expired on or before `date` at their intrinsic value against the
 * special opening quotation (`settlementOf(expiry)`, the VRO); without one the last mark stands in.
 */
export function settleExpiredHedges(
  portfolio: Portfolio,
  date: IsoDate,
  settlementOf: (expiry: IsoDate) => number | undefined,
): void {
  for (const h of [...portfolio.openHedges]) {
    if (h.expiry > date) continue;
    const vro = settlementOf(h.expiry);
    const value = vro === undefined ? h.mark : hedgeSettlementValue(h.strike, vro);
    portfolio.closeHedge(h, date, value, 'expired', 0);
  }
}

/**
 * The index level a condor settles at: SPX monthlies (AM) at the special opening quotation, which the
 * backtester approximates by the SPX open of the expiry day (the close when the day has no open);
 * SPXW (PM) at the expiry day's close.
 */
export function condorSettlementLevel(
  style: 'AM' | 'PM',
  expiryDay: { readonly open: number | null; readonly close: number },
): number {
  return style === 'AM' ? (expiryDay.open ?? expiryDay.close) : expiryDay.close;
}

/** Intrinsic value of a VIX call at its settlement (the VRO), VIX points per contract. */
export function hedgeSettlementValue(strike: number, vro: number): number {
  return Math.max(0, vro - strike);
}
