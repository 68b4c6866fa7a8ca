import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QuoteFlag } from '@vixshield/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ChainImportError,
  ChainStore,
  DATA_DIR,
  EMBEDDED_HOD_FILE,
  FastChainReader,
  FastParseDeferred,
  HOD_LAYOUT,
  parseChainCsv,
} from '../src/index';

/** Crossed quotes (bid > ask): refused naming file, line and field, or kept flagged when allowed. */
const tmp = mkdtempSync(join(tmpdir(), 'vixshield-crossed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const lines = readFileSync(join(DATA_DIR, EMBEDDED_HOD_FILE), 'utf8').split('\n').slice(0, 6);
const f = lines[3]!.split(',');
[f[10], f[11]] = ['12.5', '11.0']; // bid, ask of file line 4
lines[3] = f.join(',');
const text = `${lines.join('\n')}\n`;
const file = join(tmp, 'crossed.csv');
writeFileSync(file, text);

describe('crossed quotes', () => {
  it('the row parser refuses one by default, naming the line and the ask column', () => {
    let err: unknown;
    try {
      parseChainCsv(text, 'crossed.csv', HOD_LAYOUT);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ChainImportError);
    expect((err as ChainImportError).issues).toEqual([
      {
        file: 'crossed.csv',
        line: 4,
        field: 'ask',
        value: '11.0',
        problem: 'is below the bid 12.5: a crossed quote (bid > ask)',
        fix: expect.stringContaining('--allow-crossed'),
      },
    ]);
  });

  it('allowCrossed keeps it flagged crossed and counts it', () => {
    const p = parseChainCsv(text, 'crossed.csv', HOD_LAYOUT, { allowCrossed: true });
    expect(p.rows).toHaveLength(5);
    expect(p.crossed).toBe(1);
    expect(p.rows[2]!.flags & QuoteFlag.crossed).toBe(QuoteFlag.crossed);
  });

  it('the byte reader defers on it unless allowed (the row parser then names it)', () => {
    expect(() => {
      const r = new FastChainReader(file, HOD_LAYOUT);
      try {
        while (r.next() !== null);
      } finally {
        r.close();
      }
    }).toThrow(FastParseDeferred);
    const r = new FastChainReader(file, HOD_LAYOUT, { allowCrossed: true });
    while (r.next() !== null);
    expect(r.stats().crossed).toBe(1);
    r.close();
  });

  it('the store refuses the file whole, or imports it flagged with allowCrossed; Parquet needs it too', async () => {
    const store = await ChainStore.open(':memory:');
    try {
      await expect(store.importCsv(file, HOD_LAYOUT)).rejects.toThrow(/crossed\.csv:4: ask = '11\.0'/);
      expect(await store.count()).toBe(0);
      const r = await store.importer.importCsv(file, HOD_LAYOUT, { allowCrossed: true });
      expect(r).toMatchObject({ rows: 5, crossed: 1, reader: 'bytes' });
      expect((await store.info()).flagged.crossed).toBe(1);
      const pq = join(tmp, 'crossed.parquet');
      await store.exportParquet(pq);
      const other = await ChainStore.open(':memory:');
      try {
        await expect(other.importParquet(pq)).rejects.toThrow(/a crossed quote \(bid > ask\)/);
        expect(await other.count()).toBe(0);
        expect(await other.importer.importParquet(pq, { allowCrossed: true })).toMatchObject({
          rows: 5,
          crossed: 1,
        });
      } finally {
        other.close();
      }
    } finally {
      store.close();
    }
  });
});
