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

  it('2025-10-07: the Stooq intraday row is dropped; the official close (FRED 6714.59) with its Yahoo OHLC', () => {
    const s = on('2025-10-07');
    expect(s.spx).toEqual({ open: 6746.14, high: 6754.49, low: 6699.96, close: 6714.59, closeOnly: false });
  });

  it('SPX (OHLC), VIX and VIX9D reach 2026-08-21 from the Yahoo files; rate from the later DFF download', () => {
    const md = embedded();
    const last = md.snapshots.at(-1)!;
    expect(last.date).toBe('2026-08-21');
    expect(last.spx).toEqual({
      open: 7665.68,
      high: 7697.11,
      low: 7660.06,
      close: 7674.37,
      closeOnly: false,
    });
    expect(last.vix).toBe(15.13);
    expect(last.vix9d).toBe(12.58);
    expect(last.vix3m).toBeNull(); // the VIX3M file ends 2026-07-22: null, never carried forward
    // FRED publishes a day's DFF the next business day: the snapshot of 08-21 uses 08-20's 3.63%
    expect(last.rate).toMatchObject({ source: 'DFF', asOf: '2026-08-20', quotedPct: 3.63 });
    expect(last.rate!.r).toBeCloseTo(365 * Math.log(1 + 0.0363 / 360), 12);
    expect(on('2025-06-24').rate!.source).toBe('DGS3MO');
    expect(on('2025-07-01').rate!.source).toBe('DFF');
    expect(last.dividendYield!.source).toBe('Shiller, forward-filled: no dividend data after 2023-06');
    expect(last.dividendYield!.asOf).toBe('2023-06-01');
  });

  it('the Yahoo SPX bars agree with every FRED close after Stooq ends and are OHLC-consistent', () => {
    const md = embedded();
    const fred = new Map(md.data.spxFred.map((p) => [p.date as string, p.value]));
    const yahoo = md.data.spx.filter((b) => b.source === 'yahoo');
    expect(yahoo[0]!.date).toBe('2025-10-07');
    expect(yahoo.at(-1)!.date).toBe('2026-08-21');
    let compared = 0;
    for (const b of yahoo) {
      expect(b.closeOnly).toBe(false);
      expect(b.low! <= Math.min(b.open!, b.close) && Math.max(b.open!, b.close) <= b.high!).toBe(true);
      const f = fred.get(b.date);
      if (f !== undefined) {
        compared++;
        expect(Math.abs(f - b.close)).toBeLessThanOrEqual(0.02);
      }
    }
    expect(compared).toBe(88); // 2025-10-07 .. 2026-02-11
    // no FRED close-only bar is left, and Stooq is still the source up to 2025-10-06
    expect(md.data.spx.some((b) => b.source === 'fred')).toBe(false);
    expect(md.byDate('2025-10-06' as IsoDate)!.spx.close).toBe(
      md.data.spx.find((b) => b.date === '2025-10-06')!.close,
    );
    expect(md.data.spx.find((b) => b.date === '2025-10-06')!.source).toBe('stooq');
  });

  it('VIX extension: Cboe kept on the overlap (2026-02-06 documented), Memorial Day row dropped, Yahoo after 07-23', () => {
    const md = embedded();
    expect(on('2026-02-06').vix).toBe(17.76); // Yahoo has 20.37, VIX3M's close that day
    const known = md.loadReport.quirks.find(
      (q) => q.series === 'vix' && q.rule === 'extension-known-mismatch-main-kept',
    )!;
    expect(known.dates).toEqual(['2026-02-06']);
    expect(md.loadReport.problems).toEqual([]);
    expect(md.byDate('2026-05-25' as IsoDate)).toBeUndefined();
    const added = md.loadReport.quirks.find(
      (q) => q.series === 'vix' && q.rule === 'extended-after-main-file',
    )!;
    expect(added.dates[0]).toBe('2026-07-24');
    expect(added.dates.at(-1)).toBe('2026-08-21');
    expect(on('2026-07-23').vix).toBe(18.7); // last Cboe day
    // VIX9D: the Yahoo payload has no rows 2026-07-20 .. 08-20, so VIX9D is null there (documented gap)
    expect(on('2026-08-03').vix9d).toBeNull();
    expect(on('2026-08-03').vix).not.toBeNull();
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

  it('events: FOMC decision days from both files, CPI from 2014-12, PPI from 2015-01, payrolls from 2014-12', () => {
    expect(on('2008-12-16').events.fomc).toBe(true); // meeting file
    expect(on('2024-09-18').events.fomc).toBe(true); // decision file
    expect(on('2024-09-17').events.fomc).toBe(false);
    expect(on('2014-06-03').events.cpi).toBeNull(); // before CPI coverage
    expect(on('2019-06-12').events.cpi).toBe(true); // the 2014-2021 file
    expect(on('2024-08-14').events.cpi).toBe(true);
    expect(on('2014-12-12').events.ppi).toBeNull(); // before PPI coverage: unknown, never "no event"
    expect(on('2015-01-15').events.ppi).toBe(true); // first PPI date (December 2014 data)
    expect(on('2016-03-15').events.ppi).toBe(true); // the 2015-2017 file
    expect(on('2016-03-16').events.ppi).toBe(false);
    // the October 2015 release is not sourced: every day it could fall on is unknown
    expect(on('2015-10-14').events.ppi).toBe(true);
    expect(on('2015-11-13').events.ppi).toBeNull();
    expect(on('2015-12-10').events.ppi).toBeNull();
    expect(on('2015-12-11').events.ppi).toBe(true);
    expect(on('2017-12-12').events.ppi).toBe(true); // last date of the 2015-2017 file
    expect(on('2018-01-11').events.ppi).toBe(true); // first date of the 2018-2026 file
    expect(on('2023-11-15').events.ppi).toBe(true);
    expect(on('2023-11-03').events.payrolls).toBe(true);
    expect(on('2024-08-05').events).toEqual({ fomc: false, cpi: false, ppi: false, payrolls: false });
  });

  it('one snapshot per SPX trading day since 1990', () => {
    const md = embedded();
    expect(md.snapshots[0]!.date).toBe('1990-01-02');
    expect(md.snapshots.length).toBe(md.data.spx.length);
    expect(md.snapshots.length).toBe(9227);
  });
});

describe('load time', () => {
  // How fast is the benchmark's business (npm run bench); a test only checks the figure is reported.
  it('reports how long loading the embedded data took', () => {
    const ms = embedded().loadMs;
    expect(Number.isFinite(ms) && ms > 0).toBe(true);
  });
});
