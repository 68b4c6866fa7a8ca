import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsoDate } from '@vixshield/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ChainStore,
  DATA_DIR,
  DATASHOP_LAYOUT,
  EMBEDDED_DATASHOP_FILE,
  EMBEDDED_HOD_FILE,
  HOD_LAYOUT,
  RealChainSource,
} from '../src/index';
import { describeChainSourceContract, nextSaturday } from './chain-source-contract';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describeChainSourceContract(
  'RealChainSource.embedded() (2018 SPXW file, in memory)',
  () => {
    const source = RealChainSource.embedded();
    return { source, asOfDates: source.dates() };
  },
  { minParityPairs: 100 },
);

describeChainSourceContract(
  'RealChainSource.load(DuckDB store) (2018 SPXW file + DataShop sample)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-chains-contract-'));
    dirs.push(dir);
    const store = await ChainStore.open(dir);
    try {
      await store.importCsv(join(DATA_DIR, EMBEDDED_HOD_FILE), HOD_LAYOUT);
      await store.importCsv(join(DATA_DIR, EMBEDDED_DATASHOP_FILE), DATASHOP_LAYOUT);
      const source = await RealChainSource.load(store, {
        from: '2016-01-04' as IsoDate,
        to: '2018-02-28' as IsoDate,
      });
      return { source, asOfDates: source.dates() };
    } finally {
      store.close();
    }
  },
  { minParityPairs: 100 },
);

describe('RealChainSource specifics', () => {
  const src = RealChainSource.embedded();
  it('serves the 40 embedded days with one SPXW expiry each', () => {
    expect(src.dates().length).toBe(40);
    expect(src.dates()[0]).toBe('2018-01-02');
    expect(src.expirations('2018-02-05' as IsoDate)).toEqual(['2018-02-28']);
    expect(src.expirations('2018-01-31' as IsoDate)).toEqual(['2018-01-31']);
    expect(src.expirations('2018-03-01' as IsoDate)).toEqual([]);
  });
  it('chainFor picks the root; a missing root is undefined', () => {
    expect(src.chainFor('2018-02-05' as IsoDate, '2018-02-28' as IsoDate, 'SPXW')?.strikes.length).toBe(175);
    expect(src.chainFor('2018-02-05' as IsoDate, '2018-02-28' as IsoDate, 'SPX')).toBeUndefined();
  });
  it('rejects modelled chains', () => {
    const c = src.chain('2018-02-05' as IsoDate, '2018-02-28' as IsoDate)!;
    expect(
      () =>
        new RealChainSource([{ ...c, source: { kind: 'modelled', model: 'x', version: '1', inputs: {} } }]),
    ).toThrow(/modelled/);
  });
  it('nextSaturday helper', () => {
    expect(nextSaturday('2018-02-05' as IsoDate)).toBe('2018-02-10');
    expect(nextSaturday('2018-02-10' as IsoDate)).toBe('2018-02-17');
  });
});
