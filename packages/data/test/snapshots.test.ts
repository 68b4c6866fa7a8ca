import type { IsoDate, MarketSnapshot } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { embedded } from './helpers/load';

function on(d: string): MarketSnapshot {
  const s = embedded().byDate(d as IsoDate);
  if (!s) throw new Error(`no snapshot on ${d}`);
  return s;
}

describe('snapshots of known days', () => {
  it('2020-03-16: VIX 82.69, SPX 2386.13 and the term structure of that day', () => {
    const s = on('2020-03-16');
    expect(s.vix).toBe(82.69);
    expect(s.spx.close).toBe(2386.13);
    expect(s.spx.closeOnly).toBe(false);
    expect(s.vix9d).toBe(106.66);
    expect(s.vix3m).toBe(67.7);
    expect(s.vix6m).toBe(55.4);
    expect(s.vix1y).toBe(41.47);
    expect(s.vvix).toBe(207.59);
    expect(s.vixFutures).toBeNull(); // futures data ends 2017-05
  });

  it('2024-08-05: VIX 38.57, SPX 5186.33', () => {
    const s = on('2024-08-05');
    expect(s.vix).toBe(38.57);
    expect(s.spx.close).toBe(5186.33);
    expect(s.spx.low).toBe(5119.26);
  });

  it('2021-08-11: SPX close patched from FRED to 4447.70 and CPI release day', () => {
    const s = on('2021-08-11');
    expect(s.spx.close).toBe(4447.7);
    expect(s.events.cpi).toBe(true);
    const q = embedded().loadReport.quirks.find((x) => x.rule === 'stooq-2021-08-11-close-from-fred')!;
    expect(q.dates).toEqual(['2021-08-11']);
  });

  it('2018-02-05: VIX 37.32, SPX 2648.94', () => {
    const s = on('2018-02-05');
    expect(s.vix).toBe(37.32);
    expect(s.spx.close).toBe(2648.94);
  });

  it('2019-06-03: r from DGS3MO 2019-05-31 (2.35% BEY) is about 2.34% continuous; q about 1.9%', () => {
    const s = on('2019-06-03');
    expect(s.rate!.source).toBe('DGS3MO');
    expect(s.rate!.asOf).toBe('2019-05-31');
    expect(s.rate!.quotedPct).toBe(2.35);
    expect(s.rate!.r).toBeGreaterThan(0.023);
    expect(s.rate!.r).toBeLessThan(0.024);
    expect(s.rate!.r).toBeCloseTo(Math.log(1 + 0.0235 * (91 / 365)) * (365 / 91), 12);
    expect(s.dividendYield!.source).toBe('Shiller');
    expect(s.dividendYield!.asOf).toBe('2019-04-01');
    expect(s.dividendYield!.q).toBeGreaterThan(0.017);
    expect(s.dividendYield!.q).toBeLessThan(0.021);
  });

  it('2025-10-07: the Stooq intraday row is replaced by the FRED close, close-only', () => {
    const s = on('2025-10-07');
    expect(s.spx).toEqual({ open: null, high: null, low: null, close: 6714.59, closeOnly: true });
  });

  it('SPX is extended close-only from FRED to 2026-02-11; rate from DFF after DGS3MO ends', () => {
    const md = embedded();
    const last = md.snapshots.at(-1)!;
    expect(last.date).toBe('2026-02-11');
    expect(last.spx.closeOnly).toBe(true);
    expect(last.rate!.source).toBe('DFF');
    expect(last.rate!.r).toBeGreaterThan(0.03);
    expect(last.rate!.r).toBeLessThan(0.045);
    expect(on('2025-06-24').rate!.source).toBe('DGS3MO');
    expect(on('2025-07-01').rate!.source).toBe('DFF');
    expect(last.dividendYield!.source).toBe('Shiller, forward-filled: no dividend data after 2023-06');
    expect(last.dividendYield!.asOf).toBe('2023-06-01');
  });

  it('VIX is null on days the VIX file lacks (1999-12-31), never guessed', () => {
    const s = on('1999-12-31');
    expect(s.vix).toBeNull();
    expect(s.spx.close).toBeGreaterThan(1400);
  });

  it('VIX rows on NYSE holidays are dropped and recorded (2024-07-04)', () => {
    const md = embedded();
    expect(md.byDate('2024-07-04' as IsoDate)).toBeUndefined();
    expect(md.data.vix.some((p) => p.date === '2024-07-04')).toBe(false);
    const q = md.loadReport.quirks.find((x) => x.series === 'vix' && x.rule === 'non-trading-day-dropped')!;
    expect(q.dates).toContain('2024-07-04');
    expect(q.dates).toContain('2004-06-11');
  });

  it('VVIX before 2007 is not used; VIX futures are CFE closes with nulls for unlisted months', () => {
    expect(on('2006-06-01').vvix).toBeNull();
    const f = on('2008-10-24').vixFutures!;
    expect(f.asOf).toBe('2008-10-24');
    expect(f.closes[0]).toBe(55.91); // Nov-2008 contract close (settle was 55.82)
    const first = on('2004-03-26').vixFutures!;
    expect(first.closes[0]).toBeNull();
    expect(first.closes[1]).toBe(20.27);
    // a 0 in the file means no trade: read as null
    expect(on('2004-05-21').vixFutures!.closes[1]).toBeNull();
  });

  it('events: FOMC decision days from both files, CPI coverage from 2021-07, PPI and payrolls unknown', () => {
    expect(on('2008-12-16').events.fomc).toBe(true); // meeting file
    expect(on('2024-09-18').events.fomc).toBe(true); // decision file
    expect(on('2024-09-17').events.fomc).toBe(false);
    expect(on('2019-06-03').events.cpi).toBeNull(); // before CPI coverage
    expect(on('2024-08-14').events.cpi).toBe(true);
    expect(on('2024-08-05').events).toEqual({ fomc: false, cpi: false, ppi: null, payrolls: null });
  });

  it('one snapshot per SPX trading day since 1990', () => {
    const md = embedded();
    expect(md.snapshots[0]!.date).toBe('1990-01-02');
    expect(md.snapshots.length).toBe(md.data.spx.length);
    expect(md.snapshots.length).toBe(9095);
  });
});

describe('load time', () => {
  it('loads all embedded data in well under a few seconds even on a busy CI machine', () => {
    const ms = embedded().loadMs;
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(5000);
  });
});
