import { describe, expect, it } from 'vitest';
import {
  black76Greeks,
  black76Price,
  blackDelta,
  bsmPrice,
  type CboeDay,
  type ChainSource,
  CNDR_RULES,
  closestByDelta,
  cndrMaxLoss,
  cndrSettlementPayoff,
  cndrStrikes,
  condorMark,
  type IsoDate,
  inverseNormCdf,
  isSpxMonthlyExpiry,
  MID_FILL,
  newYorkTimeToUtcMs,
  nextSpxMonthlyExpiry,
  type OptionChain,
  quoteFlags,
  runCndrReplication,
  settlementInstantUtcMs,
  tradingDaysBetween,
  yearFraction,
} from '../../src/index';

const D = (s: string) => s as IsoDate;

/**
 * A hand-built AM SPX chain quoted at 16:00 ET: strikes every `step` points, every option priced by BSM
 * at the flat vol `sigma` with bid = ask = that price (so every fill model gives the same number),
 * implied vols filled in (or NaN with `noIv`, so the rule has to solve them from the mid).
 */
function flatChain(
  asOf: IsoDate,
  expiry: IsoDate,
  spot: number,
  o: { sigma?: number; r?: number; q?: number; step?: number; noIv?: boolean } = {},
): OptionChain {
  const sigma = o.sigma ?? 0.2;
  const r = o.r ?? 0;
  const q = o.q ?? 0;
  const step = o.step ?? 5;
  const quoteTimeUtcMs = newYorkTimeToUtcMs(asOf, '16:00');
  const t = yearFraction(quoteTimeUtcMs, settlementInstantUtcMs(expiry, 'AM'));
  const lo = Math.ceil((spot * 0.6) / step) * step;
  const strikes = Float64Array.from({ length: Math.floor((spot * 0.8) / step) }, (_, i) => lo + step * i);
  const market = { spot, yearsToExpiry: t, riskFreeRate: r, dividendYield: q, vol: sigma };
  const call = strikes.map((strike) => bsmPrice({ ...market, isCall: true, strike }));
  const put = strikes.map((strike) => bsmPrice({ ...market, isCall: false, strike }));
  const n = strikes.length;
  return {
    asOf,
    quoteTimeUtcMs,
    expiry,
    root: 'SPX',
    settlement: 'AM',
    underlying: spot,
    strikes,
    callBid: call,
    callAsk: call.slice(),
    putBid: put,
    putAsk: put.slice(),
    callFlags: Uint8Array.from(call, (v) => quoteFlags(v, v)),
    putFlags: Uint8Array.from(put, (v) => quoteFlags(v, v)),
    callIv: new Float64Array(n).fill(o.noIv ? Number.NaN : sigma),
    putIv: new Float64Array(n).fill(o.noIv ? Number.NaN : sigma),
    source: { kind: 'modelled', model: 'test', version: '0', inputs: {} },
  };
}

/** Chains whose underlying is the day's close in `path` (roll and mark alike unless told otherwise). */
function source(path: Map<IsoDate, number>, o: { sigma?: number; r?: number; q?: number } = {}): ChainSource {
  return {
    pricesSource: 'modelled',
    expirations: () => [],
    chain: (asOf, expiry) => {
      const s = path.get(asOf);
      return s === undefined || expiry <= asOf ? undefined : flatChain(asOf, expiry, s, o);
    },
  };
}

/** 2024-02-16 (a roll) .. 2024-03-15 (the next roll): flat at 5000, the expiry day opens at `expiryOpen`. */
function month(expiryOpen: number, r = 0): CboeDay[] {
  return tradingDaysBetween(D('2024-02-16'), D('2024-03-15')).map((date) => ({
    date,
    open: date === '2024-03-15' ? expiryOpen : 5000,
    close: 5000,
    r,
    q: 0,
  }));
}

function run(days: CboeDay[], o: { sigma?: number; r?: number } = {}, rules = CNDR_RULES) {
  const path = new Map(days.map((d) => [d.date, d.close]));
  const chains = source(path, o);
  return runCndrReplication(days, {
    rollChains: chains,
    markChains: chains,
    fill: MID_FILL,
    baseLevel: 100,
    rules,
  });
}

describe('Black delta (the methodology names the Black formula)', () => {
  it('equals the Black-76 delta of the pricing module and a finite difference of the Black-76 price', () => {
    for (const [call, F, K, T, r, s] of [
      [true, 5000, 5200, 0.08, 0.05, 0.15],
      [false, 5000, 4700, 0.08, 0.05, 0.22],
      [true, 2700, 2750, 0.06, 0.015, 0.09],
      [false, 1000, 600, 0.1, 0, 0.6],
    ] as const) {
      const d = blackDelta(call, F, K, T, r, s);
      const option = { isCall: call, future: F, strike: K, yearsToExpiry: T, riskFreeRate: r, vol: s };
      expect(d).toBeCloseTo(black76Greeks(option).delta, 12);
      const h = 1e-3;
      const fd =
        (black76Price({ ...option, future: F + h }) - black76Price({ ...option, future: F - h })) / (2 * h);
      expect(d).toBeCloseTo(fd, 7);
      // call delta - put delta = e^{-rT}
      expect(blackDelta(true, F, K, T, r, s) - blackDelta(false, F, K, T, r, s)).toBeCloseTo(
        Math.exp(-r * T),
        14,
      );
    }
  });

  it('rejects non-positive inputs', () => {
    expect(() => blackDelta(true, 5000, 5000, 0, 0.01, 0.2)).toThrow(/sigma/);
    expect(() => blackDelta(true, 5000, 5000, 0.1, 0.01, 0)).toThrow();
  });
});

describe('CNDR strike choice by delta', () => {
  const asOf = D('2024-02-16');
  const expiry = D('2024-03-15');
  const r = 0.05;
  const q = 0.015;
  const chain = flatChain(asOf, expiry, 5000, { r, q });
  const sel = cndrStrikes(chain, r, q)!;
  const t = yearFraction(chain.quoteTimeUtcMs, settlementInstantUtcMs(expiry, 'AM'));
  const F = 5000 * Math.exp((r - q) * t);
  const delta = (call: boolean, k: number) =>
    black76Greeks({ isCall: call, future: F, strike: k, yearsToExpiry: t, riskFreeRate: r, vol: 0.2 }).delta;

  it('each leg is the listed strike with delta closest to its target (checked against its neighbours)', () => {
    const legs = [
      [sel.shortPut, false, 0.2],
      [sel.longPut, false, 0.05],
      [sel.shortCall, true, 0.2],
      [sel.longCall, true, 0.05],
    ] as const;
    for (const [k, call, target] of legs) {
      const err = (x: number) => Math.abs(Math.abs(delta(call, x)) - target);
      expect(err(k)).toBeLessThanOrEqual(err(k - 5));
      expect(err(k)).toBeLessThanOrEqual(err(k + 5));
      // ... and it brackets the continuous strike with exactly that delta (K = F e^{s^2T/2 - d1 s sqrt T}).
      const d1 = call ? inverseNormCdf(target * Math.exp(r * t)) : -inverseNormCdf(target * Math.exp(r * t));
      const kStar = F * Math.exp(0.5 * 0.04 * t - d1 * 0.2 * Math.sqrt(t));
      expect(Math.abs(k - kStar)).toBeLessThanOrEqual(5);
    }
    expect(sel.longPut).toBeLessThan(sel.shortPut);
    expect(sel.shortPut).toBeLessThan(F);
    expect(sel.shortCall).toBeGreaterThan(F);
    expect(sel.longCall).toBeGreaterThan(sel.shortCall);
    expect(sel.deltas.shortPut).toBeCloseTo(delta(false, sel.shortPut), 12);
    expect(sel.note).toBeUndefined();
  });

  it('uses the forward, not the spot: a higher rate moves every strike up', () => {
    const hi = cndrStrikes(flatChain(asOf, expiry, 5000, { r: 0.1, q: 0 }), 0.1, 0)!;
    const lo = cndrStrikes(flatChain(asOf, expiry, 5000, { r: 0, q: 0 }), 0, 0)!;
    expect(hi.shortCall).toBeGreaterThan(lo.shortCall);
    expect(hi.shortPut).toBeGreaterThanOrEqual(lo.shortPut);
  });

  it('solves the implied vol from the mid when the chain has none: same strikes', () => {
    const noIv = flatChain(asOf, expiry, 5000, { r, q, noIv: true });
    const s2 = cndrStrikes(noIv, r, q)!;
    expect([s2.shortPut, s2.longPut, s2.shortCall, s2.longCall]).toEqual([
      sel.shortPut,
      sel.longPut,
      sel.shortCall,
      sel.longCall,
    ]);
  });

  it('a tie in |delta - target| goes to the strike further out of the money', () => {
    // Deltas exact in binary (0.125 and 0.375 are both 0.125 away from 0.25).
    const puts = [
      { k: 4800, delta: -0.125 },
      { k: 4850, delta: -0.375 },
    ];
    expect(closestByDelta(puts, 0.25, false).k).toBe(4800);
    expect(closestByDelta([...puts].reverse(), 0.25, false).k).toBe(4800);
    const calls = [
      { k: 5150, delta: 0.375 },
      { k: 5200, delta: 0.125 },
    ];
    expect(closestByDelta(calls, 0.25, true).k).toBe(5200);
    expect(closestByDelta([...calls].reverse(), 0.25, true).k).toBe(5200);
    expect(
      closestByDelta(
        [
          { k: 1, delta: 0.3 },
          { k: 2, delta: 0.21 },
        ],
        0.2,
        true,
      ).k,
    ).toBe(2);
  });

  it('a wing that lands on its short strike moves one listed strike further out (and says so)', () => {
    // 200-point strikes and a low vol: the 0.20 and 0.05 puts are the same strike.
    const coarse = flatChain(asOf, expiry, 5000, { sigma: 0.08, step: 200 });
    const s = cndrStrikes(coarse, 0, 0)!;
    expect(s.longPut).toBe(s.shortPut - 200);
    expect(s.longCall).toBe(s.shortCall + 200);
    expect(s.note).toMatch(/put wing .* moved/);
    expect(cndrMaxLoss(s)).toBe(200);
  });
});

describe('CNDR maximum loss, collateral and settlement', () => {
  const k = { shortPut: 4800, longPut: 4650, shortCall: 5150, longCall: 5225 };

  it('maximum loss is the wider spread (the methodology: max(K_callP5 - K_callP20, K_putN20 - K_putN5))', () => {
    expect(cndrMaxLoss(k)).toBe(150);
    expect(cndrMaxLoss({ ...k, longCall: 5400 })).toBe(250);
  });

  it('settlement payoff of one short condor in each region', () => {
    expect(cndrSettlementPayoff(k, 5000)).toBe(0); // between the short strikes
    expect(cndrSettlementPayoff(k, 4800)).toBe(0);
    expect(cndrSettlementPayoff(k, 4750)).toBe(50); // inside the put spread
    expect(cndrSettlementPayoff(k, 4650)).toBe(150);
    expect(cndrSettlementPayoff(k, 3000)).toBe(150); // beyond the put wing: the put width
    expect(cndrSettlementPayoff(k, 5200)).toBe(50); // inside the call spread
    expect(cndrSettlementPayoff(k, 9000)).toBe(75); // beyond the call wing: the call width
  });

  it('one month, r = 0: level ratio = 1 + (credit - payoff) / (10 x max loss), for every settlement region', () => {
    for (const open of [5000, 4700, 4000, 5300, 6000]) {
      const res = run(month(open));
      const first = res.rolls[0]!;
      expect(first.date).toBe('2024-02-16');
      expect(first.condorsPerAccountPoint).toBeCloseTo(1 / (10 * first.maxLoss), 15);
      const settle = res.rolls[1]!;
      expect(settle.date).toBe('2024-03-15');
      expect(settle.settlementLevel).toBe(open);
      const payoff = cndrSettlementPayoff(first.strikes, open);
      expect(settle.settlementPayoff).toBeCloseTo(payoff, 12);
      // The new condor is marked at its own sale price on the roll day (flat chains), so the last level is
      // the account after the settlement.
      const expected = 1 + (first.credit - payoff) / (10 * first.maxLoss);
      expect(res.levels.at(-1)!.level / 100).toBeCloseTo(expected, 12);
      expect(expected).toBeGreaterThan(0.89); // the loss is at most 10% of the account (minus the credit)
    }
  });

  it('with interest: the account earns r, except for the interval ending on the roll day', () => {
    const r = 0.05;
    const res = run(month(5000, r), { r });
    const first = res.rolls[0]!;
    const g = (days: number) => Math.exp((r * days) / 365);
    // Account 1 + n credit from 02-16 to 03-14 (27 days), none 03-14 -> 03-15; nothing paid at 5000.
    const n = first.condorsPerAccountPoint;
    expect(res.levels.at(-1)!.level / 100).toBeCloseTo((1 + n * first.credit) * g(27), 12);
    const all = run(month(5000, r), { r }, { ...CNDR_RULES, noInterestOnRollDay: false });
    expect(all.levels.at(-1)!.level / 100).toBeCloseTo((1 + n * first.credit) * g(28), 12);
  });

  it('between rolls the value is account - n x liability at the mark chain', () => {
    const days = month(5000);
    const path = new Map(days.map((d) => [d.date, d.date === '2024-03-01' ? 4900 : 5000]));
    const res = runCndrReplication(
      days.map((d) => ({ ...d, close: path.get(d.date)! })),
      { rollChains: source(path), markChains: source(path), fill: MID_FILL, baseLevel: 100 },
    );
    const first = res.rolls[0]!;
    const n = first.condorsPerAccountPoint;
    const mark = condorMark(flatChain(D('2024-03-01'), D('2024-03-15'), 4900), first.strikes, 0, 0)!;
    const i = res.levels.findIndex((l) => l.date === '2024-03-01');
    expect(res.levels[i]!.level / 100).toBeCloseTo(1 + n * first.credit - n * mark, 12);
    expect(mark).toBeGreaterThan(first.credit * 0.5); // the index fell toward the short put
  });
});

describe('CNDR roll timing', () => {
  it('sells on the first day, then on every AM SPX monthly expiry (Thursday before a Good Friday), the next monthly', () => {
    const days = tradingDaysBetween(D('2025-01-02'), D('2025-12-31')).map((date, i) => ({
      date,
      open: 5800 + 2 * i,
      close: 5801 + 2 * i,
      r: 0.04,
      q: 0.013,
    }));
    const res = run(days, { r: 0.04 });
    expect(res.rolls[0]!.date).toBe('2025-01-02');
    expect(res.rolls.length).toBe(13);
    for (const r of res.rolls.slice(1)) {
      expect(isSpxMonthlyExpiry(r.date)).toBe(true);
      expect(r.settlementLevel).not.toBeNull();
    }
    expect(res.rolls.map((r) => r.date)).toContain('2025-04-17'); // 2025-04-18 is Good Friday
    for (const r of res.rolls) expect(r.expiry).toBe(nextSpxMonthlyExpiry(r.date));
    expect(res.notes).toEqual([]);
  });

  it('strikes come from the roll chain (11:00 ET stand-in), not the mark chain', () => {
    const days = month(5000);
    const rollPath = new Map(days.map((d) => [d.date, 5200]));
    const markPath = new Map(days.map((d) => [d.date, 5000]));
    const res = runCndrReplication(days, {
      rollChains: source(rollPath),
      markChains: source(markPath),
      fill: MID_FILL,
      baseLevel: 100,
    });
    const r = res.rolls[0]!;
    expect(r.reference).toBe(5200);
    const fromRoll = cndrStrikes(flatChain(D('2024-02-16'), D('2024-03-15'), 5200), 0, 0)!;
    const fromMark = cndrStrikes(flatChain(D('2024-02-16'), D('2024-03-15'), 5000), 0, 0)!;
    expect(r.strikes.shortPut).toBe(fromRoll.shortPut);
    expect(r.strikes.longCall).toBe(fromRoll.longCall);
    expect(r.strikes.shortPut).not.toBe(fromMark.shortPut);
  });

  it('a day without a roll chain waits (with a note); bad inputs are rejected', () => {
    const days = month(5000);
    const path = new Map(days.map((d) => [d.date, 5000]));
    const late = new Map([...path].filter(([d]) => d !== '2024-02-16'));
    const res = runCndrReplication(days, {
      rollChains: source(late),
      markChains: source(path),
      fill: MID_FILL,
      baseLevel: 100,
    });
    expect(res.rolls[0]!.date).toBe('2024-02-20');
    expect(res.notes[0]!.note).toMatch(/waits a day/);
    expect(() =>
      runCndrReplication(days, {
        rollChains: source(path),
        markChains: source(path),
        fill: MID_FILL,
        baseLevel: 0,
      }),
    ).toThrow(/baseLevel/);
    expect(() => run(days, {}, { ...CNDR_RULES, wingDelta: 0.3 })).toThrow(/wingDelta/);
  });
});
