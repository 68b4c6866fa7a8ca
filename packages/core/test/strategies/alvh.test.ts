import { describe, expect, it } from 'vitest';
import {
  addDays,
  alvh,
  budgetLadder,
  type CondorPosition,
  expiryNearDte,
  type HedgeCallQuote,
  type HedgeInputs,
  type IsoDate,
  layerExpiry,
  layerYearlyCostPerContractUsd,
  resolveConfig,
  type VixOptionSource,
} from '../../src/index';

const cfg = resolveConfig('vixshield', { hedge: { sizing: 'unit' } });
const budgetCfg = resolveConfig('vixshield');
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

  it('ALVH case 4: the ladder stands from the first session: a missing layer opens at VIX 18, not only below 15', () => {
    const d = alvh(inputs({ vix: 18 }), cfg);
    const opens = d.intents.filter((i) => i.kind === 'hedge' && i.action === 'open');
    expect(opens.map((i) => (i.kind === 'hedge' ? i.layer : 0))).toEqual([1, 2, 3]);
    expect(d.reasons.join('\n')).not.toMatch(/waits for VIX/);
  });

  it('ALVH case 4: a layer due to roll is rolled at VIX 30 (on schedule whatever the VIX)', () => {
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
    const d = alvh(inputs({ vix: 30, hedges }), cfg);
    const roll = d.intents.find((i) => i.kind === 'hedge' && i.action === 'roll');
    expect(roll?.kind === 'hedge' && roll.quantity).toBe(4);
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

  it('ALVH case 4: budget sizing (the default) follows equity instead of a fixed 1-contract unit', () => {
    expect(budgetCfg.hedge.sizing).toBe('budget');
    const costs = [1400, 600, 400]; // USD a year per contract of L1/L2/L3
    // 1.5% of 100k = 1,500: ideal 0.43/1.0/0.75 -> floors 0/1/0, then the largest remainder (L3, 400).
    expect(budgetLadder(100_000, 1.5, budgetCfg.hedge.layers, costs)).toEqual([0, 1, 1]);
    // ten times the equity, about ten times the ladder, never above the budget
    const big = budgetLadder(1_000_000, 1.5, budgetCfg.hedge.layers, costs);
    const spend = big.reduce((s, n, i) => s + n * costs[i]!, 0);
    expect(spend).toBeLessThanOrEqual(15_000);
    expect(big).toEqual([4, 10, 8]); // 14,400 spent by the floors, L3 (remainder 0.5) takes 400 of the 600 left
    // a budget that affords nothing buys nothing
    expect(budgetLadder(10_000, 1.5, budgetCfg.hedge.layers, costs)).toEqual([0, 0, 0]);
  });

  it('ALVH case 4: the yearly cost per contract counts the roll-down of the VX curve in contango', () => {
    const q = { mid: 1.5, bid: 1.45, ask: 1.55, future: 17, strike: 17, iv: 0.9 };
    const contango = layerYearlyCostPerContractUsd(q, 30, 10, 14);
    const flat = layerYearlyCostPerContractUsd(q, 30, 10, 17);
    expect(contango).toBeGreaterThan(flat);
    // flat curve: time decay only, about 1 - sqrt(10/30) of an at-the-money premium, plus the spread
    expect(flat).toBeGreaterThan(((1.5 * 0.3 + 0.1) * 100 * 365) / 20);
    // backwardation never counts on a gain: no cheaper than the flat curve
    expect(layerYearlyCostPerContractUsd(q, 30, 10, 25)).toBeCloseTo(flat, 6);
  });

  it('ALVH case 4: budget sizing opens a ladder whose expected yearly cost is within the budget', () => {
    const d = alvh(inputs({ equity: 2_000_000 }), budgetCfg);
    const opens = d.intents.filter((i) => i.kind === 'hedge' && i.action === 'open');
    expect(opens.length).toBe(3);
    const q = fakeOptions().callNearDelta(today, expiries[1]!, 0.5)!;
    expect(opens[0]?.kind === 'hedge' && opens[0].quantity).toBeGreaterThan(0);
    expect(q.mid).toBeGreaterThan(0);
  });

  it('ALVH case 4: below VIX 15 the ladder is reset to its target (excess sold), above 15 it is kept', () => {
    const hedges = [
      { id: 'h1', layer: 1, expiry: expiries[1]!, strike: 17, quantity: 9, openedOn: today, entryPrice: 1.8 },
    ];
    const low = alvh(inputs({ hedges, vix: 13 }), cfg);
    const trim = low.intents.find((i) => i.kind === 'hedge' && i.layer === 1);
    expect(trim?.kind === 'hedge' && trim.action).toBe('close');
    expect(trim?.kind === 'hedge' && trim.quantity).toBe(5);
    const high = alvh(inputs({ hedges, vix: 19 }), cfg);
    expect(high.intents.filter((i) => i.kind === 'hedge' && i.layer === 1)).toEqual([]);
  });

  it('ALVH case 4: budget sizing keeps a ladder that is within budget instead of flipping contracts between layers', () => {
    // 60k at 1.5% = 900 a year: one L3 contract held (within budget) is kept below VIX 15 even when the
    // targets' rounding would now prefer another layer; nothing is sold.
    const hedges = [
      { id: 'h3', layer: 3, expiry: expiries[7]!, strike: 20, quantity: 1, openedOn: today, entryPrice: 3.7 },
    ];
    const d = alvh(inputs({ hedges, vix: 13, equity: 60_000 }), budgetCfg);
    expect(d.intents.filter((i) => i.kind === 'hedge' && i.action === 'close')).toEqual([]);
    // whatever is bought besides fits in what the budget has left
    const q = fakeOptions();
    const spend = d.intents.reduce((sum, i) => {
      if (i.kind !== 'hedge') return sum;
      const l = budgetCfg.hedge.layers[i.layer - 1]!;
      const quote = q.call(today, i.expiry, i.strike)!;
      return (
        sum +
        i.quantity *
          layerYearlyCostPerContractUsd(
            quote,
            Math.round((Date.parse(i.expiry) - Date.parse(today)) / 86_400_000),
            l.rollAtDte,
            13,
          )
      );
    }, 0);
    const l3 = budgetCfg.hedge.layers[2]!;
    const heldCost = layerYearlyCostPerContractUsd(q.call(today, expiries[7]!, 20)!, 210, l3.rollAtDte, 13);
    expect(spend + heldCost).toBeLessThanOrEqual(900 + 1e-6);
  });

  it('ALVH case 4: a layer is re-struck near 0.50 delta below VIX 15 when its delta has drifted', () => {
    const drifted = fakeOptions();
    const options: VixOptionSource = {
      ...drifted,
      call: (a, e, k) => {
        const q = drifted.call(a, e, k)!;
        return k === 25 ? { ...q, delta: 0.12 } : q;
      },
    };
    const hedges = [
      { id: 'h1', layer: 1, expiry: expiries[1]!, strike: 25, quantity: 4, openedOn: today, entryPrice: 1.8 },
    ];
    const d = alvh(inputs({ hedges, vix: 13, options }), cfg);
    const roll = d.intents.find((i) => i.kind === 'hedge' && i.layer === 1);
    expect(roll?.kind === 'hedge' && roll.action).toBe('roll');
    expect(roll?.kind === 'hedge' && roll.cause.rule).toBe('alvh-restrike');
    // above 15 the drifted strike is kept
    expect(
      alvh(inputs({ hedges, vix: 18, options }), cfg).intents.filter(
        (i) => i.kind === 'hedge' && i.layer === 1,
      ),
    ).toEqual([]);
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

  it('ALVH case 4: L1 is not bought at 16 DTE and rolled days later: its expiry lies beyond the roll point with half the span left', () => {
    const listed = [addDays(today, 16), addDays(today, 46), addDays(today, 77)];
    const l1 = cfg.hedge.layers[0]!;
    // nearest to 30 DTE is 16 DTE (gap 14 vs 16), 6 days before the 10-DTE roll point
    expect(expiryNearDte(listed, today, 30)).toBe(listed[0]);
    expect(layerExpiry(listed, today, l1, cfg.hedge.minHoldFractionBeforeRoll)).toBe(listed[1]);
    // fraction 0 is the literal rule: anything beyond the roll point
    expect(layerExpiry(listed, today, l1, 0)).toBe(listed[0]);
    expect(layerExpiry([addDays(today, 9), ...listed.slice(1)], today, l1, 0)).toBe(listed[1]);
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
  const base = {
    condors: [condor],
    chainEntrySpot: { c1: 4800 },
    condorDollarGamma1Pct: 3000,
    liveCondorsAfterSession: 1,
  };

  it('seed ALVH fires layer 1 at the first 1.5% SPX decline from the condor entry', () => {
    expect(alvh(inputs({ ...base, spx: 4760 }), seed).intents).toEqual([]); // -0.83%
    const d = alvh(inputs({ ...base, spx: 4725 }), seed); // -1.56% toward the put side
    expect(d.triggeredLayers).toBe(1);
    const open = d.intents[0]!;
    expect(open.kind === 'hedge' && open.cause.rule).toBe('seed-alvh-spx-decline');
  });

  it('seed ALVH adds a layer at a 2.5-sigma IV extension, sized by condor gamma', () => {
    const d = alvh(
      inputs({ ...base, spx: 4790, triggeredLayers: 1, vixZScore: 2.7, vixZScorePrev: 2.1 }),
      seed,
    );
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

  it('seed case 5: a 1.5% rally does not fire layer 1 (a VIX call pays on declines only)', () => {
    const d = alvh(inputs({ ...base, spx: 4875 }), seed); // +1.56%, toward the call side
    expect(d.intents).toEqual([]);
    expect(d.triggeredLayers).toBe(0);
    expect(d.reasons[0]).toMatch(/SPX decline from chain entry 0\.00%/);
  });

  it('seed case 5: with no condor live after the session nothing is bought and the trigger stays unspent, with the reason', () => {
    const d = alvh(inputs({ ...base, spx: 4725, liveCondorsAfterSession: 0 }), seed);
    expect(d.intents).toEqual([]);
    expect(d.triggeredLayers).toBe(0);
    expect(d.reasons.join('\n')).toMatch(/not spent: no condor is live after the session/);
    // and a trigger sized to 0 contracts is not spent either
    const zero = alvh(inputs({ ...base, spx: 4725, condorDollarGamma1Pct: 0 }), seed);
    expect(zero.intents).toEqual([]);
    expect(zero.triggeredLayers).toBe(0);
    expect(zero.reasons.join('\n')).toMatch(/not spent: .* buys 0 contracts/);
  });

  it('seed case 5: an IV extension fires on a new crossing of 2.5 only, not on every session above it', () => {
    const still = alvh(
      inputs({ ...base, spx: 4790, triggeredLayers: 1, vixZScore: 2.7, vixZScorePrev: 2.6 }),
      seed,
    );
    expect(still.intents).toEqual([]);
    expect(still.triggeredLayers).toBe(1);
  });

  it('seed case 5: an extension is sized to the target minus what is held', () => {
    // fake quotes: delta 0.5, so 50 USD per contract per 1% SPX; target 3000 USD = 60 contracts
    const hedges = [
      {
        id: 'h1',
        layer: 1,
        expiry: expiries[1]!,
        strike: 17,
        quantity: 40,
        openedOn: today,
        entryPrice: 1.8,
      },
    ];
    const d = alvh(
      inputs({
        ...base,
        equity: 1_000_000,
        hedges,
        spx: 4790,
        triggeredLayers: 1,
        vixZScore: 2.7,
        vixZScorePrev: 2.0,
      }),
      seed,
    );
    const open = d.intents[0];
    expect(open?.kind === 'hedge' && open.quantity).toBe(20); // 60 - 40 held (the 50% share cap allows 40)
  });

  it('seed case 5: trigger layers are sold when no condor is live after the session (sale rule), and the episode resets', () => {
    const hedges = [
      { id: 'h1', layer: 1, expiry: expiries[1]!, strike: 17, quantity: 9, openedOn: today, entryPrice: 1.8 },
      { id: 'h2', layer: 2, expiry: expiries[3]!, strike: 18, quantity: 4, openedOn: today, entryPrice: 2.6 },
    ];
    const d = alvh(inputs({ ...base, hedges, triggeredLayers: 2, liveCondorsAfterSession: 0 }), seed);
    const sales = d.intents.filter((i) => i.kind === 'hedge' && i.action === 'close');
    expect(sales.map((i) => (i.kind === 'hedge' ? [i.positionId, i.quantity] : []))).toEqual([
      ['h1', 9],
      ['h2', 4],
    ]);
    expect(d.triggeredLayers).toBe(0);
    // while a condor is live they are kept
    const kept = alvh(inputs({ ...base, hedges, triggeredLayers: 2 }), seed);
    expect(kept.intents.filter((i) => i.kind === 'hedge' && i.action === 'close')).toEqual([]);
  });
});
