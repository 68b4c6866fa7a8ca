import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { IsoDate, OptionChain, OptionRight, OptionRoot } from '@vixshield/core';
import type { LayoutSpec } from './layouts';
import type { ChainSlice } from './slice';
import type { StoredSnapshot } from './snapshot-table';
import { chainStorePath, openStoreConnection, type StoreConnection } from './store-connection';
import { ChainImporter, type ImportReport, type ImportStepObserver } from './store-importer';
import { ChainQuery, type ChainStoreInfo, type DateRange, type StoredQuoteRow } from './store-query';

export { CHAIN_DB_FILE, chainStorePath } from './store-connection';
export {
  ChainImporter,
  type ImportOptions,
  type ImportReport,
  type ImportStepObserver,
  type QuoteChunkSource,
} from './store-importer';
export {
  ChainQuery,
  type ChainStoreInfo,
  chainsOfStoredRows,
  type DateRange,
  pickRoot,
  type StoredQuoteRow,
} from './store-query';

/*
 * The chain store: one DuckDB file (<dataDir>/chains.duckdb). Three parts: the schema (schema.ts:
 * tables, the view, the version-1 migration, run by every open in store-connection.ts), the importer
 * (store-importer.ts: CSV and Parquet files parsed, validated and written in one transaction) and the
 * query part (store-query.ts: chain slices and their cache, rows, info, export). ChainStore opens the
 * database and gives both parts' operations under one name; `importer` and `query` are the parts.
 */
export class ChainStore {
  readonly query: ChainQuery;
  readonly importer: ChainImporter;

  private constructor(private readonly db: StoreConnection) {
    this.query = new ChainQuery(db);
    this.importer = new ChainImporter(db, () => this.query.clearChainCache());
  }

  /** Opens (creating when needed) `<dataDir>/chains.duckdb`; `':memory:'` opens a throwaway store. */
  static async open(dataDir: string): Promise<ChainStore> {
    return new ChainStore(await openStoreConnection(dataDir));
  }

  /** The database file, or ':memory:'. */
  get path(): string {
    return this.db.path;
  }

  /** Closes the connection and the database (checkpointing it); a second call does nothing. */
  close(): void {
    this.db.close();
  }

  async count(): Promise<number> {
    return this.db.count();
  }

  // Writes (store-importer.ts).

  /** See ChainImporter.importCsv. `onStep` is told each step's milliseconds (benchmarks). */
  importCsv(
    path: string,
    spec: LayoutSpec,
    label: string = basename(path),
    onStep?: ImportStepObserver,
  ): Promise<ImportReport> {
    return this.importer.importCsv(path, spec, { label, onStep });
  }

  /** See ChainImporter.importParquet. */
  importParquet(path: string, label: string = basename(path)): Promise<ImportReport> {
    return this.importer.importParquet(path, { label });
  }

  /** Records (or replaces) the metadata of the snapshot whose rows carry (vendor, sourceFile). */
  recordSnapshot(m: Omit<StoredSnapshot, 'liveRows'>): Promise<void> {
    return this.importer.recordSnapshot(m);
  }

  /** Removes a snapshot's metadata (its import failed). */
  forgetSnapshot(vendor: string, sourceFile: string): Promise<void> {
    return this.importer.forgetSnapshot(vendor, sourceFile);
  }

  // Reads (store-query.ts).

  /** Chains kept in memory (LRU by (quote date, expiry)); 0 turns the cache off. Imports clear it. */
  get chainCacheSize(): number {
    return this.query.chainCacheSize;
  }
  set chainCacheSize(n: number) {
    this.query.chainCacheSize = n;
  }

  clearChainCache(): void {
    this.query.clearChainCache();
  }

  exportParquet(outPath: string): Promise<number> {
    return this.query.exportParquet(outPath);
  }

  readRows(range: DateRange = {}): Promise<StoredQuoteRow[]> {
    return this.query.readRows(range);
  }

  slice(date: IsoDate, expiry: IsoDate, full = true): Promise<ChainSlice> {
    return this.query.slice(date, expiry, full);
  }

  chainRows(date: IsoDate, expiry: IsoDate): Promise<StoredQuoteRow[]> {
    return this.query.chainRows(date, expiry);
  }

  chain(date: IsoDate, expiry: IsoDate, root?: OptionRoot): Promise<OptionChain | undefined> {
    return this.query.chain(date, expiry, root);
  }

  quoteByDelta(
    date: IsoDate,
    expiry: IsoDate,
    right: OptionRight,
    delta: number,
  ): Promise<StoredQuoteRow | undefined> {
    return this.query.quoteByDelta(date, expiry, right, delta);
  }

  quoteByStrike(
    date: IsoDate,
    expiry: IsoDate,
    strike: number,
    right: OptionRight,
  ): Promise<StoredQuoteRow | undefined> {
    return this.query.quoteByStrike(date, expiry, strike, right);
  }

  info(): Promise<ChainStoreInfo> {
    return this.query.info();
  }

  expiries(date: IsoDate): Promise<IsoDate[]> {
    return this.query.expiries(date);
  }

  snapshots(quoteDate?: IsoDate): Promise<StoredSnapshot[]> {
    return this.query.snapshots(quoteDate);
  }

  quoteDates(): Promise<IsoDate[]> {
    return this.query.quoteDates();
  }
}

/**
 * Runs `write` on the store of `dataDir` and closes it. When `write` fails and no store existed in
 * `dataDir` before, the store file the open created (with its write-ahead log) is removed, and so is
 * `dataDir` itself when this call created it and it is empty: a failed first import leaves nothing
 * behind. A failed import into an existing store leaves it as it was (each import is one transaction,
 * and the sources a failed import added are dropped again).
 */
export async function withChainStoreForWrite<T>(
  dataDir: string,
  write: (store: ChainStore) => Promise<T>,
): Promise<T> {
  const path = chainStorePath(dataDir);
  const fresh = path !== ':memory:' && !existsSync(path);
  const dirExisted = path === ':memory:' || existsSync(dataDir);
  let store: ChainStore | undefined;
  try {
    store = await ChainStore.open(dataDir);
    return await write(store);
  } catch (err) {
    store?.close();
    store = undefined;
    if (fresh) {
      for (const f of [path, `${path}.wal`]) rmSync(f, { force: true });
      const dir = resolve(dataDir);
      if (!dirExisted && existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    }
    throw err;
  } finally {
    store?.close();
  }
}
