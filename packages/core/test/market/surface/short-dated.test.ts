import { describe, expect, it } from 'vitest';
import {
  CALIBRATED_ONE_DAY_VIX_PARAMS,
  type IsoDate,
  ModelledChainSource,
  releaseJump,
  type SurfaceInputs,
  secondSessionVarianceRatio,
  twoSessionAtmScale,
} from '../../../src/index';

const DAY = 1 / 365;
const none = { cpi: false, fomc: false, payrolls: false };

describe('two-session expiries: variance counted in sessions, with the second session releases', () => {
  it('hand-derived scales: Mon->Wed plain 1, Thu->Mon sqrt(1/2), Fri->Tue sqrt(3/2), FOMC second session', () => {
    expect(twoSessionAtmScale(DAY, 2 * DAY)).toBeCloseTo(1, 12);
    expect(twoSessionAtmScale(DAY, 4 * DAY)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(twoSessionAtmScale(3 * DAY, 4 * DAY)).toBeCloseTo(Math.sqrt(1.5), 12);
    const fomc = Math.exp(2 * CALIBRATED_ONE_DAY_VIX_PARAMS.jFomc);
    expect(twoSessionAtmScale(DAY, 2 * DAY, fomc)).toBeCloseTo(Math.sqrt((1 + fomc) / 2), 12);
  });

  it('the ratio is the second session multiplier over the first: 1 when both carry the same releases', () => {
    const { jCpi, jFomc } = CALIBRATED_ONE_DAY_VIX_PARAMS;
    expect(releaseJump({ cpi: true, fomc: true, payrolls: false })).toBeCloseTo(jCpi + jFomc, 12);
    expect(secondSessionVarianceRatio(none, none)).toBe(1);
    expect(secondSessionVarianceRatio({ ...none, cpi: true }, { ...none, cpi: true })).toBe(1);
    expect(secondSessionVarianceRatio(none, { ...none, fomc: true })).toBeCloseTo(Math.exp(2 * jFomc), 12);
    expect(secondSessionVarianceRatio({ ...none, cpi: true }, none)).toBeCloseTo(Math.exp(-2 * jCpi), 12);
    // Wednesday before Thanksgiving: the first session (Friday) follows the holiday, the second does not
    const { jHoliday } = CALIBRATED_ONE_DAY_VIX_PARAMS;
    expect(secondSessionVarianceRatio({ ...none, holidaysBefore: 1 }, none)).toBeCloseTo(
      Math.exp(-2 * jHoliday),
      12,
    );
    expect(secondSessionVarianceRatio(none, { ...none, holidaysBefore: 1 })).toBeCloseTo(
      Math.exp(2 * jHoliday),
      12,
    );
  });

  it('rejects impossible times and ratios with the field named', () => {
    expect(() => twoSessionAtmScale(2 * DAY, DAY)).toThrow(/t1/);
    expect(() => twoSessionAtmScale(DAY, 2 * DAY, 0)).toThrow(/secondSessionVarianceRatio/);
  });

  // A modelled chain built from one-day vol 12: the 1-session ATM is 0.932 x 12; the 2-session one
  // follows the session count (and the second session releases), not the calendar.
  const atmOf = (asOf: string, expiry: string, ratio?: number) => {
    const inputs: SurfaceInputs = {
      spot: 5000,
      r: 0.04,
      q: 0.015,
      vix: 15,
      vix9d: 14,
      oneDayVix: 12,
      ...(ratio !== undefined ? { secondSessionVarianceRatio: ratio } : {}),
    };
    const src = new ModelledChainSource({ inputs: () => inputs });
    const c = src.chain(asOf as IsoDate, expiry as IsoDate)!;
    let best = 0;
    for (let i = 1; i < c.strikes.length; i++) {
      if (Math.abs(c.strikes[i]! - 5000) < Math.abs(c.strikes[best]! - 5000)) best = i;
    }
    return c.callIv[best]!;
  };

  it('a Thursday quote: the Friday expiry at the one-day vol, the Monday one at about sqrt(2/4) of it', () => {
    // 2024-06-13 (Thu) -> 06-14 (Fri, 1 session) and 06-17 (Mon, 2 sessions over 3.99 days).
    const one = atmOf('2024-06-13', '2024-06-14');
    const two = atmOf('2024-06-13', '2024-06-17');
    expect(one).toBeGreaterThan(0.1);
    expect(two / one).toBeGreaterThan(0.68);
    expect(two / one).toBeLessThan(0.74);
  });

  it('a Friday quote: the Tuesday expiry above the Monday one (the weekend carries no session)', () => {
    const one = atmOf('2024-06-14', '2024-06-17');
    const two = atmOf('2024-06-14', '2024-06-18');
    expect(two / one).toBeGreaterThan(1.18);
    expect(two / one).toBeLessThan(1.26);
  });

  it('an FOMC in the second session lifts the 2-session ATM by sqrt((1 + 1.31) / 2)', () => {
    const fomc = Math.exp(2 * CALIBRATED_ONE_DAY_VIX_PARAMS.jFomc);
    const plain = atmOf('2024-06-10', '2024-06-12');
    const withFomc = atmOf('2024-06-10', '2024-06-12', fomc);
    expect(withFomc / plain).toBeCloseTo(Math.sqrt((1 + fomc) / 2), 2);
  });
});
