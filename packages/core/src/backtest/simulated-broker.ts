import { type IsoDate, LEGS_PER_CONDOR, VIX_OPTION_MULTIPLIER } from '../domain/index';
import type { EnginePorts, SessionMarket } from '../engine/index';
import { buyFillDebit, type FeeSchedule, type FillModel, feesUsd, sellFillCredit } from '../execution/index';
import type { OptionChain } from '../market/index';
import type { OpenCondor, Portfolio } from '../portfolio/index';
import {
  type CondorQuote,
  type CondorStrikes,
  chainContext,
  type Intent,
  isUnpriceable,
  priceCondor,
  type Tier,
} from '../strategies/index';
import type { RejectedIntent } from './types';

/** What the simulated broker fills against: one session's quotes, a fill model and a fee schedule. */
export interface SessionExecution {
  readonly date: IsoDate;
  readonly market: SessionMarket;
  readonly ports: EnginePorts;
  readonly fill: FillModel;
  readonly fees: FeeSchedule;
}

/** What executing one intent did. */
export interface IntentOutcome {
  readonly rejected?: RejectedIntent;
  /** A new chain was opened (the engine remembers its entry spot). */
  readonly openedChain?: string;
  /** A position that was rolled out today (it must not also settle today). */
  readonly rolledOut?: string;
}

/**
 * The condor's quote in one chain (undefined: a leg without a two-sided market). The one place the
 * backtest prices a held condor from a chain's bid/ask: the session's closes and marks, and the
 * intraday marks at a bar close where a recorded chain has quotes (intraday-exit-phase.ts).
 */
export function condorQuoteIn(
  chain: OptionChain,
  r: number,
  q: number,
  strikes: CondorStrikes,
): CondorQuote | undefined {
  const quote = priceCondor(chainContext(chain, r, q), strikes);
  return isUnpriceable(quote) ? undefined : quote;
}

/** The condor's quote at this session's chain (undefined: no chain, or a leg without a market). */
export function condorQuoteNow(
  x: SessionExecution,
  p: Pick<OpenCondor, 'expiry' | 'strikes'>,
): CondorQuote | undefined {
  const chain = x.ports.chains.chain(x.date, p.expiry);
  return chain ? condorQuoteIn(chain, x.market.r, x.market.q, p.strikes) : undefined;
}

/**
 * Debit to buy a condor back from its quote: shorts at the ask and longs at the bid give the natural
 * debit, 2 mid - (natural credit of a sale).
 */
export function closeDebitsOf(q: CondorQuote): { readonly mid: number; readonly natural: number } {
  return { mid: q.creditMid, natural: 2 * q.creditMid - q.creditNatural };
}

/**
 * Debit to buy a condor back at this session's quotes under the fill model: shorts at the ask and longs
 * at the bid give the natural debit, 2 mid - (natural credit of a sale). Without a quote, `midDebit`.
 */
function buyBackDebit(x: SessionExecution, p: OpenCondor, midDebit: number): number {
  const q = condorQuoteNow(x, p);
  if (!q) return midDebit;
  const d = closeDebitsOf(q);
  return buyFillDebit(d.mid, d.natural, LEGS_PER_CONDOR, x.fill);
}

/** Sells a condor at the session's quote: the fill model's credit and the fees, then the portfolio books it. */
function sellCondor(
  x: SessionExecution,
  portfolio: Portfolio,
  q: CondorQuote,
  quantity: number,
  tier: Tier,
  chain: { id: string | null; rolls: number; realisedPnl: number },
): OpenCondor | string {
  if (!(Number.isFinite(q.creditNatural) && Number.isFinite(q.creditMid)))
    return 'no two-sided market for every leg';
  return portfolio.openCondor({
    quote: q,
    quantity,
    tier,
    date: x.date,
    vix: x.market.vix,
    creditPts: sellFillCredit(q.creditMid, q.creditNatural, LEGS_PER_CONDOR, x.fill),
    feesUsd: feesUsd(LEGS_PER_CONDOR * quantity, x.fees),
    chainId: chain.id,
    rollsInChain: chain.rolls,
    chainRealisedPnl: chain.realisedPnl,
  });
}

/**
 * Fills one intent of the engine at the session's own quotes (never a later price); a missing or
 * crossed quote does not fill and the intent comes back rejected with the reason.
 */
export function executeIntent(x: SessionExecution, portfolio: Portfolio, intent: Intent): IntentOutcome {
  const date = x.date;
  if (intent.kind === 'roll') {
    const p = portfolio.openCondors.find((c) => c.id === intent.positionId);
    if (!p) return {};
    const expiring = p.expiry === date;
    const closingFees = expiring ? 0 : feesUsd(LEGS_PER_CONDOR * p.quantity, x.fees);
    const closePrice = expiring ? intent.closeDebitMid : buyBackDebit(x, p, intent.closeDebitMid);
    // The new position is booked before the old one closes, so buying power counts both (conservative).
    const opened = sellCondor(x, portfolio, intent.to, intent.quantity, p.tier, {
      id: p.chainId,
      rolls: p.rollsInChain + 1,
      realisedPnl: p.chainRealisedPnl,
    });
    if (typeof opened === 'string')
      return { rejected: { date, kind: 'roll', reason: `${intent.positionId}: ${opened}` } };
    portfolio.closeCondor(p, date, closePrice, 'rolled', closingFees);
    portfolio.recordRoll(p.chainId, opened.entryCredit - closePrice);
    return { rolledOut: p.id };
  }
  if (intent.kind === 'close') {
    const p = portfolio.openCondors.find((c) => c.id === intent.positionId);
    if (!p) return {};
    const q = condorQuoteNow(x, p);
    if (!q) return { rejected: { date, kind: 'close', reason: `${p.id}: no two-sided market to close it` } };
    portfolio.closeCondor(
      p,
      date,
      buyBackDebit(x, p, q.creditMid),
      'closed',
      feesUsd(LEGS_PER_CONDOR * p.quantity, x.fees),
    );
    return {};
  }
  if (intent.kind === 'open') {
    const opened = sellCondor(x, portfolio, intent.condor, intent.quantity, intent.tier, {
      id: null,
      rolls: 0,
      realisedPnl: 0,
    });
    if (typeof opened === 'string') return { rejected: { date, kind: 'open', reason: opened } };
    return { openedChain: opened.chainId };
  }
  if (intent.kind === 'hedge') return executeHedge(x, portfolio, intent);
  return {};
}

function executeHedge(
  x: SessionExecution,
  portfolio: Portfolio,
  intent: Extract<Intent, { kind: 'hedge' }>,
): IntentOutcome {
  const date = x.date;
  const quote = x.ports.vixOptions.call(date, intent.expiry, intent.strike);
  if (!quote || !(quote.ask > 0) || quote.bid > quote.ask) {
    return {
      rejected: {
        date,
        kind: `hedge-${intent.action}`,
        reason: `no two-sided VIX ${intent.expiry} ${intent.strike}C quote`,
      },
    };
  }
  if (intent.action === 'close' || intent.action === 'roll') {
    const h = portfolio.openHedges.find((y) => y.id === intent.positionId);
    if (!h) return {};
    const old = x.ports.vixOptions.call(date, h.expiry, h.strike);
    if (!old)
      return { rejected: { date, kind: `hedge-${intent.action}`, reason: `no quote to sell ${h.id}` } };
    const sellPrice = sellFillCredit(old.mid, old.bid, 1, x.fill);
    if (intent.action === 'close' && intent.quantity < h.quantity) {
      // Partial sale (Temporal Vega Martingale): split the position.
      portfolio.sellPartOfHedge(h, intent.quantity, date, sellPrice, feesUsd(intent.quantity, x.fees));
      return {};
    }
    portfolio.closeHedge(
      h,
      date,
      sellPrice,
      intent.action === 'roll' ? 'rolled' : 'sold',
      feesUsd(h.quantity, x.fees),
    );
    if (intent.action === 'close') return {};
  }
  const costUsd = buyFillDebit(quote.mid, quote.ask, 1, x.fill) * VIX_OPTION_MULTIPLIER * intent.quantity;
  const free = portfolio.equityUsd() - portfolio.marginUsedUsd();
  if (costUsd + feesUsd(intent.quantity, x.fees) > free) {
    // A broker does not lend the premium: a purchase beyond free buying power is refused.
    return {
      rejected: {
        date,
        kind: `hedge-${intent.action}`,
        reason: `buying power: ${intent.quantity} VIX ${intent.expiry} ${intent.strike}C cost ${costUsd.toFixed(0)} > free ${free.toFixed(0)} USD`,
      },
    };
  }
  portfolio.buyHedge({
    layer: intent.layer,
    expiry: intent.expiry,
    strike: intent.strike,
    quantity: intent.quantity,
    date,
    midPts: quote.mid,
    pricePts: buyFillDebit(quote.mid, quote.ask, 1, x.fill),
    feesUsd: feesUsd(intent.quantity, x.fees),
  });
  return {};
}
