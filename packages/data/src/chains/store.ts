import { closeSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBPreparedStatement,
  DuckDBTimestampValue,
} from '@duckdb/node-api';
import {
  expirationsOn,
  InvalidInputError,
  type IsoDate,
  isTradingDay,
  type OptionChain,
  type OptionRight,
  type OptionRoot,
  type PriceSource,
  QuoteFlag,
  session,
} from '@vixshield/core';
import { splitCsvLine } from './csv';
import { ChainImportError, type ImportIssue } from './errors';
import { groupIntoChains } from './group';
import type { LayoutSpec, MappableField } from './layouts';
import { parseChainCsv, parseVendorDate, quoteInstantUtcMs } from './parse';
import type { ChainQuoteRow } from './row';

/*
 * The chain store: one DuckDB file (<dataDir>/chains.duckdb) with one table of normalised quotes.
 *
 * Bulk CSV import runs inside DuckDB (its CSV reader, then set-based SQL). A first scan collects the
 * distinct combinations of the categorical columns (dates, right, root, underlying name, quote time);
 * each combination is decided once in TypeScript with the row parser's own functions (trading days,
 * which root expires when, quote times against early closes) and joined back as one lookup table. A
 * second scan normalises and validates every row into a temporary table; only a file with no bad row
 * is merged, in one transaction (delete the keys it brings, insert its rows), so importing the same
 * file twice leaves one copy. When any row fails, the file is re-read by the TypeScript parser (parseChainCsv), whose ChainImportError
 * names file, line, field, value and fix; the two paths are tested against the same bad-file corpus.
 */

export const CHAIN_DB_FILE = 'chains.duckdb';

/**
 * The DuckDB module, loaded on the first ChainStore.open: code that only reads the embedded CSV
 * (RealChainSource.embedded, `vixshield chain` on a 2018 date) never loads the native binding.
 */
let duck: typeof import('@duckdb/node-api') | undefined;

/** The quote table. Key: (quote_date, root, expiry, strike, option_right). NULL = missing value. */
export const CHAIN_TABLE_SQL = `CREATE TABLE IF NOT EXISTS option_quotes (
  quote_date DATE NOT NULL,            -- exchange trading date (New York)
  quote_time_et VARCHAR,               -- 'HH:MM' New York; NULL = end of day (session close)
  quote_utc_ms BIGINT NOT NULL,        -- quote instant, epoch ms
  underlying VARCHAR NOT NULL,         -- 'SPX'
  root VARCHAR NOT NULL,               -- 'SPX' (AM monthlies) | 'SPXW' (PM)
  expiry DATE NOT NULL,
  settlement VARCHAR NOT NULL,         -- 'AM' | 'PM', from the root
  strike DOUBLE NOT NULL,              -- index points
  option_right VARCHAR NOT NULL,       -- 'call' | 'put'
  bid DOUBLE,                          -- index points
  ask DOUBLE,
  last DOUBLE,
  volume BIGINT,
  open_interest BIGINT,
  underlying_price DOUBLE NOT NULL,    -- SPX at the quote instant
  vendor_iv DOUBLE,                    -- decimal; NULL when absent or a placeholder
  vendor_delta DOUBLE,
  vendor_gamma DOUBLE,
  vendor_theta DOUBLE,                 -- per calendar year
  vendor_vega DOUBLE,                  -- per 1.00 vol
  iv_placeholder BOOLEAN NOT NULL,
  flags UTINYINT NOT NULL,             -- core QuoteFlag bits of (bid, ask)
  vendor VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL
)`;

const COLUMNS = [
  'quote_date',
  'quote_time_et',
  'quote_utc_ms',
  'underlying',
  'root',
  'expiry',
  'settlement',
  'strike',
  'option_right',
  'bid',
  'ask',
  'last',
  'volume',
  'open_interest',
  'underlying_price',
  'vendor_iv',
  'vendor_delta',
  'vendor_gamma',
  'vendor_theta',
  'vendor_vega',
  'iv_placeholder',
  'flags',
  'vendor',
  'source_file',
] as const;

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

/** First line of a file (the header), without reading the whole file. */
function readHeader(path: string): string[] {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65_536);
    const len = readSync(fd, buf, 0, buf.length, 0);
    let text = buf.subarray(0, len).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const end = text.search(/\r?\n/);
    return splitCsvLine(end < 0 ? text : text.slice(0, end)).map((h) => h.trim().toLowerCase());
  } finally {
    closeSync(fd);
  }
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
  private byDateExpiry: DuckDBPreparedStatement | undefined;
  private byDelta: DuckDBPreparedStatement | undefined;
  private chainStmt: DuckDBPreparedStatement | undefined;
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
      mkdirSync(dataDir, { recursive: true });
      path = join(resolve(dataDir), CHAIN_DB_FILE);
    }
    let instance: DuckDBInstance;
    try {
      duck ??= await import('@duckdb/node-api');
      instance = await duck.DuckDBInstance.create(path);
    } catch (err) {
      const msg = (err as Error).message;
      if (/lock/i.test(msg)) {
        throw new InvalidInputError(
          `${path} is open in another process (DuckDB allows one writer at a time)`,
          'dataDir',
          'wait for the other vixshield command to finish, or use another --data-dir',
        );
      }
      throw err;
    }
    const conn = await instance.connect();
    await conn.run(CHAIN_TABLE_SQL);
    // Imports never rely on the order of a CREATE TABLE AS (line numbers come from the row parser).
    await conn.run('SET preserve_insertion_order = false');
    return new ChainStore(instance, conn, path);
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }

  private async scalar(sql: string): Promise<number> {
    const r = await this.conn.runAndReadAll(sql);
    return Number(r.getRowsJS()[0]?.[0] ?? 0);
  }

  async count(): Promise<number> {
    return this.scalar('SELECT count(*) FROM option_quotes');
  }

  /**
   * Imports a CSV file in `spec`'s layout. Validates the whole file first: on any bad value a
   * ChainImportError (file, line, field, value, fix) is thrown and the store is unchanged.
   * Idempotent per (quote date, root, expiry, strike, right): a re-imported row replaces the old one.
   */
  async importCsv(path: string, spec: LayoutSpec, label: string = basename(path)): Promise<ImportReport> {
    const t0 = performance.now();
    this.lastTimings = [];
    this.mark = t0;
    const header = readHeader(path);
    const col: Partial<Record<MappableField, string>> = {};
    for (const [field, name] of Object.entries(spec.columns) as Array<[MappableField, string]>) {
      const i = header.indexOf(name.trim().toLowerCase());
      if (i < 0) this.failWithParser(path, spec, label, 'header');
      col[field] = `c${i}`;
    }
    const c = this.conn;
    await c.run('DROP TABLE IF EXISTS p2; DROP TABLE IF EXISTS norm');
    // Pass 1: trimmed raw text (NULL when empty) and numbers cast once per column.
    const v = (f: MappableField): string =>
      col[f] === undefined ? 'NULL::VARCHAR' : `nullif(trim(${col[f]}), '')`;
    const NUMERIC: MappableField[] = [
      'strike',
      'bid',
      'ask',
      'last',
      'volume',
      'openInterest',
      'underlyingPrice',
      'underlyingBid',
      'underlyingAsk',
      'iv',
      'delta',
      'gamma',
      'theta',
      'vega',
    ];
    const sym = `replace(${v('optionSymbol')}, ' ', '')`;
    const osi = `regexp_extract(${sym}, '^([A-Z]{1,6})(\\d{6})([CP])(\\d{8})$', ['r', 'd', 'cp', 'k'])`;
    // The root part of an OSI symbol (everything before the 15-character date/right/strike tail); the
    // full symbol is checked by the regex in the normalising pass.
    const symRoot =
      col.optionSymbol === undefined
        ? "''"
        : `coalesce(CASE WHEN length(${sym}) > 15 THEN substr(${sym}, 1, length(${sym}) - 15) END, '')`;
    const rawCols = `coalesce(${v('quoteDate')}, '') AS qd_raw,
          coalesce(${v('expiry')}, '') AS exp_raw,
          coalesce(lower(${v('right')}), '') AS right_raw,
          coalesce(upper(${v('root')}), '') AS root_raw,
          ${symRoot} AS sym_root,
          coalesce(${v('underlyingSymbol')}, '') AS usym_raw,
          coalesce(${v('quoteTime')}, '') AS qt_raw`;
    const vcols = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
    const num = (f: MappableField): string =>
      `(CASE WHEN strpos(${v(f)}, '_') > 0 THEN NULL ELSE try_cast(${v(f)} AS DOUBLE) END)`;
    let p2sql = '';
    try {
      // Inner query: each text and number computed once; outer: the checks on those columns.
      const present = (f: MappableField): string =>
        col[f] === undefined ? 'false' : `${col[f]} IS NOT NULL AND trim(${col[f]}) <> ''`;
      const badX = (f: MappableField, min: number | null, integer = false): string => {
        if (col[f] === undefined) return 'false';
        const x = `x_${f}`;
        const conds = [`${x} IS NULL`, `NOT isfinite(${x})`];
        if (min !== null) conds.push(`${x} < ${min}`);
        if (integer) conds.push(`${x} <> round(${x})`);
        return `(h_${f} AND (${conds.join(' OR ')}))`;
      };
      p2sql = `SELECT * EXCLUDE (${NUMERIC.map((f) => `h_${f}`).join(', ')}),
          (${badX('bid', 0)} OR ${badX('ask', 0)} OR ${badX('last', 0)}
            OR ${badX('volume', 0, true)} OR ${badX('openInterest', 0, true)}
            OR ${badX('underlyingPrice', 0)} OR ${badX('underlyingBid', 0)} OR ${badX('underlyingAsk', 0)}
            OR ${badX('iv', 0)} OR ${badX('delta', null)} OR ${badX('gamma', null)}
            OR ${badX('theta', null)} OR ${badX('vega', null)}) AS num_bad
        FROM (SELECT
          ${rawCols},
          ${col.optionSymbol === undefined ? 'NULL::STRUCT(r VARCHAR, d VARCHAR, cp VARCHAR, k VARCHAR)' : osi} AS osi,
          ${NUMERIC.map((f) => `${num(f)} AS x_${f}, ${present(f)} AS h_${f}`).join(',\n          ')}
        FROM read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ',', quote = '"',
          escape = '"', strict_mode = true, null_padding = false, columns = {${vcols}}))`;
      // One scan for the distinct categorical values (and the row count); the normalising pass below
      // scans the file again instead of materialising a staging table.
      await c.run(
        `CREATE TEMP TABLE p2 AS SELECT *, count(*) AS n FROM (SELECT ${rawCols}
         FROM read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ',', quote = '"',
           escape = '"', strict_mode = true, null_padding = false, columns = {${vcols}})) GROUP BY ALL`,
      );
    } catch (err) {
      this.failWithParser(path, spec, label, (err as Error).message.split('\n')[0] ?? 'read error');
    }
    this.lap('read CSV + cast');
    const rows = await this.scalar('SELECT coalesce(sum(n), 0) FROM p2');
    if (rows === 0) this.failWithParser(path, spec, label, 'no rows');

    // One lookup row per distinct combination of the categorical values (a few thousand at most):
    // dates, trading days, right codes, roots, which root expires when, quote time vs early close are
    // all decided here in TypeScript with the row parser's own functions.
    const pd = (raw: string): IsoDate | undefined =>
      parseVendorDate(raw, spec.dateFormat, spec.dateTimeSuffix);
    const calls = new Set(spec.callCodes.map((x) => x.toLowerCase()));
    const puts = new Set(spec.putCodes.map((x) => x.toLowerCase()));
    const okRoot = (x: string): x is OptionRoot => x === 'SPX' || x === 'SPXW';
    await this.comboLookup((k) => {
      const [qdRaw, expRaw, rightRaw, rootRaw, symRootRaw, usymRaw, qtRaw] = k as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const qd = pd(qdRaw);
      const ex = pd(expRaw);
      const right = calls.has(rightRaw) ? 'call' : puts.has(rightRaw) ? 'put' : null;
      let root: OptionRoot | null = null;
      if (col.root !== undefined) root = okRoot(rootRaw) ? rootRaw : null;
      if (col.optionSymbol !== undefined) {
        if (!okRoot(symRootRaw) || (root !== null && root !== symRootRaw)) root = null;
        else if (col.root === undefined) root = symRootRaw;
      }
      let usymOk = true;
      if (col.underlyingSymbol !== undefined) {
        const u = usymRaw.replace(/^[$^]/, '').toUpperCase();
        usymOk = u === 'SPX' || u === 'SPXW' || u === 'SPX.X';
      }
      let t: string | null = spec.quoteTimeEt;
      let timeOk = true;
      if (col.quoteTime !== undefined) {
        const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(qtRaw);
        if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) timeOk = false;
        else t = `${m[1]!.padStart(2, '0')}:${m[2]}`;
      }
      const tradingDay = qd !== undefined && safe(() => isTradingDay(qd));
      if (tradingDay && timeOk && t !== null && quoteInstantUtcMs(qd, t) > session(qd).closeUtcMs)
        timeOk = false;
      const ok =
        tradingDay &&
        ex !== undefined &&
        ex >= qd! &&
        right !== null &&
        root !== null &&
        usymOk &&
        timeOk &&
        rootExpiresOn(root, ex);
      return { quoteDate: qd ?? null, expiry: ex ?? null, right, root, quoteTimeEt: t, ok };
    });
    this.lap('lookups');
    const thetaScale = spec.thetaPer === 'day' ? 365 : 1;
    const upExpr =
      col.underlyingBid !== undefined
        ? 'CASE WHEN x_underlyingPrice > 0 THEN x_underlyingPrice WHEN x_underlyingBid > 0 AND x_underlyingAsk > 0 THEN (x_underlyingBid + x_underlyingAsk) / 2 END'
        : 'CASE WHEN x_underlyingPrice > 0 THEN x_underlyingPrice END';
    const allZero = spec.zeroGreeksMeanMissing ? '(x_delta = 0 AND x_gamma = 0 AND x_vega = 0)' : 'false';
    const placeholder = spec.dropPlaceholderIv ? 'coalesce(abs(x_delta) = 1 AND x_vega = 0, false)' : 'false';
    const ivExpr = `CASE WHEN ${placeholder} THEN NULL WHEN ${spec.zeroGreeksMeanMissing} AND x_iv = 0 THEN NULL ELSE x_iv END`;
    const symChecks =
      col.optionSymbol === undefined
        ? 'false'
        : `osi.r = '' OR ('20' || substr(osi.d, 1, 2) || '-' || substr(osi.d, 3, 2) || '-' || substr(osi.d, 5, 2)) <> lk.expiry
           OR (CASE osi.cp WHEN 'C' THEN 'call' ELSE 'put' END) <> lk.option_right
           OR try_cast(osi.k AS DOUBLE) / 1000 <> x_strike`;

    await c.run(`CREATE TEMP TABLE norm AS
      SELECT
        lk.quote_date::DATE AS quote_date,
        lk.quote_time_et AS quote_time_et,
        'SPX' AS underlying,
        lk.root AS root,
        lk.expiry::DATE AS expiry,
        CASE lk.root WHEN 'SPX' THEN 'AM' ELSE 'PM' END AS settlement,
        x_strike AS strike,
        lk.option_right AS option_right,
        x_bid AS bid,
        x_ask AS ask,
        x_last AS last,
        x_volume::BIGINT AS volume,
        x_openInterest::BIGINT AS open_interest,
        ${upExpr} AS underlying_price,
        ${ivExpr} AS vendor_iv,
        CASE WHEN ${allZero} THEN NULL ELSE x_delta END AS vendor_delta,
        CASE WHEN ${allZero} THEN NULL ELSE x_gamma END AS vendor_gamma,
        CASE WHEN ${allZero} THEN NULL ELSE x_theta * ${thetaScale} END AS vendor_theta,
        CASE WHEN ${allZero} THEN NULL ELSE x_vega END AS vendor_vega,
        ${placeholder} AS iv_placeholder,
        (
          lk.ok IS NOT TRUE
          OR x_strike IS NULL OR NOT isfinite(x_strike) OR x_strike <= 0
          OR num_bad
          OR (${upExpr}) IS NULL
          OR coalesce(${symChecks}, true)
        ) AS bad
      FROM (${p2sql}) p2
      LEFT JOIN lk ON lk.qd_raw = p2.qd_raw AND lk.exp_raw = p2.exp_raw AND lk.right_raw = p2.right_raw
        AND lk.root_raw = p2.root_raw AND lk.sym_root = p2.sym_root AND lk.usym_raw = p2.usym_raw
        AND lk.qt_raw = p2.qt_raw`);
    await c.run('DROP TABLE p2');
    this.lap('normalise');

    const bad = await this.scalar('SELECT count(*) FROM norm WHERE bad');
    const dups = await this.scalar(
      'SELECT count(*) FROM (SELECT 1 FROM norm GROUP BY quote_date, root, expiry, strike, option_right HAVING count(*) > 1)',
    );
    if (bad > 0 || dups > 0)
      this.failWithParser(path, spec, label, `${bad} bad rows, ${dups} duplicate keys`);
    this.lap('validate');

    const report = await this.merge(
      `SELECT quote_date, quote_time_et,
         epoch_ms(CASE WHEN quote_time_et IS NULL THEN q.close_ts ELSE q.t_ts END) AS quote_utc_ms,
         underlying, root, expiry, settlement, strike, option_right, bid, ask, last, volume, open_interest,
         underlying_price, vendor_iv, vendor_delta, vendor_gamma, vendor_theta, vendor_vega, iv_placeholder,
         ((CASE WHEN bid IS NULL THEN 1 WHEN bid = 0 THEN 4 ELSE 0 END)
          | (CASE WHEN ask IS NULL THEN 2 WHEN ask = 0 THEN 8 ELSE 0 END)
          | (CASE WHEN bid > ask THEN 16 ELSE 0 END))::UTINYINT AS flags,
         ${sqlString(spec.vendor)} AS vendor, ${sqlString(label)} AS source_file
       FROM norm JOIN lk_instant q ON q.k0 = strftime(norm.quote_date, '%Y-%m-%d') AND q.k1 IS NOT DISTINCT FROM norm.quote_time_et`,
      label,
      rows,
      t0,
      true,
    );
    return report;
  }

  /** Quote instants (epoch ms) for the distinct (quote date, time) pairs of `norm`. */
  private async instants(): Promise<void> {
    const r = await this.conn.runAndReadAll(
      "SELECT DISTINCT strftime(quote_date, '%Y-%m-%d'), quote_time_et FROM norm",
    );
    await this.conn.run(
      'DROP TABLE IF EXISTS lk_instant; CREATE TEMP TABLE lk_instant (k0 VARCHAR, k1 VARCHAR, close_ts TIMESTAMP, t_ts TIMESTAMP)',
    );
    const app = await this.conn.createAppender('lk_instant', 'main', 'temp');
    for (const [d, t] of r.getRowsJS() as Array<[string, string | null]>) {
      const closeMs = session(d as IsoDate).closeUtcMs;
      const tMs = t === null ? closeMs : quoteInstantUtcMs(d as IsoDate, t);
      app.appendVarchar(d);
      if (t === null) app.appendNull();
      else app.appendVarchar(t);
      app.appendValue(tsValue(closeMs));
      app.appendValue(tsValue(tMs));
      app.endRow();
    }
    app.closeSync();
  }

  /** Merges the rows of `select` (over temp table norm) into option_quotes in one transaction. */
  private async merge(
    select: string,
    label: string,
    rows: number,
    t0: number,
    needInstants: boolean,
  ): Promise<ImportReport> {
    const c = this.conn;
    if (needInstants) await this.instants();
    await c.run('BEGIN TRANSACTION');
    try {
      const replaced = await this.scalar(
        `SELECT count(*) FROM option_quotes q SEMI JOIN norm n ON ${KEY_JOIN}`,
      );
      this.lap('find replaced keys');
      if (replaced > 0) await c.run(`DELETE FROM option_quotes q USING norm n WHERE ${KEY_JOIN}`);
      this.lap('delete replaced');
      await c.run(
        `INSERT INTO option_quotes (${COLUMNS.join(', ')}) SELECT ${COLUMNS.join(', ')} FROM (${select}) ORDER BY quote_date, expiry, root, strike, option_right`,
      );
      await c.run('COMMIT');
      this.lap('insert + commit');
      const totalRows = await this.count();
      const seconds = (performance.now() - t0) / 1000;
      return { file: label, rows, replaced, totalRows, seconds, rowsPerSecond: rows / seconds };
    } catch (err) {
      await c.run('ROLLBACK');
      throw err;
    } finally {
      await c.run('DROP TABLE IF EXISTS p2; DROP TABLE IF EXISTS norm');
    }
  }

  /** Builds temp table lk from the distinct combinations in p2, one `decide` call per combination. */
  private async comboLookup(
    decide: (key: string[]) => {
      quoteDate: string | null;
      expiry: string | null;
      right: string | null;
      root: string | null;
      quoteTimeEt: string | null;
      ok: boolean;
    },
  ): Promise<void> {
    const keys = ['qd_raw', 'exp_raw', 'right_raw', 'root_raw', 'sym_root', 'usym_raw', 'qt_raw'];
    const r = await this.conn.runAndReadAll(`SELECT ${keys.join(', ')} FROM p2`);
    await this.conn.run(
      `DROP TABLE IF EXISTS lk; CREATE TEMP TABLE lk (${keys.map((k) => `${k} VARCHAR`).join(', ')},
        quote_date VARCHAR, expiry VARCHAR, option_right VARCHAR, root VARCHAR, quote_time_et VARCHAR, ok BOOLEAN)`,
    );
    const app = await this.conn.createAppender('lk', 'main', 'temp');
    const opt = (x: string | null): void => {
      if (x === null) app.appendNull();
      else app.appendVarchar(x);
    };
    for (const row of r.getRowsJS() as string[][]) {
      for (const k of row) app.appendVarchar(k);
      const d = decide(row);
      opt(d.quoteDate);
      opt(d.expiry);
      opt(d.right);
      opt(d.root);
      opt(d.quoteTimeEt);
      app.appendBoolean(d.ok);
      app.endRow();
    }
    app.closeSync();
  }

  /** Re-reads the file with the TypeScript parser to name the bad values, and throws. */
  private failWithParser(path: string, spec: LayoutSpec, label: string, why: string): never {
    parseChainCsv(readFileSync(path, 'utf8'), label, spec); // throws ChainImportError when it finds them
    const issue: ImportIssue = {
      file: label,
      line: 0,
      field: 'file',
      value: why,
      problem: 'the bulk reader rejected the file but the row parser found no bad value',
      fix: 'check for blank lines, stray quotes or a non-UTF-8 encoding',
    };
    throw new ChainImportError([issue]);
  }

  /** Exports every stored quote to a Parquet file (sorted by key). Returns the row count. */
  async exportParquet(outPath: string): Promise<number> {
    await this.conn.run(
      `COPY (SELECT ${COLUMNS.join(', ')} FROM option_quotes ORDER BY quote_date, expiry, root, strike, option_right)
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
    const t0 = performance.now();
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
    return this.merge(`SELECT ${COLUMNS.join(', ')} FROM norm`, label, rows, t0, false);
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

  /** The rows of one (quote date, expiry), both roots, in key order. */
  async chainRows(date: IsoDate, expiry: IsoDate): Promise<StoredQuoteRow[]> {
    if (this.byDateExpiry === undefined) {
      this.byDateExpiry = await this.conn.prepare(
        `${SELECT_ROWS} WHERE quote_date = $1::DATE AND expiry = $2::DATE ORDER BY root, strike, option_right`,
      );
    }
    this.byDateExpiry.bindVarchar(1, date);
    this.byDateExpiry.bindVarchar(2, expiry);
    const r = await this.byDateExpiry.runAndReadAll();
    return (r.getRowObjectsJS() as Array<Record<string, unknown>>).map(toRow);
  }

  /**
   * The chain of one (quote date, expiry) as an OptionChain: the SPXW (PM) chain when both roots
   * expire that day, unless `root` is given. Undefined when nothing is stored. Built straight from
   * the columns of one prepared query (no row objects): this is the latency-critical lookup.
   */
  async chain(date: IsoDate, expiry: IsoDate, root?: OptionRoot): Promise<OptionChain | undefined> {
    if (this.chainStmt === undefined) {
      this.chainStmt = await this.conn.prepare(
        `SELECT root, strike, option_right = 'call' AS is_call, bid, ask, flags::INTEGER AS flags, vendor_iv,
           quote_utc_ms::DOUBLE AS t, underlying_price, vendor, source_file
         FROM option_quotes WHERE quote_date = $1::DATE AND expiry = $2::DATE ORDER BY root, strike`,
      );
    }
    this.chainStmt.bindVarchar(1, date);
    this.chainStmt.bindVarchar(2, expiry);
    const res = await this.chainStmt.runAndReadAll();
    const cols = res.getColumnsJS() as unknown[][];
    const roots = (cols[0] ?? []) as string[]; // no columns at all when no row matched
    if (roots.length === 0) return undefined;
    const want: OptionRoot = root ?? (roots.includes('SPXW') ? 'SPXW' : (roots[0] as OptionRoot));
    const lo = roots.indexOf(want);
    if (lo < 0) return undefined;
    let hi = lo;
    while (hi < roots.length && roots[hi] === want) hi++;
    const strikeCol = cols[1] as number[];
    const isCall = cols[2] as boolean[];
    const bid = cols[3] as Array<number | null>;
    const ask = cols[4] as Array<number | null>;
    const flags = cols[5] as number[];
    const iv = cols[6] as Array<number | null>;
    const strikesList: number[] = [];
    for (let i = lo; i < hi; i++) {
      const k = strikeCol[i]!;
      if (strikesList.length === 0 || strikesList[strikesList.length - 1] !== k) strikesList.push(k);
    }
    const n = strikesList.length;
    const nan = (): Float64Array => new Float64Array(n).fill(Number.NaN);
    const missing = QuoteFlag.missingBid | QuoteFlag.missingAsk;
    const chain: OptionChain = {
      asOf: date,
      quoteTimeUtcMs: (cols[7] as number[])[lo]!,
      expiry,
      root: want,
      settlement: want === 'SPX' ? 'AM' : 'PM',
      underlying: (cols[8] as number[])[lo]!,
      strikes: Float64Array.from(strikesList),
      callBid: nan(),
      callAsk: nan(),
      putBid: nan(),
      putAsk: nan(),
      callFlags: new Uint8Array(n).fill(missing),
      putFlags: new Uint8Array(n).fill(missing),
      callIv: nan(),
      putIv: nan(),
      source: { kind: 'real', vendor: (cols[9] as string[])[lo]!, file: (cols[10] as string[])[lo]! },
    };
    let j = -1;
    let prev = Number.NaN;
    for (let i = lo; i < hi; i++) {
      const k = strikeCol[i]!;
      if (k !== prev) {
        j++;
        prev = k;
      }
      const b = bid[i] ?? Number.NaN;
      const a = ask[i] ?? Number.NaN;
      const v = iv[i] ?? Number.NaN;
      if (isCall[i]) {
        chain.callBid[j] = b;
        chain.callAsk[j] = a;
        chain.callFlags[j] = flags[i]!;
        chain.callIv[j] = v;
      } else {
        chain.putBid[j] = b;
        chain.putAsk[j] = a;
        chain.putFlags[j] = flags[i]!;
        chain.putIv[j] = v;
      }
    }
    return chain;
  }

  /**
   * The quote of `right` whose vendor delta is nearest `delta` (e.g. -0.16 for a 16-delta put) in one
   * (quote date, expiry); rows without a vendor delta are skipped. Undefined when none.
   */
  async quoteByDelta(
    date: IsoDate,
    expiry: IsoDate,
    right: OptionRight,
    delta: number,
  ): Promise<StoredQuoteRow | undefined> {
    if (this.byDelta === undefined) {
      this.byDelta = await this.conn.prepare(
        `${SELECT_ROWS} WHERE quote_date = $1::DATE AND expiry = $2::DATE AND option_right = $3
           AND vendor_delta IS NOT NULL ORDER BY abs(vendor_delta - $4), strike LIMIT 1`,
      );
    }
    this.byDelta.bindVarchar(1, date);
    this.byDelta.bindVarchar(2, expiry);
    this.byDelta.bindVarchar(3, right);
    this.byDelta.bindDouble(4, delta);
    const r = await this.byDelta.runAndReadAll();
    const o = (r.getRowObjectsJS() as Array<Record<string, unknown>>)[0];
    return o === undefined ? undefined : toRow(o);
  }

  /** One contract's stored quote, or undefined. */
  async quoteByStrike(
    date: IsoDate,
    expiry: IsoDate,
    strike: number,
    right: OptionRight,
  ): Promise<StoredQuoteRow | undefined> {
    const rows = await this.chainRows(date, expiry);
    return (
      rows.find((r) => r.strike === strike && r.right === right && r.root === 'SPXW') ??
      rows.find((r) => r.strike === strike && r.right === right)
    );
  }

  /** Distinct stored quote dates, ascending. */
  async quoteDates(): Promise<IsoDate[]> {
    const r = await this.conn.runAndReadAll(
      "SELECT DISTINCT strftime(quote_date, '%Y-%m-%d') FROM option_quotes ORDER BY 1",
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

function safe(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

function rootExpiresOn(root: OptionRoot, expiry: IsoDate): boolean {
  return safe(() => expirationsOn(expiry).some((e) => e.root === root));
}

function tsValue(ms: number): DuckDBTimestampValue {
  return new duck!.DuckDBTimestampValue(BigInt(ms) * 1000n);
}
