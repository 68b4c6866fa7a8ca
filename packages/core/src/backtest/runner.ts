import { daysBetween, type IsoDate } from '../domain/index';
import {
  type EnginePorts,
  type EngineState,
  INITIAL_ENGINE_STATE,
  type SessionMarket,
  type StepResult,
  step,
  withChainEntry,
} from '../engine/index';
import {
  buyFillDebit,
  DEFAULT_FEES,
  type FeeSchedule,
  type FillModel,
  feesUsd,
  sellFillCredit,
} from '../execution/index';
import {
  type Book,
  type CondorPosition,
  type CondorQuote,
  chainContext,
  condorSettlementValue,
  type Intent,
  isUnpriceable,
  priceCondor,
  type StrategyConfig,
  type VixCallPosition,
} from '../strategies/index';
import type {
  BacktestResult,
  CondorTrade,
  EquityPoint,
  HedgeTrade,
  RejectedIntent,
  RollChain,
} from './types';

/** One trading day as the runner replays it: everything known at the 15:10 CT session instant. */
export interface BacktestSession {
  readonly date: IsoDate;
  readonly instantUtcMs: number;
  readonly market: SessionMarket;
  /** SPX open of the day (AM settlement of SPX monthlies is approximated by it); null when unknown. */
  readonly spxOpen: number | null;
}

export interface BacktestOptions {
  readonly initialEquity: number;
  readonly fill: FillModel;
  readonly fees?: FeeSchedule;
  readonly pricesSource: BacktestResult['pricesSource'];
  readonly onProgress?: (done: number, total: number) => void;
  /** Sees every decision (for parity tests and decision logs); must not mutate anything. */
  readonly onDecision?: (session: BacktestSession, decision: StepResult, equityBefore: number) => void;
}

interface OpenCondor extends CondorPosition {
  readonly feesPaid: number;
  readonly vixAtEntry: number;
  mark: number; // last cost to close, points per condor (>= 0)
}

interface OpenHedge extends VixCallPosition {
  readonly feesPaid: number;
  mark: number;
}

const LEGS_PER_CONDOR = 4;

/**
 * Replays sessions through the same step() as the daily signal. Fills use the quotes of the session's
 * own chains (never a later price); a quote that is missing or crossed does not fill. Cash earns the
 * session's risk-free rate between sessions. Pure: the ports and the sessions are the only inputs.
 */
export function runBacktest(
  sessions: readonly BacktestSession[],
  ports: EnginePorts,
  cfg: StrategyConfig,
  opts: BacktestOptions,
): BacktestResult {
  const fees = opts.fees ?? DEFAULT_FEES;
  let cash = opts.initialEquity;
  let state: EngineState = INITIAL_ENGINE_STATE;
  let condors: OpenCondor[] = [];
  let hedges: OpenHedge[] = [];
  const equity: EquityPoint[] = [];
  const trades: CondorTrade[] = [];
  const hedgeTrades: HedgeTrade[] = [];
  const chains = new Map<
    string,
    { openedOn: IsoDate; closedOn: IsoDate | null; rolls: number; rollCredits: number; pnl: number }
  >();
  const rejected: RejectedIntent[] = [];
  let nextId = 1;
  let hedgePnl = 0;
  let interest = 0;
  let prevDate: IsoDate | null = null;
  let prevRate = 0;

  const closeCondor = (
    p: OpenCondor,
    date: IsoDate,
    debit: number,
    exit: CondorTrade['exit'],
    closeFees: number,
  ) => {
    cash -= debit * 100 * p.quantity + closeFees;
    const pnl = (p.entryCredit - debit) * 100 * p.quantity - p.feesPaid - closeFees;
    trades.push({
      id: p.id,
      chainId: p.chainId,
      tier: p.tier,
      openedOn: p.openedOn,
      closedOn: date,
      expiry: p.expiry,
      strikes: { ...p.strikes },
      quantity: p.quantity,
      entryCredit: p.entryCredit,
      exitDebit: debit,
      exit,
      pnl,
      fees: p.feesPaid + closeFees,
      vixAtEntry: p.vixAtEntry,
      rollsInChainBefore: p.rollsInChain,
    });
    const c = chains.get(p.chainId);
    if (c) {
      c.pnl += pnl;
      if (exit !== 'rolled') c.closedOn = date;
    }
    condors = condors.filter((x) => x !== p);
  };

  const openCondor = (
    q: CondorQuote,
    quantity: number,
    tier: CondorPosition['tier'],
    date: IsoDate,
    vix: number,
    chainId: string | null,
    rolls: number,
    chainPnl: number,
  ): OpenCondor | string => {
    if (!(Number.isFinite(q.creditNatural) && Number.isFinite(q.creditMid)))
      return 'no two-sided market for every leg';
    const credit = sellFillCredit(q.creditMid, q.creditNatural, LEGS_PER_CONDOR, opts.fill);
    const width = Math.max(q.strikes.putShort - q.strikes.putLong, q.strikes.callLong - q.strikes.callShort);
    const margin = width * 100 * quantity;
    const equityNow = cash + markCondors() + markHedges();
    const used = condors.reduce((s, c) => s + marginOf(c), 0);
    if (used + margin > equityNow)
      return `buying power: margin ${margin.toFixed(0)} + used ${used.toFixed(0)} > equity ${equityNow.toFixed(0)}`;
    const openFees = feesUsd(LEGS_PER_CONDOR * quantity, fees);
    cash += credit * 100 * quantity - openFees;
    const id = `c${nextId++}`;
    const cid = chainId ?? id;
    if (!chains.has(cid))
      chains.set(cid, { openedOn: date, closedOn: null, rolls: 0, rollCredits: 0, pnl: 0 });
    const p: OpenCondor = {
      id,
      chainId: cid,
      tier,
      expiry: q.expiry,
      root: q.root,
      settlement: q.settlement,
      strikes: q.strikes,
      quantity,
      openedOn: date,
      entryCredit: credit,
      rollsInChain: rolls,
      chainRealisedPnl: chainPnl,
      feesPaid: openFees,
      vixAtEntry: vix,
      mark: q.creditMid,
    };
    condors.push(p);
    return p;
  };

  const marginOf = (c: OpenCondor) =>
    Math.max(c.strikes.putShort - c.strikes.putLong, c.strikes.callLong - c.strikes.callShort) *
    100 *
    c.quantity;
  const markCondors = () => condors.reduce((s, c) => s - c.mark * 100 * c.quantity, 0);
  const markHedges = () => hedges.reduce((s, h) => s + h.mark * 100 * h.quantity, 0);

  const closeHedge = (h: OpenHedge, date: IsoDate, price: number, exit: HedgeTrade['exit']) => {
    const closeFees = exit === 'expired' ? 0 : feesUsd(h.quantity, fees);
    cash += price * 100 * h.quantity - closeFees;
    const pnl = (price - h.entryPrice) * 100 * h.quantity - h.feesPaid - closeFees;
    hedgePnl += (price - h.mark) * 100 * h.quantity - closeFees; // the part not yet in the marks
    hedgeTrades.push({
      id: h.id,
      layer: h.layer,
      openedOn: h.openedOn,
      closedOn: date,
      expiry: h.expiry,
      strike: h.strike,
      quantity: h.quantity,
      entryPrice: h.entryPrice,
      exitPrice: price,
      exit,
      pnl,
      fees: h.feesPaid + closeFees,
    });
    hedges = hedges.filter((x) => x !== h);
  };

  sessions.forEach((s, index) => {
    const m = s.market;
    // Interest on cash since the previous session, at the rate known then.
    if (prevDate !== null) {
      const earned = cash * (Math.exp(prevRate * (daysBetween(prevDate, s.date) / 365)) - 1);
      cash += earned;
      interest += earned;
    }
    prevDate = s.date;
    prevRate = m.r;

    // Hedges whose VIX options expired by today settle at the VRO (approximated by the VIX open).
    for (const h of [...hedges]) {
      if (h.expiry > s.date) continue;
      const vro = ports.vixOptions.settlement(h.expiry);
      const value = vro === undefined ? h.mark : Math.max(0, vro - h.strike);
      closeHedge(h, s.date, value, 'expired');
    }

    const equityBefore = cash + markCondors() + markHedges();
    const book: Book = { condors, hedges };
    const res = step(
      state,
      { kind: 'session', date: s.date, instantUtcMs: s.instantUtcMs, market: m, book, equity: equityBefore },
      ports,
      cfg,
    );
    state = res.state;
    opts.onDecision?.(s, res, equityBefore);

    const rolledIds = new Set<string>();
    for (const intent of res.intents) applyIntent(intent);

    // Condors expiring today that were not rolled settle (PM at the close; AM at the open).
    for (const p of [...condors]) {
      if (p.expiry !== s.date || rolledIds.has(p.id)) continue;
      const level = p.settlement === 'AM' ? (s.spxOpen ?? m.spx) : m.spx;
      const debit = -condorSettlementValue(p.strikes, level);
      closeCondor(p, s.date, debit, debit > 0 ? 'settled-itm' : 'expired', 0);
    }

    // Mark to market at this session's chains (a missing chain keeps the last mark).
    for (const p of condors) {
      const chain = ports.chains.chain(s.date, p.expiry);
      if (!chain) continue;
      const q = priceCondor(chainContext(chain, m.r, m.q), p.strikes);
      if (!isUnpriceable(q)) p.mark = q.creditMid;
    }
    let hedgeMarkChange = 0;
    for (const h of hedges) {
      const q = ports.vixOptions.call(s.date, h.expiry, h.strike);
      if (q) {
        hedgeMarkChange += (q.mid - h.mark) * 100 * h.quantity;
        h.mark = q.mid;
      }
    }
    hedgePnl += hedgeMarkChange;
    const condorValue = markCondors();
    const hedgeValue = markHedges();
    equity.push({
      date: s.date,
      equity: cash + condorValue + hedgeValue,
      cash,
      condorValue,
      hedgeValue,
      marginUsed: condors.reduce((acc, c) => acc + marginOf(c), 0),
      spx: m.spx,
      vix: m.vix,
      hedgePnlToDate: hedgePnl,
      interestToDate: interest,
    });
    opts.onProgress?.(index + 1, sessions.length);

    function applyIntent(intent: Intent): void {
      if (intent.kind === 'roll') {
        const p = condors.find((c) => c.id === intent.positionId);
        if (!p) return;
        const debit = (intent.cause.inputs.closeDebit as number) ?? 0;
        const closingFees = p.expiry === s.date ? 0 : feesUsd(LEGS_PER_CONDOR * p.quantity, fees);
        const closePrice = p.expiry === s.date ? debit : buyBackDebit(p, debit);
        const chain = chains.get(p.chainId);
        const opened = openCondor(
          intent.to,
          intent.quantity,
          p.tier,
          s.date,
          m.vix,
          p.chainId,
          p.rollsInChain + 1,
          p.chainRealisedPnl,
        );
        if (typeof opened === 'string') {
          rejected.push({ date: s.date, kind: 'roll', reason: `${intent.positionId}: ${opened}` });
          return;
        }
        rolledIds.add(p.id);
        closeCondor(p, s.date, closePrice, 'rolled', closingFees);
        if (chain) {
          chain.rolls += 1;
          chain.rollCredits += opened.entryCredit - closePrice;
        }
      } else if (intent.kind === 'close') {
        const p = condors.find((c) => c.id === intent.positionId);
        if (!p) return;
        const chain = ports.chains.chain(s.date, p.expiry);
        const q = chain ? priceCondor(chainContext(chain, m.r, m.q), p.strikes) : undefined;
        if (!q || isUnpriceable(q)) {
          rejected.push({ date: s.date, kind: 'close', reason: `${p.id}: no two-sided market to close it` });
          return;
        }
        closeCondor(
          p,
          s.date,
          buyBackDebit(p, q.creditMid),
          'closed',
          feesUsd(LEGS_PER_CONDOR * p.quantity, fees),
        );
      } else if (intent.kind === 'open') {
        const opened = openCondor(intent.condor, intent.quantity, intent.tier, s.date, m.vix, null, 0, 0);
        if (typeof opened === 'string') rejected.push({ date: s.date, kind: 'open', reason: opened });
        else state = withChainEntry(state, opened.chainId, m.spx);
      } else if (intent.kind === 'hedge') {
        const quote = ports.vixOptions.call(s.date, intent.expiry, intent.strike);
        if (!quote || !(quote.ask > 0) || quote.bid > quote.ask) {
          rejected.push({
            date: s.date,
            kind: `hedge-${intent.action}`,
            reason: `no two-sided VIX ${intent.expiry} ${intent.strike}C quote`,
          });
          return;
        }
        if (intent.action === 'close' || intent.action === 'roll') {
          const h = hedges.find((x) => x.id === intent.positionId);
          if (!h) return;
          const old = ports.vixOptions.call(s.date, h.expiry, h.strike);
          if (!old) {
            rejected.push({
              date: s.date,
              kind: `hedge-${intent.action}`,
              reason: `no quote to sell ${h.id}`,
            });
            return;
          }
          const sellPrice = sellFillCredit(old.mid, old.bid, 1, opts.fill);
          if (intent.action === 'close' && intent.quantity < h.quantity) {
            // Partial sale (Temporal Vega Martingale): split the position.
            const rest: OpenHedge = {
              ...h,
              id: `${h.id}r`,
              quantity: h.quantity - intent.quantity,
              feesPaid: 0,
            };
            closeHedge({ ...h, quantity: intent.quantity }, s.date, sellPrice, 'sold');
            hedges = hedges.filter((x) => x.id !== h.id);
            hedges.push(rest);
            return;
          }
          closeHedge(h, s.date, sellPrice, intent.action === 'roll' ? 'rolled' : 'sold');
          if (intent.action === 'close') return;
        }
        const price = buyFillDebit(quote.mid, quote.ask, 1, opts.fill);
        const f = feesUsd(intent.quantity, fees);
        cash -= price * 100 * intent.quantity + f;
        hedgePnl += (quote.mid - price) * 100 * intent.quantity - f; // entry slippage and fees are hedge cost
        hedges.push({
          id: `h${nextId++}`,
          layer: intent.layer,
          expiry: intent.expiry,
          strike: intent.strike,
          quantity: intent.quantity,
          openedOn: s.date,
          entryPrice: price,
          feesPaid: f,
          mark: quote.mid,
        });
      }
    }

    function buyBackDebit(p: OpenCondor, midDebit: number): number {
      const chain = ports.chains.chain(s.date, p.expiry);
      if (!chain) return midDebit;
      const q = priceCondor(chainContext(chain, m.r, m.q), p.strikes);
      if (isUnpriceable(q)) return midDebit;
      // Buying back: shorts at the ask, longs at the bid, i.e. 2 mid - (natural credit of a sale).
      const naturalDebit = 2 * q.creditMid - q.creditNatural;
      return buyFillDebit(q.creditMid, naturalDebit, LEGS_PER_CONDOR, opts.fill);
    }
  });

  const rollChains: RollChain[] = [...chains.entries()].map(([chainId, c]) => ({
    chainId,
    openedOn: c.openedOn,
    closedOn: c.closedOn,
    rolls: c.rolls,
    rollCredits: c.rollCredits,
    pnl: c.pnl,
    recovered: c.rolls > 0 && c.closedOn !== null && c.pnl >= 0,
  }));
  const first = sessions[0];
  const last = sessions[sessions.length - 1];
  return {
    from: (first?.date ?? '') as IsoDate,
    to: (last?.date ?? '') as IsoDate,
    initialEquity: opts.initialEquity,
    equity,
    trades,
    hedgeTrades,
    chains: rollChains,
    rejected,
    pricesSource: opts.pricesSource,
    assumptions: [
      'Entries, checks and fills at the 15:10 CT session with daily data: SPX at entry is the day close, VIX its close.',
      `Fills: ${opts.fill.name}${opts.fill.fraction !== undefined ? ` (${opts.fill.fraction} of the spread)` : ''} on package quotes; a missing or crossed quote never fills.`,
      `Fees per contract: broker ${fees.brokerPerContract}, exchange ${fees.exchangePerContract}, clearing ${fees.clearingPerContract} USD; cash settlement has no fee.`,
      'SPXW condors settle PM at the expiry-day close; SPX monthlies AM at the open of the expiry day (an approximation of the SOQ).',
      'VIX calls settle at the VRO, approximated by the VIX open on the expiration day.',
      'Defined-risk margin: the wider wing x 100 per condor; opens beyond equity are rejected.',
      'Cash earns the session rate (3-month T-bill, continuously compounded) between sessions.',
      'Exits other than hold-to-expiry are not evaluated intraday (daily data).',
    ],
  };
}
