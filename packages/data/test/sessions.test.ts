import { describe, expect, it } from 'vitest';
import { type IsoDate, type MarketSnapshot, sessionsFromSnapshots } from '../../core/src/index';
import { exchangeIsTradingDay, loadEmbeddedMarketData } from '../src/index';

const md = loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay });
const opts = { timeCt: '15:10', zLookbackDays: 20 };

describe('sessions from the embedded snapshots', () => {
  const { sessions, skipped } = sessionsFromSnapshots(md.snapshots, opts);
  const byDate = new Map(sessions.map((s) => [s.date, s]));

  it('has a session for almost every trading day and says why the others have none', () => {
    expect(sessions.length + skipped.length).toBe(md.snapshots.length);
    for (const s of skipped) expect(s.reason.length).toBeGreaterThan(3);
    expect(skipped.map((s) => s.date)).toContain('1999-12-31');
  });

  it('known days: 2024-08-05 VIX 38.57, SPX 5186.33, session at 15:10 CT', () => {
    const s = byDate.get('2024-08-05' as IsoDate)!;
    expect(s.market.vix).toBe(38.57);
    expect(s.market.spx).toBe(5186.33);
    expect(new Date(s.instantUtcMs).toISOString()).toBe('2024-08-05T20:10:00.000Z');
    expect(s.market.hv20).toBeGreaterThan(15);
    expect(s.market.vixZScore).toBeGreaterThan(2.5);
  });

  it('look-ahead: poisoning every datum after D leaves every session up to D unchanged', () => {
    const cut = md.snapshots.findIndex((s) => s.date === '2020-03-16');
    const poisoned: MarketSnapshot[] = md.snapshots.map((s, i) =>
      i <= cut
        ? s
        : {
            ...s,
            spx: { ...s.spx, close: s.spx.close * 3, high: null, low: null, open: null, closeOnly: true },
            vix: 500,
            vix9d: 1,
            rate: s.rate ? { ...s.rate, r: 0.9 } : null,
          },
    );
    const clean = sessionsFromSnapshots(md.snapshots, opts).sessions;
    const dirty = sessionsFromSnapshots(poisoned, opts).sessions;
    const upTo = (xs: typeof clean) => JSON.stringify(xs.filter((s) => s.date <= '2020-03-16'));
    expect(upTo(dirty)).toBe(upTo(clean));
    // and the poison is visible after D, so the test can fail
    expect(JSON.stringify(dirty)).not.toBe(JSON.stringify(clean));
  });
});
