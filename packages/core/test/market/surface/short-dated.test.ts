import { describe, expect, it } from 'vitest';
import {
  CALIBRATED_ONE_DAY_VIX_PARAMS,
  FOMC_DAY_INTRADAY_SHARE_OF_SESSION_VARIANCE,
  FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS,
  INTRADAY_SHARE_OF_SESSION_VARIANCE,
  INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS,
  type IsoDate,
  intradayVarianceLeft,
  ModelledChainSource,
  releaseJump,
  type SurfaceInputs,
  secondSessionVarianceRatio,
  shortDatedAtmScale,
  shortDatedBusinessYears,
} from '../../../src/index';

const DAY = 1 / 365;
const none = { cpi: false, fomc: false, payrolls: false };

describe('short-dated expiries: the one-day vol in business time, variance counted in sessions', () => {
  // A session is 1/252 of a business year; the pricer's T is calendar years (1 day = 1/365).
  const at = (tDays: number, sessions: number, ratio?: number, quoteDayRemaining = 0) =>
    shortDatedAtmScale({
      tYears: tDays * DAY,
      sessions,
      quoteDayRemaining,
      ...(ratio !== undefined ? { secondSessionVarianceRatio: ratio } : {}),
    });

  it('hand-derived scales: weekday 1DTE sqrt(365/252), Friday -> Monday sqrt(365/756), FOMC second session', () => {
    expect(at(1, 1)).toBeCloseTo(Math.sqrt(365 / 252), 12);
    expect(at(3, 1)).toBeCloseTo(Math.sqrt(365 / (3 * 252)), 12);
    // Mon -> Wed, two plain sessions over two days: the same calendar-time ATM as the 1-session expiry
    expect(at(2, 2)).toBeCloseTo(at(1, 1), 12);
    // Thu -> Mon: two sessions over four days; Fri -> Tue: two over four, Fri -> Mon one over three
    expect(at(4, 2) / at(1, 1)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(at(4, 2) / at(3, 1)).toBeCloseTo(Math.sqrt(1.5), 12);
    const fomc = Math.exp(2 * CALIBRATED_ONE_DAY_VIX_PARAMS.jFomc);
    expect(at(2, 2, fomc)).toBeCloseTo(Math.sqrt(((1 + fomc) * 365) / (2 * 252)), 12);
    // a quote with a quarter of the session left (14:22:30 ET), the same day's expiry (0 sessions after
    // the quote date): the open-to-close share of the session's variance, of which 0.189625 is still to
    // come (7/8 of the way from the 13:30 mark, 0.285, to the 14:30 mark, 0.176; 0.25 if spread evenly)
    const share = INTRADAY_SHARE_OF_SESSION_VARIANCE;
    expect(at(1.625 / 24, 0, undefined, 0.25)).toBeCloseTo(
      Math.sqrt((0.189625 * share) / 252 / (1.625 / 24 / 365)),
      12,
    );
    // before the open the overnight move is still to come: the whole session
    expect(at(1.25, 1, undefined, 1)).toBeCloseTo(Math.sqrt(2 / 252 / (1.25 / 365)), 12);
  });

  it('inside a session the variance still to come is front-loaded: the hourly marks, linear between them', () => {
    const marks = INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS;
    expect(intradayVarianceLeft(1)).toBe(1); // the open
    expect(intradayVarianceLeft(0)).toBe(0); // the close
    // at the hourly marks (k hours after the open), the table itself
    for (let k = 0; k <= 6; k++) expect(intradayVarianceLeft((6.5 - k) / 6.5)).toBeCloseTo(marks[k]!, 12);
    // 10:00 ET, half way from the open to the 10:30 mark: (1 + 0.705) / 2
    expect(intradayVarianceLeft(6 / 6.5)).toBeCloseTo(0.8525, 12);
    // 15:45 ET, half way through the last half hour: 0.085 / 2
    expect(intradayVarianceLeft(0.25 / 6.5)).toBeCloseTo(0.0425, 12);
    // never increasing, and below an even spread until 15:00 ET (the close is a little busier)
    let prev = 1;
    for (let i = 390; i >= 0; i--) {
      const v = intradayVarianceLeft(i / 390);
      expect(v).toBeLessThanOrEqual(prev);
      if (i >= 60 && i < 390) expect(v).toBeLessThan(i / 390);
      prev = v;
    }
    expect(() => intradayVarianceLeft(1.01)).toThrow(/timeLeft must be in \[0, 1\]/);
    expect(() => intradayVarianceLeft(Number.NaN)).toThrow(/timeLeft/);
  });

  it('a scheduled FOMC decision day holds its variance back for the 14:00 ET statement', () => {
    const fomcMarks = FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS;
    for (let k = 0; k <= 6; k++) {
      expect(intradayVarianceLeft((6.5 - k) / 6.5, fomcMarks)).toBeCloseTo(fomcMarks[k]!, 12);
    }
    // 14:00 ET, half way through the statement's hour: (0.801 + 0.628) / 2
    expect(intradayVarianceLeft(2 / 6.5, fomcMarks)).toBeCloseTo(0.7145, 12);
    // more left than on another day at every mark inside the session, and never increasing
    let prev = 1;
    for (let i = 389; i > 0; i--) {
      const v = intradayVarianceLeft(i / 390, fomcMarks);
      expect(v).toBeGreaterThan(intradayVarianceLeft(i / 390));
      expect(v).toBeLessThanOrEqual(prev);
      prev = v;
    }
    // 12:30 ET on the decision day, the day's own expiry: 0.759 of the session's variance falls between
    // the open and the close (0.589 on other days) and 0.833 of it is still to come (0.410)
    const fomcAt = (extra: { intradayShare?: number }) =>
      shortDatedAtmScale({
        tYears: 3.5 / 24 / 365,
        sessions: 0,
        quoteDayRemaining: 3.5 / 6.5,
        quoteDayFomc: true,
        ...extra,
      });
    const other = shortDatedAtmScale({ tYears: 3.5 / 24 / 365, sessions: 0, quoteDayRemaining: 3.5 / 6.5 });
    expect(FOMC_DAY_INTRADAY_SHARE_OF_SESSION_VARIANCE).toBe(0.759);
    expect(fomcAt({})).toBeCloseTo(Math.sqrt((0.759 * 0.833) / 252 / (3.5 / 24 / 365)), 12);
    expect(other).toBeCloseTo(Math.sqrt((0.589 * 0.41) / 252 / (3.5 / 24 / 365)), 12);
    expect(fomcAt({}) / other).toBeCloseTo(Math.sqrt((0.759 * 0.833) / (0.589 * 0.41)), 12);
    // an explicit share still wins; the profile stays the decision day's
    expect(fomcAt({ intradayShare: 0.5 })).toBeCloseTo(Math.sqrt((0.5 * 0.833) / 252 / (3.5 / 24 / 365)), 12);
    // before the open, or a later session: the whole session either way (the one-day vol carries its jump)
    const whole = (quoteDayFomc: boolean) =>
      shortDatedAtmScale({ tYears: 1 / 365, sessions: 1, quoteDayRemaining: 1, quoteDayFomc });
    expect(whole(true)).toBe(whole(false));
  });

  it('business years: the rest of the quote day plus the sessions to the expiry, over 252', () => {
    // 2024-06-13 (Thu) after the close: Friday is one session; over the weekend Monday is two
    const close = Date.UTC(2024, 5, 13, 20, 10);
    expect(shortDatedBusinessYears('2024-06-13' as IsoDate, close, '2024-06-14' as IsoDate)).toBeCloseTo(
      1 / 252,
      14,
    );
    expect(shortDatedBusinessYears('2024-06-13' as IsoDate, close, '2024-06-17' as IsoDate)).toBeCloseTo(
      2 / 252,
      14,
    );
    // 15:45 ET (19:45 UTC in June): 15 of 390 minutes left in the session
    const late = Date.UTC(2024, 5, 13, 19, 45);
    expect(shortDatedBusinessYears('2024-06-13' as IsoDate, late, '2024-06-14' as IsoDate)).toBeCloseTo(
      (1 + 15 / 390) / 252,
      14,
    );
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

  it('rejects impossible times, session counts and ratios with the field named', () => {
    expect(() => at(0, 1)).toThrow(/tYears/);
    expect(() => at(3, 3)).toThrow(/sessions/);
    expect(() => at(1, 2, 0)).toThrow(/secondSessionVarianceRatio/);
    expect(() => at(1, 1, undefined, 1.5)).toThrow(/quoteDayRemaining/);
    expect(() => at(0.01, 0)).toThrow(/no session left/);
  });

  // A modelled chain built from one-day vol 12: the 1-session ATM is 0.932 x 12 in business time; on the
  // pricer's calendar T the expiries follow the session count (and the second session's releases).
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

  it('the one-day vol is business time: a weekday 1DTE at 0.932 x 12 x sqrt(365 / 252) over its calendar T', () => {
    // 2024-06-13 (Thu) 15:10 CT -> 06-14 16:00 ET: 23 h 50 min of calendar time, one session
    const t = (23 + 50 / 60) / 24 / 365;
    const one = atmOf('2024-06-13', '2024-06-14');
    // the grid's nearest strike to 5000 is within a strike of the forward: ATM to 0.5%
    expect(one / ((0.932 * 12) / 100) / Math.sqrt(1 / 252 / t)).toBeGreaterThan(0.995);
    expect(one / ((0.932 * 12) / 100) / Math.sqrt(1 / 252 / t)).toBeLessThan(1.005);
  });

  it('a Friday quote: the Monday expiry carries one session of variance, as the Thursday quote of the Friday expiry', () => {
    const thu = atmOf('2024-06-13', '2024-06-14');
    const fri = atmOf('2024-06-14', '2024-06-17');
    const tThu = (23 + 50 / 60) / 24;
    const tFri = tThu + 2;
    expect((fri * fri * tFri) / (thu * thu * tThu)).toBeGreaterThan(0.99);
    expect((fri * fri * tFri) / (thu * thu * tThu)).toBeLessThan(1.01);
  });

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
