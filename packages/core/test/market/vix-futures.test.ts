import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  black76Greeks,
  CONVEXITY_ONLY_VIX_FUTURES_PARAMS,
  DEFAULT_VIX_FUTURES_PARAMS,
  EMBEDDED_VX_CLOSES_VENDOR,
  fitVixFuturesPremium,
  forwardVixVariance,
  InvalidInputError,
  type IsoDate,
  type MarketSnapshot,
  modelVixFuture,
  totalVarianceAt,
  vixCallByDelta,
  vixCallStrikeForDelta,
  vixFuturesCurve,
  vixFuturesDayFromSnapshot,
  vixFuturesErrorStats,
  vixListedStrikeStep,
  vixOptionPrice,
  vixOptionVol,
  vixStrikeGrid,
  vixTenorDays,
  vixTotalVarianceCurve,
} from '../../src/index';

const D = (s: string) => s as IsoDate;

describe('forward variance from the VIX family', () => {
  it('a flat term structure gives a flat forward vol equal to the level', () => {
    const curve = vixTotalVarianceCurve({ vix: 20, vix9d: 20, vix3m: 20, vix6m: 20, vix1y: 20 });
    for (const tau of [0, 5, 30, 100, 300, 500]) {
      expect(forwardVixVariance(curve, tau)).toBeCloseTo(0.04, 12);
    }
    const m = modelVixFuture({ vix: 20, vix3m: 20 }, 100, 60, {
      ...DEFAULT_VIX_FUTURES_PARAMS,
      theta0: 0,
      theta1: 0,
    });
    expect(m.forwardVol).toBeCloseTo(20, 10);
    expect(m.price).toBeCloseTo(20, 10);
  });

  it('hand example: VIX 15, VIX3M 20, forward 30-60 days', () => {
    // w(30) = 0.0225 * 30/365, w(93) = 0.04 * 93/365; w(60) on the line between them.
    const w30 = (0.0225 * 30) / 365;
    const w93 = (0.04 * 93) / 365;
    const w60 = w30 + ((w93 - w30) * 30) / 63;
    const curve = vixTotalVarianceCurve({ vix: 15, vix3m: 20 });
    expect(totalVarianceAt(curve, 60)).toBeCloseTo(w60, 15);
    expect(forwardVixVariance(curve, 30)).toBeCloseTo((w60 - w30) / (30 / 365), 14);
    // (w93 - w30) / (63/365) = (3.72 - 0.675) / 63 = 0.048333...; forward vol 21.985 beyond 30 days.
    expect(forwardVixVariance(curve, 30)).toBeCloseTo(0.0483333333, 9);
    // Beyond the last knot the last segment's forward variance continues.
    expect(forwardVixVariance(curve, 200)).toBeCloseTo(0.0483333333, 9);
  });

  it('monotone cubic: through the knots, continuous forward variance, no overshoot', () => {
    const curve = vixTotalVarianceCurve({ vix: 15, vix9d: 12, vix3m: 20, vix6m: 22, vix1y: 23 });
    curve.tenorDays.forEach((t, i) => {
      expect(totalVarianceAt(curve, t, 'monotone-cubic')).toBeCloseTo(curve.totalVariance[i]!, 15);
    });
    // Continuity of w' at a knot (93 days): the forward variance over a short window barely moves.
    const fwd = (a: number) =>
      (totalVarianceAt(curve, a + 0.01, 'monotone-cubic') - totalVarianceAt(curve, a, 'monotone-cubic')) /
      0.01;
    expect(Math.abs(fwd(92.99) - fwd(93))).toBeLessThan(1e-6);
    const lin = (a: number) => (totalVarianceAt(curve, a + 0.01) - totalVarianceAt(curve, a)) / 0.01;
    expect(Math.abs(lin(92.99) - lin(93))).toBeGreaterThan(1e-5); // the linear one jumps
    // Increasing data stays increasing and inside each segment's range.
    for (let tau = 0; tau <= 365; tau += 0.5) {
      const w = totalVarianceAt(curve, tau, 'monotone-cubic');
      expect(w).toBeLessThanOrEqual(totalVarianceAt(curve, tau + 0.5, 'monotone-cubic') + 1e-15);
    }
    // A flat term structure is reproduced exactly.
    const flat = vixTotalVarianceCurve({ vix: 20, vix9d: 20, vix3m: 20, vix6m: 20, vix1y: 20 });
    expect(forwardVixVariance(flat, 45, 1e-4, 'monotone-cubic')).toBeCloseTo(0.04, 12);
  });

  it('floors a negative forward variance (inverted term structure)', () => {
    const curve = vixTotalVarianceCurve({ vix: 60, vix3m: 20 });
    expect(forwardVixVariance(curve, 30, 1e-4)).toBe(1e-4);
  });

  it('applies the lognormal convexity exp(-sigma_v^2 tau / 2) with theta0 = 0, theta1 = 1', () => {
    const m = modelVixFuture({ vix: 20, vix3m: 20 }, 90, 60, CONVEXITY_ONLY_VIX_FUTURES_PARAMS);
    const sv = 0.9 * (60 / 30) ** -0.3;
    expect(m.sigmaV).toBeCloseTo(sv, 14);
    expect(m.price).toBeCloseTo(20 * Math.exp((-0.5 * sv * sv * 60) / 365), 12);
    expect(m.price).toBeLessThan(20);
  });

  it('rejects a missing VIX and non-positive closes', () => {
    expect(() => vixTotalVarianceCurve({ vix: Number.NaN })).toThrow(InvalidInputError);
    expect(() => vixTotalVarianceCurve({ vix: 20, vix3m: 0 })).toThrow(InvalidInputError);
  });
});

describe('VIX option vol from VVIX', () => {
  it('is VVIX/100 at 30 days, decays as (tau/30)^-alpha, and clamps below 7 days', () => {
    expect(vixOptionVol(90, 30)).toBeCloseTo(0.9, 15);
    expect(vixOptionVol(90, 240, 0.3)).toBeCloseTo(0.9 * 8 ** -0.3, 14);
    expect(vixOptionVol(90, 1)).toBe(vixOptionVol(90, 7));
    expect(vixOptionVol(90, 220)).toBeLessThan(vixOptionVol(90, 110));
    expect(() => vixOptionVol(0, 30)).toThrow(InvalidInputError);
  });
});

describe('VX curve of one day', () => {
  it('uses real closes where given (column k -> k-th contract after the date) and models the rest', () => {
    const day = { date: D('2017-04-18'), vix: 14.42, vix3m: 15.4, vvix: 90, closes: [14.7, 14.32, null] };
    const c = vixFuturesCurve(day, 4);
    expect(c.map((p) => p.expiry)).toEqual(['2017-04-19', '2017-05-17', '2017-06-21', '2017-07-19']);
    expect(c[0]!.price).toBe(14.7);
    expect(c[0]!.source.kind).toBe('real');
    expect(c[2]!.source.kind).toBe('modelled');
    expect(c[3]!.source.kind).toBe('modelled');
    if (c[3]!.source.kind === 'modelled') expect(c[3]!.source.inputs.vix).toBe(14.42);
    // Tenor: from the 16:00 ET close to the 09:30 ET settlement = 17.5 hours.
    expect(c[0]!.tauDays).toBeCloseTo(17.5 / 24, 12);
  });

  it('names where the real prices come from: the embedded closes, or the vendor the snapshot carries', () => {
    const day = { date: D('2017-04-18'), vix: 14.42, vix3m: 15.4, vvix: 90, closes: [14.7, 14.32, null] };
    expect(vixFuturesCurve(day, 2)[0]!.source).toEqual({ kind: 'real', vendor: EMBEDDED_VX_CLOSES_VENDOR });
    const settled = { ...day, closesVendor: 'CFE daily settlement (data update)' };
    expect(vixFuturesCurve(settled, 2)[1]!.source).toEqual({
      kind: 'real',
      vendor: 'CFE daily settlement (data update)',
    });
    // from a snapshot: the vendor of its row travels with the closes
    const closes = [14.7, 14.32, null, null, null, null, null, null] as const;
    const snap = {
      date: D('2017-04-18'),
      vix: 14.42,
      vix9d: null,
      vix3m: 15.4,
      vix6m: null,
      vix1y: null,
      vvix: 90,
      vixFutures: { asOf: D('2017-04-18'), closes, vendor: 'CFE daily settlement (data update)' },
    } as unknown as MarketSnapshot;
    expect(vixFuturesDayFromSnapshot(snap)!.closesVendor).toBe('CFE daily settlement (data update)');
    expect(
      vixFuturesDayFromSnapshot({ ...snap, vixFutures: { asOf: snap.date, closes } })!.closesVendor,
    ).toBe(undefined);
  });

  it('known day 2018-02-05 (VIX 37.32, VIX9D 59.34, VIX3M 28.13, VIX6M 24.55, VIX1Y 22.49, VVIX 177.34)', () => {
    const day = {
      date: D('2018-02-05'),
      vix: 37.32,
      vix9d: 59.34,
      vix3m: 28.13,
      vix6m: 24.55,
      vix1y: 22.49,
      vvix: 177.34,
    };
    const c = vixFuturesCurve(day, 8);
    expect(c[0]!.month).toBe('2018-02');
    expect(c[0]!.expiry).toBe('2018-02-14');
    expect(vixTenorDays(D('2018-02-05'), D('2018-02-14'))).toBeCloseTo(8 + 17.5 / 24, 12);
    // Backwardation from the second contract on; all below spot VIX and above 15.
    for (let k = 2; k < 8; k++) expect(c[k]!.price).toBeLessThan(c[k - 1]!.price);
    // Known weakness (docs/vix-futures.md): VIX9D far above VIX makes the 9-39 day forward variance
    // small, so the front contract comes out near 20 with the VIX at 37.
    expect(c[0]!.price).toBeLessThan(22);
    for (const p of c) {
      expect(p.price).toBeLessThan(37.32);
      expect(p.price).toBeGreaterThan(15);
      expect(p.source.kind).toBe('modelled');
    }
    // A 0.50-delta call on the front future sits near the money.
    const F = c[0]!.price;
    const T = c[0]!.tauDays / 365;
    const k = vixCallStrikeForDelta(F, T, 0.015, vixOptionVol(177.34, c[0]!.tauDays), 0.5);
    expect(Math.abs(k.strike - F)).toBeLessThan(3);
  });
});

describe('VIX options: Black-76 on the future', () => {
  it('put-call parity on the future: C - P = e^{-rT} (F - K)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 10, max: 80, noNaN: true }),
        fc.double({ min: 5, max: 100, noNaN: true }),
        fc.double({ min: 1 / 365, max: 1, noNaN: true }),
        fc.double({ min: -0.01, max: 0.08, noNaN: true }),
        fc.double({ min: 0.2, max: 2.5, noNaN: true }),
        (F, K, T, r, s) => {
          const option = { future: F, strike: K, yearsToExpiry: T, riskFreeRate: r, vol: s };
          const gap =
            vixOptionPrice({ ...option, isCall: true }) - vixOptionPrice({ ...option, isCall: false });
          expect(gap).toBeCloseTo(Math.exp(-r * T) * (F - K), 9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('listed-strike ladder: 0.5 below 15, 1 to 30, 2.5 to 50, 5 to 100', () => {
    expect(vixListedStrikeStep(12)).toBe(0.5);
    expect(vixListedStrikeStep(15)).toBe(1);
    expect(vixListedStrikeStep(30)).toBe(2.5);
    expect(vixListedStrikeStep(50)).toBe(5);
    const g = vixStrikeGrid(13, 60);
    expect(g.slice(0, 6)).toEqual([13, 13.5, 14, 14.5, 15, 16]);
    expect(g).toContain(29);
    expect(g).toContain(32.5);
    expect(g).toContain(55);
    expect(g).not.toContain(15.5);
    expect(g).not.toContain(31);
    expect(vixStrikeGrid(9.9, 12, 1)).toEqual([10, 11, 12]);
  });

  it('the delta-selected strike minimises |delta - target| over the grid (brute force)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 11, max: 45, noNaN: true }),
        fc.double({ min: 7 / 365, max: 0.7, noNaN: true }),
        fc.double({ min: 0.3, max: 1.8, noNaN: true }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        fc.constantFrom<number | undefined>(undefined, 0.5, 1),
        (F, T, s, target, step) => {
          const r = 0.02;
          const best = vixCallStrikeForDelta(F, T, r, s, target, step);
          const grid = vixStrikeGrid(Math.max(0.5, F * 0.2), F * 5 + 10, step);
          expect(grid).toContain(best.strike);
          const err = Math.abs(best.delta - target);
          for (const k of grid) {
            const g = black76Greeks({
              isCall: true,
              future: F,
              strike: k,
              yearsToExpiry: T,
              riskFreeRate: r,
              vol: s,
            });
            expect(Math.abs(g.delta - target)).toBeGreaterThanOrEqual(err - 1e-15);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects a target delta outside (0, 1)', () => {
    expect(() => vixCallStrikeForDelta(20, 0.1, 0.02, 0.9, 1)).toThrow(InvalidInputError);
  });
});

describe('calibration helpers', () => {
  it('OLS recovers theta0 and theta1 from exact synthetic observations', () => {
    const obs = [0.01, 0.03, 0.05, 0.08, 0.12].map((x, i) => ({
      date: D('2010-01-04'),
      tauDays: 30 * (i + 1),
      forwardVol: 20 + i,
      convexityX: x,
      real: (20 + i) * Math.exp(-(0.02 + 0.7 * x)),
    }));
    const fit = fitVixFuturesPremium(obs);
    expect(fit.theta0).toBeCloseTo(0.02, 12);
    expect(fit.theta1).toBeCloseTo(0.7, 12);
    const st = vixFuturesErrorStats(obs, fit.theta0, fit.theta1);
    expect(st.rmse).toBeLessThan(1e-10);
    const off = vixFuturesErrorStats(obs, 0, 0);
    expect(off.meanError).toBeGreaterThan(0);
    expect(() => fitVixFuturesPremium(obs.slice(0, 2))).toThrow(InvalidInputError);
  });
});

describe('VIX call for a hedge layer', () => {
  // Real closes of 2017-05-10 (vix-daily, VIX9D/3M/6M/1Y, VVIX and the VX M1..M8 files).
  const day = {
    date: D('2017-05-10'),
    vix: 10.21,
    vix9d: 9.43,
    vix3m: 12.91,
    vix6m: 14.88,
    vix1y: 16.72,
    vvix: 87.49,
  };
  const curve = vixFuturesCurve({ ...day, closes: [11.55, 12.47, 13.68, 14.4, 15.3, 15.73, 16.1, 16.33] }, 8);

  it('uses the contract nearest the target DTE, Black-76 with the VVIX term vol, and a ~0.5 delta strike', () => {
    for (const dte of [30, 110, 220]) {
      const q = vixCallByDelta(curve, day.vvix, { targetDte: dte, rate: 0.009 });
      const nearest = [...curve].sort((a, b) => Math.abs(a.tauDays - dte) - Math.abs(b.tauDays - dte))[0]!;
      expect(q.expiry).toBe(nearest.expiry);
      expect(q.future).toBe(nearest.price);
      expect(q.futureSource).toBe('real');
      expect(q.sigma).toBeCloseTo(vixOptionVol(87.49, q.tauDays), 15);
      expect(q.price).toBeCloseTo(
        vixOptionPrice({
          isCall: true,
          future: q.future,
          strike: q.strike,
          yearsToExpiry: q.tauDays / 365,
          riskFreeRate: 0.009,
          vol: q.sigma,
        }),
        12,
      );
      expect(Math.abs(q.delta - 0.5)).toBeLessThan(0.1);
      expect(q.source.kind).toBe('modelled');
    }
    // Longer layers: lower vol (term decay) but more time value.
    const l1 = vixCallByDelta(curve, 87.49, { targetDte: 30, rate: 0.009 });
    const l3 = vixCallByDelta(curve, 87.49, { targetDte: 220, rate: 0.009 });
    expect(l3.sigma).toBeLessThan(l1.sigma);
    expect(l3.price).toBeGreaterThan(l1.price);
  });

  it('known day: the modelled curve is within 1.6 points of every real close (an out-of-sample day)', () => {
    const real = [11.55, 12.47, 13.68, 14.4, 15.3, 15.73, 16.1, 16.33];
    const modelled = vixFuturesCurve(day, 8);
    modelled.forEach((p, i) => {
      expect(p.source.kind).toBe('modelled');
      expect(Math.abs(p.price - real[i]!)).toBeLessThan(1.6);
    });
    // Contango like the real curve: the last contract well above the first.
    expect(modelled[7]!.price - modelled[0]!.price).toBeGreaterThan(4);
  });

  it('falls back to the default VVIX and says so; rejects an empty curve', () => {
    const q = vixCallByDelta(curve, null, { targetDte: 30, rate: 0.01, strikeStep: 1 });
    expect(q.sigma).toBeCloseTo(vixOptionVol(DEFAULT_VIX_FUTURES_PARAMS.defaultVvix, q.tauDays), 15);
    if (q.source.kind === 'modelled') expect(q.source.inputs.defaultVvixUsed).toBe(85);
    expect(Number.isInteger(q.strike)).toBe(true);
    expect(() => vixCallByDelta([], 90, { targetDte: 30, rate: 0.01 })).toThrow(InvalidInputError);
  });
});
