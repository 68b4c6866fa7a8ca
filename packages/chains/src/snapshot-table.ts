/*
 * Snapshot metadata (`vixshield chain snapshot`, providers/chain): which provider, the exact quote
 * instant, the provider's delay and publication time of the rows one snapshot stored. Keyed like
 * quote_sources, by (vendor, source_file): a snapshot's rows carry that source. A table of its own,
 * created when missing, so stores written before it open unchanged (decision 0003's schema stays);
 * Parquet export and the option_quotes view do not include it.
 *
 * A later snapshot of the same quote date replaces the earlier one's rows (the store's key has no
 * time), so a snapshot is current only while its source still has rows: `live_rows` in the query.
 */
export const CHAIN_SNAPSHOTS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS chain_snapshots (
  vendor VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL,        -- the label the rows carry in quote_sources
  provider VARCHAR NOT NULL,           -- cboe | tradier | file
  quote_date DATE NOT NULL,            -- New York
  quote_utc_ms BIGINT NOT NULL,        -- the exact instant the quotes describe
  delay_seconds INTEGER NOT NULL,      -- provider delay (Cboe 900, Tradier 0)
  published_utc_ms BIGINT,             -- the provider's own time stamp, when it gives one
  taken_utc_ms BIGINT NOT NULL,        -- when vixshield read it
  source_url VARCHAR NOT NULL,         -- URL or file (never a token)
  underlying_price DOUBLE NOT NULL,
  rows INTEGER NOT NULL,
  PRIMARY KEY (vendor, source_file)
)`;

/** One stored snapshot (ChainStore.snapshots). */
export interface StoredSnapshot {
  readonly vendor: string;
  readonly sourceFile: string;
  readonly provider: string;
  readonly quoteDate: string;
  readonly quoteUtcMs: number;
  readonly delaySeconds: number;
  readonly publishedUtcMs: number | null;
  readonly takenUtcMs: number;
  readonly sourceUrl: string;
  readonly underlyingPrice: number;
  /** Rows written by the snapshot. */
  readonly rows: number;
  /** Rows of it still in the store (0 once a later snapshot of the day replaced them). */
  readonly liveRows: number;
}
