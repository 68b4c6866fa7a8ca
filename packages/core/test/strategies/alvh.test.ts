import { describe, expect, it } from 'vitest';
import {
  addDays,
  alvh,
  budgetUnit,
  type CondorPosition,
  expiryNearDte,
  type HedgeCallQuote,
  type HedgeInputs,
  type IsoDate,
  resolveConfig,
  type VixOptionSource,
} from '../../src/index';

const cfg = resolveConfig('vixshield');
const today = '2024-01-10' as IsoDate;
// Monthly-ish VIX expiries: 14, 42, 70, ..., 280 days out.
const expiries = Array.from({ length: 10 }, (_, i) => addDays(today, 14 + 28 * i));

/** A fake VIX option source: future 16 + 0.02/day of tenor, ATM strike, price 1.5 + 0.01 x days. */
function fakeOptions(priceOverride?: (e: IsoDate, k: number) => number): VixOptionSource {
  const quote = (e: IsoDate, strike?: number): HedgeCallQuote => {
    const days =
      (Date.UTC(+e.slice(0, 4), +e.slice(5, 7) - 1, +e.slice(8)) - Date.UTC(2024, 0, 10)) / 86_400_000;
    const future = 16 + 0.02 * days;
    const k = strike ?? Math.round(future);
    const mid = priceOverride ? priceOverride(e, k) : 1.5 + 0.01 * days;
    return {
      expiry: e,
      strike: k,
      bid: mid - 0.05,
      ask: mid + 0.05,
      mid,
      delta: 0.5,
      vega: 3 + days / 50,
      future,
      iv: 0.8,
      source: { kind: 'modelled', model: 'fake', version: '0', inputs: {} },
    };
  };
  return {
    expirations: () => expiries,
    callNearDelta: (_a, e) => quote(e),
    call: (_a, e, k) => quote(e, k),
    settlement: () => undefined,
  };
}

function inputs(over: Partial<HedgeInputs> = {}): HedgeInputs {
  return {
    date: today,
    vix: 13,
    vix5dAverage: 13.5,
    vixZScore: 0,
    spx: 4800,
    equity: 100_000,
    hedges: [],
    condors: [],
    chainEntrySpot: {},
    condorDollarGamma1Pct: 0,
    triggeredLayers: 0,
    options: fakeOptions(),
    ...over,
  };
}

describe('ALVH ladder (M§3)', () => {
  it('ALVH opens the 4:4:2 ladder of 0.50-delta VIX calls at about 30/110/220 DTE when VIX < 15', () => {
    const d = alvh(inputs(), cfg);
    const opens = d.intents.filter((i) => i.kind === 'hedge' && i.action === 'open');
    expect(opens.map((i) => (i.kind === 'hedge' ? i.quantity : 0))).toEqual([4, 4, 2]);
    expect(opens.map((i) => (i.kind === 'hedge' ? i.expiry : ''))).toEqual([
      expiries[1],
      expiries[3],
      expiries[7],
    ]);
  });

  it('ALVH waits for VIX < 15 to open a missing layer', () => {
    const d = alvh(inputs({ vix: 18 }), cfg);
    expect(d.intents).toEqual([]);
    expect(d.reasons[0]).toMatch(/waits for VIX < 15/);
  });

  it('ALVH is never paused by the VIX gate: in HOLD or no-trades it keeps every layer (no close)', () => {
    const hedges = [
      { id: 'h1', layer: 1, expiry: expiries[1]!, strike: 17, quantity: 4, openedOn: today, entryPrice: 1.8 },
      { id: 'h2', layer: 2, expiry: expiries[3]!, strike: 18, quantity: 4, openedOn: today, entryPrice: 2.6 },
      { id: 'h3', layer: 3, expiry: expiries[7]!, strike: 20, quantity: 2, openedOn: today, entryPrice: 3.7 },
    ];
    const d = alvh(inputs({ vix: 30, hedges }), cfg);
    expect(d.intents.filter((i) => i.kind === 'hedge' && i.action === 'close')).toEqual([]);
  });

  it('ALVH rolls L1 at 10 DTE back to about 30 DTE', () => {
    const hedges = [
      {
        id: 'h1',
        layer: 1,
        expiry: addDays(today, 9),
        strike: 17,
        quantity: 4,
        openedOn: today,
        entryPrice: 1.8,
      },
    ];
    const d = alvh(inputs({ hedges }), cfg);
    const roll = d.intents.find((i) => i.kind === 'hedge' && i.action === 'roll');
    expect(roll).toBeDefined();
    if (roll?.kind !== 'hedge') return;
    expect(roll.positionId).toBe('h1');
    expect(roll.expiry).toBe(expiries[1]);
    expect(roll.quantity).toBe(4);
  });

  it('budget sizing spends at most 1.5% of equity a year on the ladder', () => {
    const prices = [1.8, 2.6, 3.7];
    // One 4:4:2 unit rolled on schedule costs about 23,200 USD a year at these prices, so 1M of equity
    // cannot fund even one unit at 1.5%; 5M funds three.
    expect(budgetUnit(1_000_000, 1.5, cfg.hedge.layers, prices)).toBe(0);
    const unit = budgetUnit(5_000_000, 1.5, cfg.hedge.layers, prices);
    const yearly = (u: number) =>
      cfg.hedge.layers.reduce(
        (s, l, i) => s + l.ratio * u * prices[i]! * 100 * (365 / (l.targetDte - l.rollAtDte)),
        0,
      );
    expect(unit).toBeGreaterThan(0);
    expect(unit).toBe(3);
    expect(yearly(unit)).toBeLessThanOrEqual(75_000);
    expect(yearly(unit + 1)).toBeGreaterThan(75_000);
  });

  it('Temporal Vega Martingale sells half of a doubled L1 below the 5-day VIX average and adds to L2/L3', () => {
    const vm = resolveConfig('vixshield', { hedge: { vegaMartingale: { enabled: true } } });
    const hedges = [
      { id: 'h1', layer: 1, expiry: expiries[1]!, strike: 17, quantity: 4, openedOn: today, entryPrice: 1.0 },
    ];
    const rich = fakeOptions((e, k) => (k === 17 && e === expiries[1] ? 2.4 : 2));
    const d = alvh(inputs({ hedges, vix: 16, vix5dAverage: 18, options: rich }), vm);
    const close = d.intents.find((i) => i.kind === 'hedge' && i.action === 'close');
    expect(close?.kind === 'hedge' && close.quantity).toBe(2);
    const adds = d.intents.filter((i) => i.kind === 'hedge' && i.action === 'open' && i.layer > 1);
    expect(adds.length).toBeGreaterThan(0);
    // above the 5-day average: no harvest
    expect(
      alvh(inputs({ hedges, vix: 19, vix5dAverage: 18, options: rich }), vm).intents.find(
        (i) => i.kind === 'hedge' && i.action === 'close',
      ),
    ).toBeUndefined();
  });

  it('expiryNearDte picks the listed expiry closest to the target', () => {
    expect(expiryNearDte(expiries, today, 30)).toBe(expiries[1]);
    expect(expiryNearDte(expiries, today, 0)).toBe(expiries[0]);
  });
});

describe('seed preset hedge triggers (M§4)', () => {
  const seed = resolveConfig('seed');
  const condor: CondorPosition = {
    id: 'p1',
    chainId: 'c1',
    tier: 'balanced',
    expiry: addDays(today, 1),
    root: 'SPXW',
    settlement: 'PM',
    strikes: { putLong: 4735, putShort: 4740, callShort: 4860, callLong: 4865 },
    quantity: 10,
    openedOn: today,
    entryCredit: 1.15,
    rollsInChain: 0,
    chainRealisedPnl: 0,
  };
  const base = { condors: [condor], chainEntrySpot: { c1: 4800 }, condorDollarGamma1Pct: 3000 };

  it('seed ALVH fires layer 1 at the first 1.5% SPX move against the condor', () => {
    expect(alvh(inputs({ ...base, spx: 4760 }), seed).intents).toEqual([]); // -0.83%
    const d = alvh(inputs({ ...base, spx: 4725 }), seed); // -1.56% toward the put side
    expect(d.triggeredLayers).toBe(1);
    const open = d.intents[0]!;
    expect(open.kind === 'hedge' && open.cause.rule).toBe('seed-alvh-spx-move');
  });

  it('seed ALVH adds a layer at a 2.5-sigma IV extension, sized by condor gamma', () => {
    const d = alvh(inputs({ ...base, spx: 4790, triggeredLayers: 1, vixZScore: 2.7 }), seed);
    expect(d.triggeredLayers).toBe(2);
    const open = d.intents[0]!;
    if (open.kind !== 'hedge') throw new Error('expected a hedge');
    expect(open.cause.rule).toBe('seed-alvh-iv-extension');
    expect(open.layer).toBe(2);
    expect(open.quantity).toBeGreaterThan(0);
    expect(alvh(inputs({ ...base, spx: 4790, triggeredLayers: 1, vixZScore: 2.0 }), seed).intents).toEqual(
      [],
    );
  });
});
