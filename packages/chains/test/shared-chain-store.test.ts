import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChain } from '@vixshield/app';
import type { IsoDate } from '@vixshield/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChainStore,
  closeSharedChainStores,
  DATA_DIR,
  DATASHOP_LAYOUT,
  EMBEDDED_DATASHOP_FILE,
  RealChainSource,
  sharedChainStoreDirs,
  withSharedChainStore,
} from '../src/index';

const d = (s: string) => s as IsoDate;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('shared chain store (GET /api/chain keeps DuckDB open between requests)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vixshield-shared-'));
    const s = await ChainStore.open(dir);
    await s.importCsv(join(DATA_DIR, EMBEDDED_DATASHOP_FILE), DATASHOP_LAYOUT);
    s.close();
  });
  afterAll(async () => {
    await closeSharedChainStores();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one store for overlapping and back-to-back users; closed after the idle time, lock released', async () => {
    const seen: ChainStore[] = [];
    await Promise.all([
      withSharedChainStore(dir, async (s) => seen.push(s), 60),
      withSharedChainStore(dir, async (s) => seen.push(s), 60),
    ]);
    await withSharedChainStore(dir, async (s) => seen.push(s), 60);
    expect(new Set(seen).size).toBe(1);
    expect(sharedChainStoreDirs()).toEqual([dir]);
    await sleep(200);
    expect(sharedChainStoreDirs()).toEqual([]);
    // DuckDB's lock is free again: an exclusive open (what an import needs) succeeds.
    const again = await ChainStore.open(dir);
    expect(await again.count()).toBe(6);
    again.close();
  });

  it('an open that fails keeps nothing, and the error reaches the caller', async () => {
    const notADir = join(dir, 'chains.duckdb', 'x'); // below a file: the open cannot create it
    await expect(withSharedChainStore(notADir, async () => 1)).rejects.toThrow();
    expect(sharedChainStoreDirs()).toEqual([]);
  });

  it('runChain from the shared store equals the chain loaded the old way (whole day, RealChainSource)', async () => {
    const s = await ChainStore.open(dir);
    const src = await RealChainSource.load(s, { from: d('2016-01-04'), to: d('2016-01-04') });
    const want = src.chainFor(d('2016-01-04'), d('2016-01-08'));
    s.close();
    const out = await runChain({
      date: d('2016-01-04'),
      expiry: d('2016-01-08'),
      source: 'real',
      dataDir: dir,
    });
    expect(out.from).toBe('store');
    expect(out.rows.map((r) => r.strike)).toEqual(Array.from(want!.strikes));
    expect(out.rows.map((r) => [r.call.bid, r.call.ask, r.put.bid, r.put.ask])).toEqual(
      Array.from(want!.strikes, (_, i) =>
        [want!.callBid[i]!, want!.callAsk[i]!, want!.putBid[i]!, want!.putAsk[i]!].map((x) =>
          Number.isFinite(x) ? x : null,
        ),
      ),
    );
    expect(out.source).toEqual(want!.source);
    await expect(
      runChain({ date: d('2016-01-04'), expiry: d('2016-01-15'), source: 'real', dataDir: dir }),
    ).rejects.toThrow(/expiries quoted that day: 2016-01-08/);
    await closeSharedChainStores();
    expect(sharedChainStoreDirs()).toEqual([]);
  });
});
