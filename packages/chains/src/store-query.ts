import type { DuckDBPreparedStatement } from '@duckdb/node-api';
import {
  type IsoDate,
  type OptionChain,
  type OptionRight,
  type OptionRoot,
  type PriceSource,
  QuoteFlag,
} from '@vixshield/core';
import { groupIntoChains } from './group';
import { dayNumberOfIso } from './quote-chunk';
import type { ChainQuoteRow } from './row';
import { QUOTE_COLUMNS, type SCHEMA_VERSION } from './schema';
import { CHAIN_SLICE_SELECT, type ChainSlice, readSlice, SLICE_SELECT, STRIKE_SELECT } from './slice';
import type { StoredSnapshot } from './snapshot-table';
import { duckApi, duckBindings, type StoreConnection, sqlString } from './store-connection';

/*
 * The chain store's reads: chain slices by (quote date, expiry) with their LRU cache, single quotes,
 * rows by date range, what the store holds, snapshot metadata, and the Parquet export. Nothing here
 * writes quotes (store-importer.ts does, and clears this part's cache through clearChainCache).
 */

/** Rows as read back from the store: a normalised row plus where it came from. */
export interface StoredQuoteRow extends ChainQuoteRow {
  readonly vendor: string;
  readonly file: string;
}

export interface DateRange {
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

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
  readonly schemaVersion: typeof SCHEMA_VERSION;
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

export class ChainQuery {
  private readonly statements = new Map<string, DuckDBPreparedStatement>();
  private readonly slices = new Map<string, ChainSlice>();

  constructor(private readonly db: StoreConnection) {}

  /** Stored rows with quote dates in [from, to] (inclusive), in key order. */
  async readRows(range: DateRange = {}): Promise<StoredQuoteRow[]> {
    const where: string[] = [];
    if (range.from !== undefined) where.push(`quote_date >= DATE ${sqlString(range.from)}`);
    if (range.to !== undefined) where.push(`quote_date <= DATE ${sqlString(range.to)}`);
    const r = await this.db.conn.runAndReadAll(
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
    const d = duckApi();
    const b = await duckBindings();
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = await this.db.conn.prepare(sql);
      this.statements.set(sql, stmt);
    }
    stmt.bindDate(1, new d.DuckDBDateValue(dayNumberOfIso(date)));
    stmt.bindDate(2, new d.DuckDBDateValue(dayNumberOfIso(expiry)));
    bind?.(stmt);
    const res = await stmt.run();
    const chunks = Array.from({ length: res.chunkCount }, (_, i) => res.getChunk(i).chunk);
    return readSlice(b, date, expiry, full, chunks, this.db.sourceOf);
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
    const head = await this.db.conn.runAndReadAll(
      `SELECT count(*), strftime(min(quote_date), '%Y-%m-%d'), strftime(max(quote_date), '%Y-%m-%d'),
        count(DISTINCT quote_date), ${flagNames.map((k) => `count(*) FILTER (flags & ${QuoteFlag[k]} <> 0)`).join(', ')}
       FROM quote_rows`,
    );
    const h = head.getRowsJS()[0]!;
    const src = await this.db.conn.runAndReadAll(
      `SELECT s.vendor, s.source_file, count(q.source_id), strftime(min(q.quote_date), '%Y-%m-%d'),
        strftime(max(q.quote_date), '%Y-%m-%d')
       FROM quote_sources s LEFT JOIN quote_rows q ON q.source_id = s.source_id
       GROUP BY s.source_id, s.vendor, s.source_file ORDER BY s.source_id`,
    );
    return {
      path: this.db.path,
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
    const r = await this.db.conn.runAndReadAll(
      `SELECT DISTINCT strftime(expiry, '%Y-%m-%d') FROM quote_rows WHERE quote_date = DATE ${sqlString(date)} ORDER BY 1`,
    );
    return r.getRowsJS().map((x) => x[0] as IsoDate);
  }

  /** Snapshots recorded (of one quote date, or all), oldest quote first, with their rows still stored. */
  async snapshots(quoteDate?: IsoDate): Promise<StoredSnapshot[]> {
    const r = await this.db.conn.runAndReadAll(
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
    const r = await this.db.conn.runAndReadAll(
      "SELECT DISTINCT strftime(quote_date, '%Y-%m-%d') FROM quote_rows ORDER BY 1",
    );
    return r.getRowsJS().map((x) => x[0] as IsoDate);
  }

  /** Exports every stored quote to a Parquet file (sorted by key). Returns the row count. */
  async exportParquet(outPath: string): Promise<number> {
    await this.db.conn.run(
      `COPY (SELECT ${QUOTE_COLUMNS.join(', ')} FROM option_quotes ORDER BY quote_date, expiry, root, strike, option_right)
       TO ${sqlString(outPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    return this.db.count();
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
