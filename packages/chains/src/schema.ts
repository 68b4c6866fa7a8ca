/*
 * The chain store's schema: its tables (schema version 2), the migration from version 1, and the
 * create-or-migrate step every open runs.
 *
 * `quote_rows` holds the quotes in the narrowest exact form: no text column is written per row, since
 * DuckDB's write of a text column (statistics, dictionary analysis) costs more than the parsing of it.
 * Root and right are ENUMs (one byte each), the quote time is minutes after midnight New York, and
 * the vendor and file are one `source_id` into `quote_sources`. The underlying (always SPX) and the
 * settlement style (from the root) are derived, not stored. Measured on 1 M rows x the same values
 * (CREATE TABLE AS into the store's file, 2 cores): 1.2-1.4 s for version 1 (24 columns, 7 of them
 * text), 0.5-0.6 s for this table.
 *
 * `option_quotes` is a view giving the normalised schema of version 1, column for column: what users
 * query, what `chains export` writes to Parquet and what `chains import` reads back from it.
 */

import type { DuckDBConnection } from '@duckdb/node-api';

/** The store's schema version (`chains info`); version-1 stores are migrated on open. */
export const SCHEMA_VERSION = 2 as const;

export const ROOT_ENUM = "ENUM('SPX', 'SPXW')";
export const RIGHT_ENUM = "ENUM('call', 'put')";

export const SOURCES_TABLE_SQL = `CREATE TABLE IF NOT EXISTS quote_sources (
  source_id UINTEGER PRIMARY KEY,
  vendor VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL,
  UNIQUE (vendor, source_file)
)`;

export const QUOTE_ROWS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS quote_rows (
  quote_date DATE NOT NULL,            -- exchange trading date (New York)
  quote_minute_et SMALLINT,            -- minutes after midnight New York; NULL = end of day (session close)
  quote_utc_ms BIGINT NOT NULL,        -- quote instant, epoch ms
  root ${ROOT_ENUM} NOT NULL,      -- SPX (AM monthlies) | SPXW (PM)
  expiry DATE NOT NULL,
  strike DOUBLE NOT NULL,              -- index points
  option_right ${RIGHT_ENUM} NOT NULL,
  bid DOUBLE,                          -- index points; NULL = missing
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
  source_id UINTEGER NOT NULL          -- quote_sources: vendor and file
)`;

/** The quote's values after the contract terms: the same in both forms. */
const QUOTE_VALUE_COLUMNS = [
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
] as const;

/** quote_rows' columns in table order (the chunk writer and the table function follow it). */
export const QUOTE_ROW_COLUMNS = [
  'quote_date',
  'quote_minute_et',
  'quote_utc_ms',
  'root',
  'expiry',
  'strike',
  'option_right',
  ...QUOTE_VALUE_COLUMNS,
  'source_id',
] as const;

/** The normalised columns (the option_quotes view, Parquet files), in order. */
export const QUOTE_COLUMNS = [
  'quote_date',
  'quote_time_et',
  'quote_utc_ms',
  'underlying',
  'root',
  'expiry',
  'settlement',
  'strike',
  'option_right',
  ...QUOTE_VALUE_COLUMNS,
  'vendor',
  'source_file',
] as const;

/** 'HH:MM' of a minute-of-day column (NULL stays NULL). */
const hhmmOf = (m: string): string =>
  `CASE WHEN ${m} IS NULL THEN NULL ELSE lpad((${m} // 60)::VARCHAR, 2, '0') || ':' || lpad((${m} % 60)::VARCHAR, 2, '0') END`;

/** Minute of day of an 'HH:MM' column (NULL stays NULL). */
export const minuteOfHhmm = (t: string): string =>
  `(substr(${t}, 1, 2)::SMALLINT * 60 + substr(${t}, 4, 2)::SMALLINT)::SMALLINT`;

/** The view's name and query, shared by the two statements below. */
const QUOTES_VIEW_BODY = `option_quotes AS SELECT
  q.quote_date,
  ${hhmmOf('q.quote_minute_et')} AS quote_time_et,
  q.quote_utc_ms,
  'SPX' AS underlying,
  q.root::VARCHAR AS root,
  q.expiry,
  CASE q.root WHEN 'SPX' THEN 'AM' ELSE 'PM' END AS settlement,
  q.strike,
  q.option_right::VARCHAR AS option_right,
  q.bid, q.ask, q.last, q.volume, q.open_interest, q.underlying_price,
  q.vendor_iv, q.vendor_delta, q.vendor_gamma, q.vendor_theta, q.vendor_vega,
  q.iv_placeholder, q.flags,
  s.vendor, s.source_file
FROM quote_rows q JOIN quote_sources s ON s.source_id = q.source_id`;

/** Creates the view when missing (an open of a version-2 store writes nothing). */
export const QUOTES_VIEW_SQL = `CREATE VIEW IF NOT EXISTS ${QUOTES_VIEW_BODY}`;

/** Puts the view in place of version 1's table (migration). */
const QUOTES_VIEW_REPLACE_SQL = `CREATE OR REPLACE VIEW ${QUOTES_VIEW_BODY}`;

/**
 * `SELECT` list turning rows of the normalised schema (table alias `n`, sources alias `s`) into
 * quote_rows' columns.
 */
export const PHYSICAL_OF_NORMALISED = `n.quote_date, ${minuteOfHhmm('n.quote_time_et')}, n.quote_utc_ms,
  n.root::${ROOT_ENUM}, n.expiry, n.strike, n.option_right::${RIGHT_ENUM}, n.bid, n.ask, n.last,
  n.volume, n.open_interest, n.underlying_price, n.vendor_iv, n.vendor_delta, n.vendor_gamma,
  n.vendor_theta, n.vendor_vega, n.iv_placeholder, n.flags, s.source_id`;

/**
 * Statements migrating a version-1 store (option_quotes a table with the text columns) to version 2,
 * in one transaction run by the caller: sources numbered in (vendor, file) order, rows copied in key
 * order, the old table dropped and the view put in its place.
 */
export const MIGRATE_V1_SQL: readonly string[] = [
  SOURCES_TABLE_SQL,
  QUOTE_ROWS_TABLE_SQL,
  `INSERT INTO quote_sources SELECT (row_number() OVER (ORDER BY vendor, source_file))::UINTEGER, vendor, source_file
     FROM (SELECT DISTINCT vendor, source_file FROM option_quotes)`,
  `INSERT INTO quote_rows SELECT ${PHYSICAL_OF_NORMALISED}
     FROM option_quotes n JOIN quote_sources s ON s.vendor = n.vendor AND s.source_file = n.source_file
     ORDER BY n.quote_date, n.expiry, n.root, n.strike, n.option_right`,
  'DROP TABLE option_quotes',
  QUOTES_VIEW_REPLACE_SQL,
];

/**
 * Creates the tables and the view, or migrates a version-1 store (option_quotes a table with text
 * columns) in one transaction: the same rows, values and sources, in the version-2 tables.
 */
export async function createOrMigrate(conn: DuckDBConnection): Promise<void> {
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
