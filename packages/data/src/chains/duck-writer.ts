import type * as Bindings from '@duckdb/node-bindings';
import { CHUNK_ROWS, type QuoteChunk } from './quote-chunk';

/*
 * QuoteChunk -> DuckDB data chunk in the option_quotes column order, by memory copies: numbers and
 * dates are copied as they are (DuckDB's DOUBLE/DATE vectors have the same layout as Float64Array /
 * Int32Array), BIGINTs are written as two int32 halves, NULLs are validity bits built from NaN, the
 * short strings (root, settlement, right, quote time: at most 12 bytes) are written as DuckDB's inlined
 * 16-byte string_t, and the per-file constants (underlying, vendor, source file) are constant vectors.
 * One appended data chunk per CHUNK_ROWS rows; no value crosses the JS/native boundary one at a time.
 */

type B = typeof Bindings;

/** DuckDB's inlined string_t: length (uint32) then up to 12 bytes, zero padded. */
function inlineString(s: string): Int32Array {
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length > 12) throw new Error(`'${s}' is longer than an inlined DuckDB string`);
  const out = new Uint8Array(16);
  new DataView(out.buffer).setUint32(0, bytes.length, true);
  out.set(bytes, 4);
  return new Int32Array(out.buffer);
}

const ROOTS = [inlineString('SPX'), inlineString('SPXW')];
const SETTLEMENTS = [inlineString('AM'), inlineString('PM')];
const RIGHTS = [inlineString('call'), inlineString('put')];

export class QuoteChunkWriter {
  private readonly types: Bindings.LogicalType[];
  private readonly constSpx: Bindings.Value;
  private readonly constVendor: Bindings.Value;
  private readonly constFile: Bindings.Value;
  private readonly strings = new Int32Array(CHUNK_ROWS * 4);
  private readonly int64 = new Int32Array(CHUNK_ROWS * 2);
  private readonly validity = new Uint32Array(CHUNK_ROWS / 32);
  private readonly timeStrings: Array<Int32Array | null> = [];
  private timesOf: ReadonlyArray<string | null> | undefined;

  constructor(
    private readonly b: B,
    vendor: string,
    file: string,
  ) {
    const T = b.Type;
    this.types = [
      T.DATE, // quote_date
      T.VARCHAR, // quote_time_et
      T.BIGINT, // quote_utc_ms
      T.VARCHAR, // underlying
      T.VARCHAR, // root
      T.DATE, // expiry
      T.VARCHAR, // settlement
      T.DOUBLE, // strike
      T.VARCHAR, // option_right
      T.DOUBLE, // bid
      T.DOUBLE, // ask
      T.DOUBLE, // last
      T.BIGINT, // volume
      T.BIGINT, // open_interest
      T.DOUBLE, // underlying_price
      T.DOUBLE, // vendor_iv
      T.DOUBLE, // vendor_delta
      T.DOUBLE, // vendor_gamma
      T.DOUBLE, // vendor_theta
      T.DOUBLE, // vendor_vega
      T.BOOLEAN, // iv_placeholder
      T.UTINYINT, // flags
      T.VARCHAR, // vendor
      T.VARCHAR, // source_file
    ].map((t) => b.create_logical_type(t));
    this.constSpx = b.create_varchar('SPX');
    this.constVendor = b.create_varchar(vendor);
    this.constFile = b.create_varchar(file);
  }

  /** The chunk's rows as a new DuckDB data chunk with the option_quotes columns (for an appender). */
  build(q: QuoteChunk): Bindings.DataChunk {
    const chunk = this.b.create_data_chunk(this.types);
    this.writeInto(chunk, q);
    return chunk;
  }

  /**
   * Writes the chunk's rows into `chunk` (option_quotes columns), e.g. a table function's output chunk,
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
    b.vector_reference_value(vec(3), this.constSpx);
    this.codes(vec(4), q.root, ROOTS, n);
    this.copy(vec(5), q.expiryDay, n);
    this.codes(vec(6), q.root, SETTLEMENTS, n);
    this.double(vec(7), q.strike, n);
    this.codes(vec(8), q.right, RIGHTS, n);
    this.double(vec(9), q.bid, n);
    this.double(vec(10), q.ask, n);
    this.double(vec(11), q.last, n);
    this.bigint(vec(12), q.volume, n);
    this.bigint(vec(13), q.openInterest, n);
    this.double(vec(14), q.underlyingPrice, n);
    this.double(vec(15), q.iv, n);
    this.double(vec(16), q.delta, n);
    this.double(vec(17), q.gamma, n);
    this.double(vec(18), q.theta, n);
    this.double(vec(19), q.vega, n);
    this.copy(vec(20), q.ivPlaceholder, n);
    this.copy(vec(21), q.flags, n);
    b.vector_reference_value(vec(22), this.constVendor);
    b.vector_reference_value(vec(23), this.constFile);
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

  private codes(v: Bindings.Vector, codes: Uint8Array, table: readonly Int32Array[], n: number): void {
    const out = this.strings;
    for (let i = 0; i < n; i++) {
      const s = table[codes[i]!]!;
      const o = i * 4;
      out[o] = s[0]!;
      out[o + 1] = s[1]!;
      out[o + 2] = s[2]!;
      out[o + 3] = s[3]!;
    }
    this.b.copy_data_to_vector(v, 0, out.buffer, 0, n * 16);
  }

  private times(v: Bindings.Vector, q: QuoteChunk): void {
    const n = q.n;
    const ts = this.timeStrings;
    if (q.times !== this.timesOf) {
      // Codes index the chunk's own `times` table: a chunk from another reader starts afresh.
      ts.length = 0;
      this.timesOf = q.times;
    }
    for (let k = ts.length; k < q.times.length; k++) {
      const t = q.times[k];
      ts.push(t === null || t === undefined ? null : inlineString(t));
    }
    const out = this.strings;
    const w = this.validity;
    w.fill(0xffffffff);
    for (let i = 0; i < n; i++) {
      const s = ts[q.timeCode[i]!];
      const o = i * 4;
      if (s === null || s === undefined) {
        w[i >>> 5]! &= ~(1 << (i & 31));
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
        out[o + 3] = 0;
      } else {
        out[o] = s[0]!;
        out[o + 1] = s[1]!;
        out[o + 2] = s[2]!;
        out[o + 3] = s[3]!;
      }
    }
    this.b.copy_data_to_vector(v, 0, out.buffer, 0, n * 16);
    this.b.vector_ensure_validity_writable(v);
    this.b.copy_data_to_vector_validity(v, 0, w.buffer, 0, Math.ceil(n / 64) * 8);
  }
}
