import { SURFACE_MODEL_VERSION } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  embeddedRealChains,
  MODEL_MEASURED_ERROR,
  marketData,
  modelErrorStatement,
  priceSourceStatement,
  runModelCheck,
} from '../src/index';

const median = (a: readonly number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
};

describe('model check and the measured error the reports state', () => {
  const res = runModelCheck(marketData(), embeddedRealChains());
  const zone = (r: (typeof res.rows)[number]) =>
    r.dte >= 1 && r.dte <= 2 && Math.abs(r.moneyness) >= 0.005 && Math.abs(r.moneyness) <= 0.025;
  const err = (rows: typeof res.rows) => median(rows.map((r) => Math.abs(r.modelMid / r.realMid - 1)));

  it('MODEL_MEASURED_ERROR is what model check measures with the current surface', () => {
    const m = MODEL_MEASURED_ERROR;
    expect(m.surfaceVersion).toBe(SURFACE_MODEL_VERSION);
    expect(res.condorZone.n).toBe(m.condorZone.quotes);
    expect(res.condorZone.medianAbsMidError!).toBeCloseTo(m.condorZone.medianAbsMidError, 3);
    const y2018 = res.rows.filter((r) => zone(r) && r.asOf < '2019-01-01');
    expect(y2018.length).toBe(m.nearExpiry2018.quotes);
    expect(err(y2018)).toBeCloseTo(m.nearExpiry2018.medianAbsMidError, 3);
    const y2019 = res.rows.filter((r) => zone(r) && r.asOf === '2019-06-26');
    expect(y2019.length).toBe(m.spxw20190626TwoDay.quotes);
    expect(err(y2019)).toBeCloseTo(m.spxw20190626TwoDay.medianAbsMidError, 3);
  });

  it('compares only OTM quotes with a bid, both sides of the same strike on one instant', () => {
    expect(res.rows.every((r) => r.realMid > 0 && (r.right === 'P') === r.moneyness < 0)).toBe(true);
  });

  it('the modelled-price statement carries the measured error', () => {
    expect(priceSourceStatement({ kind: 'modelled', detail: 'd' })).toContain(modelErrorStatement());
    expect(modelErrorStatement()).toMatch(/57\.7% over 101 real quotes/);
    expect(priceSourceStatement({ kind: 'real', detail: 'd' })).not.toContain('Measured model error');
  });
});
