import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsoDate } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  embeddedPorts,
  exchangeIsTradingDay,
  importUserSeries,
  loadEmbeddedMarketData,
  oneDayVixAt,
  surfaceInputsAt,
} from '../src/index';
import { dataDirWithStoredExtra } from './helpers/stored-extra';

const cal = exchangeIsTradingDay;
const d = (s: string) => s as IsoDate;

/**
 * VIX1D is a series of the market data like VIX9D: the embedded training closes, then imports and
 * `data update`'s Cboe history. A close on day d is that day's one-day vol, so the live signal (and a
 * backtest over a data directory that has the history) prices its 1DTE condor from the published VIX1D
 * instead of the model. The closes below are made up for the test (no real VIX1D after 2025-06-30 is
 * in the repository).
 */
describe('VIX1D as a loaded series', () => {
  const embedded = loadEmbeddedMarketData({ isTradingDay: cal });

  it('the embedded series is the training file, listed with the other series', () => {
    expect(embedded.data.vix1d).toHaveLength(187);
    expect(embedded.data.vix1d[0]).toEqual({ date: '2024-09-30', value: 11.97 });
    expect(embedded.series.find((s) => s.id === 'vix1d')).toMatchObject({
      first: '2024-09-30',
      last: '2025-06-30',
      rows: 187,
      gaps: [],
      origin: 'embedded',
    });
    expect(oneDayVixAt(embedded, d('2024-10-01'))).toEqual({ value: 14.63, source: 'VIX1D' });
    expect(oneDayVixAt(embedded, d('2026-07-15'))!.source).toBe('model');
  });

  it('an imported close becomes the one-day vol of its day and moves the modelled 1DTE chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-vix1d-'));
    const file = join(dir, 'VIX1D_History.csv');
    // Cboe's own layout (MM/DD/YYYY dates need --date-format; ISO here)
    writeFileSync(
      file,
      'DATE,OPEN,HIGH,LOW,CLOSE\n2026-07-14,14.1,15.0,13.2,14.02\n2026-07-15,13.9,14.4,7.2,7.5\n',
    );
    const dataDir = join(dir, 'data');
    importUserSeries({ dataDir, series: 'vix1d', file, mode: 'extend', isTradingDay: cal });
    const md = loadEmbeddedMarketData({ dataDir, isTradingDay: cal });
    expect(md.data.vix1d.at(-1)).toEqual({ date: '2026-07-15', value: 7.5 });
    expect(md.series.find((s) => s.id === 'vix1d')).toMatchObject({
      last: '2026-07-15',
      origin: 'embedded+user',
    });

    const day = d('2026-07-15');
    const modelled = oneDayVixAt(embedded, day)!;
    expect(modelled.source).toBe('model');
    expect(Math.abs(modelled.value - 7.5)).toBeGreaterThan(1); // the import has to change something
    expect(oneDayVixAt(md, day)).toEqual({ value: 7.5, source: 'VIX1D' });
    expect(surfaceInputsAt(md, day)!.oneDayVix).toBe(7.5);
    expect(surfaceInputsAt(embedded, day)!.oneDayVix).toBe(modelled.value);
    // the day after has no close: the model again (nothing carried forward)
    expect(oneDayVixAt(md, d('2026-07-16'))!.source).toBe('model');

    // The short-dated regime's ATM vol is proportional to the one-day vol (docs/calibration.md), so
    // the 1DTE ATM implied vols of the two chains are in the ratio of the two one-day vols.
    const expiry = d('2026-07-16');
    const atmIv = (m: typeof md) => {
      const c = embeddedPorts(m).chains.chain(day, expiry)!;
      let best = 0;
      for (let i = 1; i < c.strikes.length; i++)
        if (Math.abs(c.strikes[i]! - c.underlying) < Math.abs(c.strikes[best]! - c.underlying)) best = i;
      return (c.callIv[best]! + c.putIv[best]!) / 2;
    };
    const ratio = atmIv(md) / atmIv(embedded);
    expect(ratio).toBeGreaterThan(0.97 * (7.5 / modelled.value));
    expect(ratio).toBeLessThan(1.03 * (7.5 / modelled.value));
  });

  it('reads a data directory updated before VIX1D was an engine series (manifest `extra`)', () => {
    const dataDir = dataDirWithStoredExtra('vix1d', 'DATE,VIX1D\n2025-06-30,16.5\n2026-07-15,7.5\n');
    const md = loadEmbeddedMarketData({ dataDir, isTradingDay: cal });
    expect(oneDayVixAt(md, d('2026-07-15'))).toEqual({ value: 7.5, source: 'VIX1D' });
    // the stored file wins over the embedded close of the same day, and says so
    expect(oneDayVixAt(md, d('2025-06-30'))).toEqual({ value: 16.5, source: 'VIX1D' });
    const quirk = md.loadReport.quirks.find((q) => q.series === 'vix1d' && q.rule === 'user-rows-win');
    expect(quirk?.dates).toEqual(['2025-06-30']);
  });

  it('a bad VIX1D row is named by file, line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-vix1d-bad-'));
    const file = join(dir, 'vix1d.csv');
    writeFileSync(file, 'date,close\n2026-07-14,14.02\n2026-07-15,abc\n');
    let err: unknown;
    try {
      importUserSeries({
        dataDir: join(dir, 'data'),
        series: 'vix1d',
        file,
        mode: 'extend',
        isTradingDay: cal,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toMatch(/vix1d\.csv:3: field 'close' has bad value 'abc'/);
  });
});
