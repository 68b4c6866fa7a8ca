import { join, resolve } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ensureDirectory } from '@vixshield/data';
import { ChainStoreBusyError } from './errors';
import { createOrMigrate } from './schema';
import type { QuoteSource } from './slice';
import { CHAIN_SNAPSHOTS_TABLE_SQL } from './snapshot-table';

/*
 * The chain store's open database: one DuckDB instance and connection shared by the query part
 * (store-query.ts) and the import part (store-importer.ts), and the in-memory copy of quote_sources
 * both use to name a row's vendor and file.
 */

export const CHAIN_DB_FILE = 'chains.duckdb';

/**
 * DuckDB threads for everything but imports. A chain query scans one row group: a second thread adds
 * a hand-off between threads and nothing else (p50 1.7 vs 2.6 ms, p99 5-8 vs 9-12 ms measured with
 * the machine at load 3).
 */
export const QUERY_THREADS = 1;

/**
 * The DuckDB module, loaded on the first ChainStore.open: code that only reads the embedded CSV
 * (RealChainSource.embedded, `vixshield chain` on a 2018 date) never loads the native binding.
 */
let duck: typeof import('@duckdb/node-api') | undefined;
/** The raw C API bindings (data chunks by memory copy), loaded with the first import or slice query. */
let bindings: typeof import('@duckdb/node-bindings') | undefined;

/** The DuckDB module (loaded by openStoreConnection, which every store goes through). */
export function duckApi(): typeof import('@duckdb/node-api') {
  if (duck === undefined) throw new Error('chain store: DuckDB is used before a store was opened');
  return duck;
}

/** The raw C API bindings, loaded on first use. */
export async function duckBindings(): Promise<typeof import('@duckdb/node-bindings')> {
  bindings ??= (await import('@duckdb/node-bindings')).default;
  return bindings;
}

export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** The path of the store's file in `dataDir` (':memory:' stays ':memory:'). */
export function chainStorePath(dataDir: string): string {
  return dataDir === ':memory:' ? ':memory:' : join(resolve(dataDir), CHAIN_DB_FILE);
}

export class StoreConnection {
  /** quote_sources by id (slices name each row's vendor and file from it). */
  readonly sources = new Map<number, QuoteSource>();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    /** The database file, or ':memory:'. */
    readonly path: string,
  ) {}

  /** Reads quote_sources into memory. */
  async loadSources(): Promise<void> {
    const r = await this.conn.runAndReadAll('SELECT source_id, vendor, source_file FROM quote_sources');
    this.sources.clear();
    for (const [id, vendor, file] of r.getRowsJS()) {
      this.sources.set(Number(id), { vendor: String(vendor), file: String(file) });
    }
  }

  /** Vendor and file of a stored source id (every id in quote_rows is in quote_sources). */
  readonly sourceOf = (id: number): QuoteSource => {
    const s = this.sources.get(id);
    if (s === undefined) throw new Error(`chain store: source_id ${id} is not in quote_sources`);
    return s;
  };

  async scalar(sql: string): Promise<number> {
    const r = await this.conn.runAndReadAll(sql);
    return Number(r.getRowsJS()[0]?.[0] ?? 0);
  }

  async count(): Promise<number> {
    return this.scalar('SELECT count(*) FROM quote_rows');
  }

  /** Closes the connection and the database (checkpointing it); a second call does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** Opens (creating when needed) `<dataDir>/chains.duckdb`; `':memory:'` opens a throwaway store. */
export async function openStoreConnection(dataDir: string): Promise<StoreConnection> {
  const path = chainStorePath(dataDir);
  if (dataDir !== ':memory:') ensureDirectory(dataDir, 'data directory');
  let instance: DuckDBInstance;
  try {
    duck ??= await import('@duckdb/node-api');
    instance = await duck.DuckDBInstance.create(path);
  } catch (err) {
    const msg = (err as Error).message;
    if (/lock/i.test(msg)) {
      throw new ChainStoreBusyError(
        `${path} is open in another process (DuckDB allows one writer at a time)`,
        'dataDir',
        'wait for the other vixshield command to finish (a running `vixshield serve` lets go of it 2 s after its last chain request), or use another --data-dir',
      );
    }
    throw err;
  }
  const conn = await instance.connect();
  await createOrMigrate(conn);
  // Imports never rely on the order of a CREATE TABLE AS (line numbers come from the row parser).
  await conn.run('SET preserve_insertion_order = false');
  await conn.run(`SET threads = ${QUERY_THREADS}`);
  await conn.run(CHAIN_SNAPSHOTS_TABLE_SQL); // snapshot metadata (snapshot-table.ts); a no-op when present
  const db = new StoreConnection(instance, conn, path);
  await db.loadSources();
  return db;
}
