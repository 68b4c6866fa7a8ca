import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeEdr,
  DEFAULT_EDR_BIAS,
  DEFAULT_EDR_MODE,
  DEFAULT_EDR_PARAMS,
  EDR_ANCHOR_PCT,
  EDR_ANCHOR_VIX,
  EDR_MODES,
  type EdrMode,
  InvalidInputError,
} from '../../src/index';

const SQRT252 = Math.sqrt(252);

describe('EDR calibration anchor (R16: VIX 17.95 -> 1.16%, ~83 pts at SPX 7140)', () => {
  it('the default bias is 1.16 * sqrt(252) / 17.95', () => {
    expect(EDR_ANCHOR_VIX).toBe(17.95);
    expect(EDR_ANCHOR_PCT).toBe(1.16);
    expect(DEFAULT_EDR_BIAS).toBe((1.16 * SQRT252) / 17.95);
    expect(DEFAULT_EDR_BIAS).toBeCloseTo(1.0258734888584709, 15);
    expect(DEFAULT_EDR_PARAMS.multiplier).toBe(1);
  });

  it('VIX 17.95 in low mode gives exactly 1.16% and 82.824 pts at SPX 7140', () => {
    const r = computeEdr({ spx: 7140, vix: 17.95 }, { mode: 'low' });
    expect(r.edrPct).toBe(1.16);
    expect(r.edrPts).toBeCloseTo(82.824, 10);
    expect(Math.round(r.edrPts)).toBe(83);
    expect(r.upper).toBeCloseTo(7222.824, 9);
    expect(r.lower).toBeCloseTo(7057.176, 9);
    expect(r.mode).toBe('low');
    expect(r.inputs.fallbacks).toEqual([]);
    expect(r.inputs.blendVol).toBe(17.95);
    expect(r.inputs.weights).toEqual({ vix: 1, vix9d: 0, hv20: 0 });
    expect(r.inputs.unverified).toBe(false);
  });

  it('pure VIX/sqrt(252) would give 1.13%: the bias adds the documented ~0.03', () => {
    const r = computeEdr({ spx: 7140, vix: 17.95 }, { mode: 'low', bias: 1 });
    expect(r.edrPct).toBeCloseTo(17.95 / SQRT252, 14);
    expect(r.edrPct).toBeCloseTo(1.1307, 4);
  });
});

describe('EDR modes', () => {
  const full = { spx: 6000, vix: 20, vix9d: 16, hv20: 12 };

  it('defaults to medium', () => {
    expect(DEFAULT_EDR_MODE).toBe('medium');
    expect(computeEdr(full).mode).toBe('medium');
    expect(EDR_MODES).toEqual(['low', 'medium', 'high', 'glossary-literal']);
  });

  it('low uses VIX (30-day) only, ignoring VIX9D and HV20', () => {
    const r = computeEdr(full, { mode: 'low' });
    expect(r.edrPct).toBeCloseTo((DEFAULT_EDR_BIAS * 20) / SQRT252, 14);
    expect(r.edrPct).toBeCloseTo(1.29248, 5);
  });

  it('medium uses VIX9D when present, with no fallback', () => {
    const r = computeEdr(full, { mode: 'medium' });
    expect(r.edrPct).toBeCloseTo((DEFAULT_EDR_BIAS * 16) / SQRT252, 14);
    expect(r.edrPct).toBeCloseTo(1.03398, 5);
    expect(r.edrPts).toBeCloseTo(r.edrPct * 60, 10);
    expect(r.inputs.weights).toEqual({ vix: 0, vix9d: 1, hv20: 0 });
    expect(r.inputs.fallbacks).toEqual([]);
    expect(r.inputs.formula).toContain('VIX9D');
  });

  it('medium falls back to VIX when VIX9D is missing, and says so', () => {
    for (const vix9d of [undefined, null]) {
      const r = computeEdr({ spx: 7140, vix: 17.95, vix9d }, { mode: 'medium' });
      expect(r.edrPct).toBe(1.16);
      expect(r.inputs.vix9d).toBeNull();
      expect(r.inputs.weights).toEqual({ vix: 1, vix9d: 0, hv20: 0 });
      expect(r.inputs.fallbacks).toEqual([
        { missing: 'vix9d', usedInstead: 'vix', reason: 'VIX9D not available; used VIX (30-day) instead' },
      ]);
      expect(r.inputs.formula).toContain('fallback');
    }
  });

  it('high blends 0.5 VIX9D + 0.5 HV20', () => {
    const r = computeEdr(full, { mode: 'high' });
    expect(r.inputs.blendVol).toBe(14);
    expect(r.edrPct).toBeCloseTo((DEFAULT_EDR_BIAS * 14) / SQRT252, 14);
    expect(r.edrPct).toBeCloseTo((1.16 * 14) / 17.95, 12);
    expect(r.inputs.weights).toEqual({ vix: 0, vix9d: 0.5, hv20: 0.5 });
  });

  it('high falls back to VIX for the VIX9D half and reports it', () => {
    const r = computeEdr({ spx: 6000, vix: 20, hv20: 12 }, { mode: 'high' });
    expect(r.inputs.blendVol).toBe(16);
    expect(r.inputs.weights).toEqual({ vix: 0.5, vix9d: 0, hv20: 0.5 });
    expect(r.inputs.fallbacks).toHaveLength(1);
  });

  it('high needs HV20 and says which field is missing', () => {
    try {
      computeEdr({ spx: 6000, vix: 20, vix9d: 16 }, { mode: 'high' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).field).toBe('hv20');
    }
  });

  it('glossary-literal evaluates (VIX9D x 0.1) + (HV x 0.5) x m, unbiased and labelled unverified', () => {
    const r = computeEdr(full, { mode: 'glossary-literal' });
    expect(r.edrPct).toBeCloseTo(16 * 0.1 + 12 * 0.5, 14); // 7.6 "%": implausible, hence unverified
    expect(r.edrPct).toBeCloseTo(7.6, 14);
    expect(r.edrPts).toBeCloseTo(456, 9);
    expect(r.inputs.unverified).toBe(true);
    expect(r.inputs.bias).toBeNull();
    expect(r.inputs.blendVol).toBeNull();
    expect(r.inputs.formula).toMatch(/UNVERIFIED/);
    // The multiplier binds to the HV term only (printed operator precedence).
    const m2 = computeEdr(full, { mode: 'glossary-literal', multiplier: 2 });
    expect(m2.edrPct).toBeCloseTo(1.6 + 12, 14);
    expect(m2.inputs.weights).toEqual({ vix: 0, vix9d: 0.1, hv20: 1 });
  });

  it('the multiplier m scales the bias modes linearly', () => {
    const base = computeEdr(full, { mode: 'medium' });
    const m = computeEdr(full, { mode: 'medium', multiplier: 1.5 });
    expect(m.edrPct).toBeCloseTo(base.edrPct * 1.5, 14);
    expect(m.inputs.multiplier).toBe(1.5);
  });
});

describe('EDR input validation', () => {
  const cases: Array<[string, Parameters<typeof computeEdr>[0], Parameters<typeof computeEdr>[1], string]> = [
    ['spx NaN', { spx: Number.NaN, vix: 18 }, {}, 'spx'],
    ['spx 0', { spx: 0, vix: 18 }, {}, 'spx'],
    ['spx negative', { spx: -1, vix: 18 }, {}, 'spx'],
    ['vix Infinity', { spx: 7000, vix: Number.POSITIVE_INFINITY }, {}, 'vix'],
    ['vix 0', { spx: 7000, vix: 0 }, {}, 'vix'],
    ['vix9d negative', { spx: 7000, vix: 18, vix9d: -3 }, {}, 'vix9d'],
    ['vix9d NaN (NaN is invalid, not missing)', { spx: 7000, vix: 18, vix9d: Number.NaN }, {}, 'vix9d'],
    ['hv20 0', { spx: 7000, vix: 18, hv20: 0 }, { mode: 'high' }, 'hv20'],
    ['multiplier 0', { spx: 7000, vix: 18 }, { multiplier: 0 }, 'multiplier'],
    ['bias NaN', { spx: 7000, vix: 18 }, { bias: Number.NaN }, 'bias'],
    [
      'weight > 1',
      { spx: 7000, vix: 18, hv20: 10 },
      { mode: 'high', highVix9dWeight: 1.5 },
      'highVix9dWeight',
    ],
    ['unknown mode', { spx: 7000, vix: 18 }, { mode: 'extreme' as EdrMode }, 'mode'],
  ];
  it.each(cases)('%s throws InvalidInputError naming the field', (_label, inputs, options, field) => {
    try {
      computeEdr(inputs, options);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).field).toBe(field);
      expect((e as Error).message).toContain(field);
    }
  });
});

describe('EDR properties (fast-check)', () => {
  const vol = fc.double({ min: 1, max: 150, noNaN: true });
  const spot = fc.double({ min: 100, max: 20_000, noNaN: true });
  const mode = fc.constantFrom<EdrMode>(...EDR_MODES);

  it('is strictly increasing in each vol it uses', () => {
    fc.assert(
      fc.property(spot, vol, vol, vol, vol, mode, (spx, a, b, vix9d, hv20, m) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        fc.pre(hi - lo > 1e-6);
        const field: 'vix' | 'vix9d' | 'hv20' = m === 'low' ? 'vix' : m === 'medium' ? 'vix9d' : 'hv20';
        const base = { spx, vix: 20, vix9d, hv20 };
        const r1 = computeEdr({ ...base, [field]: lo }, { mode: m });
        const r2 = computeEdr({ ...base, [field]: hi }, { mode: m });
        expect(r2.edrPct).toBeGreaterThan(r1.edrPct);
        expect(r2.edrPts).toBeGreaterThan(r1.edrPts);
      }),
    );
  });

  it('edrPct does not depend on S and edrPts is linear in S', () => {
    fc.assert(
      fc.property(
        spot,
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        vol,
        vol,
        vol,
        mode,
        (spx, k, vix, v9, hv, m) => {
          const r1 = computeEdr({ spx, vix, vix9d: v9, hv20: hv }, { mode: m });
          const r2 = computeEdr({ spx: spx * k, vix, vix9d: v9, hv20: hv }, { mode: m });
          expect(r2.edrPct).toBe(r1.edrPct);
          expect(r2.edrPts).toBeCloseTo(r1.edrPts * k, 6);
          expect(r1.edrPts).toBeCloseTo((r1.edrPct / 100) * spx, 9);
        },
      ),
    );
  });

  it('bounds are symmetric around S, finite and ordered', () => {
    fc.assert(
      fc.property(
        spot,
        vol,
        fc.option(vol, { nil: null }),
        fc.option(vol, { nil: null }),
        (spx, vix, vix9d, hv20) => {
          const m: EdrMode = hv20 === null ? 'medium' : 'high';
          const r = computeEdr({ spx, vix, vix9d, hv20 }, { mode: m });
          expect(Number.isFinite(r.edrPct)).toBe(true);
          expect(r.edrPct).toBeGreaterThan(0);
          expect(r.lower).toBeLessThan(spx);
          expect(r.upper).toBeGreaterThan(spx);
          expect(r.upper - spx).toBeCloseTo(spx - r.lower, 6);
          expect(r.inputs.fallbacks.length).toBe(vix9d === null ? 1 : 0);
        },
      ),
    );
  });

  it('medium with VIX9D missing equals low for any VIX', () => {
    fc.assert(
      fc.property(spot, vol, (spx, vix) => {
        expect(computeEdr({ spx, vix }, { mode: 'medium' }).edrPct).toBe(
          computeEdr({ spx, vix }, { mode: 'low' }).edrPct,
        );
      }),
    );
  });
});
