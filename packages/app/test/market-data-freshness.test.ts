import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IsoDate } from '@vixshield/core';
import { exchangeIsTradingDay, importUserSeries } from '@vixshield/data';
import { describe, expect, it } from 'vitest';
import { forgetMarketData, MANIFEST_RECHECK_MS, marketData, marketDataGeneration } from '../src/index';

/**
 * A long-running process (the server) keeps the market data in memory. A `data update` or import run by
 * another process switches the data dir's manifest: the next read after MANIFEST_RECHECK_MS sees it,
 * and the generation counts the change, so what was derived from the old data (cached signal bodies,
 * settled books) is dropped.
 */
describe('market data of a data dir follows its manifest', () => {
  it('an import by another writer is seen after the recheck interval; the generation counts it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-fresh-'));
    const dataDir = join(dir, 'data');
    const file = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const imp = (name: string, text: string) =>
      importUserSeries({
        dataDir,
        series: 'vix9d',
        file: file(name, text),
        mode: 'extend',
        isTradingDay: exchangeIsTradingDay,
      });
    imp('a.csv', 'DATE,VIX9D\n2026-08-20,13.10\n');
    const first = marketData(dataDir);
    const g0 = marketDataGeneration(dataDir);
    const day = '2026-08-19' as IsoDate;
    expect(first.byDate(day)!.vix9d).toBeNull(); // the embedded VIX9D hole
    expect(marketData(dataDir)).toBe(first); // cached

    imp('b.csv', 'DATE,VIX9D\n2026-08-19,12.90\n'); // as `data import` in another shell would
    expect(marketData(dataDir)).toBe(first); // inside the recheck interval: not looked at yet
    await sleep(MANIFEST_RECHECK_MS + 50);
    const second = marketData(dataDir);
    expect(second).not.toBe(first);
    expect(second.byDate(day)!.vix9d).toBe(12.9);
    expect(marketDataGeneration(dataDir)).toBe(g0 + 1);

    // unchanged manifest: the same data and generation after the interval
    await sleep(MANIFEST_RECHECK_MS + 50);
    expect(marketData(dataDir)).toBe(second);
    expect(marketDataGeneration(dataDir)).toBe(g0 + 1);
    // a reload asked for in-process (the scheduler after its update) counts too
    forgetMarketData(dataDir);
    expect(marketDataGeneration(dataDir)).toBe(g0 + 2);
  });
});
