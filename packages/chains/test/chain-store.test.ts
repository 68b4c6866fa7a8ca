import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError, type IsoDate, QuoteFlag, strikeIndex } from '@vixshield/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChainImportError,
  ChainStore,
  columnMapFromJson,
  DATA_DIR,
  DATASHOP_LAYOUT,
  EMBEDDED_DATASHOP_FILE,
  EMBEDDED_HOD_FILE,
  embeddedHodChains,
  HOD_LAYOUT,
  loadEmbeddedHod,
  parseChainCsv,
} from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
const hod = join(DATA_DIR, EMBEDDED_HOD_FILE);
const d = (s: string) => s as IsoDate;

describe('DuckDB chain store: round trip', () => {
  let dir: string;
  let store: ChainStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vixshield-chainstore-'));
    store = await ChainStore.open(join(dir, 'data'));
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the 2018 file: 14,438 rows, equal to the row parser field by field', async () => {
    const r = await store.importCsv(hod, HOD_LAYOUT);
    expect(r).toMatchObject({ file: EMBEDDED_HOD_FILE, rows: 14_438, replaced: 0, totalRows: 14_438 });
    expect(r.rowsPerSecond).toBeGreaterThan(0);
    const stored = await store.readRows();
    const parsed = loadEmbeddedHod().rows;
    const key = (x: { quoteDate: string; expiry: string; strike: number; right: string }) =>
      `${x.quoteDate}|${x.expiry}|${x.strike}|${x.right}`;
    const byKey = new Map(parsed.map((x) => [key(x), x]));
    expect(stored.length).toBe(parsed.length);
    for (const s of stored) {
      const { vendor, file, ...row } = s;
      expect(vendor).toBe('HistoricalOptionData');
      expect(file).toBe(EMBEDDED_HOD_FILE);
      expect(row).toEqual(byKey.get(key(s)));
    }
  });

  it('re-importing the same file replaces, never duplicates', async () => {
    const r = await store.importCsv(hod, HOD_LAYOUT);
    expect(r).toMatchObject({ rows: 14_438, replaced: 14_438, totalRows: 14_438 });
    expect(await store.count()).toBe(14_438);
  });

  it('adds the DataShop sample beside it (15:45 ET quotes)', async () => {
    const r = await store.importCsv(join(DATA_DIR, EMBEDDED_DATASHOP_FILE), DATASHOP_LAYOUT);
    expect(r).toMatchObject({ rows: 6, replaced: 0, totalRows: 14_444 });
    const rows = await store.readRows({ from: d('2016-01-04'), to: d('2016-01-04') });
    expect(rows.map((x) => [x.quoteTimeEt, x.right, x.bid, x.ask, x.flags])).toEqual([
      ['15:45', 'call', 1299.6, 1305.3, 0],
      ['15:45', 'put', 0, 0.05, QuoteFlag.zeroBid],
    ]);
    expect(await store.quoteDates()).toHaveLength(43);
  });

  it('chain query by (date, expiry) equals the in-memory grouping; strike and delta lookups', async () => {
    const c = (await store.chain(d('2018-02-05'), d('2018-02-28')))!;
    const mem = embeddedHodChains().find((x) => x.asOf === '2018-02-05')!;
    expect(c).toEqual(mem);
    expect(c.putFlags[strikeIndex(c, 2600)]).toBe(QuoteFlag.zeroBid | QuoteFlag.zeroAsk);
    const q = (await store.quoteByStrike(d('2018-02-05'), d('2018-02-28'), 2650, 'put'))!;
    expect([q.bid, q.ask, q.vendorIv]).toEqual([85, 95, 0.3479]);
    const byDelta = (await store.quoteByDelta(d('2018-02-05'), d('2018-02-28'), 'call', 0.5))!;
    expect(byDelta.strike).toBe(2655); // delta 0.5053 (2650 is 0.517)
    expect(byDelta.vendorDelta).toBe(0.5053);
    expect(await store.chain(d('2018-02-05'), d('2018-01-31'))).toBeUndefined();
  });

  it('Parquet export -> import into a fresh store gives the same rows; re-import is idempotent', async () => {
    const out = join(dir, 'all.parquet');
    expect(await store.exportParquet(out)).toBe(14_444);
    const other = await ChainStore.open(':memory:');
    try {
      const r1 = await other.importParquet(out);
      expect(r1).toMatchObject({ rows: 14_444, replaced: 0, totalRows: 14_444 });
      const r2 = await other.importParquet(out);
      expect(r2).toMatchObject({ rows: 14_444, replaced: 14_444, totalRows: 14_444 });
      expect(await other.readRows()).toEqual(await store.readRows());
    } finally {
      other.close();
    }
  });

  it('a Parquet file that is not ours is rejected naming the column; nothing written', async () => {
    const bad = join(dir, 'bad.parquet');
    const tmp = await ChainStore.open(':memory:');
    try {
      // Same data with one column renamed.
      await (tmp as unknown as { db: { conn: { run(s: string): Promise<unknown> } } }).db.conn.run(
        `COPY (SELECT 1 AS quote_day) TO '${bad}' (FORMAT parquet)`,
      );
      await expect(tmp.importParquet(bad)).rejects.toThrow(/quote_date/);
      expect(await tmp.count()).toBe(0);
    } finally {
      tmp.close();
    }
  });

  it('the database persists across open/close', async () => {
    const again = await ChainStore.open(join(dir, 'data2'));
    await again.importCsv(join(DATA_DIR, EMBEDDED_DATASHOP_FILE), DATASHOP_LAYOUT);
    again.close();
    const reopened = await ChainStore.open(join(dir, 'data2'));
    expect(await reopened.count()).toBe(6);
    reopened.close();
  });
});

describe('generic column map', () => {
  const map = JSON.parse(readFileSync(join(here, 'fixtures/chains-map/map.json'), 'utf8')) as unknown;
  const csv = join(here, 'fixtures/chains-map/custom.csv');

  it('validates the map with zod and reads a custom file (time column, ISO dates, both roots)', async () => {
    const spec = columnMapFromJson(map, 'map.json');
    expect(spec.layout).toBe('map');
    const rows = parseChainCsv(readFileSync(csv, 'utf8'), 'custom.csv', spec).rows;
    expect(rows.length).toBe(5);
    expect(rows[0]).toMatchObject({
      quoteTimeEt: '10:30',
      root: 'SPXW',
      settlement: 'PM',
      right: 'call',
      vendorIv: 0.35,
    });
    expect(rows[2]).toMatchObject({ root: 'SPX', settlement: 'AM', expiry: '2024-08-16' });
    expect(Number.isNaN(rows[2]!.vendorIv)).toBe(true);
    const store = await ChainStore.open(':memory:');
    try {
      await store.importCsv(csv, spec);
      const stored = await store.readRows();
      expect(stored.map(({ vendor, file, ...r }) => r)).toEqual(
        [...rows].sort((a, b) =>
          a.expiry !== b.expiry
            ? a.expiry < b.expiry
              ? -1
              : 1
            : a.root !== b.root
              ? a.root < b.root
                ? -1
                : 1
              : a.right < b.right
                ? -1
                : 1,
        ),
      );
      const am = (await store.chain(d('2024-08-05'), d('2024-08-16'), 'SPX'))!;
      const pm = (await store.chain(d('2024-08-05'), d('2024-08-16')))!;
      expect([am.root, am.settlement, pm.root, pm.settlement]).toEqual(['SPX', 'AM', 'SPXW', 'PM']);
      expect(pm.quoteTimeUtcMs).toBe(Date.UTC(2024, 7, 5, 14, 30));
      expect(Number.isNaN(pm.putBid[0]!)).toBe(true);
      expect(pm.putFlags[0]).toBe(QuoteFlag.missingBid | QuoteFlag.missingAsk);
    } finally {
      store.close();
    }
  });

  it('rejects a map missing required columns, naming them', () => {
    expect(() =>
      columnMapFromJson({ vendor: 'x', dateFormat: 'YYYY-MM-DD', columns: { quoteDate: 'd' } }, 'm.json'),
    ).toThrow(/columns\.expiry: columns\.expiry is required/);
    expect(() => columnMapFromJson({ vendor: 'x', dateFormat: 'DD.MM.YYYY', columns: {} })).toThrow(
      InvalidInputError,
    );
    expect(() => columnMapFromJson({ vendor: 'x', dateFormat: 'YYYY-MM-DD', columns: {}, extra: 1 })).toThrow(
      /extra/,
    );
  });

  it('a map whose column is not in the file fails on line 1 naming it', () => {
    const spec = columnMapFromJson({
      ...(map as object),
      columns: { ...(map as { columns: object }).columns, bid: 'BidPx' },
    });
    try {
      parseChainCsv(readFileSync(csv, 'utf8'), 'custom.csv', spec);
      expect.unreachable();
    } catch (e) {
      expect((e as ChainImportError).issues[0]).toMatchObject({ line: 1, field: 'BidPx' });
    }
  });
});
