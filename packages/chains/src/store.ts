import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBPreparedStatement,
  DuckDBTableFunction,
} from '@duckdb/node-api';
import {
  type IsoDate,
  type OptionChain,
  type OptionRight,
  type OptionRoot,
  type PriceSource,
  QuoteFlag,
} from '@vixshield/core';
import { ensureDirectory } from '@vixshield/data';
import { QuoteChunkWriter } from './duck-writer';
import { ChainImportError, ChainStoreBusyError } from './errors';
import { FastChainReader, FastParseDeferred } from './fast-csv';
import { groupIntoChains } from './group';
import type { LayoutSpec } from './layouts';
import { parseChainCsv, quoteInstantUtcMs } from './parse';
import { CHUNK_ROWS, dayNumberOfIso, QuoteChunk, RIGHT_CODES, ROOT_CODES } from './quote-chunk';
import type { ChainQuoteRow } from './row';
import {
  MIGRATE_V1_SQL,
  PHYSICAL_OF_NORMALISED,
  QUOTE_COLUMNS,
  QUOTE_ROW_COLUMNS,
  QUOTE_ROWS_TABLE_SQL,
  QUOTES_VIEW_SQL,
  SOURCES_TABLE_SQL,
} from './schema';
import {
  CHAIN_SLICE_SELECT,
  type ChainSlice,
  type QuoteSource,
  readSlice,
  SLICE_SELECT,
  STRIKE_SELECT,
} from './slice';
import { CHAIN_SNAPSHOTS_TABLE_SQL, type StoredSnapshot } from './snapshot-table';

/*
 * The chain store: one DuckDB file (<dataDir>/chains.duckdb); quotes in `quote_rows` (no text per
 * row), their vendor and file in `quote_sources`, and the normalised view `option_quotes` (schema.ts).
 *
 * Bulk CSV import (importCsv): a byte-level reader (fast-csv.ts) applies the row parser's rules and
 * fills column chunks that are copied into DuckDB data chunks and appended, all in one transaction.
 * It only accepts: at the first value it would not accept exactly as the row parser does, the
 * transaction is rolled back and the row parser (parseChainCsv) re-reads the file, naming every bad
 * value (file, line, field, value, fix) or giving the rows. So a file is imported whole or not at all,
 * and every rejection is the row parser's. Re-imported keys replace the stored rows (a temporary
 * table and a keyed delete + sorted insert, only for the chunks whose quote dates are stored).
 */

export const CHAIN_DB_FILE = 'chains.duckdb';

/** The table function through which an import's chunks reach an INSERT. */
const CHUNK_FUNCTION = 'vixshield_quote_chunks';

/**
 * DuckDB threads pulling chunks for the INSERT: storage writing (statistics, compression) is the
 * larger share of an import, and two threads roughly halve it on this 2-core machine.
 */
const INSERT_THREADS = 2;

/** DuckDB threads while importing (the INSERT's two chunk pullers, the merge's join and sort). */
const IMPORT_THREADS = 2;

/**
 * DuckDB threads for everything else. A chain query scans one row group: a second thread adds a
 * hand-off between threads and nothing else (p50 1.7 vs 2.6 ms, p99 5-8 vs 9-12 ms measured with the
 * machine at load 3).
 */
const QUERY_THREADS = 1;

/** How many parsed chunks the reader may get ahead of DuckDB's insert (parsing overlaps inserting). */
const PREFETCH_CHUNKS = 8;

/**
 * Feeds one import's chunks to the chunk table function. `peek` parses the next chunk when none is
 * ready; `fill` copies it into DuckDB's output chunk when its destination (`staged`) is the running
 * INSERT's, else ends that INSERT (0 rows). Between calls the reader parses ahead on the event loop
 * (setImmediate, one chunk per turn) while DuckDB inserts on its own thread. A reader error is kept in
 * `error` (DuckDB only sees its message) and re-thrown by the next peek or fill.
 */
class ChunkFeed {
  /** Destination of the running INSERT. */
  staged = false;
  stagedRows = 0;
  error: unknown;
  parseMs = 0;
  copyMs = 0;
  private readonly ready: QuoteChunk[] = [];
  private ended = false;
  private closed = false;
  private scheduled = false;

  constructor(
    private readonly reader: ChunkReader,
    private readonly writer: QuoteChunkWriter,
    private readonly b: typeof import('@duckdb/node-bindings'),
  ) {}

  /** Parses one more chunk into `ready` (false at the end). */
  private parseOne(): boolean {
    if (this.ended || this.closed) return false;
    if (this.error !== undefined) throw this.error;
    const t = performance.now();
    try {
      const c = this.reader.next();
      if (c === null) this.ended = true;
      else this.ready.push(c);
      return c !== null;
    } catch (err) {
      this.error = err;
      throw err;
    } finally {
      this.parseMs += performance.now() - t;
    }
  }

  peek(): QuoteChunk | null {
    if (this.ready.length === 0) this.parseOne();
    return this.ready[0] ?? null;
  }

  private schedule(): void {
    if (this.scheduled || this.ended || this.closed || this.error !== undefined) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.ready.length >= PREFETCH_CHUNKS) return;
      try {
        if (this.parseOne()) this.schedule();
      } catch {
        // kept in this.error: thrown to DuckDB by the next fill
      }
    });
  }

  fill(out: import('@duckdb/node-bindings').DataChunk): void {
    const c = this.peek();
    if (c === null || c.staged !== this.staged) {
      this.b.data_chunk_set_size(out, 0);
      return;
    }
    const t = performance.now();
    this.ready.shift();
    this.writer.writeInto(out, c);
    if (c.staged) this.stagedRows += c.n;
    this.reader.release(c);
    this.copyMs += performance.now() - t;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.reader.close();
  }
}

/** What a ChunkFeed pulls chunks from: the byte reader, or chunks it produced earlier (benchmarks). */
type ChunkReader = Pick<FastChainReader, 'next' | 'release' | 'close' | 'stats'>;

/** Replays chunks a FastChainReader produced (none staged: every quote date new to the store). */
function replayReader(chunks: readonly QuoteChunk[]): ChunkReader {
  let i = 0;
  const days = new Set<number>();
  let rows = 0;
  for (const c of chunks) {
    rows += c.n;
    for (let k = 0; k < c.n; k++) days.add(c.quoteDay[k]!);
  }
  return {
    next: () => chunks[i++] ?? null,
    release: () => undefined,
    close: () => undefined,
    stats: () => ({ rows, blankLines: 0, days, clustered: true }),
  };
}

/**
 * The DuckDB module, loaded on the first ChainStore.open: code that only reads the embedded CSV
 * (RealChainSource.embedded, `vixshield chain` on a 2018 date) never loads the native binding.
 */
let duck: typeof import('@duckdb/node-api') | undefined;
/** The raw C API bindings (data chunks by memory copy), loaded with the first import. */
let bindings: typeof import('@duckdb/node-bindings') | undefined;

/** Key of a quote: (quote_date, root, expiry, strike, option_right). Schema: schema.ts. */
const KEY_JOIN =
  'q.quote_date = n.quote_date AND q.root = n.root AND q.expiry = n.expiry AND q.strike = n.strike AND q.option_right = n.option_right';

/** Rows as read back from the store: a normalised row plus where it came from. */
export interface StoredQuoteRow extends ChainQuoteRow {
  readonly vendor: string;
  readonly file: string;
}

export interface ImportReport {
  readonly file: string;
  /** Rows in the file. */
  readonly rows: number;
  /** Of those, rows that replaced a stored row with the same key. */
  readonly replaced: number;
  /** Rows in the store afterwards. */
  readonly totalRows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** Data rows read from the file (non-empty lines after the header). */
  readonly rowsRead: number;
  /** Rows written: every row read (a file with any bad row is rejected whole, nothing stored). */
  readonly rowsStored: number;
  /** Always 0 in a report: a rejected file throws ChainImportError with its own counts. */
  readonly rowsRejected: number;
  /** Empty lines skipped (not rows). */
  readonly blankLines: number;
  /** Which reader decided: the byte-level one, the row parser (the fast reader deferred), or Parquet. */
  readonly reader: 'bytes' | 'row parser' | 'parquet';
}

export interface DateRange {
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const SELECT_ROWS = `SELECT strftime(quote_date, '%Y-%m-%d') AS quote_date, quote_time_et, root,
  strftime(expiry, '%Y-%m-%d') AS expiry, settlement, strike, option_right, bid, ask, last,
  volume::DOUBLE AS volume, open_interest::DOUBLE AS open_interest, underlying_price, vendor_iv,
  vendor_delta, vendor_gamma, vendor_theta, vendor_vega, iv_placeholder, flags::INTEGER AS flags,
  vendor, source_file FROM option_quotes`;

const n = (v: unknown): number => (v === null || v === undefined ? Number.NaN : Number(v));

function toRow(o: Record<string, unknown>): StoredQuoteRow {
  return {
    quoteDate: o.quote_date as IsoDate,
    quoteTimeEt: (o.quote_time_et as string | null) ?? null,
    underlying: 'SPX',
    root: o.root as OptionRoot,
    expiry: o.expiry as IsoDate,
    settlement: o.settlement as 'AM' | 'PM',
    strike: n(o.strike),
    right: o.option_right as OptionRight,
    bid: n(o.bid),
    ask: n(o.ask),
    last: n(o.last),
    volume: n(o.volume),
    openInterest: n(o.open_interest),
    underlyingPrice: n(o.underlying_price),
    vendorIv: n(o.vendor_iv),
    vendorDelta: n(o.vendor_delta),
    vendorGamma: n(o.vendor_gamma),
    vendorTheta: n(o.vendor_theta),
    vendorVega: n(o.vendor_vega),
    ivPlaceholder: o.iv_placeholder === true,
    flags: Number(o.flags),
    vendor: o.vendor as string,
    file: o.source_file as string,
  };
}

/** What a store holds (`vixshield chains info`). */
export interface ChainStoreInfo {
  /** The database file, or ':memory:'. */
  readonly path: string;
  readonly schemaVersion: 2;
  readonly rows: number;
  /** First and last stored quote date and how many distinct ones (null/0 when empty). */
  readonly quoteDates: {
    readonly first: IsoDate | null;
    readonly last: IsoDate | null;
    readonly count: number;
  };
  /** Rows per source (vendor, file), in source id order (sources without rows are dropped by imports). */
  readonly sources: ReadonlyArray<{
    readonly vendor: string;
    readonly file: string;
    readonly rows: number;
    readonly firstQuoteDate: IsoDate | null;
    readonly lastQuoteDate: IsoDate | null;
  }>;
  /** Rows carrying each quote flag (core QuoteFlag): kept and flagged, never used as fills silently. */
  readonly flagged: Readonly<Record<Exclude<keyof typeof QuoteFlag, 'none'>, number>>;
}

/** Milliseconds per import step (for the benchmark), in order. */
export type StepTimings = Array<[step: string, ms: number]>;

export class ChainStore {
  /** Step timings of the last import. */
  lastTimings: StepTimings = [];
  private mark = 0;
  private lap(step: string): void {
    const now = performance.now();
    this.lastTimings.push([step, now - this.mark]);
    this.mark = now;
  }
  private readonly statements = new Map<string, DuckDBPreparedStatement>();
  private readonly slices = new Map<string, ChainSlice>();
  private readonly sources = new Map<number, QuoteSource>();
  /** The import in progress (read by the registered chunk table function). */
  private feed: ChunkFeed | undefined;
  private chunkFunction: DuckDBTableFunction | undefined;
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    /** The database file, or ':memory:'. */
    readonly path: string,
  ) {}

  /** Opens (creating when needed) `<dataDir>/chains.duckdb`; `':memory:'` opens a throwaway store. */
  static async open(dataDir: string): Promise<ChainStore> {
    let path = ':memory:';
    if (dataDir !== ':memory:') {
      ensureDirectory(dataDir, 'data directory');
      path = join(resolve(dataDir), CHAIN_DB_FILE);
    }
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
    await ChainStore.createOrMigrate(conn);
    // Imports never rely on the order of a CREATE TABLE AS (line numbers come from the row parser).
    await conn.run('SET preserve_insertion_order = false');
    await conn.run(`SET threads = ${QUERY_THREADS}`);
    await conn.run(CHAIN_SNAPSHOTS_TABLE_SQL); // snapshot metadata (snapshot-table.ts); a no-op when present
    const store = new ChainStore(instance, conn, path);
    await store.loadSources();
    return store;
  }

  /**
   * Creates the tables and the view, or migrates a version-1 store (option_quotes a table with text
   * columns) in one transaction: the same rows, values and sources, in the version-2 tables.
   */
  private static async createOrMigrate(conn: DuckDBConnection): Promise<void> {
    const kind = await conn.runAndReadAll(
      "SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'option_quotes'",
    );
    if (kind.getRowsJS()[0]?.[0] === 'BASE TABLE') {
      await conn.run('BEGIN TRANSACTION');
      try {
        for (const sql of MIGRATE_V1_SQL) await conn.run(sql);
        await conn.run('COMMIT');
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      return;
    }
    await conn.run(SOURCES_TABLE_SQL);
    await conn.run(QUOTE_ROWS_TABLE_SQL);
    await conn.run(QUOTES_VIEW_SQL);
  }

  /** Reads quote_sources into memory (slices name each row's vendor and file from it). */
  private async loadSources(): Promise<void> {
    const r = await this.conn.runAndReadAll('SELECT source_id, vendor, source_file FROM quote_sources');
    this.sources.clear();
    for (const [id, vendor, file] of r.getRowsJS()) {
      this.sources.set(Number(id), { vendor: String(vendor), file: String(file) });
    }
  }

  /**
   * The quote_sources id of (vendor, file), added when new. Outside the import's transaction: a
   * source whose import then fails is dropped afterwards (withImportThreads).
   */
  private async sourceIdFor(vendor: string, file: string): Promise<number> {
    const find = `SELECT source_id FROM quote_sources WHERE vendor = ${sqlString(vendor)} AND source_file = ${sqlString(file)}`;
    let id = (await this.conn.runAndReadAll(find)).getRowsJS()[0]?.[0];
    if (id === undefined) {
      await this.conn.run(
        `INSERT INTO quote_sources SELECT coalesce(max(source_id), 0) + 1, ${sqlString(vendor)}, ${sqlString(file)} FROM quote_sources`,
      );
      id = (await this.conn.runAndReadAll(find)).getRowsJS()[0]?.[0];
      await this.loadSources();
    }
    return Number(id);
  }

  /** Vendor and file of a stored source id (every id in quote_rows is in quote_sources). */
  private readonly sourceOf = (id: number): QuoteSource => {
    const s = this.sources.get(id);
    if (s === undefined) throw new Error(`chain store: source_id ${id} is not in quote_sources`);
    return s;
  };

  private closed = false;

  /** Closes the connection and the database (checkpointing it); a second call does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.closeSync();
    this.instance.closeSync();
  }

  private async scalar(sql: string): Promise<number> {
    const r = await this.conn.runAndReadAll(sql);
    return Number(r.getRowsJS()[0]?.[0] ?? 0);
  }

  async count(): Promise<number> {
    return this.scalar('SELECT count(*) FROM quote_rows');
  }

  /**
   * Imports a CSV file in `spec`'s layout. Validates the whole file first: on any bad value a
   * ChainImportError (file, line, field, value, fix, and the row counts) is thrown and the store is
   * unchanged. Idempotent per (quote date, root, expiry, strike, right): a re-imported row replaces
   * the old one.
   *
   * The byte-level reader (fast-csv.ts) normalises the file into column chunks that a table function
   * hands to `INSERT INTO quote_rows SELECT * FROM vixshield_quote_chunks()` (two DuckDB threads
   * pull them), inside one transaction; the reader parses ahead on the JS thread while DuckDB writes.
   * Chunks holding a quote date already stored (or following a (date, expiry) group that came back)
   * go to a temporary table instead and are merged key by key (delete the keys they bring, insert;
   * sorted when the file's groups were not contiguous). When the fast reader meets anything it does
   * not accept, the transaction is rolled back and the row parser (parseChainCsv) decides: it names
   * every bad value, or gives the rows, which are then merged the same way.
   */
  async importCsv(path: string, spec: LayoutSpec, label: string = basename(path)): Promise<ImportReport> {
    return this.withImportThreads(() => this.importCsvWork(path, spec, label));
  }

  /**
   * Benchmarks: DuckDB's side of importCsv alone. Inserts `chunks` that a FastChainReader produced
   * from `path` beforehand (every row validated; the chunks are not reused meanwhile), the way
   * importCsv inserts them, without reading the file again: what an import costs when parsing is free.
   * Every quote date must be new to the store.
   */
  async importPreparsed(
    path: string,
    spec: LayoutSpec,
    chunks: readonly QuoteChunk[],
    label: string = basename(path),
  ): Promise<ImportReport> {
    const stored = await this.storedDayNumbers();
    if (chunks.some((c) => c.quoteDay.subarray(0, c.n).some((d) => stored.has(d))))
      throw new Error('importPreparsed: a quote date is already stored (use importCsv)');
    return this.withImportThreads(() => this.importCsvWork(path, spec, label, chunks));
  }

  private async importCsvWork(
    path: string,
    spec: LayoutSpec,
    label: string,
    preparsed?: readonly QuoteChunk[],
  ): Promise<ImportReport> {
    const t0 = performance.now();
    this.clearChainCache();
    this.lastTimings = [];
    this.mark = t0;
    bindings ??= (await import('@duckdb/node-bindings')).default;
    const b = bindings;
    const storedDays = await this.storedDayNumbers();
    const writer = new QuoteChunkWriter(b, await this.sourceIdFor(spec.vendor, label));
    await this.createStage();
    this.registerChunkFunction();
    this.lap('prepare');
    let reader: ChunkReader;
    try {
      reader = preparsed ? replayReader(preparsed) : new FastChainReader(path, spec, { storedDays });
    } catch (err) {
      if (err instanceof FastParseDeferred)
        return await this.importWithRowParser(path, spec, label, writer, t0);
      throw err;
    }
    const feed = new ChunkFeed(reader, writer, b);
    this.feed = feed;
    const c = this.conn;
    await c.run('BEGIN TRANSACTION');
    try {
      // One INSERT per run of chunks with the same destination (usually one for the whole file).
      for (let next = feed.peek(); next !== null; next = feed.peek()) {
        feed.staged = next.staged;
        await c.run(`INSERT INTO ${next.staged ? 'stage' : 'quote_rows'} SELECT * FROM ${CHUNK_FUNCTION}()`);
      }
      this.lap(
        `read + validate + insert (js ${feed.parseMs.toFixed(0)} ms, copy ${feed.copyMs.toFixed(0)} ms)`,
      );
      const replaced = feed.stagedRows > 0 ? await this.mergeStage('stage', reader.stats().clustered) : 0;
      await c.run('COMMIT');
      this.lap('commit');
      const stats = reader.stats();
      const totalRows = await this.count();
      const seconds = (performance.now() - t0) / 1000;
      return {
        file: label,
        rows: stats.rows,
        replaced,
        totalRows,
        seconds,
        rowsPerSecond: stats.rows / seconds,
        rowsRead: stats.rows,
        rowsStored: stats.rows,
        rowsRejected: 0,
        blankLines: stats.blankLines,
        reader: 'bytes',
      };
    } catch (err) {
      await c.run('ROLLBACK').catch(() => undefined);
      if (err instanceof FastParseDeferred || feed.error instanceof FastParseDeferred) {
        this.lap('rollback');
        return await this.importWithRowParser(path, spec, label, writer, t0);
      }
      throw feed.error ?? err;
    } finally {
      feed.close();
      this.feed = undefined;
      await c.run('DROP TABLE IF EXISTS stage').catch(() => undefined);
    }
  }

  /** Registers the table function that hands the current import's chunks to DuckDB (once per connection). */
  private registerChunkFunction(): void {
    if (this.chunkFunction !== undefined) return;
    const d = duck!;
    const T = [
      d.DATE,
      d.SMALLINT,
      d.BIGINT,
      d.ENUM(ROOT_CODES),
      d.DATE,
      d.DOUBLE,
      d.ENUM(RIGHT_CODES),
      d.DOUBLE,
      d.DOUBLE,
      d.DOUBLE,
      d.BIGINT,
      d.BIGINT,
      d.DOUBLE,
      d.DOUBLE,
      d.DOUBLE,
      d.DOUBLE,
      d.DOUBLE,
      d.DOUBLE,
      d.BOOLEAN,
      d.UTINYINT,
      d.UINTEGER,
    ];
    this.chunkFunction = d.DuckDBTableFunction.create({
      name: CHUNK_FUNCTION,
      bindFunction: (info) => {
        QUOTE_ROW_COLUMNS.forEach((name, i) => {
          info.addResultColumn(name, T[i]!);
        });
      },
      // Two DuckDB threads insert (each pulls chunks; the JS side serves them one at a time).
      initFunction: (info) => {
        info.setMaxThreads(INSERT_THREADS);
      },
      mainFunction: (_info, out) => {
        const feed = this.feed;
        if (feed === undefined) out.rowCount = 0;
        else feed.fill(out.chunk);
      },
    });
    this.conn.registerTableFunction(this.chunkFunction);
  }

  /**
   * Runs an import with IMPORT_THREADS DuckDB threads, then goes back to QUERY_THREADS and drops the
   * sources left without rows (a failed import's, or a file whose rows later imports all replaced).
   */
  private async withImportThreads<T>(f: () => Promise<T>): Promise<T> {
    await this.conn.run(`SET threads = ${IMPORT_THREADS}`);
    try {
      return await f();
    } finally {
      await this.conn.run(`SET threads = ${QUERY_THREADS}`);
      await this.conn.run(
        'DELETE FROM quote_sources WHERE source_id NOT IN (SELECT DISTINCT source_id FROM quote_rows)',
      );
      await this.loadSources();
    }
  }

  /** Day numbers (days since 1970-01-01) of the stored quote dates. */
  private async storedDayNumbers(): Promise<Set<number>> {
    const r = await this.conn.runAndReadAll(
      "SELECT DISTINCT (quote_date - DATE '1970-01-01')::INTEGER FROM quote_rows",
    );
    return new Set(r.getRowsJS().map((x) => Number(x[0])));
  }

  /** The slow path: the row parser names the bad values (throws), or its rows are merged. */
  private async importWithRowParser(
    path: string,
    spec: LayoutSpec,
    label: string,
    writer: QuoteChunkWriter,
    t0: number,
  ): Promise<ImportReport> {
    const parsed = parseChainCsv(readFileSync(path, 'utf8'), label, spec);
    this.lap('row parser');
    const q = new QuoteChunk([]);
    const instants = new Map<string, number>();
    await this.createStage();
    const app = await this.conn.createAppender('stage', 'main', 'temp');
    try {
      for (const r of parsed.rows) {
        const k = `${r.quoteDate}|${r.quoteTimeEt}`;
        let ms = instants.get(k);
        if (ms === undefined) {
          ms = quoteInstantUtcMs(r.quoteDate, r.quoteTimeEt);
          instants.set(k, ms);
        }
        q.pushRow(r, ms);
        if (q.n === CHUNK_ROWS) {
          app.appendDataChunk(new duck!.DuckDBDataChunk(writer.build(q)));
          q.n = 0;
        }
      }
      if (q.n > 0) app.appendDataChunk(new duck!.DuckDBDataChunk(writer.build(q)));
    } finally {
      app.closeSync();
    }
    this.lap('append to stage');
    const rows = parsed.rows.length;
    const r = await this.merge('stage', label, rows, t0);
    return { ...r, rowsRead: parsed.rowsRead, blankLines: parsed.blankLines, reader: 'row parser' };
  }

  private async createStage(): Promise<void> {
    await this.conn.run(
      'DROP TABLE IF EXISTS stage; CREATE TEMP TABLE stage AS SELECT * FROM quote_rows LIMIT 0',
    );
  }

  /**
   * Inside an open transaction: deletes the stored rows whose keys temp table `table` brings, then
   * inserts its rows, sorted by key unless `clustered` says they already come grouped by
   * (quote date, expiry) (zone maps prune chain queries either way). Returns the rows replaced.
   */
  private async mergeStage(table: string, clustered = false): Promise<number> {
    const c = this.conn;
    const del = await c.runAndReadAll(`DELETE FROM quote_rows q USING ${table} n WHERE ${KEY_JOIN}`);
    const replaced = Number(del.getRowsJS()[0]?.[0] ?? 0);
    this.lap('delete replaced keys');
    await c.run(
      `INSERT INTO quote_rows (${QUOTE_ROW_COLUMNS.join(', ')}) SELECT ${QUOTE_ROW_COLUMNS.join(', ')} FROM ${table}${clustered ? '' : ' ORDER BY quote_date, expiry, root, strike, option_right'}`,
    );
    this.lap(clustered ? 'insert' : 'insert sorted');
    return replaced;
  }

  /** Merges temp table `table` (quote_rows' columns) into quote_rows in one transaction (see mergeStage), then drops it. */
  private async merge(table: string, label: string, rows: number, t0: number): Promise<ImportReport> {
    const c = this.conn;
    await c.run('BEGIN TRANSACTION');
    try {
      const replaced = await this.mergeStage(table);
      await c.run('COMMIT');
      this.lap('commit');
      const totalRows = await this.count();
      const seconds = (performance.now() - t0) / 1000;
      return {
        file: label,
        rows,
        replaced,
        totalRows,
        seconds,
        rowsPerSecond: rows / seconds,
        rowsRead: rows,
        rowsStored: rows,
        rowsRejected: 0,
        blankLines: 0,
        reader: 'row parser',
      };
    } catch (err) {
      await c.run('ROLLBACK');
      throw err;
    } finally {
      await c.run(`DROP TABLE IF EXISTS ${table}`);
    }
  }

  /** Exports every stored quote to a Parquet file (sorted by key). Returns the row count. */
  async exportParquet(outPath: string): Promise<number> {
    await this.conn.run(
      `COPY (SELECT ${QUOTE_COLUMNS.join(', ')} FROM option_quotes ORDER BY quote_date, expiry, root, strike, option_right)
       TO ${sqlString(outPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    return this.count();
  }

  /**
   * Imports a Parquet file written by exportParquet. The schema must match column for column, and
   * the rows are checked (key columns present, settlement matching the root, flags matching bid/ask,
   * no duplicate keys) before anything is written. Idempotent like importCsv.
   */
  async importParquet(path: string, label: string = basename(path)): Promise<ImportReport> {
    return this.withImportThreads(() => this.importParquetWork(path, label));
  }

  private async importParquetWork(path: string, label: string): Promise<ImportReport> {
    const t0 = performance.now();
    this.clearChainCache();
    this.lastTimings = [];
    this.mark = t0;
    const c = this.conn;
    await c.run('DROP TABLE IF EXISTS p2; DROP TABLE IF EXISTS norm');
    const issue = (line: number, field: string, value: string, problem: string, fix: string): never => {
      throw new ChainImportError([{ file: label, line, field, value, problem, fix }]);
    };
    try {
      await c.run(`CREATE TEMP TABLE norm AS SELECT * FROM read_parquet(${sqlString(path)})`);
    } catch (err) {
      issue(
        0,
        'file',
        path,
        `is not a readable Parquet file (${(err as Error).message.split('\n')[0]})`,
        'pass a file written by `vixshield chains export`',
      );
    }
    const desc = await c.runAndReadAll('DESCRIBE norm');
    const got = (desc.getRowsJS() as unknown[][]).map((r) => String(r[0]));
    const want = (await c.runAndReadAll('DESCRIBE option_quotes')).getRowsJS() as unknown[][];
    const gotTypes = (desc.getRowsJS() as unknown[][]).map((r) => String(r[1]));
    for (let i = 0; i < want.length; i++) {
      if (got[i] !== want[i]![0] || gotTypes[i] !== want[i]![1]) {
        issue(
          0,
          String(want[i]![0]),
          `${got[i] ?? '(missing)'} ${gotTypes[i] ?? ''}`.trim(),
          `column ${i + 1} should be ${String(want[i]![0])} ${String(want[i]![1])}`,
          'pass a file written by `vixshield chains export`',
        );
      }
    }
    if (got.length !== want.length)
      issue(
        0,
        'columns',
        String(got.length),
        `has ${got.length} columns, expected ${want.length}`,
        'pass a file written by `vixshield chains export`',
      );
    const checks: Array<[string, string, string]> = [
      [
        'quote_date',
        'quote_date IS NULL OR root IS NULL OR expiry IS NULL OR strike IS NULL OR option_right IS NULL',
        'key columns must not be null',
      ],
      [
        'settlement',
        "settlement <> CASE root WHEN 'SPX' THEN 'AM' WHEN 'SPXW' THEN 'PM' END OR root NOT IN ('SPX', 'SPXW')",
        'settlement must match the root (SPX = AM, SPXW = PM)',
      ],
      ['option_right', "option_right NOT IN ('call', 'put')", "must be 'call' or 'put'"],
      ['underlying', "underlying IS DISTINCT FROM 'SPX'", "must be 'SPX'"],
      [
        'quote_time_et',
        "NOT regexp_full_match(quote_time_et, '([01][0-9]|2[0-3]):[0-5][0-9]')",
        'must be HH:MM (New York) or null for the session close',
      ],
      ['vendor', 'vendor IS NULL OR source_file IS NULL', 'vendor and source_file must not be null'],
      [
        'flags',
        `flags <> ((CASE WHEN bid IS NULL THEN 1 WHEN bid = 0 THEN 4 ELSE 0 END) | (CASE WHEN ask IS NULL THEN 2 WHEN ask = 0 THEN 8 ELSE 0 END) | (CASE WHEN bid > ask THEN 16 ELSE 0 END))`,
        'flags must be quoteFlags(bid, ask)',
      ],
      ['expiry', 'expiry < quote_date', 'expiry before the quote date'],
      ['strike', 'NOT (strike > 0)', 'strike must be > 0'],
    ];
    for (const [field, cond, problem] of checks) {
      const r = await c.runAndReadAll(
        `SELECT rn, v FROM (SELECT row_number() OVER () AS rn, (${field})::VARCHAR AS v, (${cond}) AS bad FROM norm) WHERE bad LIMIT 1`,
      );
      const hit = r.getRowsJS()[0];
      if (hit)
        issue(
          Number(hit[0]),
          field,
          String(hit[1]),
          problem,
          'fix the row, or re-export it with `vixshield chains export`',
        );
    }
    const dups = await this.scalar(
      'SELECT count(*) FROM (SELECT 1 FROM norm GROUP BY quote_date, root, expiry, strike, option_right HAVING count(*) > 1)',
    );
    if (dups > 0)
      issue(
        0,
        'key',
        String(dups),
        'duplicate (quote_date, root, expiry, strike, option_right) keys',
        'keep one row per contract and day',
      );
    const rows = await this.scalar('SELECT count(*) FROM norm');
    // New (vendor, file) pairs become sources; then the rows take quote_rows' form.
    await c.run(`INSERT INTO quote_sources
      SELECT (SELECT coalesce(max(source_id), 0) FROM quote_sources) + row_number() OVER (ORDER BY vendor, source_file), vendor, source_file
      FROM (SELECT DISTINCT vendor, source_file FROM norm EXCEPT SELECT vendor, source_file FROM quote_sources)`);
    await this.loadSources();
    await c.run(`DROP TABLE IF EXISTS normp; CREATE TEMP TABLE normp AS SELECT * FROM quote_rows LIMIT 0;
      INSERT INTO normp SELECT ${PHYSICAL_OF_NORMALISED}
      FROM norm n JOIN quote_sources s ON s.vendor = n.vendor AND s.source_file = n.source_file`);
    await c.run('DROP TABLE norm');
    const r = await this.merge('normp', label, rows, t0);
    return { ...r, reader: 'parquet' };
  }

  /** Stored rows with quote dates in [from, to] (inclusive), in key order. */
  async readRows(range: DateRange = {}): Promise<StoredQuoteRow[]> {
    const where: string[] = [];
    if (range.from !== undefined) where.push(`quote_date >= DATE ${sqlString(range.from)}`);
    if (range.to !== undefined) where.push(`quote_date <= DATE ${sqlString(range.to)}`);
    const r = await this.conn.runAndReadAll(
      `${SELECT_ROWS}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY quote_date, expiry, root, strike, option_right`,
    );
    return (r.getRowObjectsJS() as Array<Record<string, unknown>>).map(toRow);
  }

  /** Chains kept in memory (LRU by (quote date, expiry)); 0 turns the cache off. Imports clear it. */
  chainCacheSize = 256;

  /** Forgets every cached chain slice. */
  clearChainCache(): void {
    this.slices.clear();
  }

  /**
   * The stored rows of one (quote date, expiry), both roots, as a ChainSlice: one prepared query
   * (zone maps on the clustered quote_date/expiry columns prune the scan to one row group), result
   * vectors read by memory copy, cached. `full` reads every column (whole rows for quoteByDelta,
   * quoteByStrike, chainRows); otherwise only what an OptionChain needs, which scans about half as much.
   */
  async slice(date: IsoDate, expiry: IsoDate, full = true): Promise<ChainSlice> {
    const key = `${date}|${expiry}`;
    const hit = this.cached(date, expiry, full);
    if (hit !== undefined) return hit;
    const slice = await this.query(full ? SLICE_SELECT : CHAIN_SLICE_SELECT, date, expiry, full);
    if (this.chainCacheSize > 0) {
      this.slices.delete(key);
      this.slices.set(key, slice);
      if (this.slices.size > this.chainCacheSize) this.slices.delete(this.slices.keys().next().value!);
    }
    return slice;
  }

  /** The cached slice of (date, expiry) when it has the columns asked for (a full one has all). */
  private cached(date: IsoDate, expiry: IsoDate, full: boolean): ChainSlice | undefined {
    const key = `${date}|${expiry}`;
    const hit = this.slices.get(key);
    if (hit === undefined || (full && !hit.full)) return undefined;
    this.slices.delete(key);
    this.slices.set(key, hit);
    return hit;
  }

  /**
   * Runs a prepared slice query (`sql` is one of slice.ts' SELECTs: $1 quote date, $2 expiry, then
   * `bind`'s parameters) and reads its rows by memory copy.
   */
  private async query(
    sql: string,
    date: IsoDate,
    expiry: IsoDate,
    full: boolean,
    bind?: (stmt: DuckDBPreparedStatement) => void,
  ): Promise<ChainSlice> {
    const d = duck!;
    bindings ??= (await import('@duckdb/node-bindings')).default;
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = await this.conn.prepare(sql);
      this.statements.set(sql, stmt);
    }
    stmt.bindDate(1, new d.DuckDBDateValue(dayNumberOfIso(date)));
    stmt.bindDate(2, new d.DuckDBDateValue(dayNumberOfIso(expiry)));
    bind?.(stmt);
    const res = await stmt.run();
    const chunks = Array.from({ length: res.chunkCount }, (_, i) => res.getChunk(i).chunk);
    return readSlice(bindings, date, expiry, full, chunks, this.sourceOf);
  }

  /** The rows of one (quote date, expiry), both roots, in key order. */
  async chainRows(date: IsoDate, expiry: IsoDate): Promise<StoredQuoteRow[]> {
    return (await this.slice(date, expiry)).rows();
  }

  /**
   * The chain of one (quote date, expiry) as an OptionChain: the SPXW (PM) chain when both roots
   * expire that day, unless `root` is given. Undefined when nothing is stored. Built from the cached
   * slice (a chain-only one unless a full one is cached; see slice()): the latency-critical lookup.
   */
  async chain(date: IsoDate, expiry: IsoDate, root?: OptionRoot): Promise<OptionChain | undefined> {
    return (await this.slice(date, expiry, false)).chain(root);
  }

  /**
   * The quote of `right` whose vendor delta is nearest `delta` (e.g. -0.16 for a 16-delta put) in one
   * (quote date, expiry); rows without a vendor delta are skipped; ties go to the lower strike, then
   * to SPXW. Undefined when none.
   */
  async quoteByDelta(
    date: IsoDate,
    expiry: IsoDate,
    right: OptionRight,
    delta: number,
  ): Promise<StoredQuoteRow | undefined> {
    // A whole slice (cached for the next lookups in the chain): measured against a Top-N in SQL, which
    // has to read every column of the right's rows too, it was as fast (p50 2.7-2.9 vs 3.0-3.5 ms).
    const s = await this.slice(date, expiry);
    const i = s.nearestDelta(right, delta);
    return i === undefined ? undefined : s.row(i);
  }

  /** One contract's stored quote (SPXW preferred when both roots have it), or undefined. */
  async quoteByStrike(
    date: IsoDate,
    expiry: IsoDate,
    strike: number,
    right: OptionRight,
  ): Promise<StoredQuoteRow | undefined> {
    const s = this.cached(date, expiry, true);
    if (s !== undefined) {
      const i = s.find(strike, right);
      return i === undefined ? undefined : s.row(i);
    }
    const two = await this.query(STRIKE_SELECT, date, expiry, true, (st) => {
      st.bindDouble(3, strike);
      st.bindVarchar(4, right);
    });
    const i = two.find(strike, right);
    return i === undefined ? undefined : two.row(i);
  }

  /** Rows, quote dates, sources and flagged quotes of the store. */
  async info(): Promise<ChainStoreInfo> {
    const iso = (v: unknown): IsoDate | null =>
      v === null || v === undefined ? null : (String(v) as IsoDate);
    const flagNames = Object.keys(QuoteFlag).filter((k) => k !== 'none') as Array<
      Exclude<keyof typeof QuoteFlag, 'none'>
    >;
    const head = await this.conn.runAndReadAll(
      `SELECT count(*), strftime(min(quote_date), '%Y-%m-%d'), strftime(max(quote_date), '%Y-%m-%d'),
        count(DISTINCT quote_date), ${flagNames.map((k) => `count(*) FILTER (flags & ${QuoteFlag[k]} <> 0)`).join(', ')}
       FROM quote_rows`,
    );
    const h = head.getRowsJS()[0]!;
    const src = await this.conn.runAndReadAll(
      `SELECT s.vendor, s.source_file, count(q.source_id), strftime(min(q.quote_date), '%Y-%m-%d'),
        strftime(max(q.quote_date), '%Y-%m-%d')
       FROM quote_sources s LEFT JOIN quote_rows q ON q.source_id = s.source_id
       GROUP BY s.source_id, s.vendor, s.source_file ORDER BY s.source_id`,
    );
    return {
      path: this.path,
      schemaVersion: 2,
      rows: Number(h[0]),
      quoteDates: { first: iso(h[1]), last: iso(h[2]), count: Number(h[3]) },
      sources: src.getRowsJS().map((r) => ({
        vendor: String(r[0]),
        file: String(r[1]),
        rows: Number(r[2]),
        firstQuoteDate: iso(r[3]),
        lastQuoteDate: iso(r[4]),
      })),
      flagged: Object.fromEntries(
        flagNames.map((k, i) => [k, Number(h[4 + i])]),
      ) as ChainStoreInfo['flagged'],
    };
  }

  /** Expiries stored for one quote date, ascending (both roots). */
  async expiries(date: IsoDate): Promise<IsoDate[]> {
    const r = await this.conn.runAndReadAll(
      `SELECT DISTINCT strftime(expiry, '%Y-%m-%d') FROM quote_rows WHERE quote_date = DATE ${sqlString(date)} ORDER BY 1`,
    );
    return r.getRowsJS().map((x) => x[0] as IsoDate);
  }

  // -------------------------------------------------------------------------------------------
  // Snapshot metadata (providers/chain, `vixshield chain snapshot`): see snapshot-table.ts

  /** Records (or replaces) the metadata of the snapshot whose rows carry (vendor, sourceFile). */
  async recordSnapshot(m: Omit<StoredSnapshot, 'liveRows'>): Promise<void> {
    const q = (v: string | number | null) =>
      v === null ? 'NULL' : typeof v === 'number' ? String(v) : sqlString(v);
    await this.conn.run(
      `INSERT OR REPLACE INTO chain_snapshots VALUES (${[m.vendor, m.sourceFile, m.provider].map(q).join(', ')},
        DATE ${sqlString(m.quoteDate)}, ${[m.quoteUtcMs, m.delaySeconds, m.publishedUtcMs, m.takenUtcMs, m.sourceUrl, m.underlyingPrice, m.rows].map(q).join(', ')})`,
    );
  }

  /** Removes a snapshot's metadata (its import failed). */
  async forgetSnapshot(vendor: string, sourceFile: string): Promise<void> {
    await this.conn.run(
      `DELETE FROM chain_snapshots WHERE vendor = ${sqlString(vendor)} AND source_file = ${sqlString(sourceFile)}`,
    );
  }

  /** Snapshots recorded (of one quote date, or all), oldest quote first, with their rows still stored. */
  async snapshots(quoteDate?: IsoDate): Promise<StoredSnapshot[]> {
    const r = await this.conn.runAndReadAll(
      `SELECT c.vendor, c.source_file, c.provider, strftime(c.quote_date, '%Y-%m-%d'), c.quote_utc_ms, c.delay_seconds,
         c.published_utc_ms, c.taken_utc_ms, c.source_url, c.underlying_price, c.rows,
         (SELECT count(*) FROM quote_rows q JOIN quote_sources s ON s.source_id = q.source_id
           WHERE s.vendor = c.vendor AND s.source_file = c.source_file)
       FROM chain_snapshots c${quoteDate ? ` WHERE c.quote_date = DATE ${sqlString(quoteDate)}` : ''}
       ORDER BY c.quote_utc_ms, c.vendor`,
    );
    return r.getRowsJS().map((x) => ({
      vendor: String(x[0]),
      sourceFile: String(x[1]),
      provider: String(x[2]),
      quoteDate: String(x[3]),
      quoteUtcMs: Number(x[4]),
      delaySeconds: Number(x[5]),
      publishedUtcMs: x[6] === null ? null : Number(x[6]),
      takenUtcMs: Number(x[7]),
      sourceUrl: String(x[8]),
      underlyingPrice: Number(x[9]),
      rows: Number(x[10]),
      liveRows: Number(x[11]),
    }));
  }

  /** Distinct stored quote dates, ascending. */
  async quoteDates(): Promise<IsoDate[]> {
    const r = await this.conn.runAndReadAll(
      "SELECT DISTINCT strftime(quote_date, '%Y-%m-%d') FROM quote_rows ORDER BY 1",
    );
    return r.getRowsJS().map((x) => x[0] as IsoDate);
  }
}

/** Chains from stored rows, each with the PriceSource of its vendor and file. */
export function chainsOfStoredRows(rows: readonly StoredQuoteRow[]): OptionChain[] {
  const bySource = new Map<string, StoredQuoteRow[]>();
  const out: OptionChain[] = [];
  // A chain's rows normally share one source; group by (date, expiry, root) first, then label it with
  // the source of its first row (a chain mixing files is still one chain).
  for (const r of rows) {
    const k = `${r.quoteDate}|${r.expiry}|${r.root}`;
    let g = bySource.get(k);
    if (g === undefined) {
      g = [];
      bySource.set(k, g);
    }
    g.push(r);
  }
  for (const g of bySource.values()) {
    const first = g[0]!;
    const source: PriceSource = { kind: 'real', vendor: first.vendor, file: first.file };
    out.push(...groupIntoChains(g, source));
  }
  return out.sort((a, b) =>
    a.asOf !== b.asOf
      ? a.asOf < b.asOf
        ? -1
        : 1
      : a.expiry !== b.expiry
        ? a.expiry < b.expiry
          ? -1
          : 1
        : a.root < b.root
          ? -1
          : a.root > b.root
            ? 1
            : 0,
  );
}

/** SPXW (PM) when both roots are present, unless `root` picks one. */
export function pickRoot(chains: readonly OptionChain[], root?: OptionRoot): OptionChain | undefined {
  if (root !== undefined) return chains.find((c) => c.root === root);
  return chains.find((c) => c.root === 'SPXW') ?? chains[0];
}
