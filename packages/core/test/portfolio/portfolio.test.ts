import { describe, expect, it } from 'vitest';
import {
  type CondorQuote,
  condorWidth,
  definedRiskMarginUsd,
  type FillModel,
  type IsoDate,
  interestEarnedUsd,
  markToMarket,
  ORATS_LIKE_FILL,
  Portfolio,
  sellFillCredit,
  settleExpiredHedges,
  settleExpiringCondors,
} from '../../src/index';

/**
 * The book and its ledger, on hand-built positions: every expected figure below is worked out in the
 * comment next to it, not read back from the code.
 */
const d = (s: string) => s as IsoDate;
const strikes = { putLong: 4895, putShort: 4900, callShort: 5100, callLong: 5105 };

function quote(over: Partial<CondorQuote> = {}): CondorQuote {
  return {
    expiry: d('2024-06-04'),
    root: 'SPXW',
    settlement: 'PM',
    strikes,
    creditMid: 0.8,
    creditNatural: 0.6,
    maxLossMid: 4.2,
    breakevens: { lower: 4899.2, upper: 5100.8 },
    shortPutDelta: -0.1,
    shortCallDelta: 0.1,
    shortPutIv: 0.15,
    shortCallIv: 0.14,
    probabilityOfProfit: 0.8,
    greeks: { delta: 0, gamma: 0, vega: 0, theta: 0 },
    underlying: 5000,
    quoteTimeUtcMs: 0,
    source: 'modelled',
    ...over,
  } as CondorQuote;
}

function open(
  p: Portfolio,
  quantity: number,
  over: Partial<CondorQuote> = {},
  chainId: string | null = null,
) {
  return p.openCondor({
    quote: quote(over),
    quantity,
    tier: 'conservative',
    date: d('2024-06-03'),
    vix: 13,
    creditPts: 0.7,
    feesUsd: 5.32 * quantity, // 4 legs x 1.33 USD
    chainId,
    rollsInChain: chainId ? 1 : 0,
    chainRealisedPnl: 0,
  });
}

describe('margin', () => {
  it('is the wider wing x 100 per condor', () => {
    expect(condorWidth(strikes)).toBe(5);
    expect(condorWidth({ ...strikes, callLong: 5110 })).toBe(10);
    expect(definedRiskMarginUsd(strikes, 3)).toBe(1500); // 5 x 100 x 3
  });
});

describe('interest', () => {
  it('compounds continuously on calendar days (ACT/365)', () => {
    // 100,000 x (e^{0.05 x 3/365} - 1) = 41.103... over a weekend at 5%
    expect(interestEarnedUsd(100_000, 0.05, d('2024-06-07'), d('2024-06-10'))).toBeCloseTo(41.104, 3);
    expect(interestEarnedUsd(-1000, 0.05, d('2024-06-07'), d('2024-06-08'))).toBeLessThan(0);
  });

  it('accrues from the second session on, at the rate known at the previous one', () => {
    const p = new Portfolio(100_000);
    p.accrueInterest(d('2024-06-07'), 0.05);
    expect(p.equityUsd()).toBe(100_000);
    p.accrueInterest(d('2024-06-10'), 0.9); // today's rate applies from today on, not to the weekend
    expect(p.equityUsd()).toBeCloseTo(100_041.104, 2);
    expect(p.equityPoint(d('2024-06-10'), 5000, 13).interestToDate).toBeCloseTo(41.104, 2);
  });
});

describe('condors', () => {
  it('books the credit less fees, marks the short position and settles it', () => {
    const p = new Portfolio(10_000);
    const c = open(p, 2);
    if (typeof c === 'string') throw new Error(c);
    // cash 10,000 + 0.70 x 100 x 2 - 10.64 = 10,129.36; the mark is the mid cost to close, 0.80 x 200 = -160
    expect(p.equityPoint(d('2024-06-03'), 5000, 13)).toMatchObject({
      cash: 10_129.36,
      condorValue: -160,
      marginUsed: 1000,
      equity: 9969.36,
    });
    // Next day SPX settles at 4898: the put spread pays 2 points -> debit 2 x 200 = 400
    settleExpiringCondors(p, d('2024-06-04'), () => 4898, new Set());
    expect(p.openCondors).toHaveLength(0);
    const t = p.trades[0]!;
    expect(t.exit).toBe('settled-itm');
    expect(t.exitDebit).toBe(2);
    // (0.70 - 2) x 100 x 2 - 10.64 - 0 = -270.64
    expect(t.pnl).toBeCloseTo(-270.64, 10);
    expect(p.equityUsd()).toBeCloseTo(10_000 - 270.64, 10);
  });

  it('expires worthless between the shorts, and a rolled position does not also settle', () => {
    const p = new Portfolio(10_000);
    const a = open(p, 1);
    const b = open(p, 1);
    if (typeof a === 'string' || typeof b === 'string') throw new Error('not opened');
    settleExpiringCondors(p, d('2024-06-04'), () => 5000, new Set([b.id]));
    expect(p.trades.map((t) => [t.id, t.exit, t.exitDebit])).toEqual([[a.id, 'expired', 0]]);
    expect(p.openCondors.map((c) => c.id)).toEqual([b.id]);
  });

  it('refuses an opening whose margin does not fit in equity, naming both amounts', () => {
    const p = new Portfolio(2_000);
    expect(typeof open(p, 3)).toBe('object'); // margin 1,500 <= equity ~1,800
    const r = open(p, 1);
    // used 1,500 + 500 > equity 2,000 + 210 - 15.96 - 240 = 1,954.04
    expect(r).toBe('buying power: margin 500 + used 1500 > equity 1954');
  });

  it('keeps a roll chain: rolls, net roll credit and P&L across the positions', () => {
    const p = new Portfolio(10_000);
    const first = open(p, 1);
    if (typeof first === 'string') throw new Error(first);
    const second = open(p, 1, { expiry: d('2024-06-05') }, first.chainId);
    if (typeof second === 'string') throw new Error(second);
    p.closeCondor(first, d('2024-06-03'), 1.5, 'rolled', 5.32);
    p.recordRoll(first.chainId, second.entryCredit - 1.5);
    expect(p.rollChains()).toEqual([
      {
        chainId: first.chainId,
        openedOn: '2024-06-03',
        closedOn: null, // a roll does not close the chain
        rolls: 1,
        rollCredits: -0.8, // 0.70 - 1.50
        pnl: (0.7 - 1.5) * 100 - 5.32 - 5.32,
        recovered: false,
      },
    ]);
    settleExpiringCondors(p, d('2024-06-05'), () => 5000, new Set());
    const chain = p.rollChains()[0]!;
    // -90.64 + (0.70 x 100 - 5.32) = -25.96 < 0: rolled, closed, not recovered
    expect(chain.closedOn).toBe('2024-06-05');
    expect(chain.pnl).toBeCloseTo(-25.96, 10);
    expect(chain.recovered).toBe(false);
  });
});

describe('VIX calls', () => {
  it('counts entry slippage and fees as hedge cost, marks, sells part and settles the rest at the VRO', () => {
    const p = new Portfolio(10_000);
    const h = p.buyHedge({
      layer: 1,
      expiry: d('2024-07-17'),
      strike: 14,
      quantity: 4,
      date: d('2024-06-03'),
      midPts: 1.45,
      pricePts: 1.5,
      feesUsd: 4 * 1.33,
    });
    // cash 10,000 - 1.50 x 100 x 4 - 5.32 = 9,394.68; hedge P&L (1.45 - 1.50) x 400 - 5.32 = -25.32
    const pt = p.equityPoint(d('2024-06-03'), 5000, 13);
    expect(pt.cash).toBeCloseTo(9394.68, 10);
    expect(pt.hedgeValue).toBeCloseTo(580, 10); // marked at the 1.45 mid
    expect(pt.hedgePnlToDate).toBeCloseTo(-25.32, 10);
    markToMarket(p, { condorMid: () => undefined, hedgeMid: () => 2.45 });
    // +1.00 x 400 = +400
    expect(p.equityPoint(d('2024-06-04'), 5000, 13).hedgePnlToDate).toBeCloseTo(374.68, 10);
    p.sellPartOfHedge(h, 1, d('2024-06-04'), 2.4, 1.33);
    expect(p.openHedges.map((x) => [x.id, x.quantity, x.feesPaid])).toEqual([[`${h.id}r`, 3, 0]]);
    // sold part: (2.40 - 1.50) x 100 - 5.32 - 1.33 = 83.35
    expect(p.hedgeTrades[0]!.pnl).toBeCloseTo(83.35, 10);
    settleExpiredHedges(p, d('2024-07-17'), () => 16.1);
    // the rest settles at 16.10 - 14 = 2.10, no fees, no opening fees left
    expect(p.hedgeTrades[1]).toMatchObject({ exit: 'expired', quantity: 3 });
    expect(p.hedgeTrades[1]!.exitPrice).toBeCloseTo(2.1, 12);
    expect(p.hedgeTrades[1]!.pnl).toBeCloseTo((2.1 - 1.5) * 300, 10);
    expect(p.openHedges).toHaveLength(0);
  });

  it('without a VRO a call settles at its last mark', () => {
    const p = new Portfolio(10_000);
    p.buyHedge({
      layer: 2,
      expiry: d('2024-07-17'),
      strike: 14,
      quantity: 1,
      date: d('2024-06-03'),
      midPts: 1.45,
      pricePts: 1.5,
      feesUsd: 0,
    });
    settleExpiredHedges(p, d('2024-07-18'), () => undefined);
    expect(p.hedgeTrades[0]!.exitPrice).toBe(1.45);
  });
});

describe('FillModel is an interface users implement', () => {
  it('a custom model fills wherever its spreadShare says', () => {
    // A model that gives up a quarter of the spread on packages and nothing on single options.
    const quarter: FillModel = { name: 'quarter-on-packages', spreadShare: (legs) => (legs > 1 ? 0.25 : 0) };
    // Selling a condor with mid 0.80 and natural 0.60: best = 1.00; fill = 1.00 - 0.25 x 0.40 = 0.90
    expect(sellFillCredit(0.8, 0.6, 4, quarter)).toBeCloseTo(0.9, 12);
    expect(sellFillCredit(0.8, 0.6, 1, quarter)).toBeCloseTo(1.0, 12);
    // The built-in ORATS-like model gives up 53% on four legs: 1.00 - 0.53 x 0.40 = 0.788
    expect(sellFillCredit(0.8, 0.6, 4, ORATS_LIKE_FILL)).toBeCloseTo(0.788, 12);
  });
});
