import type { BookOfDay } from '@vixshield/app';
import type { IsoDate } from '@vixshield/core';
import type { Journal } from '@vixshield/journal';
import { describe, expect, it } from 'vitest';
import { SignalCache } from '../src/signal-cache';

/** The journal as the cache sees it: a local write count and SQLite's data_version. */
function stubJournal(): Journal & { writes: number; version: number } {
  const j = {
    writes: 0,
    version: 1,
    get localWriteCount() {
      return j.writes;
    },
    dataVersion: () => j.version,
  };
  return j as unknown as Journal & { writes: number; version: number };
}

describe('SignalCache', () => {
  it('drops bodies and books when the market data gets a new generation (a later settlement price)', () => {
    const journal = stubJournal();
    let generation = 0;
    let loads = 0;
    const cache = new SignalCache(
      journal,
      () => {
        loads++;
        return { loads } as unknown as BookOfDay;
      },
      { recheckMs: 0, dataGeneration: () => generation },
    );
    const day = '2026-09-14' as IsoDate;
    cache.remember('k', 'body-1');
    expect(cache.body('k')).toBe('body-1');
    cache.bookOfDay(day);
    cache.bookOfDay(day);
    expect(loads).toBe(1);

    generation++; // e.g. `data update` brought the expiry's settlement price
    expect(cache.body('k')).toBeUndefined();
    cache.bookOfDay(day);
    expect(loads).toBe(2);

    // the journal still counts as before
    cache.remember('k', 'body-2');
    journal.version++;
    expect(cache.body('k')).toBeUndefined();
  });
});
