import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { IsoDate } from '@vixshield/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPreparsed } from '../../../bench/lib/preparsed-import';
import {
  ChainImportError,
  ChainStore,
  columnMapFromJson,
  DATA_DIR,
  DATASHOP_LAYOUT,
  EMBEDDED_DATASHOP_FILE,
  EMBEDDED_HOD_FILE,
  FastChainReader,
  HOD_LAYOUT,
  type QuoteChunk,
} from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
const d = (s: string) => s as IsoDate;

/** The version-1 table, as stores written before schema version 2 have it (text columns per row). */
const V1_TABLE = `CREATE TABLE option_quotes (
  quote_date DATE NOT NULL, quote_time_et VARCHAR, quote_utc_ms BIGINT NOT NULL, underlying VARCHAR NOT NULL,
  root VARCHAR NOT NULL, expiry DATE NOT NULL, settlement VARCHAR NOT NULL, strike DOUBLE NOT NULL,
  option_right VARCHAR NOT NULL, bid DOUBLE, ask DOUBLE, last DOUBLE, volume BIGINT, open_interest BIGINT,
  underlying_price DOUBLE NOT NULL, vendor_iv DOUBLE, vendor_delta DOUBLE, vendor_gamma DOUBLE,
  vendor_theta DOUBLE, vendor_vega DOUBLE, iv_placeholder BOOLEAN NOT NULL, flags UTINYINT NOT NULL,
  vendor VARCHAR NOT NULL, source_file VARCHAR NOT NULL)`;

async function sql(dbFile: string, ...statements: string[]): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(dbFile);
  const conn = await inst.connect();
  try {
    let rows: unknown[][] = [];
    for (const s of statements) rows = (await conn.runAndReadAll(s)).getRowsJS() as unknown[][];
    return rows;
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

describe('chain store schema version 2', () => {
  let dir: string;
  let store: ChainStore;
  const custom = join(here, 'fixtures/chains-map/custom.csv');
  const customSpec = columnMapFromJson(
    JSON.parse(readFileSync(join(here, 'fixtures/chains-map/map.json'), 'utf8')),
    'map.json',
  );
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vixshield-schema-'));
    store = await ChainStore.open(join(dir, 'v2'));
    await store.importCsv(join(DATA_DIR, EMBEDDED_HOD_FILE), HOD_LAYOUT);
    await store.importCsv(join(DATA_DIR, EMBEDDED_DATASHOP_FILE), DATASHOP_LAYOUT);
    await store.importCsv(custom, customSpec); // quote times (10:30), both roots, a vendor of its own
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the option_quotes view has version 1 columns and types, so earlier Parquet files still import', async () => {
    const v1 = join(dir, 'v1-shape.duckdb');
    const want = await sql(v1, V1_TABLE, 'DESCRIBE option_quotes');
    const got = await sql(join(dir, 'v2', 'chains.duckdb'), 'DESCRIBE option_quotes');
    expect(got.map((r) => [r[0], r[1]])).toEqual(want.map((r) => [r[0], r[1]]));
  });

  it('info(): rows, quote dates, rows per source and flag counts agree with the stored rows', async () => {
    const rows = await store.readRows();
    const info = await store.info();
    expect(info.rows).toBe(rows.length);
    const dates = [...new Set(rows.map((r) => r.quoteDate))].sort();
    expect(info.quoteDates).toEqual({ first: dates[0], last: dates[dates.length - 1], count: dates.length });
    expect(info.sources.map((x) => [x.vendor, x.file, x.rows])).toEqual([
      ['HistoricalOptionData', EMBEDDED_HOD_FILE, rows.filter((r) => r.file === EMBEDDED_HOD_FILE).length],
      ['Cboe DataShop', EMBEDDED_DATASHOP_FILE, rows.filter((r) => r.file === EMBEDDED_DATASHOP_FILE).length],
      ['My broker export', 'custom.csv', 5],
    ]);
    const bits = { missingBid: 1, missingAsk: 2, zeroBid: 4, zeroAsk: 8, crossed: 16 };
    for (const [k, bit] of Object.entries(bits)) {
      expect(info.flagged[k as keyof typeof bits]).toBe(rows.filter((r) => (r.flags & bit) !== 0).length);
    }
    expect(info.flagged.zeroBid).toBeGreaterThan(0); // the 2018 file has zero bids: the count is exercised
  });

  it('a failed import leaves no source behind; a file whose rows were all replaced drops out of info()', async () => {
    const tmp = await ChainStore.open(':memory:');
    const bad = join(here, 'fixtures/chains-bad/hod-bad-type.csv');
    try {
      await tmp.importCsv(custom, customSpec);
      await expect(tmp.importCsv(bad, HOD_LAYOUT)).rejects.toThrow(ChainImportError);
      expect((await tmp.info()).sources.map((x) => x.file)).toEqual(['custom.csv']);
      // The same rows under another file name: every key replaced, the first file has no rows left.
      await tmp.importCsv(custom, customSpec, 'custom-again.csv');
      expect((await tmp.info()).sources.map((x) => [x.file, x.rows])).toEqual([['custom-again.csv', 5]]);
    } finally {
      tmp.close();
    }
  });

  it('quote_rows writes no text per row; vendor and file are one source id', async () => {
    const types = await sql(
      join(dir, 'v2', 'chains.duckdb'),
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'quote_rows'",
    );
    expect(types.filter((r) => String(r[1]) === 'VARCHAR')).toEqual([]);
    const sources = await sql(
      join(dir, 'v2', 'chains.duckdb'),
      'SELECT source_id, vendor, source_file FROM quote_sources ORDER BY source_id',
    );
    expect(sources).toEqual([
      [1, 'HistoricalOptionData', EMBEDDED_HOD_FILE],
      [2, 'Cboe DataShop', EMBEDDED_DATASHOP_FILE],
      [3, 'My broker export', 'custom.csv'],
    ]);
  });

  it('a version 1 store is migrated on open: same rows, values, sources and chains; imports go on', async () => {
    const before = await store.readRows();
    const parquet = join(dir, 'all.parquet');
    await store.exportParquet(parquet);
    const v1Dir = join(dir, 'v1');
    mkdirSync(v1Dir);
    const v1File = join(v1Dir, 'chains.duckdb');
    // A version-1 store holding the same rows (the Parquet columns are version 1's, in order).
    await sql(v1File, V1_TABLE, `INSERT INTO option_quotes SELECT * FROM read_parquet('${parquet}')`);
    const migrated = await ChainStore.open(v1Dir);
    try {
      expect(await migrated.readRows()).toEqual(before);
      expect(await migrated.chain(d('2024-08-05'), d('2024-08-09'))).toEqual(
        await store.chain(d('2024-08-05'), d('2024-08-09')),
      );
      expect(await migrated.chainRows(d('2018-02-05'), d('2018-02-07'))).toEqual(
        await store.chainRows(d('2018-02-05'), d('2018-02-07')),
      );
      // Re-importing a file replaces its rows under the migrated source; a new file gets a new id.
      const r = await migrated.importCsv(custom, customSpec);
      expect(r).toMatchObject({ rows: 5, replaced: 5, totalRows: before.length });
    } finally {
      migrated.close();
    }
    const kinds = await sql(
      v1File,
      "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1",
    );
    expect(kinds).toEqual([
      ['chain_snapshots', 'BASE TABLE'], // snapshot metadata, created on open (chains/snapshot-table.ts)
      ['option_quotes', 'VIEW'],
      ['quote_rows', 'BASE TABLE'],
      ['quote_sources', 'BASE TABLE'],
    ]);
    // Opening again does not migrate twice.
    const again = await ChainStore.open(v1Dir);
    try {
      expect(await again.count()).toBe(before.length);
    } finally {
      again.close();
    }
  });

  it('Parquet import checks the derived columns: underlying, quote time, vendor', async () => {
    const tmp = await ChainStore.open(':memory:');
    const base = join(dir, 'base.parquet');
    await store.exportParquet(base);
    const cases: Array<[string, string, RegExp]> = [
      ['underlying', "'XSP'", /underlying/],
      ['quote_time_et', "CASE WHEN quote_time_et IS NULL THEN NULL ELSE '25:00' END", /quote_time_et/],
      ['vendor', 'NULL::VARCHAR', /vendor/],
    ];
    try {
      for (const [col, expr, field] of cases) {
        const bad = join(dir, `bad-${col}.parquet`);
        await sql(
          ':memory:',
          `COPY (SELECT * REPLACE (${expr} AS ${col}) FROM read_parquet('${base}')) TO '${bad}' (FORMAT parquet)`,
        );
        const err = await tmp.importParquet(bad).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ChainImportError);
        expect((err as ChainImportError).issues[0]!.field).toMatch(field);
        expect(await tmp.count()).toBe(0);
      }
    } finally {
      tmp.close();
    }
  });

  it('importPreparsed (the bench floor) stores exactly what importCsv stores, and only new dates', async () => {
    const hodFile = join(DATA_DIR, EMBEDDED_HOD_FILE);
    const chunks: QuoteChunk[] = [];
    const reader = new FastChainReader(hodFile, HOD_LAYOUT);
    for (let c = reader.next(); c !== null; c = reader.next()) chunks.push(c);
    reader.close();
    const pre = await ChainStore.open(':memory:');
    const csv = await ChainStore.open(':memory:');
    try {
      const r = await importPreparsed(pre, hodFile, HOD_LAYOUT, chunks);
      expect(r).toMatchObject({ rows: 14_438, replaced: 0, totalRows: 14_438 });
      await csv.importCsv(hodFile, HOD_LAYOUT);
      expect(await pre.readRows()).toEqual(await csv.readRows());
      await expect(importPreparsed(pre, hodFile, HOD_LAYOUT, chunks)).rejects.toThrow(/already stored/);
    } finally {
      pre.close();
      csv.close();
    }
  });
});
