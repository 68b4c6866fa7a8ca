import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CALIBRATED_SHORT_DATED_PARAMS,
  dteTradingDays,
  expiryVolFn,
  floorAcrossRegimes,
  type IsoDate,
  ModelledChainSource,
  NON_TRADING_DAY_VARIANCE_WEIGHT,
  type OptionChain,
  type SurfaceInputs,
  varianceTimeRatio,
  varianceTimeRatioAt,
} from '../../../src/index';

// A Monday close (2024-08-05: VIX 38.6, VIX9D 42.8) with the front inverted: the one-day vol above
// VIX9D, as on the real day (the model's one-day vol was 40.5; here 48 to make the inversion plain).
const MONDAY = '2024-08-05' as IsoDate;
const inverted: SurfaceInputs = {
  spot: 5186,
  r: 0.053,
  q: 0.013,
  vix: 38.6,
  vix9d: 42.8,
  vix3m: 28.1,
  skew: 140,
  oneDayVix: 48,
};
const calm: SurfaceInputs = { ...inverted, vix: 15, vix9d: 14, vix3m: 16.5, oneDayVix: 10 };

/** Total variance of a chain's vol at a strike it lists. */
const totalVariance = (c: OptionChain, strike: number): number => {
  const i = Array.from(c.strikes).indexOf(strike);
  expect(i).toBeGreaterThanOrEqual(0);
  const t = (Date.parse(`${c.expiry}T20:00:00Z`) - c.quoteTimeUtcMs) / (365 * 86_400_000);
  return c.callIv[i]! ** 2 * t;
};

describe('one vol per expiry: the short regime and the term regime meet without calendar arbitrage', () => {
  it('floorAcrossRegimes: hand-derived values', () => {
    // no excess (the short regime below the term regime at the boundary): the term variance itself
    expect(floorAcrossRegimes(4, 5, 9, 6)).toBe(6);
    // excess 3 over a span of 6 (w2 = 4 -> wA = 10): a quarter of the way (wT = 5.5) keeps 3/4 of it
    expect(floorAcrossRegimes(7, 4, 10, 5.5)).toBeCloseTo(5.5 + 3 * 0.75, 12);
    // at and beyond the anchor only the floor at ws is left
    expect(floorAcrossRegimes(7, 4, 10, 10)).toBe(10);
    expect(floorAcrossRegimes(7, 4, 10, 12)).toBe(12);
    // an excess larger than the span: later expiries hold ws until the term regime passes it
    expect(floorAcrossRegimes(20, 4, 10, 7)).toBe(20);
    expect(floorAcrossRegimes(20, 4, 10, 25)).toBe(25);
  });

  it('floorAcrossRegimes: never below ws or wT, continuous at the boundary, non-decreasing in wT', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (ws, w2, spanIn, a, b) => {
          const wA = w2 + spanIn;
          const lo = w2 + Math.min(a, b);
          const hi = w2 + Math.max(a, b);
          const fLo = floorAcrossRegimes(ws, w2, wA, lo);
          const fHi = floorAcrossRegimes(ws, w2, wA, hi);
          expect(fHi).toBeGreaterThanOrEqual(fLo - 1e-12);
          expect(fLo).toBeGreaterThanOrEqual(Math.max(ws, lo) - 1e-12);
          // at the boundary itself (wT = w2) the short regime's variance
          expect(floorAcrossRegimes(ws, w2, wA, w2)).toBeCloseTo(Math.max(ws, w2), 12);
        },
      ),
    );
  });

  it('an inverted front: every later expiry holds at least the 2-session variance at each strike (the old construction did not)', () => {
    const src = new ModelledChainSource({ inputs: () => inverted });
    const expiries = src.expirations(MONDAY).slice(0, 8);
    expect(expiries.map((e) => dteTradingDays(MONDAY, e))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const chains = expiries.map((e) => src.chain(MONDAY, e)!);
    const strikes = [5000, 5100, 5150, 5185, 5190, 5250, 5350].filter((k) =>
      chains.every((c) => Array.from(c.strikes).includes(k)),
    );
    expect(strikes.length).toBeGreaterThanOrEqual(5);
    for (const k of strikes) {
      for (let j = 1; j < chains.length; j++) {
        expect(totalVariance(chains[j]!, k)).toBeGreaterThanOrEqual(
          totalVariance(chains[j - 1]!, k) * (1 - 1e-12),
        );
      }
    }
    // The defect this mends: the term regime alone (the surface in variance time, 1.7.0) prices the
    // 3-session expiry below the 2-session one at the money, a longer option cheaper than a shorter one.
    const surface = src.surface(MONDAY)!;
    const three = chains[2]!;
    const t3 = (Date.parse(`${three.expiry}T20:00:00Z`) - three.quoteTimeUtcMs) / (365 * 86_400_000);
    const old =
      surface.impliedVol(5185, t3) ** 2 *
      t3 *
      varianceTimeRatio(MONDAY, three.expiry, false, t3, NON_TRADING_DAY_VARIANCE_WEIGHT);
    expect(old).toBeLessThan(totalVariance(chains[1]!, 5185) * 0.95);
    // and the straddle: the 3-session one now costs at least the 2-session one
    const straddle = (c: OptionChain) => {
      const i = Array.from(c.strikes).indexOf(5185);
      return (c.callBid[i]! + c.callAsk[i]! + c.putBid[i]! + c.putAsk[i]!) / 2;
    };
    expect(straddle(three)).toBeGreaterThanOrEqual(straddle(chains[1]!));
  });

  it('a calm front (short regime below the term regime): later expiries are the term regime, bit for bit', () => {
    const src = new ModelledChainSource({ inputs: () => calm });
    const surface = src.surface(MONDAY)!;
    for (const e of src.expirations(MONDAY).slice(2, 8)) {
      const c = src.chain(MONDAY, e)!;
      const t = (Date.parse(`${e}T20:00:00Z`) - c.quoteTimeUtcMs) / (365 * 86_400_000);
      const scale = Math.sqrt(varianceTimeRatio(MONDAY, e, false, t, NON_TRADING_DAY_VARIANCE_WEIGHT));
      for (let i = 0; i < c.strikes.length; i += 7) {
        // within 3% of spot the short smile sits below the term smile here; far wings may be floored
        if (Math.abs(c.strikes[i]! / calm.spot - 1) > 0.03) continue;
        expect(c.callIv[i]).toBe(surface.impliedVol(c.strikes[i]!, t) * scale);
      }
    }
  });

  it('the floor fades by the VIX9D tenor: a 10-session expiry is back on the term regime when the excess is small', () => {
    // A mild inversion (one-day vol a little above the level the term regime puts on two sessions)
    const mild: SurfaceInputs = { ...inverted, oneDayVix: 36 };
    const src = new ModelledChainSource({ inputs: () => mild });
    const surface = src.surface(MONDAY)!;
    const far = src.expirations(MONDAY).find((e) => dteTradingDays(MONDAY, e) === 10)!;
    const c = src.chain(MONDAY, far)!;
    const t = (Date.parse(`${far}T20:00:00Z`) - c.quoteTimeUtcMs) / (365 * 86_400_000);
    const vol = expiryVolFn(
      surface,
      { surfaceDate: MONDAY, quoteDate: MONDAY, expiry: far, settlementAm: false },
      { shortDated: src.shortDated, nonTradingDayVarianceWeight: NON_TRADING_DAY_VARIANCE_WEIGHT },
    );
    const term =
      surface.impliedVol(5185, t) *
      Math.sqrt(varianceTimeRatio(MONDAY, far, false, t, NON_TRADING_DAY_VARIANCE_WEIGHT));
    expect(vol(5185, t)).toBeCloseTo(term, 12);
    // while the 3-session expiry, inside the fade, is lifted
    const near = src.expirations(MONDAY).find((e) => dteTradingDays(MONDAY, e) === 3)!;
    const t3 = (Date.parse(`${near}T20:00:00Z`) - c.quoteTimeUtcMs) / (365 * 86_400_000);
    const lifted = expiryVolFn(
      surface,
      { surfaceDate: MONDAY, quoteDate: MONDAY, expiry: near, settlementAm: false },
      { shortDated: src.shortDated, nonTradingDayVarianceWeight: NON_TRADING_DAY_VARIANCE_WEIGHT },
    )(5185, t3);
    const term3 =
      surface.impliedVol(5185, t3) *
      Math.sqrt(varianceTimeRatio(MONDAY, near, false, t3, NON_TRADING_DAY_VARIANCE_WEIGHT));
    expect(lifted).toBeGreaterThan(term3 * 1.01);
  });

  it('without a one-day vol or with the short regime off there is no boundary: the term regime', () => {
    const { oneDayVix: _, ...noOneDay } = inverted;
    for (const [inputs, shortDated] of [
      [noOneDay, undefined],
      [inverted, null],
    ] as const) {
      const src = new ModelledChainSource({
        inputs: () => inputs,
        ...(shortDated === null ? { shortDated } : {}),
      });
      const surface = src.surface(MONDAY)!;
      const e = src.expirations(MONDAY)[2]!;
      const c = src.chain(MONDAY, e)!;
      const t = (Date.parse(`${e}T20:00:00Z`) - c.quoteTimeUtcMs) / (365 * 86_400_000);
      const i = Array.from(c.strikes).indexOf(5185);
      expect(c.callIv[i]).toBe(
        surface.impliedVol(5185, t) *
          Math.sqrt(varianceTimeRatio(MONDAY, e, false, t, NON_TRADING_DAY_VARIANCE_WEIGHT)),
      );
    }
  });

  it('the short regime spans one or two sessions: a wider one is refused up front, naming the field', () => {
    const wide = { ...CALIBRATED_SHORT_DATED_PARAMS, maxTradingDays: 3 };
    expect(() => new ModelledChainSource({ inputs: () => inverted, shortDated: wide })).toThrow(
      /maxTradingDays must be 1 or 2/,
    );
    // one session: the boundary is the first close, and the 2-session expiry is already floored by it
    const one = new ModelledChainSource({
      inputs: () => inverted,
      shortDated: { ...CALIBRATED_SHORT_DATED_PARAMS, maxTradingDays: 1 },
    });
    const [first, second] = one.expirations(MONDAY);
    const a = one.chain(MONDAY, first!)!;
    const b = one.chain(MONDAY, second!)!;
    const i = Array.from(a.strikes).indexOf(5185);
    const j = Array.from(b.strikes).indexOf(5185);
    expect(totalVariance(b, 5185)).toBeGreaterThanOrEqual(totalVariance(a, 5185) * (1 - 1e-12));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(j).toBeGreaterThanOrEqual(0);
  });

  it("varianceTimeRatioAt: after the close the chains' ratio; inside the session the rest of it is trading time", () => {
    const tue = '2024-06-11' as IsoDate;
    const thu = '2024-06-13' as IsoDate;
    const a = 7 / (5 + 2 * NON_TRADING_DAY_VARIANCE_WEIGHT);
    const settle = Date.UTC(2024, 5, 13, 20, 0); // Thursday 16:00 ET
    const at = (utcMs: number) =>
      varianceTimeRatioAt(
        tue,
        utcMs,
        thu,
        false,
        (settle - utcMs) / (365 * 86_400_000),
        NON_TRADING_DAY_VARIANCE_WEIGHT,
      );
    // 16:10 ET: the chains' own ratio, bit for bit
    const close = Date.UTC(2024, 5, 11, 20, 10);
    expect(at(close)).toBe(
      varianceTimeRatio(
        tue,
        thu,
        false,
        (settle - close) / (365 * 86_400_000),
        NON_TRADING_DAY_VARIANCE_WEIGHT,
      ),
    );
    // 12:30 ET: 0.41 x 0.589 of a session left today, two sessions after, 2 days 3.5 hours of calendar time
    const noon = Date.UTC(2024, 5, 11, 16, 30);
    expect(at(noon)).toBeCloseTo((a * (2 + 0.41 * 0.589)) / (2 + 3.5 / 24), 12);
    // 08:00 ET, before the open: the whole session (its overnight move) is still to come
    const early = Date.UTC(2024, 5, 11, 12, 0);
    expect(at(early)).toBeCloseTo((a * 3) / (2 + 8 / 24), 12);
    // continuous at the close
    expect(at(Date.UTC(2024, 5, 11, 19, 59, 59))).toBeCloseTo(at(Date.UTC(2024, 5, 11, 20, 0, 1)), 3);
  });

  it("a held condor beyond the short regime is marked after the close at the chain's own vol", () => {
    const src = new ModelledChainSource({ inputs: () => calm });
    const surface = src.surface(MONDAY)!;
    const e = src.expirations(MONDAY).find((x) => dteTradingDays(MONDAY, x) === 3)!;
    const c = src.chain(MONDAY, e)!;
    const years = (Date.parse(`${e}T20:00:00Z`) - c.quoteTimeUtcMs) / (365 * 86_400_000);
    const marks = expiryVolFn(
      surface,
      { surfaceDate: MONDAY, quoteDate: MONDAY, expiry: e, settlementAm: false },
      {
        shortDated: src.shortDated,
        nonTradingDayVarianceWeight: NON_TRADING_DAY_VARIANCE_WEIGHT,
        restOfSessionIsTradingTime: true,
      },
    );
    for (const k of [5100, 5185, 5250]) {
      const i = Array.from(c.strikes).indexOf(k);
      expect(marks(k, years)).toBeCloseTo(c.callIv[i]!, 12);
    }
  });

  it("regimeOf names the regime and the floor's lift of the ATM vol", () => {
    const hot = new ModelledChainSource({ inputs: () => inverted });
    const cool = new ModelledChainSource({ inputs: () => calm });
    const [one, two, three] = hot.expirations(MONDAY);
    expect(hot.regimeOf(MONDAY, one!)).toEqual({ regime: 'short', sessions: 1, atmFloorLift: 1 });
    expect(hot.regimeOf(MONDAY, two!)).toEqual({ regime: 'short', sessions: 2, atmFloorLift: 1 });
    const floored = hot.regimeOf(MONDAY, three!)!;
    expect(floored.regime).toBe('term');
    expect(floored.sessions).toBe(3);
    expect(floored.atmFloorLift).toBeGreaterThan(1.05);
    // the lift is the chain's own ATM vol over the term regime's unfloored one
    const c = hot.chain(MONDAY, three!)!;
    const years = (Date.parse(`${three}T20:00:00Z`) - c.quoteTimeUtcMs) / (365 * 86_400_000);
    const surface = hot.surface(MONDAY)!;
    const F = surface.forward(years);
    const plain =
      surface.impliedVol(F, years) *
      Math.sqrt(varianceTimeRatio(MONDAY, three!, false, years, NON_TRADING_DAY_VARIANCE_WEIGHT));
    const floorVol = expiryVolFn(
      surface,
      { surfaceDate: MONDAY, quoteDate: MONDAY, expiry: three!, settlementAm: false },
      { shortDated: hot.shortDated, nonTradingDayVarianceWeight: NON_TRADING_DAY_VARIANCE_WEIGHT },
    )(F, years);
    expect(floored.atmFloorLift).toBeCloseTo(floorVol / plain, 12);
    expect(cool.regimeOf(MONDAY, three!)).toEqual({ regime: 'term', sessions: 3, atmFloorLift: 1 });
    expect(hot.regimeOf(MONDAY, '2030-01-02' as IsoDate)).toBeUndefined();
  });
});
