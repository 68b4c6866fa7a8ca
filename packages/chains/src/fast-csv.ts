import { closeSync, openSync, readSync } from 'node:fs';
import { type IsoDate, session, zonedTimeToUtcMs } from '@vixshield/core';
import { splitCsvLine } from './csv';
import { type LayoutSpec, MAPPABLE_FIELDS, type MappableField } from './layouts';
import { isTradingDaySafe, parseVendorDate, rootExpiresSafe } from './parse';
import { CHUNK_ROWS, dayNumberOfIso, QuoteChunk } from './quote-chunk';

/*
 * Byte-level CSV reader for the bulk import: reads the file in blocks into a Buffer and normalises
 * every row straight into columns (QuoteChunk), with no string or object per row. It applies the
 * same rules as the row parser (parseChainCsv) but only ever *accepts*: the first value it would not
 * accept exactly as the row parser does (a bad value, but also anything unusual it does not handle
 * itself: an escaped quote, a quote inside a field, a space inside an OSI symbol, ...) stops it with
 * FastParseDeferred, and the caller re-reads the file with the row parser, which names every bad value
 * (file, line, field, value, fix) or, when the file is fine after all, gives the rows. So the error
 * contract is the row parser's by construction, and the values stored are the row parser's values:
 * a number of at most 15 digits without exponent is parsed from its bytes (an integer over a power of
 * ten is one correctly rounded division, the same double as Number()); any other goes through the row
 * parser's own NUMBER_RE and Number().
 *
 * Categorical values (dates, right codes, roots, times, underlying names) are decided once per
 * distinct raw text with the row parser's own functions and cached by their bytes.
 */

/** The fast reader stopped; the row parser must decide about the file. */
export class FastParseDeferred extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export interface FastParseOptions {
  /** Quote dates (day numbers) already stored: chunks holding one of them are marked `staged`. */
  readonly storedDays?: ReadonlySet<number>;
  /** Read block size in bytes (tests use small blocks to cross block boundaries). */
  readonly blockBytes?: number;
  /** Accept quotes with bid > ask (flagged crossed); otherwise the row parser reports them. */
  readonly allowCrossed?: boolean;
}

export interface FastParseStats {
  /** Data rows read (non-empty lines after the header); all were accepted. */
  readonly rows: number;
  /** Empty lines skipped (not rows, as in the row parser and DuckDB's reader). */
  readonly blankLines: number;
  /** Distinct quote dates (day numbers). */
  readonly days: ReadonlySet<number>;
  /** False when a (quote date, expiry) group reappears after another group began. */
  readonly clustered: boolean;
  /** Rows with bid > ask (accepted only with allowCrossed). */
  readonly crossed?: number;
}

/**
 * Called with every full chunk and with the last one. `staged` is true when the chunk holds a quote
 * date already stored or comes after the file's (date, expiry) groups stopped being contiguous. The
 * chunk is reused after the call returns: copy it synchronously.
 */
export type ChunkSink = (chunk: QuoteChunk, staged: boolean) => void;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIME_RE = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/;
const DAYS_PER_YEAR = 365;

/** A per-column cache of decisions by raw bytes: a few recent values compared byte by byte, then a map. */
class RawCache<T> {
  private readonly keys: Uint8Array[] = [];
  private readonly vals: T[] = [];
  private next = 0;
  private readonly map = new Map<string, T>();
  constructor(private readonly decide: (raw: string) => T) {}
  lookup(b: Buffer, s: number, e: number): T {
    const len = e - s;
    const keys = this.keys;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j]!;
      if (k.length !== len) continue;
      let i = 0;
      while (i < len && k[i] === b[s + i]) i++;
      if (i === len) return this.vals[j]!;
    }
    const raw = b.toString('utf8', s, e);
    let v: T;
    if (this.map.has(raw)) v = this.map.get(raw)!;
    else {
      v = this.decide(raw);
      this.map.set(raw, v);
    }
    const slot = this.next;
    this.next = (slot + 1) & 3;
    keys[slot] = Uint8Array.prototype.slice.call(b, s, e);
    this.vals[slot] = v;
    return v;
  }
}

interface DateDecision {
  readonly iso: IsoDate;
  readonly day: number;
  /** For a quote date: an NYSE/Cboe trading day. */
  readonly trading: boolean;
  /** YYMMDD as a number and whether the year is 20YY (for the OSI symbol check). */
  readonly yymmdd: number;
  readonly century20: boolean;
}

const INVALID = -1;

/**
 * The strikes seen for one (quote date, expiry, root, right): an append-only sorted array while they
 * come in increasing order (vendors write them so: no lookup, no allocation per row), a Set after the
 * first one out of order.
 */
class StrikeSet {
  private a = new Float64Array(64);
  private n = 0;
  private set: Set<number> | undefined;

  /** Adds x; false when it was already there. */
  add(x: number): boolean {
    const set = this.set;
    if (set !== undefined) {
      if (set.has(x)) return false;
      set.add(x);
      return true;
    }
    const n = this.n;
    if (n === 0 || x > this.a[n - 1]!) {
      if (n === this.a.length) {
        const bigger = new Float64Array(n * 2);
        bigger.set(this.a);
        this.a = bigger;
      }
      this.a[n] = x;
      this.n = n + 1;
      return true;
    }
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.a[mid]!;
      if (v === x) return false;
      if (v < x) lo = mid + 1;
      else hi = mid - 1;
    }
    this.set = new Set(this.a.subarray(0, n));
    this.set.add(x);
    return true;
  }
}

const NUM_OK = 0;
const NUM_EMPTY = 1;
const NUM_BAD = 2;

const isSpace = (ch: number): boolean => ch === 32 || (ch >= 9 && ch <= 13);

/**
 * Parses the number in b[s, e) (ASCII blanks trimmed) into out[i]: NUM_OK, NUM_EMPTY (NaN written)
 * or NUM_BAD (not a plain finite decimal, as the row parser's NUMBER_RE + Number() + isFinite). Writes
 * instead of returning so that no double is boxed per call.
 */
function numInto(b: Uint8Array, s: number, e: number, out: Float64Array, i: number): number {
  while (s < e && isSpace(b[s]!)) s++;
  while (e > s && isSpace(b[e - 1]!)) e--;
  if (s === e) {
    out[i] = Number.NaN;
    return NUM_EMPTY;
  }
  let p = s;
  let ch = b[p]!;
  let neg = false;
  if (ch === 45) {
    neg = true;
    p++;
  } else if (ch === 43) p++;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; p < e; p++) {
    ch = b[p]!;
    if (ch >= 48 && ch <= 57) {
      m = m * 10 + (ch - 48);
      digits++;
      if (dot) frac++;
    } else if (ch === 46 && !dot) dot = true;
    else break;
  }
  if (p === e && digits > 0 && digits <= 15) {
    const v = frac === 0 ? m : m / POW10[frac]!;
    out[i] = neg ? -v : v;
    return NUM_OK;
  }
  return slowNumInto(b, s, e, out, i);
}

/** Exponents, long mantissas, or not a number: the row parser's own test and Number(). */
function slowNumInto(b: Uint8Array, s: number, e: number, out: Float64Array, i: number): number {
  const text = Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
  const x = NUMBER_RE.test(text) ? Number(text) : Number.NaN;
  out[i] = x;
  return Number.isFinite(x) ? NUM_OK : NUM_BAD;
}

/**
 * Reads and validates a chain file in `spec`'s layout chunk by chunk (`next()`), CHUNK_ROWS rows at a
 * time. Throws FastParseDeferred at the first thing it does not accept (nothing is decided about the
 * file then: the caller runs the row parser). Chunks handed out are reused once `release`d.
 */
export class FastChainReader {
  private buf: Buffer;
  private len = 0;
  private pos = 0;
  private eof = false;
  private fd: number | undefined;
  private readonly parser: FastChainParser;
  private readonly pool: QuoteChunk[] = [];
  private readonly times: Array<string | null> = [];
  private done = false;

  constructor(path: string, spec: LayoutSpec, opts: FastParseOptions = {}) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, opts.blockBytes ?? 8 << 20));
    this.fd = openSync(path, 'r');
    try {
      this.fill(0);
      // Header: the first line, read as the row parser reads it.
      let pos = 0;
      const buf = () => this.buf;
      if (this.len >= 3 && buf()[0] === 0xef && buf()[1] === 0xbb && buf()[2] === 0xbf) pos = 3;
      const lineEnd = (from: number): number => {
        const i = buf().indexOf(10, from);
        return i >= this.len ? -1 : i;
      };
      let nl = lineEnd(pos);
      while (nl < 0 && !this.eof) {
        this.fill(0);
        nl = lineEnd(pos);
      }
      if (nl < 0) throw new FastParseDeferred(1, 'no data rows');
      let headerText = buf().toString('utf8', pos, nl);
      if (headerText.endsWith('\r')) headerText = headerText.slice(0, -1);
      this.parser = new FastChainParser(spec, headerText, opts.storedDays, opts.allowCrossed === true);
      this.pos = nl + 1;
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** Keeps buf[keepFrom, len) at the start (growing the buffer for a long line), then reads more. */
  private fill(keepFrom: number): void {
    const keep = this.len - keepFrom;
    if (keep >= this.buf.length >> 1) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, keepFrom, this.len);
      this.buf = bigger;
    } else if (keepFrom > 0) this.buf.copy(this.buf, 0, keepFrom, this.len);
    this.len = keep;
    while (this.len < this.buf.length) {
      const got = readSync(this.fd!, this.buf, this.len, this.buf.length - this.len, null);
      if (got === 0) {
        this.eof = true;
        break;
      }
      this.len += got;
    }
  }

  /** The next chunk of normalised rows, or null after the last one (then the file was accepted whole). */
  next(): QuoteChunk | null {
    if (this.done) return null;
    const chunk = this.pool.pop() ?? new QuoteChunk(this.times);
    chunk.n = 0;
    chunk.staged = false;
    const p = this.parser;
    p.chunk = chunk;
    for (;;) {
      this.pos = p.scan(this.buf, this.pos, this.len, this.eof);
      if (chunk.n === CHUNK_ROWS) return chunk;
      if (this.eof) break;
      this.fill(this.pos);
      this.pos = 0;
    }
    this.done = true;
    p.finish();
    this.close();
    return chunk.n > 0 ? chunk : null;
  }

  /** Hands a chunk back for reuse. */
  release(chunk: QuoteChunk): void {
    this.pool.push(chunk);
  }

  stats(): FastParseStats {
    return this.parser.stats();
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

/**
 * Reads and validates `path` in `spec`'s layout, handing each chunk to `sink` (see FastChainReader).
 * Throws FastParseDeferred at the first thing it does not accept.
 */
export function fastParseChainFile(
  path: string,
  spec: LayoutSpec,
  sink: ChunkSink,
  opts: FastParseOptions = {},
): FastParseStats {
  const r = new FastChainReader(path, spec, opts);
  try {
    for (let c = r.next(); c !== null; c = r.next()) {
      sink(c, c.staged);
      r.release(c);
    }
    return r.stats();
  } finally {
    r.close();
  }
}

class FastChainParser {
  private readonly W: number;
  private readonly c: Record<MappableField, number>;
  private readonly qdCache: RawCache<DateDecision | null>;
  private readonly expCache: RawCache<DateDecision | null>;
  private readonly rightCache: RawCache<number>;
  private readonly rootCache: RawCache<number>;
  private readonly usymCache: RawCache<boolean>;
  private readonly timeCache: RawCache<string | undefined>;
  private readonly expiresMemo = new Map<number, boolean>();
  /** The chunk being filled (set by the reader). */
  chunk: QuoteChunk = new QuoteChunk([]);
  private readonly fs: Int32Array;
  private readonly fe: Int32Array;
  private readonly scratch = new Float64Array(4);
  private lineNo = 1;
  private rows = 0;
  private blankLines = 0;
  private crossed = 0;
  private unclustered = false;
  private lastQd: DateDecision | null = null;
  private lastT: string | null | undefined = undefined;
  private utcMs = 0;
  private timeCode = 0;
  private dayStored = false;
  private groupKey = Number.NaN;
  private group: StrikeSet[] = [];
  private readonly groups = new Map<number, StrikeSet[]>();
  private readonly days = new Set<number>();

  constructor(
    private readonly spec: LayoutSpec,
    headerText: string,
    private readonly storedDays: ReadonlySet<number> | undefined,
    private readonly allowCrossed = false,
  ) {
    const header = splitCsvLine(headerText).map((h) => h.trim().toLowerCase());
    this.W = header.length;
    const c = {} as Record<MappableField, number>;
    for (const f of MAPPABLE_FIELDS) {
      const name = spec.columns[f];
      c[f] = name === undefined ? -1 : header.indexOf(name.trim().toLowerCase());
      if (name !== undefined && c[f] < 0) throw new FastParseDeferred(1, `no column ${name}`);
    }
    this.c = c;
    this.fs = new Int32Array(this.W + 1);
    this.fe = new Int32Array(this.W + 1);
    const dateOf = (raw: string, quote: boolean): DateDecision | null => {
      const iso = parseVendorDate(raw, spec.dateFormat, spec.dateTimeSuffix);
      if (iso === undefined) return null;
      return {
        iso,
        day: dayNumberOfIso(iso),
        trading: quote ? isTradingDaySafe(iso) : false,
        yymmdd: Number(iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10)),
        century20: iso.startsWith('20'),
      };
    };
    this.qdCache = new RawCache((raw) => dateOf(raw, true));
    this.expCache = new RawCache((raw) => dateOf(raw, false));
    const calls = new Set(spec.callCodes.map((x) => x.toLowerCase()));
    const puts = new Set(spec.putCodes.map((x) => x.toLowerCase()));
    this.rightCache = new RawCache((raw) => {
      const v = raw.trim().toLowerCase();
      return calls.has(v) ? 0 : puts.has(v) ? 1 : INVALID;
    });
    this.rootCache = new RawCache((raw) => {
      const r = raw.trim().toUpperCase();
      return r === 'SPX' ? 0 : r === 'SPXW' ? 1 : INVALID;
    });
    this.usymCache = new RawCache((raw) => {
      const u = raw.trim().replace(/^[$^]/, '').toUpperCase();
      return u === 'SPX' || u === 'SPXW' || u === 'SPX.X';
    });
    this.timeCache = new RawCache((raw): string | undefined => {
      const m = TIME_RE.exec(raw.trim());
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return undefined;
      return `${m[1]!.padStart(2, '0')}:${m[2]}`;
    });
  }

  private defer(reason: string): never {
    throw new FastParseDeferred(this.lineNo, reason);
  }

  /** A new (quote date, time) pair: its instant, checked against the close. */
  private newInstant(qd: DateDecision, t: string | null): void {
    const close = session(qd.iso).closeUtcMs;
    if (t === null) this.utcMs = close;
    else {
      this.utcMs = zonedTimeToUtcMs(qd.iso, t, 'America/New_York');
      if (this.utcMs > close) this.defer('quote time after the close');
    }
    this.timeCode = this.chunk.timeCodeOf(t);
    if (qd !== this.lastQd) {
      this.days.add(qd.day);
      this.dayStored = this.storedDays?.has(qd.day) ?? false;
    }
    this.lastQd = qd;
    this.lastT = t;
  }

  private rootExpires(root: number, ex: DateDecision): boolean {
    const k = ex.day * 2 + root;
    let v = this.expiresMemo.get(k);
    if (v === undefined) {
      v = rootExpiresSafe(root === 0 ? 'SPX' : 'SPXW', ex.iso);
      this.expiresMemo.set(k, v);
    }
    return v;
  }

  /** The (date, expiry) group's strike sets per (root, right); notes a group that comes back. */
  private enterGroup(gk: number): void {
    let g = this.groups.get(gk);
    if (g === undefined) {
      g = [new StrikeSet(), new StrikeSet(), new StrikeSet(), new StrikeSet()];
      this.groups.set(gk, g);
    } else this.unclustered = true;
    this.group = g;
    this.groupKey = gk;
  }

  /**
   * Parses the complete lines of b[pos, len) (and a last line without newline at eof) until the chunk
   * is full; returns where it stopped.
   */
  scan(b: Buffer, pos: number, len: number, eof: boolean): number {
    const W = this.W;
    const fs = this.fs;
    const fe = this.fe;
    const c = this.c;
    const cQd = c.quoteDate;
    const cExp = c.expiry;
    const cQt = c.quoteTime;
    const cUsym = c.underlyingSymbol;
    const cSym = c.optionSymbol;
    const cRoot = c.root;
    const cStrike = c.strike;
    const cRight = c.right;
    const cBid = c.bid;
    const cAsk = c.ask;
    const cLast = c.last;
    const cVol = c.volume;
    const cOi = c.openInterest;
    const cUp = c.underlyingPrice;
    const cUb = c.underlyingBid;
    const cUa = c.underlyingAsk;
    const cIv = c.iv;
    const cDelta = c.delta;
    const cGamma = c.gamma;
    const cTheta = c.theta;
    const cVega = c.vega;
    const spec = this.spec;
    const fixedTime = spec.quoteTimeEt;
    const thetaScale = spec.thetaPer === 'day' ? DAYS_PER_YEAR : 1;
    const zeroGreeks = spec.zeroGreeksMeanMissing;
    const dropPlaceholder = spec.dropPlaceholderIv;
    const chunk = this.chunk;
    const tmp = this.scratch;
    for (;;) {
      let end = b.indexOf(10, pos);
      if (end < 0 || end >= len) {
        if (!eof || pos >= len) return pos;
        end = len; // last line without a newline
      }
      this.lineNo++;
      let le = end;
      if (le > pos && b[le - 1] === 13) le--;
      const ls = pos;
      pos = end + 1;
      if (le === ls) {
        this.blankLines++;
        continue;
      }
      // Fields: plain, or "quoted" without "" escapes.
      let k = 0;
      let s = ls;
      for (let i = ls; ; i++) {
        const ch = b[i];
        if (i === le || ch === 44) {
          if (k < W) {
            fs[k] = s;
            fe[k] = i;
          }
          k++;
          if (i === le) break;
          s = i + 1;
        } else if (ch === 34) {
          if (i !== s) this.defer('a quote inside a field');
          let j = i + 1;
          while (j < le && b[j] !== 34) j++;
          if (j === le) this.defer('an unterminated quote');
          if (j + 1 < le && b[j + 1] !== 44) this.defer('text or an escaped quote after a closing quote');
          if (k < W) {
            fs[k] = i + 1;
            fe[k] = j;
          }
          k++;
          if (j + 1 === le) break;
          s = j + 2;
          i = j + 1;
        }
      }
      if (k !== W) this.defer(`${k} fields, the header has ${W}`);

      // Dates, quote time and the quote instant.
      const qd = this.qdCache.lookup(b, fs[cQd]!, fe[cQd]!);
      if (qd === null || !qd.trading) this.defer('quote date');
      const ex = this.expCache.lookup(b, fs[cExp]!, fe[cExp]!);
      if (ex === null) this.defer('expiry');
      let t = fixedTime;
      if (cQt >= 0) {
        const tv = this.timeCache.lookup(b, fs[cQt]!, fe[cQt]!);
        if (tv === undefined) this.defer('quote time');
        t = tv;
      }
      if (qd !== this.lastQd || t !== this.lastT) this.newInstant(qd, t);
      const qdDay = qd.day;
      const exDay = ex.day;

      // Underlying, root and the OSI symbol.
      if (cUsym >= 0 && !this.usymCache.lookup(b, fs[cUsym]!, fe[cUsym]!)) this.defer('underlying');
      let root = INVALID;
      let symRight = INVALID;
      let symStrike = -1;
      let symYmd = INVALID;
      if (cSym >= 0) {
        let ss = fs[cSym]!;
        let se = fe[cSym]!;
        while (ss < se && isSpace(b[ss]!)) ss++;
        while (se > ss && isSpace(b[se - 1]!)) se--;
        const L = se - ss;
        if (b[ss] !== 83 || b[ss + 1] !== 80 || b[ss + 2] !== 88) this.defer('option symbol root');
        if (L === 18) root = 0;
        else if (L === 19 && b[ss + 3] === 87) root = 1;
        else this.defer('option symbol root');
        const t0 = se - 15;
        let ymd = 0;
        for (let i = t0; i < t0 + 6; i++) {
          const ch = b[i]!;
          if (ch < 48 || ch > 57) this.defer('option symbol date');
          ymd = ymd * 10 + (ch - 48);
        }
        const cp = b[t0 + 6];
        if (cp === 67) symRight = 0;
        else if (cp === 80) symRight = 1;
        else this.defer('option symbol right');
        let kk = 0;
        for (let i = t0 + 7; i < se; i++) {
          const ch = b[i]!;
          if (ch < 48 || ch > 57) this.defer('option symbol strike');
          kk = kk * 10 + (ch - 48);
        }
        symYmd = ymd;
        symStrike = kk;
      }
      if (cRoot >= 0) {
        const r = this.rootCache.lookup(b, fs[cRoot]!, fe[cRoot]!);
        if (r === INVALID || (root !== INVALID && root !== r)) this.defer('root');
        root = r;
      }

      // Contract terms.
      const i = chunk.n;
      if (numInto(b, fs[cStrike]!, fe[cStrike]!, chunk.strike, i) !== NUM_OK) this.defer('strike');
      const strike = chunk.strike[i]!;
      if (!(strike > 0)) this.defer('strike');
      const right = this.rightCache.lookup(b, fs[cRight]!, fe[cRight]!);
      if (right === INVALID) this.defer('right');
      if (cSym >= 0) {
        if (symYmd !== ex.yymmdd || !ex.century20) this.defer('option symbol vs expiry');
        if (symRight !== right) this.defer('option symbol vs right');
        if (symStrike / 1000 !== strike) this.defer('option symbol vs strike');
      }
      if (exDay < qdDay) this.defer('expiry before the quote date');
      if (!this.rootExpires(root, ex)) this.defer('no such expiry');

      // Quotes: optional numbers >= 0 (NaN when empty or unmapped).
      let bad = 0;
      if (cBid >= 0) bad |= numInto(b, fs[cBid]!, fe[cBid]!, chunk.bid, i);
      else chunk.bid[i] = Number.NaN;
      if (cAsk >= 0) bad |= numInto(b, fs[cAsk]!, fe[cAsk]!, chunk.ask, i);
      else chunk.ask[i] = Number.NaN;
      if (cLast >= 0) bad |= numInto(b, fs[cLast]!, fe[cLast]!, chunk.last, i);
      else chunk.last[i] = Number.NaN;
      if (cVol >= 0) bad |= numInto(b, fs[cVol]!, fe[cVol]!, chunk.volume, i);
      else chunk.volume[i] = Number.NaN;
      if (cOi >= 0) bad |= numInto(b, fs[cOi]!, fe[cOi]!, chunk.openInterest, i);
      else chunk.openInterest[i] = Number.NaN;
      if (cIv >= 0) bad |= numInto(b, fs[cIv]!, fe[cIv]!, chunk.iv, i);
      else chunk.iv[i] = Number.NaN;
      if (cDelta >= 0) bad |= numInto(b, fs[cDelta]!, fe[cDelta]!, chunk.delta, i);
      else chunk.delta[i] = Number.NaN;
      if (cGamma >= 0) bad |= numInto(b, fs[cGamma]!, fe[cGamma]!, chunk.gamma, i);
      else chunk.gamma[i] = Number.NaN;
      if (cTheta >= 0) bad |= numInto(b, fs[cTheta]!, fe[cTheta]!, chunk.theta, i);
      else chunk.theta[i] = Number.NaN;
      if (cVega >= 0) bad |= numInto(b, fs[cVega]!, fe[cVega]!, chunk.vega, i);
      else chunk.vega[i] = Number.NaN;
      if ((bad & NUM_BAD) !== 0) this.defer('a number');
      const bid = chunk.bid[i]!;
      const ask = chunk.ask[i]!;
      const volume = chunk.volume[i]!;
      const oi = chunk.openInterest[i]!;
      if (bid < 0 || ask < 0 || chunk.last[i]! < 0 || volume < 0 || oi < 0 || chunk.iv[i]! < 0)
        this.defer('a negative number');
      if (
        (!Number.isInteger(volume) && !Number.isNaN(volume)) ||
        (!Number.isInteger(oi) && !Number.isNaN(oi))
      )
        this.defer('a fractional count');

      // Underlying level: required, or the mid of underlying bid/ask when that column pair is mapped.
      let up = Number.NaN;
      if (cUp >= 0) {
        const st = numInto(b, fs[cUp]!, fe[cUp]!, tmp, 0);
        if (st === NUM_BAD || (st === NUM_EMPTY && cUb < 0)) this.defer('underlying price');
        up = tmp[0]!;
        if (up < 0) this.defer('underlying price');
      }
      if (!(up > 0) && cUb >= 0) {
        if (cUa < 0) this.defer('underlying ask unmapped');
        if (numInto(b, fs[cUb]!, fe[cUb]!, tmp, 1) !== NUM_OK) this.defer('underlying bid');
        if (numInto(b, fs[cUa]!, fe[cUa]!, tmp, 2) !== NUM_OK) this.defer('underlying ask');
        const ub = tmp[1]!;
        const ua = tmp[2]!;
        if (ub < 0 || ua < 0) this.defer('underlying bid/ask');
        if (ub > 0 && ua > 0) up = 0.5 * (ub + ua);
      }
      if (!(up > 0)) this.defer('no underlying level');
      chunk.underlyingPrice[i] = up;

      // Vendor analytics.
      const delta = chunk.delta[i]!;
      const vega = chunk.vega[i]!;
      if (thetaScale !== 1) chunk.theta[i] = chunk.theta[i]! * thetaScale;
      if (zeroGreeks) {
        if (chunk.iv[i] === 0) chunk.iv[i] = Number.NaN;
        if (delta === 0 && chunk.gamma[i] === 0 && vega === 0) {
          chunk.delta[i] = Number.NaN;
          chunk.gamma[i] = Number.NaN;
          chunk.vega[i] = Number.NaN;
          chunk.theta[i] = Number.NaN;
        }
      }
      let placeholder = 0;
      if (dropPlaceholder && (delta === 1 || delta === -1) && vega === 0) {
        placeholder = 1;
        chunk.iv[i] = Number.NaN;
      }

      // One quote per contract and day: strike -> (root, right) bits per (date, expiry) group.
      const gk = qdDay * 65_536 + (exDay - qdDay);
      if (gk !== this.groupKey) this.enterGroup(gk);
      if (!this.group[root * 2 + right]!.add(strike)) this.defer('duplicate key');

      let f = 0;
      if (Number.isNaN(bid)) f |= 1;
      else if (bid === 0) f |= 4;
      if (Number.isNaN(ask)) f |= 2;
      else if (ask === 0) f |= 8;
      if (bid > ask) {
        if (!this.allowCrossed) this.defer('crossed quote');
        this.crossed++;
        f |= 16;
      }

      chunk.quoteDay[i] = qdDay;
      chunk.timeCode[i] = this.timeCode;
      chunk.quoteUtcMs[i] = this.utcMs;
      chunk.root[i] = root;
      chunk.expiryDay[i] = exDay;
      chunk.right[i] = right;
      chunk.ivPlaceholder[i] = placeholder;
      chunk.flags[i] = f;
      chunk.line[i] = this.lineNo;
      chunk.n = i + 1;
      this.rows++;
      if (this.dayStored || this.unclustered) chunk.staged = true;
      if (i + 1 === CHUNK_ROWS) return pos;
    }
  }

  /** End of file: a file without data rows is the row parser's to report. */
  finish(): void {
    if (this.rows === 0) this.defer('no data rows');
  }

  stats(): FastParseStats {
    return {
      rows: this.rows,
      blankLines: this.blankLines,
      days: this.days,
      clustered: !this.unclustered,
      crossed: this.crossed,
    };
  }
}
