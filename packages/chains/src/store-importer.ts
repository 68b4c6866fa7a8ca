import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { DuckDBTableFunction } from '@duckdb/node-api';
import { QuoteChunkWriter } from './duck-writer';
import { ChainImportError } from './errors';
import { FastChainReader, FastParseDeferred } from './fast-csv';
import type { LayoutSpec } from './layouts';
import { parseChainCsv, quoteInstantUtcMs } from './parse';
import { CHUNK_ROWS, QuoteChunk, RIGHT_CODES, ROOT_CODES } from './quote-chunk';
import { PHYSICAL_OF_NORMALISED, QUOTE_ROW_COLUMNS } from './schema';
import type { StoredSnapshot } from './snapshot-table';
import { duckApi, duckBindings, QUERY_THREADS, type StoreConnection, sqlString } from './store-connection';
import { CHAIN_RULES } from './validation-rules';

/*
 * The chain store's writes: CSV and Parquet imports (parse -> validate -> write in one transaction)
 * and snapshot metadata.
 *
 * Bulk CSV import (importCsv): a byte-level reader (fast-csv.ts) applies the row parser's rules and
 * fills column chunks that are copied into DuckDB data chunks and appended, all in one transaction.
 * It only accepts: at the first value it would not accept exactly as the row parser does, the
 * transaction is rolled back and the row parser (parseChainCsv) re-reads the file, naming every bad
 * value (file, line, field, value, fix) or giving the rows. So a file is imported whole or not at all,
 * and every rejection is the row parser's. Re-imported keys replace the stored rows (a temporary
 * table and a keyed delete + sorted insert, only for the chunks whose quote dates are stored).
 */

/** The table function through which an import's chunks reach an INSERT. */
const CHUNK_FUNCTION = 'vixshield_quote_chunks';

/**
 * DuckDB threads pulling chunks for the INSERT: storage writing (statistics, compression) is the
 * larger share of an import, and two threads roughly halve it on this 2-core machine.
 */
const INSERT_THREADS = 2;

/** DuckDB threads while importing (the INSERT's two chunk pullers, the merge's join and sort). */
const IMPORT_THREADS = 2;

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
    private readonly reader: QuoteChunkSource,
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

/**
 * What an import pulls quote chunks from: the byte-level reader of a file (importCsv), or any source
 * of chunks in the same form (importChunks), e.g. chunks a FastChainReader produced earlier.
 */
export type QuoteChunkSource = Pick<FastChainReader, 'next' | 'release' | 'close' | 'stats'>;

/** Key of a quote: (quote_date, root, expiry, strike, option_right). Schema: schema.ts. */
const KEY_JOIN =
  'q.quote_date = n.quote_date AND q.root = n.root AND q.expiry = n.expiry AND q.strike = n.strike AND q.option_right = n.option_right';

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
  /** Rows with bid > ask stored flagged `crossed` (0 unless allowCrossed). */
  readonly crossed: number;
}

/** Told the milliseconds of each import step as it ends, in order (benchmarks print them). */
export type ImportStepObserver = (step: string, ms: number) => void;

export interface ImportOptions {
  /** Label stored as the rows' source file (default: the file's base name). */
  readonly label?: string;
  readonly onStep?: ImportStepObserver;
  /**
   * Keep quotes with bid > ask, flagged QuoteFlag.crossed (never used as fills); the report counts
   * them. Default false: a crossed quote rejects the file, naming its line (decision 0003).
   */
  readonly allowCrossed?: boolean;
}

export class ChainImporter {
  /** Where the running import's step timings go, and when its last step ended. */
  private onStep: ImportStepObserver | undefined;
  private mark = 0;
  private lap(step: string): void {
    const now = performance.now();
    this.onStep?.(step, now - this.mark);
    this.mark = now;
  }
  /** The import in progress (read by the registered chunk table function). */
  private feed: ChunkFeed | undefined;
  private chunkFunction: DuckDBTableFunction | undefined;

  constructor(
    private readonly db: StoreConnection,
    /** Called when an import starts: the query part's cached slices are stale from then on. */
    private readonly onWrite: () => void,
  ) {}

  /**
   * The quote_sources id of (vendor, file), added when new. Outside the import's transaction: a
   * source whose import then fails is dropped afterwards (withImportThreads).
   */
  private async sourceIdFor(vendor: string, file: string): Promise<number> {
    const find = `SELECT source_id FROM quote_sources WHERE vendor = ${sqlString(vendor)} AND source_file = ${sqlString(file)}`;
    let id = (await this.db.conn.runAndReadAll(find)).getRowsJS()[0]?.[0];
    if (id === undefined) {
      await this.db.conn.run(
        `INSERT INTO quote_sources SELECT coalesce(max(source_id), 0) + 1, ${sqlString(vendor)}, ${sqlString(file)} FROM quote_sources`,
      );
      id = (await this.db.conn.runAndReadAll(find)).getRowsJS()[0]?.[0];
      await this.db.loadSources();
    }
    return Number(id);
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
  async importCsv(path: string, spec: LayoutSpec, options: ImportOptions = {}): Promise<ImportReport> {
    const label = options.label ?? basename(path);
    const allowCrossed = options.allowCrossed === true;
    const rowParser = (writer: QuoteChunkWriter, t0: number) =>
      this.importWithRowParser(path, spec, label, writer, t0, allowCrossed);
    return this.withImportThreads(() =>
      this.importChunksWork(
        (storedDays) => new FastChainReader(path, spec, { storedDays, allowCrossed }),
        spec.vendor,
        label,
        options.onStep,
        rowParser,
      ),
    );
  }

  /**
   * Imports quote chunks from `source` (every row already validated, e.g. chunks a FastChainReader
   * produced beforehand and did not reuse meanwhile) the way importCsv inserts them, as rows of
   * (vendor, label): in one transaction, re-imported keys replacing the stored rows.
   */
  async importChunks(
    source: QuoteChunkSource,
    vendor: string,
    label: string,
    options: Pick<ImportOptions, 'onStep'> = {},
  ): Promise<ImportReport> {
    return this.withImportThreads(() => this.importChunksWork(() => source, vendor, label, options.onStep));
  }

  /** Day numbers (days since 1970-01-01) of the stored quote dates. */
  async storedDayNumbers(): Promise<Set<number>> {
    const r = await this.db.conn.runAndReadAll(
      "SELECT DISTINCT (quote_date - DATE '1970-01-01')::INTEGER FROM quote_rows",
    );
    return new Set(r.getRowsJS().map((x) => Number(x[0])));
  }

  /**
   * The import itself: chunks from `open(storedDays)` inserted in one transaction. `rowParser` takes
   * over when the source defers (FastParseDeferred): the byte reader met a value it does not accept.
   */
  private async importChunksWork(
    open: (storedDays: Set<number>) => QuoteChunkSource,
    vendor: string,
    label: string,
    onStep: ImportStepObserver | undefined,
    rowParser?: (writer: QuoteChunkWriter, t0: number) => Promise<ImportReport>,
  ): Promise<ImportReport> {
    const t0 = performance.now();
    this.onWrite();
    this.onStep = onStep;
    this.mark = t0;
    const b = await duckBindings();
    const storedDays = await this.storedDayNumbers();
    const writer = new QuoteChunkWriter(b, await this.sourceIdFor(vendor, label));
    await this.createStage();
    this.registerChunkFunction();
    this.lap('prepare');
    let reader: QuoteChunkSource;
    try {
      reader = open(storedDays);
    } catch (err) {
      if (err instanceof FastParseDeferred && rowParser) return await rowParser(writer, t0);
      throw err;
    }
    const feed = new ChunkFeed(reader, writer, b);
    this.feed = feed;
    const c = this.db.conn;
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
      const totalRows = await this.db.count();
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
        crossed: stats.crossed ?? 0,
      };
    } catch (err) {
      await c.run('ROLLBACK').catch(() => undefined);
      if (rowParser && (err instanceof FastParseDeferred || feed.error instanceof FastParseDeferred)) {
        this.lap('rollback');
        return await rowParser(writer, t0);
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
    const d = duckApi();
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
    this.db.conn.registerTableFunction(this.chunkFunction);
  }

  /**
   * Runs an import with IMPORT_THREADS DuckDB threads, then goes back to QUERY_THREADS and drops the
   * sources left without rows (a failed import's, or a file whose rows later imports all replaced).
   */
  private async withImportThreads<T>(f: () => Promise<T>): Promise<T> {
    await this.db.conn.run(`SET threads = ${IMPORT_THREADS}`);
    try {
      return await f();
    } finally {
      await this.db.conn.run(`SET threads = ${QUERY_THREADS}`);
      await this.db.conn.run(
        'DELETE FROM quote_sources WHERE source_id NOT IN (SELECT DISTINCT source_id FROM quote_rows)',
      );
      await this.db.loadSources();
    }
  }

  /** The slow path: the row parser names the bad values (throws), or its rows are merged. */
  private async importWithRowParser(
    path: string,
    spec: LayoutSpec,
    label: string,
    writer: QuoteChunkWriter,
    t0: number,
    allowCrossed: boolean,
  ): Promise<ImportReport> {
    const parsed = parseChainCsv(readFileSync(path, 'utf8'), label, spec, { allowCrossed });
    this.lap('row parser');
    const d = duckApi();
    const q = new QuoteChunk([]);
    const instants = new Map<string, number>();
    await this.createStage();
    const app = await this.db.conn.createAppender('stage', 'main', 'temp');
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
          app.appendDataChunk(new d.DuckDBDataChunk(writer.build(q)));
          q.n = 0;
        }
      }
      if (q.n > 0) app.appendDataChunk(new d.DuckDBDataChunk(writer.build(q)));
    } finally {
      app.closeSync();
    }
    this.lap('append to stage');
    const rows = parsed.rows.length;
    const r = await this.merge('stage', label, rows, t0);
    return {
      ...r,
      rowsRead: parsed.rowsRead,
      blankLines: parsed.blankLines,
      reader: 'row parser',
      crossed: parsed.crossed,
    };
  }

  private async createStage(): Promise<void> {
    await this.db.conn.run(
      'DROP TABLE IF EXISTS stage; CREATE TEMP TABLE stage AS SELECT * FROM quote_rows LIMIT 0',
    );
  }

  /**
   * Inside an open transaction: deletes the stored rows whose keys temp table `table` brings, then
   * inserts its rows, sorted by key unless `clustered` says they already come grouped by
   * (quote date, expiry) (zone maps prune chain queries either way). Returns the rows replaced.
   */
  private async mergeStage(table: string, clustered = false): Promise<number> {
    const c = this.db.conn;
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
    const c = this.db.conn;
    await c.run('BEGIN TRANSACTION');
    try {
      const replaced = await this.mergeStage(table);
      await c.run('COMMIT');
      this.lap('commit');
      const totalRows = await this.db.count();
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
        crossed: 0,
      };
    } catch (err) {
      await c.run('ROLLBACK');
      throw err;
    } finally {
      await c.run(`DROP TABLE IF EXISTS ${table}`);
    }
  }

  /**
   * Imports a Parquet file written by exportParquet. The schema must match column for column, and
   * the rows are checked (key columns present, settlement matching the root, flags matching bid/ask,
   * no duplicate keys) before anything is written. Idempotent like importCsv.
   */
  async importParquet(path: string, options: ImportOptions = {}): Promise<ImportReport> {
    const label = options.label ?? basename(path);
    return this.withImportThreads(() =>
      this.importParquetWork(path, label, options.onStep, options.allowCrossed === true),
    );
  }

  private async importParquetWork(
    path: string,
    label: string,
    onStep: ImportStepObserver | undefined,
    allowCrossed: boolean,
  ): Promise<ImportReport> {
    const t0 = performance.now();
    this.onWrite();
    this.onStep = onStep;
    this.mark = t0;
    const c = this.db.conn;
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
    const checks: Array<[string, string, string, string?]> = [
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
    // A crossed quote (bid > ask) needs --allow-crossed here too (the rows of a store that allowed
    // them carry the flag; re-importing its export allows them again explicitly).
    if (!allowCrossed)
      checks.push([
        'ask',
        'bid > ask',
        'a crossed quote (bid > ask)',
        CHAIN_RULES.quoteNotCrossed.fix({ bid: 0, ask: 0 }),
      ]);
    for (const [field, cond, problem, fix] of checks) {
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
          fix ?? 'fix the row, or re-export it with `vixshield chains export`',
        );
    }
    const dups = await this.db.scalar(
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
    const rows = await this.db.scalar('SELECT count(*) FROM norm');
    // New (vendor, file) pairs become sources; then the rows take quote_rows' form.
    await c.run(`INSERT INTO quote_sources
      SELECT (SELECT coalesce(max(source_id), 0) FROM quote_sources) + row_number() OVER (ORDER BY vendor, source_file), vendor, source_file
      FROM (SELECT DISTINCT vendor, source_file FROM norm EXCEPT SELECT vendor, source_file FROM quote_sources)`);
    await this.db.loadSources();
    await c.run(`DROP TABLE IF EXISTS normp; CREATE TEMP TABLE normp AS SELECT * FROM quote_rows LIMIT 0;
      INSERT INTO normp SELECT ${PHYSICAL_OF_NORMALISED}
      FROM norm n JOIN quote_sources s ON s.vendor = n.vendor AND s.source_file = n.source_file`);
    await c.run('DROP TABLE norm');
    const crossed = await this.db.scalar('SELECT count(*) FROM normp WHERE bid > ask');
    const r = await this.merge('normp', label, rows, t0);
    return { ...r, reader: 'parquet', crossed };
  }

  /** Records (or replaces) the metadata of the snapshot whose rows carry (vendor, sourceFile). */
  async recordSnapshot(m: Omit<StoredSnapshot, 'liveRows'>): Promise<void> {
    const q = (v: string | number | null) =>
      v === null ? 'NULL' : typeof v === 'number' ? String(v) : sqlString(v);
    await this.db.conn.run(
      `INSERT OR REPLACE INTO chain_snapshots VALUES (${[m.vendor, m.sourceFile, m.provider].map(q).join(', ')},
        DATE ${sqlString(m.quoteDate)}, ${[m.quoteUtcMs, m.delaySeconds, m.publishedUtcMs, m.takenUtcMs, m.sourceUrl, m.underlyingPrice, m.rows].map(q).join(', ')})`,
    );
  }

  /** Removes a snapshot's metadata (its import failed). */
  async forgetSnapshot(vendor: string, sourceFile: string): Promise<void> {
    await this.db.conn.run(
      `DELETE FROM chain_snapshots WHERE vendor = ${sqlString(vendor)} AND source_file = ${sqlString(sourceFile)}`,
    );
  }
}
