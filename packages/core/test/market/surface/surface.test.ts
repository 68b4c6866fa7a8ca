import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  betaOf,
  buildVolSurface,
  butterflyViolations,
  CALIBRATED_SURFACE_PARAMS,
  calendarViolations,
  DEFAULT_SURFACE_PARAMS,
  InvalidInputError,
  interpolateTotalVariance,
  type SurfaceInputs,
  TERM_FALLBACK_REGRESSION,
  termNodes,
} from '../../../src/index';

const BASE: SurfaceInputs = {
  spot: 2700,
  r: 0.015,
  q: 0.018,
  vix9d: 12,
  vix: 14,
  vix3m: 16,
  vix6m: 17,
  vix1y: 18,
  skew: 130,
};

describe('term structure: linear in total variance', () => {
  it('reproduces the nodes and is linear in sigma^2 T between them', () => {
    const ts = [9 / 365, 30 / 365, 93 / 365];
    const ws = [0.12 ** 2 * ts[0]!, 0.14 ** 2 * ts[1]!, 0.16 ** 2 * ts[2]!];
    for (let i = 0; i < 3; i++) expect(interpolateTotalVariance(ts, ws, ts[i]!)).toBeCloseTo(ws[i]!, 15);
    const mid = 0.5 * (ts[0]! + ts[1]!);
    expect(interpolateTotalVariance(ts, ws, mid)).toBeCloseTo(0.5 * (ws[0]! + ws[1]!), 15);
  });

  it('extrapolates flat vol beyond the ends', () => {
    const ts = [9 / 365, 30 / 365];
    const ws = [0.12 ** 2 * ts[0]!, 0.14 ** 2 * ts[1]!];
    expect(Math.sqrt(interpolateTotalVariance(ts, ws, 1 / 365) * 365)).toBeCloseTo(0.12, 12);
    expect(Math.sqrt(interpolateTotalVariance(ts, ws, 2) / 2)).toBeCloseTo(Math.sqrt(ws[1]! / ts[1]!), 12);
  });

  it('ATM vol at each index tenor is index x the day factor (the long factor from 30 days)', () => {
    const s = buildVolSurface(BASE);
    for (const n of s.nodes)
      expect(s.atmVol(n.t)).toBeCloseTo(n.indexVol * (n.t < 30 / 365 ? s.atmFactor : s.longAtmFactor), 12);
    const legacy = buildVolSurface(BASE, CALIBRATED_SURFACE_PARAMS, null);
    for (const n of legacy.nodes) expect(legacy.atmVol(n.t)).toBeCloseTo(n.indexVol * legacy.atmFactor, 12);
    expect(s.atmFactor).toBeGreaterThan(0.5);
    expect(s.atmFactor).toBeLessThan(1);
  });

  it('forces ATM total variance non-decreasing when the short end is very inverted', () => {
    const s = buildVolSurface({ ...BASE, vix1d: 60, vix9d: 15 });
    for (let d = 1; d < 365; d++)
      expect(s.atmTotalVariance((d + 1) / 365)).toBeGreaterThanOrEqual(s.atmTotalVariance(d / 365));
  });
});

describe('term structure fallbacks', () => {
  it('synthesises VIX9D, VIX3M and VIX6M from VIX by the documented regression and says so', () => {
    const nodes = termNodes({ spot: 1000, r: 0.05, q: 0.02, vix: 25 });
    expect(nodes.map((n) => n.index)).toEqual(['vix9d', 'vix', 'vix3m', 'vix6m']);
    const n9 = nodes[0]!;
    const { a, b } = TERM_FALLBACK_REGRESSION.vix9d;
    expect(n9.synthesised).toBe(true);
    expect(n9.indexVol).toBeCloseTo((25 * Math.exp(a + b * Math.log(25 / 20))) / 100, 12);
    expect(nodes[1]!.synthesised).toBe(false);
    const s = buildVolSurface({ spot: 1000, r: 0.05, q: 0.02, vix: 25 });
    expect(s.fallbacks).toEqual(['vix9d', 'vix3m', 'vix6m']);
  });

  it('inverts the synthetic short end above VIX 20 and steepens contango below', () => {
    const hi = termNodes({ spot: 1000, r: 0, q: 0, vix: 40 });
    expect(hi[0]!.indexVol).toBeGreaterThan(0.4);
    expect(hi[2]!.indexVol).toBeLessThan(0.4);
    const lo = termNodes({ spot: 1000, r: 0, q: 0, vix: 11 });
    expect(lo[0]!.indexVol).toBeLessThan(0.11);
    expect(lo[2]!.indexVol).toBeGreaterThan(0.11);
  });

  it('uses VIX1D when given and no fallback when every series is present', () => {
    const s = buildVolSurface({ ...BASE, vix1d: 10 });
    expect(s.fallbacks).toEqual([]);
    expect(s.nodes[0]!.index).toBe('vix1d');
    expect(s.atmVol(1 / 365)).toBeCloseTo(0.1 * s.atmFactor, 12);
  });

  it('rejects a missing or bad VIX and bad inputs naming the field', () => {
    expect(() => buildVolSurface({ ...BASE, vix: Number.NaN })).toThrow(InvalidInputError);
    expect(() => buildVolSurface({ ...BASE, vix3m: -1 })).toThrow(/vix3m/);
    expect(() => buildVolSurface({ ...BASE, spot: 0 })).toThrow(/spot/);
    expect(() => buildVolSurface(BASE, { ...CALIBRATED_SURFACE_PARAMS, rho: 1 })).toThrow(/rho/);
  });
});

describe('smile shape', () => {
  const t = 30 / 365;
  const volAtX = (inp: SurfaceInputs, x: number) => {
    const s = buildVolSurface(inp);
    return s.impliedVol(s.forward(t) * Math.exp(x * Math.sqrt(t)), t);
  };
  it('ATM (K = F) equals the ATM term-structure vol', () => {
    const s = buildVolSurface(BASE);
    expect(s.impliedVol(s.forward(t), t)).toBeCloseTo(s.atmVol(t), 12);
  });
  it('put wing is richer than the call wing at equal |k/sqrt(T)|', () => {
    for (const x of [0.05, 0.1, 0.2, 0.3]) expect(volAtX(BASE, -x)).toBeGreaterThan(volAtX(BASE, x));
  });
  // At a fixed k/sqrt(T) the calibrated premium is nearly level-independent (betaVix ~ 0.97); in
  // delta terms (a fixed number of ATM standard deviations, ~25-delta put) it rises with VIX.
  it('put-side premium at the ~25-delta put (0.67 ATM s.d. below the forward) rises with VIX', () => {
    const prem = (vix: number) => {
      const inp = { ...BASE, vix9d: vix, vix, vix3m: vix, vix6m: vix, vix1y: vix };
      const atm = buildVolSurface(inp).atmVol(t);
      return volAtX(inp, -0.67 * atm) - atm;
    };
    expect(prem(15)).toBeGreaterThan(prem(10));
    expect(prem(25)).toBeGreaterThan(prem(15));
    expect(prem(40)).toBeGreaterThan(prem(25));
  });
  it('put wing relative to ATM is steeper at higher SKEW', () => {
    const rel = (skew: number) =>
      volAtX({ ...BASE, skew }, -0.2) / buildVolSurface({ ...BASE, skew }).atmVol(t);
    expect(rel(145)).toBeGreaterThan(rel(130));
    expect(rel(130)).toBeGreaterThan(rel(115));
  });
  it('call side flattens: the call wing saturates below ATM vol, and callWing scales its rise', () => {
    const cal = buildVolSurface(BASE);
    let prev = 0;
    let prevStep = Number.POSITIVE_INFINITY;
    for (let x = 1; x <= 6; x += 0.5) {
      const r = cal.varianceRatio(x);
      expect(r).toBeLessThan(1);
      expect(r).toBeGreaterThanOrEqual(prev);
      expect(r - prev).toBeLessThanOrEqual(prevStep + 1e-12);
      prevStep = prev === 0 ? prevStep : r - prev;
      prev = r;
    }
    const flat = buildVolSurface(BASE, { ...CALIBRATED_SURFACE_PARAMS, callWing: 0 });
    expect(flat.varianceRatio(0.6)).toBeCloseTo(flat.varianceRatio(1.5), 12);
    const half = buildVolSurface(BASE, { ...CALIBRATED_SURFACE_PARAMS, callWing: 0.5 });
    const full = buildVolSurface(BASE, { ...CALIBRATED_SURFACE_PARAMS, callWing: 1 });
    expect(half.varianceRatio(0.8)).toBeGreaterThan(flat.varianceRatio(0.8));
    expect(half.varianceRatio(0.8)).toBeLessThan(full.varianceRatio(0.8));
  });
});

describe('no arbitrage on the grid we use', () => {
  const xs = Array.from({ length: 41 }, (_, i) => -1 + i * 0.04);
  const ts = [1, 2, 5, 9, 15, 30, 45, 60, 93, 184, 365].map((d) => d / 365);
  const strikes = (spot: number, sd: number) => {
    const ks: number[] = [];
    for (let z = -6; z <= 6; z += 0.05) {
      const k = spot * Math.exp(z * sd);
      if (k >= 0.5 * spot && k <= 1.5 * spot) ks.push(k);
    }
    return ks;
  };
  // The Durrleman cap on beta (surface.ts) keeps the whole grid arbitrage-free, including very low VIX
  // with high SKEW and an inverted short end, and VIX9D far above VIX.
  it('calendar and butterfly hold for calibrated params across VIX 9-80, SKEW 100-165 and curve shapes', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 9, max: 80, noNaN: true }),
        fc.double({ min: 100, max: 165, noNaN: true }),
        fc.double({ min: 0.7, max: 1.7, noNaN: true }),
        fc.double({ min: 0.7, max: 1.3, noNaN: true }),
        (vix, skew, shortRatio, longRatio) => {
          const s = buildVolSurface({
            spot: 2700,
            r: 0.02,
            q: 0.018,
            vix,
            vix9d: vix * shortRatio,
            vix3m: vix * longRatio,
            vix6m: vix * longRatio ** 1.5,
            vix1y: vix * longRatio ** 2,
            skew,
          });
          expect(calendarViolations(s, xs, ts)).toEqual([]);
          for (const t of [1 / 365, 9 / 365, 30 / 365, 93 / 365, 1]) {
            expect(butterflyViolations(s, t, strikes(2700, s.atmVol(t) * Math.sqrt(t)), 1e-9)).toEqual([]);
          }
        },
      ),
      { numRuns: 60, seed: 20180205 },
    );
  });
  it('the Durrleman cap binds only when needed and then removes the violation', () => {
    const inp = { ...BASE, vix: 9, vix9d: 14, vix3m: 11, vix6m: 12, vix1y: 13, skew: 160 };
    const capped = buildVolSurface(inp);
    const raw = betaOf(CALIBRATED_SURFACE_PARAMS, 9, 160);
    expect(capped.beta).toBeLessThanOrEqual(raw);
    expect(buildVolSurface(BASE).beta).toBe(betaOf(CALIBRATED_SURFACE_PARAMS, BASE.vix, BASE.skew!));
    for (const t of [1 / 365, 9 / 365, 93 / 365]) {
      expect(butterflyViolations(capped, t, strikes(2700, capped.atmVol(t) * Math.sqrt(t)), 1e-9)).toEqual(
        [],
      );
    }
  });
  it('the checker does find a violation (a smile that drops 10 vol points at one strike)', () => {
    // A hand-made surface stand-in whose smile dips sharply: vol 20% below K = 2700, 10% above.
    const s = buildVolSurface(BASE);
    const fake = { ...s, impliedVol: (k: number) => (k < 2700 ? 0.2 : 0.1) };
    const found = butterflyViolations(fake, 30 / 365, strikes(2700, 0.2 * Math.sqrt(30 / 365)), 1e-9);
    expect(found.length).toBeGreaterThan(0);
  });
  it('default (prior) params also build a valid surface', () => {
    const s = buildVolSurface(BASE, DEFAULT_SURFACE_PARAMS);
    expect(calendarViolations(s, xs, ts)).toEqual([]);
  });
});

describe('determinism', () => {
  it('same inputs, same vols', () => {
    const a = buildVolSurface(BASE);
    const b = buildVolSurface({ ...BASE });
    for (const k of [2000, 2500, 2700, 2900]) expect(a.impliedVol(k, 0.1)).toBe(b.impliedVol(k, 0.1));
  });
});
