import { describe, expect, it } from 'vitest';
import {
  type IntradayBar,
  type IntradayDay,
  type IsoDate,
  measureIntradayVarianceProfile,
  REGULAR_SESSION_MINUTES,
} from '../../src/index';

/** A regular session of hourly bars whose closes are 100 x e^(cumulative log returns `r`). */
function session(date: string, r: readonly number[], early = false): IntradayDay {
  let level = 100;
  const bars: IntradayBar[] = r.map((x, i) => {
    const open = level;
    level *= Math.exp(x);
    return {
      startEt: 570 + 60 * i,
      open,
      high: Math.max(open, level),
      low: Math.min(open, level),
      close: level,
    };
  });
  return {
    date: date as IsoDate,
    symbol: 'spx',
    source: 'bars',
    resolutionMinutes: 60,
    windowOpenEt: 570,
    windowCloseEt: early ? 780 : 960,
    bars,
    closingPrint: null,
    missingStartsEt: [],
  };
}

describe('measureIntradayVarianceProfile: the share of the open-to-close variance left at each hourly mark', () => {
  it('by hand: squared hourly returns pooled over sessions, the largest sessions set aside', () => {
    // returns 0.02 then 0.01 x 6: squares 4e-4 + 6e-4 = 1e-3 a session; the first hour carries 0.4
    const quiet = [0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01];
    const days = Array.from({ length: 99 }, (_, i) =>
      session(`2024-01-${String(i).padStart(3, '0')}`, quiet),
    );
    // one shock session: 0.1 in the fourth hour, larger than all the others
    days.push(session('2024-02-01', [0, 0, 0, 0.1, 0, 0, 0]));
    const close = (d: IsoDate) => days.find((x) => x.date === d)!.bars.at(-1)!.close;
    const p = measureIntradayVarianceProfile(days, close);
    expect(p.sessions).toBe(100);
    expect(p.setAside).toEqual(['2024-02-01']); // 1% of 100, the largest sum
    const expected = [1, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0];
    for (let k = 0; k < 8; k++) expect(p.left[k]!).toBeCloseTo(expected[k]!, 12);
    // measured to the close: (sum of the returns still to come)^2 over the open's, 0.08^2 at the open
    for (let k = 0; k < 7; k++) {
      const rest = quiet.slice(k).reduce((a, b) => a + b, 0);
      expect(p.direct[k]!).toBeCloseTo(rest ** 2 / 0.08 ** 2, 12);
    }
    // kept, the shock lifts the fourth hour's share from 0.1 to (99 x 1e-4 + 0.01) / (99 x 1e-3 + 0.01)
    const all = measureIntradayVarianceProfile(days, close, 0);
    expect(all.setAside).toEqual([]);
    expect(all.left[3]! - all.left[4]!).toBeCloseTo((99e-4 + 0.01) / (99e-3 + 0.01), 12);
  });

  it('reads only complete regular sessions of hourly bars', () => {
    const q = [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01];
    const early = session('2024-07-03', [0.01, 0.01, 0.01, 0.01], true);
    const gap = { ...session('2024-07-05', q), missingStartsEt: [630] };
    const fiveMinute = { ...session('2024-07-08', q), resolutionMinutes: 5 };
    const p = measureIntradayVarianceProfile(
      [session('2024-07-02', q), early, gap, fiveMinute],
      () => undefined,
      0, // one session: none set aside
    );
    expect(p.sessions).toBe(1);
    expect(REGULAR_SESSION_MINUTES).toBe(390);
    // even returns: an even spread over six hours and a half-hour-long last bar of the same size
    expect(p.left[1]!).toBeCloseTo(6 / 7, 12);
  });
});
