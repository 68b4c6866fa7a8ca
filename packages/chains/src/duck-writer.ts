import type * as Bindings from '@duckdb/node-bindings';
import { CHUNK_ROWS, type QuoteChunk, RIGHT_CODES, ROOT_CODES } from './quote-chunk';

/*
 * QuoteChunk -> DuckDB data chunk in quote_rows' column order (schema.ts), by memory copies: numbers,
 * dates and the one-byte ENUM codes (root, right) are copied as they are (DuckDB's DOUBLE/DATE/ENUM
 * vectors have the layout of Float64Array / Int32Array / Uint8Array), BIGINTs are written as two
 * int32 halves, NULLs are validity bits built from NaN, the quote time becomes minutes of the day and
 * the source id is a constant vector. One data chunk per CHUNK_ROWS rows; no value crosses the
 * JS/native boundary one at a time, and no string is written.
 */

type B = typeof Bindings;

/** Minutes after midnight of 'HH:MM' (the row parser's normalised quote time), or -1 for null. */
function minuteOf(t: string | null | undefined): number {
  if (t === null || t === undefined) return -1;
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

export class QuoteChunkWriter {
  private readonly types: Bindings.LogicalType[];
  private source: Bindings.Value;
  private readonly int64 = new Int32Array(CHUNK_ROWS * 2);
  private readonly int16 = new Int16Array(CHUNK_ROWS);
  private readonly validity = new Uint32Array(CHUNK_ROWS / 32);
  private readonly minutes: number[] = [];
  private timesOf: ReadonlyArray<string | null> | undefined;

  constructor(
    private readonly b: B,
    /** quote_sources id of the file's (vendor, file); see setSource. */
    sourceId = 0,
  ) {
    const T = b.Type;
    const types: Bindings.LogicalType[] = [];
    const add = (t: Bindings.Type): void => {
      types.push(b.create_logical_type(t));
    };
    add(T.DATE); // quote_date
    add(T.SMALLINT); // quote_minute_et
    add(T.BIGINT); // quote_utc_ms
    types.push(b.create_enum_type(ROOT_CODES)); // root
    add(T.DATE); // expiry
    add(T.DOUBLE); // strike
    types.push(b.create_enum_type(RIGHT_CODES)); // option_right
    for (let i = 0; i < 3; i++) add(T.DOUBLE); // bid, ask, last
    add(T.BIGINT); // volume
    add(T.BIGINT); // open_interest
    for (let i = 0; i < 6; i++) add(T.DOUBLE); // underlying_price, vendor iv and greeks
    add(T.BOOLEAN); // iv_placeholder
    add(T.UTINYINT); // flags
    add(T.UINTEGER); // source_id
    this.types = types;
    this.source = b.create_uint32(sourceId);
  }

  /** The quote_sources id written with every row from now on. */
  setSource(sourceId: number): void {
    this.source = this.b.create_uint32(sourceId);
  }

  /** The chunk's rows as a new DuckDB data chunk with quote_rows' columns (for an appender). */
  build(q: QuoteChunk): Bindings.DataChunk {
    const chunk = this.b.create_data_chunk(this.types);
    this.writeInto(chunk, q);
    return chunk;
  }

  /**
   * Writes the chunk's rows into `chunk` (quote_rows' columns), e.g. a table function's output chunk,
   * which DuckDB reuses between calls: every validity mask is written.
   */
  writeInto(chunk: Bindings.DataChunk, q: QuoteChunk): void {
    const b = this.b;
    const n = q.n;
    b.data_chunk_set_size(chunk, n);
    const vec = (i: number): Bindings.Vector => b.data_chunk_get_vector(chunk, i);
    this.copy(vec(0), q.quoteDay, n);
    this.times(vec(1), q);
    this.bigint(vec(2), q.quoteUtcMs, n);
    this.copy(vec(3), q.root, n);
    this.copy(vec(4), q.expiryDay, n);
    this.double(vec(5), q.strike, n);
    this.copy(vec(6), q.right, n);
    this.double(vec(7), q.bid, n);
    this.double(vec(8), q.ask, n);
    this.double(vec(9), q.last, n);
    this.bigint(vec(10), q.volume, n);
    this.bigint(vec(11), q.openInterest, n);
    this.double(vec(12), q.underlyingPrice, n);
    this.double(vec(13), q.iv, n);
    this.double(vec(14), q.delta, n);
    this.double(vec(15), q.gamma, n);
    this.double(vec(16), q.theta, n);
    this.double(vec(17), q.vega, n);
    this.copy(vec(18), q.ivPlaceholder, n);
    this.copy(vec(19), q.flags, n);
    b.vector_reference_value(vec(20), this.source);
  }

  private copy(v: Bindings.Vector, a: Int32Array | Uint8Array, n: number): void {
    this.b.copy_data_to_vector(v, 0, a.buffer as ArrayBuffer, a.byteOffset, n * a.BYTES_PER_ELEMENT);
  }

  /** Validity bits from NaN (false = NULL). */
  private nulls(v: Bindings.Vector, a: Float64Array, n: number): void {
    const w = this.validity;
    w.fill(0xffffffff);
    for (let i = 0; i < n; i++) if (Number.isNaN(a[i])) w[i >>> 5]! &= ~(1 << (i & 31));
    this.b.vector_ensure_validity_writable(v);
    this.b.copy_data_to_vector_validity(v, 0, w.buffer, 0, Math.ceil(n / 64) * 8);
  }

  private double(v: Bindings.Vector, a: Float64Array, n: number): void {
    this.b.copy_data_to_vector(v, 0, a.buffer as ArrayBuffer, a.byteOffset, n * 8);
    this.nulls(v, a, n);
  }

  /** Whole numbers held as doubles -> BIGINT (two's complement halves); NaN -> NULL. */
  private bigint(v: Bindings.Vector, a: Float64Array, n: number): void {
    const out = this.int64;
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      if (Number.isNaN(x)) {
        out[2 * i] = 0;
        out[2 * i + 1] = 0;
        continue;
      }
      const hi = Math.floor(x / 4294967296);
      out[2 * i] = (x - hi * 4294967296) | 0;
      out[2 * i + 1] = hi | 0;
    }
    this.b.copy_data_to_vector(v, 0, out.buffer, 0, n * 8);
    this.nulls(v, a, n);
  }

  /** Quote times (codes into the chunk's `times`) as SMALLINT minutes of the day; null -> NULL. */
  private times(v: Bindings.Vector, q: QuoteChunk): void {
    const n = q.n;
    const mins = this.minutes;
    if (q.times !== this.timesOf) {
      // Codes index the chunk's own `times` table: a chunk from another reader starts afresh.
      mins.length = 0;
      this.timesOf = q.times;
    }
    for (let k = mins.length; k < q.times.length; k++) mins.push(minuteOf(q.times[k]));
    const out = this.int16;
    const w = this.validity;
    w.fill(0xffffffff);
    for (let i = 0; i < n; i++) {
      const m = mins[q.timeCode[i]!]!;
      if (m < 0) {
        w[i >>> 5]! &= ~(1 << (i & 31));
        out[i] = 0;
      } else out[i] = m;
    }
    this.b.copy_data_to_vector(v, 0, out.buffer, 0, n * 2);
    this.b.vector_ensure_validity_writable(v);
    this.b.copy_data_to_vector_validity(v, 0, w.buffer, 0, Math.ceil(n / 64) * 8);
  }
}
