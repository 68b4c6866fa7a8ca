import type * as Bindings from '@duckdb/node-bindings';
import {
  type IsoDate,
  type OptionChain,
  type OptionRight,
  type OptionRoot,
  QuoteFlag,
} from '@vixshield/core';
import { RIGHT_ENUM } from './schema';
import type { StoredQuoteRow } from './store';

/*
 * A chain slice: every stored row of one (quote date, expiry), both roots, in columns, read from
 * DuckDB's result vectors by memory copy (quote_rows has no text column; vendor and file come from
 * the store's quote_sources by id). The store answers chain(), chainRows(), quoteByStrike() and quoteByDelta() from one
 * slice, and keeps the most recent slices in an LRU cache (cleared by every import).
 */

/** A slice column: its SQL, its slot in ChainSlice, and how it is read. */
interface SliceColumn {
  readonly sql: string;
  readonly slot: number;
  /** f64: DOUBLE, NULL -> NaN; u8: one-byte values (ENUM codes, BOOLEAN, UTINYINT) as they are. */
  readonly kind: 'f64' | 'u8';
}

/** Every column of quote_rows (a full slice: any row can be returned whole). Slots 0..18. */
const FULL: readonly SliceColumn[] = [
  { sql: 'root', slot: 0, kind: 'u8' }, // ENUM code: 0 = SPX, 1 = SPXW
  { sql: 'strike', slot: 1, kind: 'f64' },
  { sql: 'option_right', slot: 2, kind: 'u8' }, // ENUM code: 0 = call, 1 = put
  { sql: 'bid', slot: 3, kind: 'f64' },
  { sql: 'ask', slot: 4, kind: 'f64' },
  { sql: 'last', slot: 5, kind: 'f64' },
  { sql: 'volume::DOUBLE', slot: 6, kind: 'f64' },
  { sql: 'open_interest::DOUBLE', slot: 7, kind: 'f64' },
  { sql: 'underlying_price', slot: 8, kind: 'f64' },
  { sql: 'vendor_iv', slot: 9, kind: 'f64' },
  { sql: 'vendor_delta', slot: 10, kind: 'f64' },
  { sql: 'vendor_gamma', slot: 11, kind: 'f64' },
  { sql: 'vendor_theta', slot: 12, kind: 'f64' },
  { sql: 'vendor_vega', slot: 13, kind: 'f64' },
  { sql: 'iv_placeholder', slot: 14, kind: 'u8' },
  { sql: 'flags', slot: 15, kind: 'u8' },
  { sql: 'quote_utc_ms::DOUBLE', slot: 16, kind: 'f64' },
  { sql: 'quote_minute_et::DOUBLE', slot: 17, kind: 'f64' },
  { sql: 'source_id::DOUBLE', slot: 18, kind: 'f64' },
];

/** What an OptionChain needs (10 of the 19 columns): a narrower scan. */
const CHAIN_ONLY: readonly SliceColumn[] = FULL.filter((c) =>
  [0, 1, 2, 3, 4, 8, 9, 15, 16, 18].includes(c.slot),
);

const sliceSelect = (cols: readonly SliceColumn[]): string =>
  `SELECT ${cols.map((c) => c.sql).join(', ')} FROM quote_rows WHERE quote_date = $1 AND expiry = $2`;

/** The full slice query (DATE parameters $1 quote date, $2 expiry). */
export const SLICE_SELECT = sliceSelect(FULL);
/** The chain-only slice query. */
export const CHAIN_SLICE_SELECT = sliceSelect(CHAIN_ONLY);

/**
 * One contract's rows ($3 strike, $4 right 'call' | 'put'): the full-slice columns of at most two rows
 * (SPX and SPXW; ChainSlice.find picks as it does in a whole slice). DuckDB reads the other columns
 * only for the matching rows, so this costs about what the filter does, not what a whole slice does.
 */
export const STRIKE_SELECT = `${SLICE_SELECT} AND strike = $3 AND option_right = $4::${RIGHT_ENUM}`;

/** Where stored quotes came from (a quote_sources row). */
export interface QuoteSource {
  readonly vendor: string;
  readonly file: string;
}

type B = typeof Bindings;

const pad2 = (x: number): string => (x < 10 ? `0${x}` : String(x));

export class ChainSlice {
  /** Row order by (root, strike, right): SPX before SPXW, calls before puts. */
  readonly order: Int32Array;

  constructor(
    readonly quoteDate: IsoDate,
    readonly expiry: IsoDate,
    readonly n: number,
    /** True when every column was read (rows can be returned whole); false for a chain-only slice. */
    readonly full: boolean,
    /** Column arrays by slot (Float64Array with NaN for NULL, or Uint8Array); absent when not read. */
    private readonly cols: ReadonlyArray<Float64Array | Uint8Array>,
    /** quote_sources by id (vendor and file of a row). */
    private readonly sources: (sourceId: number) => QuoteSource,
  ) {
    const root = cols[0] as Uint8Array;
    const strike = cols[1] as Float64Array;
    const put = cols[2] as Uint8Array;
    const cmp = (a: number, b: number): number =>
      root[a]! - root[b]! || strike[a]! - strike[b]! || put[a]! - put[b]!;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) sorted = cmp(i - 1, i) < 0;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    this.order = sorted ? order : order.sort(cmp);
  }

  get root(): Uint8Array {
    return this.cols[0] as Uint8Array;
  }
  get strike(): Float64Array {
    return this.cols[1] as Float64Array;
  }
  get put(): Uint8Array {
    return this.cols[2] as Uint8Array;
  }
  private f(c: number): Float64Array {
    return this.cols[c] as Float64Array;
  }

  private source(i: number): QuoteSource {
    return this.sources(this.f(18)[i]!);
  }

  /** Row i as a StoredQuoteRow (a full slice only). */
  row(i: number): StoredQuoteRow {
    if (!this.full) throw new Error('a chain-only slice has no whole rows');
    const f = (c: number): number => this.f(c)[i]!;
    const w = this.root[i] === 1;
    return {
      quoteDate: this.quoteDate,
      quoteTimeEt: hhmmOfMinute(this.f(17)[i]!),
      underlying: 'SPX',
      root: w ? 'SPXW' : 'SPX',
      expiry: this.expiry,
      settlement: w ? 'PM' : 'AM',
      strike: f(1),
      right: this.put[i] === 1 ? 'put' : 'call',
      bid: f(3),
      ask: f(4),
      last: f(5),
      volume: f(6),
      openInterest: f(7),
      underlyingPrice: f(8),
      vendorIv: f(9),
      vendorDelta: f(10),
      vendorGamma: f(11),
      vendorTheta: f(12),
      vendorVega: f(13),
      ivPlaceholder: (this.cols[14] as Uint8Array)[i] === 1,
      flags: (this.cols[15] as Uint8Array)[i]!,
      vendor: this.source(i).vendor,
      file: this.source(i).file,
    };
  }

  /** All rows in key order (root, strike, right). */
  rows(): StoredQuoteRow[] {
    return Array.from(this.order, (i) => this.row(i));
  }

  /** The chain of one root: `root`, else SPXW when present, else SPX. Undefined when none. */
  chain(root?: OptionRoot): OptionChain | undefined {
    if (this.n === 0) return undefined;
    const roots = this.root;
    const order = this.order;
    let want = root === undefined ? undefined : root === 'SPXW' ? 1 : 0;
    if (want === undefined) want = roots[order[this.n - 1]!] === 1 ? 1 : 0; // sorted: SPXW rows last
    let lo = 0;
    while (lo < this.n && roots[order[lo]!] !== want) lo++;
    if (lo === this.n) return undefined;
    let hi = lo;
    while (hi < this.n && roots[order[hi]!] === want) hi++;
    const strikeCol = this.strike;
    const strikes: number[] = [];
    for (let k = lo; k < hi; k++) {
      const s = strikeCol[order[k]!]!;
      if (strikes.length === 0 || strikes[strikes.length - 1] !== s) strikes.push(s);
    }
    const m = strikes.length;
    const nan = (): Float64Array => new Float64Array(m).fill(Number.NaN);
    const missing = QuoteFlag.missingBid | QuoteFlag.missingAsk;
    const first = order[lo]!;
    const rootName: OptionRoot = want === 1 ? 'SPXW' : 'SPX';
    const chain: OptionChain = {
      asOf: this.quoteDate,
      quoteTimeUtcMs: this.f(16)[first]!,
      expiry: this.expiry,
      root: rootName,
      settlement: want === 1 ? 'PM' : 'AM',
      underlying: this.f(8)[first]!,
      strikes: Float64Array.from(strikes),
      callBid: nan(),
      callAsk: nan(),
      putBid: nan(),
      putAsk: nan(),
      callFlags: new Uint8Array(m).fill(missing),
      putFlags: new Uint8Array(m).fill(missing),
      callIv: nan(),
      putIv: nan(),
      source: { kind: 'real', ...this.source(first) },
    };
    const bid = this.f(3);
    const ask = this.f(4);
    const iv = this.f(9);
    const flags = this.cols[15] as Uint8Array;
    const put = this.put;
    let j = -1;
    let prev = Number.NaN;
    for (let k = lo; k < hi; k++) {
      const i = order[k]!;
      const s = strikeCol[i]!;
      if (s !== prev) {
        j++;
        prev = s;
      }
      if (put[i] === 0) {
        chain.callBid[j] = bid[i]!;
        chain.callAsk[j] = ask[i]!;
        chain.callFlags[j] = flags[i]!;
        chain.callIv[j] = iv[i]!;
      } else {
        chain.putBid[j] = bid[i]!;
        chain.putAsk[j] = ask[i]!;
        chain.putFlags[j] = flags[i]!;
        chain.putIv[j] = iv[i]!;
      }
    }
    return chain;
  }

  /**
   * The row of `right` whose vendor delta is nearest `delta` (rows without one skipped); ties go to
   * the lower strike, then to SPXW. Undefined when none.
   */
  nearestDelta(right: OptionRight, delta: number): number | undefined {
    const d = this.f(10);
    const put = right === 'put' ? 1 : 0;
    let best = -1;
    let bestDist = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.n; i++) {
      if (this.put[i] !== put) continue;
      const x = d[i]!;
      if (Number.isNaN(x)) continue;
      const dist = Math.abs(x - delta);
      if (
        best < 0 ||
        dist < bestDist ||
        (dist === bestDist &&
          (this.strike[i]! < this.strike[best]! ||
            (this.strike[i] === this.strike[best] && this.root[i]! > this.root[best]!)))
      ) {
        best = i;
        bestDist = dist;
      }
    }
    return best < 0 ? undefined : best;
  }

  /** The row of (strike, right), SPXW preferred. */
  find(strike: number, right: OptionRight): number | undefined {
    const put = right === 'put' ? 1 : 0;
    let found: number | undefined;
    for (let i = 0; i < this.n; i++) {
      if (this.strike[i] !== strike || this.put[i] !== put) continue;
      if (this.root[i] === 1) return i;
      found = i;
    }
    return found;
  }
}

/** 'HH:MM' of a minute of the day; NaN (the session close) -> null. */
function hhmmOfMinute(m: number): string | null {
  return Number.isNaN(m) ? null : `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
}

/**
 * Reads the materialized result of SLICE_SELECT (`full`) or CHAIN_SLICE_SELECT into a ChainSlice:
 * every column by memory copy from the result vectors (NULL -> NaN from the validity bits).
 */
export function readSlice(
  b: B,
  quoteDate: IsoDate,
  expiry: IsoDate,
  full: boolean,
  chunks: ReadonlyArray<Bindings.DataChunk>,
  sources: (sourceId: number) => QuoteSource,
): ChainSlice {
  const layout = full ? FULL : CHAIN_ONLY;
  let n = 0;
  const sizes = chunks.map((c) => b.data_chunk_get_size(c));
  for (const s of sizes) n += s;
  // Two backing stores per slice (all f64 columns, all u8 columns), not one per column: fewer
  // off-heap buffers for the garbage collector to track (a cold lookup's tail is mostly GC).
  const nF64 = layout.filter((c) => c.kind === 'f64').length;
  const f64 = new Float64Array(nF64 * n);
  const u8 = new Uint8Array((layout.length - nF64) * n);
  const cols: Array<Float64Array | Uint8Array> = [];
  let fi = 0;
  let ui = 0;
  for (const c of layout) {
    if (c.kind === 'f64') {
      cols[c.slot] = f64.subarray(fi * n, (fi + 1) * n);
      fi++;
    } else {
      cols[c.slot] = u8.subarray(ui * n, (ui + 1) * n);
      ui++;
    }
  }
  let base = 0;
  chunks.forEach((chunk, k) => {
    const m = sizes[k]!;
    if (m === 0) return;
    layout.forEach((c, j) => {
      const v = b.data_chunk_get_vector(chunk, j);
      if (c.kind === 'u8') {
        (cols[c.slot] as Uint8Array).set(b.vector_get_data(v, m).subarray(0, m), base);
        return;
      }
      const data = b.vector_get_data(v, m * 8);
      const out = cols[c.slot] as Float64Array;
      out.set(
        data.byteOffset % 8 === 0
          ? new Float64Array(data.buffer, data.byteOffset, m)
          : new Float64Array(data.buffer.slice(data.byteOffset, data.byteOffset + m * 8)),
        base,
      );
      const valid = b.vector_get_validity(v, Math.ceil(m / 64) * 8);
      if (valid) {
        for (let i = 0; i < m; i++) if (((valid[i >> 3]! >> (i & 7)) & 1) === 0) out[base + i] = Number.NaN;
      }
    });
    base += m;
  });
  return new ChainSlice(quoteDate, expiry, n, full, cols, sources);
}
