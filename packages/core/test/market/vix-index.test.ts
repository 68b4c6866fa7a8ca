import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bsmPrice,
  businessTimeVix,
  chooseVixTerms,
  constantMaturityVolFromChains,
  InvalidInputError,
  type IsoDate,
  isNoMarket,
  MINUTES_9_DAYS,
  MINUTES_30_DAYS,
  newYorkTimeToUtcMs,
  type OptionChain,
  quoteFlags,
  vixFromChains,
  vixTermVariance,
} from '../../src/index';

const D = (s: string) => s as IsoDate;

interface Quotes {
  strikes: number[];
  callBid: number[];
  callAsk: number[];
  putBid: number[];
  putAsk: number[];
}

function chainOf(
  asOf: string,
  expiry: string,
  settlement: 'AM' | 'PM',
  q: Quotes,
  underlying = 100,
): OptionChain {
  const n = q.strikes.length;
  const f64 = (a: number[]) => Float64Array.from(a);
  return {
    asOf: D(asOf),
    quoteTimeUtcMs: newYorkTimeToUtcMs(D(asOf), '16:00'),
    expiry: D(expiry),
    root: settlement === 'AM' ? 'SPX' : 'SPXW',
    settlement,
    underlying,
    strikes: f64(q.strikes),
    callBid: f64(q.callBid),
    callAsk: f64(q.callAsk),
    putBid: f64(q.putBid),
    putAsk: f64(q.putAsk),
    callFlags: Uint8Array.from(q.strikes.map((_, i) => quoteFlags(q.callBid[i]!, q.callAsk[i]!))),
    putFlags: Uint8Array.from(q.strikes.map((_, i) => quoteFlags(q.putBid[i]!, q.putAsk[i]!))),
    callIv: new Float64Array(n).fill(Number.NaN),
    putIv: new Float64Array(n).fill(Number.NaN),
    source: { kind: 'modelled', model: 'test', version: '1', inputs: {} },
  };
}

/**
 * Hand example. Quote 2018-01-02 16:00 ET, SPXW PM expiry 2018-02-01 16:00 ET: exactly 30 days =
 * 43,200 minutes, T = 30/365. r = 2%.
 *   strike: 75    80   85   90   95   100  105  110  115  120  125  130
 *   put   : .05/.1 0/.05 0/.05 .3/.5 .9/1.1 2.9/3.1 6.9/7.1 ...
 *   call  : ...                            3.4/3.6 1.1/1.3 0/.05 .2/.4 0/.05 0/.05 .05/.1
 * |C-P| is smallest at 100 (3.5 vs 3.0): F = 100 + e^{0.02*30/365} * 0.5 = 100.50082259...; K0 = 100.
 * Puts: 95 (1.0), 90 (0.4), then 85 and 80 have zero bids -> stop (75 is not used though it has a bid).
 * Calls: 105 (1.2), 110 zero bid (skipped), 115 (0.3), then 120, 125 zero -> stop (130 not used).
 * Selected 90, 95, 100, 105, 115 with dK 5, 5, 5, 7.5, 10 and Q 0.4, 1.0, 3.25 (K0 average), 1.2, 0.3.
 * sum dK/K^2 Q = 5*.4/8100 + 5*1/9025 + 5*3.25/10000 + 7.5*1.2/11025 + 10*.3/13225 = 0.0034690998315468
 * sigma^2 = 2/T e^{rT} sum - 1/T (F/100 - 1)^2 = 0.0842484723637132 -> VIX = 29.02558739521272.
 */
const HAND: Quotes = {
  strikes: [75, 80, 85, 90, 95, 100, 105, 110, 115, 120, 125, 130],
  putBid: [0.05, 0, 0, 0.3, 0.9, 2.9, 6.9, 11.9, 16.9, 21.9, 26.9, 31.9],
  putAsk: [0.1, 0.05, 0.05, 0.5, 1.1, 3.1, 7.1, 12.1, 17.1, 22.1, 27.1, 32.1],
  callBid: [25.4, 20.4, 15.4, 10.4, 5.9, 3.4, 1.1, 0, 0.2, 0, 0, 0.05],
  callAsk: [25.6, 20.6, 15.6, 10.6, 6.1, 3.6, 1.3, 0.05, 0.4, 0.05, 0.05, 0.1],
};

describe('VIX from a hand-built chain', () => {
  const chain = chainOf('2018-01-02', '2018-02-01', 'PM', HAND);

  it('computes T in minutes to the PM settlement, the forward, K0 and the term variance', () => {
    const t = vixTermVariance({ chain, rate: 0.02 });
    expect(t.minutesToExpiry).toBe(MINUTES_30_DAYS);
    expect(t.T).toBeCloseTo(30 / 365, 15);
    expect(t.forwardStrike).toBe(100);
    expect(t.forward).toBeCloseTo(100.50082259372742, 10);
    expect(t.k0).toBe(100);
    expect(t.strikesUsed).toBe(5);
    expect(t.lowestStrike).toBe(90);
    expect(t.highestStrike).toBe(115);
    expect(t.variance).toBeCloseTo(0.08424847236371316, 13);
  });

  it('business time (VIX1D): the total variance T sigma^2 over sessions / 252, refused without a positive time', () => {
    const t = vixTermVariance({ chain, rate: 0.02 });
    // 30 calendar days hold 21 sessions: 100 sqrt(0.08424847 x (30/365) / (21/252))
    expect(businessTimeVix(t, 21 / 252)).toBeCloseTo(
      100 * Math.sqrt((0.08424847236371316 * (30 / 365) * 252) / 21),
      9,
    );
    // the same total variance on a calendar clock of as many days gives the calendar VIX back
    expect(businessTimeVix(t, 30 / 365)).toBeCloseTo(100 * Math.sqrt(t.variance), 12);
    expect(() => businessTimeVix(t, 0)).toThrow(/businessYears/);
  });

  it('one term: VIX = 100 sqrt(variance) and the result says it is one term', () => {
    const r = vixFromChains({ chain, rate: 0.02 });
    expect(r.terms).toHaveLength(1);
    expect(r.vix).toBeCloseTo(29.02558739521272, 10);
    expect(r.note).toMatch(/one term only/);
    expect(r.forward).toBeCloseTo(100.50082259372742, 10);
    expect(r.k0).toBe(100);
  });

  it('AM settlement uses 09:30 ET of the expiry day (6.5 hours fewer minutes)', () => {
    const am = chainOf('2018-01-02', '2018-02-01', 'AM', HAND);
    const t = vixTermVariance({ chain: am, rate: 0.02 });
    expect(t.minutesToExpiry).toBe(MINUTES_30_DAYS - 390);
  });

  it('two terms: the 30-day interpolation weights total variance by minutes (hand formula)', () => {
    // Near = the hand chain at 30 days; next = the same quotes 37 days out. Weighted by
    // (N2 - N30)/(N2 - N1) = 1 on the near term: VIX equals the near-term VIX.
    const next = chainOf('2018-01-02', '2018-02-08', 'PM', HAND);
    const r = vixFromChains({ chain, rate: 0.02 }, { chain: next, rate: 0.02 });
    expect(r.terms).toHaveLength(2);
    expect(r.note).toBeUndefined();
    expect(r.vix).toBeCloseTo(29.02558739521272, 9);
    // Near 2018-01-26 (24 days) and next 2018-02-08 (37 days): check against the white-paper formula.
    const n1c = chainOf('2018-01-02', '2018-01-26', 'PM', HAND);
    const r2 = vixFromChains({ chain: n1c, rate: 0.02 }, { chain: next, rate: 0.03 });
    const [a, b] = r2.terms;
    const N1 = 24 * 1440;
    const N2 = 37 * 1440;
    expect(a!.minutesToExpiry).toBe(N1);
    expect(b!.minutesToExpiry).toBe(N2);
    const expected =
      100 *
      Math.sqrt(
        ((a!.T * a!.variance * (N2 - 43200)) / (N2 - N1) + (b!.T * b!.variance * (43200 - N1)) / (N2 - N1)) *
          (525600 / 43200),
      );
    expect(r2.vix).toBeCloseTo(expected, 12);
    expect(b!.rate).toBe(0.03);
  });

  it('notes extrapolation when the two terms do not bracket 30 days', () => {
    const n1c = chainOf('2018-01-02', '2018-02-05', 'PM', HAND);
    const n2c = chainOf('2018-01-02', '2018-02-12', 'PM', HAND);
    const r = vixFromChains({ chain: n1c, rate: 0.02 }, { chain: n2c, rate: 0.02 });
    expect(r.note).toMatch(/do not bracket 30 days/);
  });

  it('rejects an expired chain, a next term that is not later, and a non-finite rate', () => {
    const expired = chainOf('2018-02-01', '2018-02-01', 'AM', HAND);
    expect(() => vixTermVariance({ chain: expired, rate: 0.02 })).toThrow(InvalidInputError);
    expect(() => vixFromChains({ chain, rate: 0.02 }, { chain, rate: 0.02 })).toThrow(
      /does not expire after/,
    );
    expect(() => vixTermVariance({ chain, rate: Number.NaN })).toThrow(InvalidInputError);
  });
});

/** A chain priced from a flat BSM vol; mid = model price, bid 0 below a 0.05 tick. */
function flatVolChain(opts: {
  asOf: string;
  expiry: string;
  S: number;
  r: number;
  q: number;
  vol: number;
  step: number;
  scalePrices?: number;
  minPrice?: number;
}): OptionChain {
  const { S, r, q, vol, step } = opts;
  const quoteMs = newYorkTimeToUtcMs(D(opts.asOf), '16:00');
  const settleMs = newYorkTimeToUtcMs(D(opts.expiry), '16:00');
  const T = (settleMs - quoteMs) / 60_000 / 525_600;
  const c = opts.scalePrices ?? 1;
  const min = opts.minPrice ?? 0.05;
  const strikes: number[] = [];
  for (let k = Math.ceil((0.3 * S) / step) * step; k <= 2 * S; k += step) strikes.push(k);
  const qs: Quotes = { strikes, callBid: [], callAsk: [], putBid: [], putAsk: [] };
  for (const k of strikes) {
    const option = { spot: S, strike: k, yearsToExpiry: T, riskFreeRate: r, dividendYield: q, vol };
    const cp = c * bsmPrice({ ...option, isCall: true });
    const pp = c * bsmPrice({ ...option, isCall: false });
    qs.callBid.push(cp < min ? 0 : cp);
    qs.callAsk.push(cp < min ? min : cp);
    qs.putBid.push(pp < min ? 0 : pp);
    qs.putAsk.push(pp < min ? min : pp);
  }
  return chainOf(opts.asOf, opts.expiry, 'PM', qs, S);
}

describe('VIX from a flat-vol BSM chain', () => {
  const base = { asOf: '2018-01-02', S: 2695.81, r: 0.015, q: 0.019, vol: 0.2 };
  const vixAt = (step: number, minPrice = 0.05) =>
    vixFromChains(
      { chain: flatVolChain({ ...base, expiry: '2018-01-26', step, minPrice }), rate: base.r },
      { chain: flatVolChain({ ...base, expiry: '2018-02-09', step, minPrice }), rate: base.r },
    );

  it('recovers vol x 100 within discretisation error, closer as strikes get denser', () => {
    // Tails quoted down to 1e-8 so that only the strike spacing matters.
    const err = (step: number) => Math.abs(vixAt(step, 1e-8).vix - 20);
    const [e50, e25, e5, e1] = [err(50), err(25), err(5), err(1)];
    expect(e50).toBeLessThan(0.5);
    expect(e25).toBeLessThan(e50);
    expect(e5).toBeLessThan(e25);
    expect(e1).toBeLessThan(e5);
    expect(e1).toBeLessThan(1e-3);
  });

  it('with a 0.05 tick the truncated tails cost less than 0.01 vol points', () => {
    expect(Math.abs(vixAt(5).vix - 20)).toBeLessThan(0.01);
  });

  it('reads the forward S e^{(r-q)T} off put-call parity', () => {
    const r = vixAt(5);
    const T = r.terms[0]!.T;
    expect(r.forward).toBeCloseTo(base.S * Math.exp((base.r - base.q) * T), 8);
    expect(r.k0).toBeLessThanOrEqual(r.forward);
    expect(r.forward - r.k0).toBeLessThan(5);
  });
});

describe('VIX properties', () => {
  it('scaling every option price by c scales the term variance by c (F = K0 so no correction term)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        fc.double({ min: 0.1, max: 0.8, noNaN: true }),
        (c, vol) => {
          // r = q = 0 and S on a strike: C = P at S, so F = S = K0 for any scaling.
          const mk = (scale: number) =>
            flatVolChain({
              asOf: '2018-01-02',
              expiry: '2018-02-01',
              S: 2700,
              r: 0,
              q: 0,
              vol,
              step: 10,
              scalePrices: scale,
              minPrice: 1e-300,
            });
          const v1 = vixTermVariance({ chain: mk(1), rate: 0 });
          const vc = vixTermVariance({ chain: mk(c), rate: 0 });
          expect(v1.forward).toBe(2700);
          expect(vc.k0).toBe(2700);
          expect(vc.variance / v1.variance).toBeCloseTo(c, 10);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('scaling strikes, prices and the underlying together leaves the variance unchanged', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 5, noNaN: true }), (c) => {
        const q: Quotes = {
          strikes: HAND.strikes.map((k) => k * c),
          callBid: HAND.callBid.map((x) => x * c),
          callAsk: HAND.callAsk.map((x) => x * c),
          putBid: HAND.putBid.map((x) => x * c),
          putAsk: HAND.putAsk.map((x) => x * c),
        };
        const v = vixTermVariance({
          chain: chainOf('2018-01-02', '2018-02-01', 'PM', q, 100 * c),
          rate: 0.02,
        });
        expect(v.variance).toBeCloseTo(0.08424847236371316, 12);
      }),
      { numRuns: 50 },
    );
  });
});

describe('no-market rows and term choice', () => {
  it('by default a bid = ask = 0 row is a missing quote; noMarketAsMissing: false counts it as a zero bid', () => {
    // Make 95 and 90 "no market" (bid = ask = 0). By default (white paper: the walk is over quoted
    // series) they are skipped, but 85 and 80 (zero bid, ask 0.05: a quote with no bid) still count
    // and stop the walk. With the literal reading they are two zero bids and stop it at K0. Give 85 a
    // bid (q2): then only 80 is a zero bid and the default walk reaches 75, while the literal reading
    // still stops at 95/90.
    const q: Quotes = {
      ...HAND,
      putBid: HAND.putBid.map((b, i) => (i === 3 || i === 4 ? 0 : b)),
      putAsk: HAND.putAsk.map((a, i) => (i === 3 || i === 4 ? 0 : a)),
    };
    const chain = chainOf('2018-01-02', '2018-02-01', 'PM', q);
    const literal = vixTermVariance({ chain, rate: 0.02 }, undefined, { noMarketAsMissing: false });
    expect(literal.lowestStrike).toBe(100);
    expect(literal.strikesUsed).toBe(3); // 100, 105, 115
    const dflt = vixTermVariance({ chain, rate: 0.02 });
    expect(dflt.lowestStrike).toBe(100); // 85 and 80 still stop it before 75
    expect(dflt).toEqual(vixTermVariance({ chain, rate: 0.02 }, undefined, { noMarketAsMissing: true }));
    const q2: Quotes = {
      ...q,
      putBid: q.putBid.map((b, i) => (i === 2 ? 0.1 : b)),
      putAsk: q.putAsk.map((a, i) => (i === 2 ? 0.2 : a)),
    };
    const c2 = chainOf('2018-01-02', '2018-02-01', 'PM', q2);
    expect(
      vixTermVariance({ chain: c2, rate: 0.02 }, undefined, { noMarketAsMissing: false }).lowestStrike,
    ).toBe(100);
    const t2 = vixTermVariance({ chain: c2, rate: 0.02 });
    expect(t2.lowestStrike).toBe(75);
    // Selected 75, 85, 100, 105, 115: the skipped 95/90 widen the gaps around them (dK at 85 is
    // (100 - 75)/2 = 12.5, at 100 it is (105 - 85)/2 = 10). Q: 75 0.075, 85 0.15, 100 3.25, 105 1.2, 115 0.3.
    const T = 30 / 365;
    const F = 100 + Math.exp(0.02 * T) * 0.5;
    const sum =
      (10 / 75 ** 2) * 0.075 +
      (12.5 / 85 ** 2) * 0.15 +
      (10 / 100 ** 2) * 3.25 +
      (7.5 / 105 ** 2) * 1.2 +
      (10 / 115 ** 2) * 0.3;
    expect(t2.variance).toBeCloseTo((2 / T) * Math.exp(0.02 * T) * sum - (1 / T) * (F / 100 - 1) ** 2, 14);
    expect(t2.strikesUsed).toBe(5);
  });

  it('a row with neither bid nor ask (NaN / NaN, or 0 / NaN) is also a missing quote; a zero bid with an offer is not', () => {
    expect(isNoMarket(0, 0, quoteFlags(0, 0))).toBe(true);
    expect(isNoMarket(Number.NaN, Number.NaN, quoteFlags(Number.NaN, Number.NaN))).toBe(true);
    expect(isNoMarket(0, Number.NaN, quoteFlags(0, Number.NaN))).toBe(true);
    expect(isNoMarket(0, 0.05, quoteFlags(0, 0.05))).toBe(false);
    expect(isNoMarket(0.05, 0.1, quoteFlags(0.05, 0.1))).toBe(false);
    // Calls: make 110 (a zero bid with an offer in HAND) a NaN/NaN row and 120 a 0/0 row. By default
    // 115 is used, 120 is skipped, 125 (zero bid) and 130 (bid .05) -> only one zero bid, so 130 is used.
    const q: Quotes = {
      ...HAND,
      callBid: HAND.callBid.map((b, i) => (i === 7 ? Number.NaN : i === 9 ? 0 : b)),
      callAsk: HAND.callAsk.map((a, i) => (i === 7 ? Number.NaN : i === 9 ? 0 : a)),
    };
    const chain = chainOf('2018-01-02', '2018-02-01', 'PM', q);
    expect(vixTermVariance({ chain, rate: 0.02 }).highestStrike).toBe(130);
    // Literal reading: 120 and 125 are two consecutive zero bids -> stop at 115.
    expect(
      vixTermVariance({ chain, rate: 0.02 }, undefined, { noMarketAsMissing: false }).highestStrike,
    ).toBe(115);
  });

  it('chooses the pair inside 23-37 days around 30, else one term, else the bracketing pair', () => {
    const mk = (e: string) => chainOf('2018-01-02', e, 'PM', HAND);
    const now = mk('2018-02-01').quoteTimeUtcMs;
    const a = chooseVixTerms([mk('2018-01-19'), mk('2018-01-26'), mk('2018-02-02'), mk('2018-02-09')], now);
    expect([a.near.expiry, a.next?.expiry, a.note]).toEqual(['2018-01-26', '2018-02-02', undefined]);
    const b = chooseVixTerms([mk('2018-01-31'), mk('2018-02-28')], now);
    expect(b.near.expiry).toBe('2018-01-31');
    expect(b.next).toBeUndefined();
    expect(b.note).toMatch(/only one expiry/);
    const c = chooseVixTerms([mk('2018-01-12'), mk('2018-02-28')], now);
    expect([c.near.expiry, c.next?.expiry]).toEqual(['2018-01-12', '2018-02-28']);
    expect(c.note).toMatch(/bracketing/);
    expect(() => chooseVixTerms([], now)).toThrow(InvalidInputError);
  });
});

describe('constant-maturity vol at 9 days (the VIX9D of a live session)', () => {
  const base = { asOf: '2018-01-02', S: 2695.81, r: 0.015, q: 0.019, step: 1, minPrice: 1e-8 };
  const chains = (vols: Record<string, number>) =>
    Object.entries(vols).map(([expiry, vol]) => flatVolChain({ ...base, expiry, vol }));

  it('flat vol: recovers it at 9 days from the pair bracketing 9 days', () => {
    const r = constantMaturityVolFromChains(
      chains({ '2018-01-05': 0.15, '2018-01-09': 0.15, '2018-01-12': 0.15, '2018-01-19': 0.15 }),
      base.r,
      MINUTES_9_DAYS,
    );
    expect(r.value).not.toBeNull();
    if (r.value === null) return;
    expect(Math.abs(r.value - 15)).toBeLessThan(1e-3);
    // The bracketing pair: 01-09 (7 days) and 01-12 (10 days); not 01-05 or 01-19.
    expect((r as { terms: readonly { expiry: string }[] }).terms.map((t) => t.expiry)).toEqual([
      '2018-01-09',
      '2018-01-12',
    ]);
  });

  it('interpolates total variance in time: equals the white-paper weights by hand', () => {
    const cs = chains({ '2018-01-09': 0.1, '2018-01-12': 0.3 });
    const r = constantMaturityVolFromChains(cs, base.r, MINUTES_9_DAYS);
    const t1 = vixTermVariance({ chain: cs[0]!, rate: base.r });
    const t2 = vixTermVariance({ chain: cs[1]!, rate: base.r });
    const n1 = t1.minutesToExpiry;
    const n2 = t2.minutesToExpiry;
    const n9 = 9 * 1440;
    const byHand =
      100 *
      Math.sqrt(
        ((t1.T * t1.variance * (n2 - n9)) / (n2 - n1) + (t2.T * t2.variance * (n9 - n1)) / (n2 - n1)) *
          (525_600 / n9),
      );
    expect(r.value).toBeCloseTo(byHand, 10);
    // Between the two vols, nearer the 10-day one (9 days is 2/3 of the way from 7 to 10).
    expect(r.value!).toBeGreaterThan(20);
    expect(r.value!).toBeLessThan(30);
  });

  it('at 30 days it is the VIX of vixFromChains on the same bracketing pair', () => {
    const cs = chains({ '2018-01-26': 0.18, '2018-02-09': 0.22 });
    const r = constantMaturityVolFromChains(cs, base.r, MINUTES_30_DAYS);
    const v = vixFromChains({ chain: cs[0]!, rate: base.r }, { chain: cs[1]!, rate: base.r });
    expect(r.value).toBeCloseTo(v.vix, 10);
  });

  it('without two expiries bracketing 9 days: null and the reason, never an extrapolation', () => {
    const r = constantMaturityVolFromChains(
      chains({ '2018-01-03': 0.15, '2018-01-05': 0.15 }),
      base.r,
      MINUTES_9_DAYS,
    );
    expect(r.value).toBeNull();
    expect((r as { reason: string }).reason).toMatch(
      /^no two expiries bracket 9\.00 days \(the chain has 2018-01-03 PM \(1\.00 d\), 2018-01-05 PM \(3\.00 d\)\)$/,
    );
  });
});
