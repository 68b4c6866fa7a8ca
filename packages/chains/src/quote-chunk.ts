import type { IsoDate, OptionRight, OptionRoot } from '@vixshield/core';
import type { ChainQuoteRow } from './row';

/**
 * Normalised quotes in columns, CHUNK_ROWS at a time (DuckDB's vector size): what the byte-level
 * importer fills and the DuckDB chunk writer copies into the store. NaN = missing (stored as NULL),
 * like ChainQuoteRow. Dates are day numbers (days since 1970-01-01, DuckDB's DATE); the quote time
 * is a code into `times`, the root and right are 0/1 codes.
 */
export const CHUNK_ROWS = 2048;

export const ROOT_CODES: readonly OptionRoot[] = ['SPX', 'SPXW'];
export const RIGHT_CODES: readonly OptionRight[] = ['call', 'put'];

export class QuoteChunk {
  n = 0;
  /**
   * Set by the fast reader: the chunk holds a quote date already stored, or follows a (date, expiry)
   * group that came back after another one; such chunks are merged key by key through a temp table.
   */
  staged = false;
  readonly quoteDay = new Int32Array(CHUNK_ROWS);
  /** Index into `times` ('HH:MM' New York, or null for the session close). */
  readonly timeCode = new Uint8Array(CHUNK_ROWS);
  readonly quoteUtcMs = new Float64Array(CHUNK_ROWS);
  /** 0 = SPX (AM), 1 = SPXW (PM). */
  readonly root = new Uint8Array(CHUNK_ROWS);
  readonly expiryDay = new Int32Array(CHUNK_ROWS);
  readonly strike = new Float64Array(CHUNK_ROWS);
  /** 0 = call, 1 = put. */
  readonly right = new Uint8Array(CHUNK_ROWS);
  readonly bid = new Float64Array(CHUNK_ROWS);
  readonly ask = new Float64Array(CHUNK_ROWS);
  readonly last = new Float64Array(CHUNK_ROWS);
  readonly volume = new Float64Array(CHUNK_ROWS);
  readonly openInterest = new Float64Array(CHUNK_ROWS);
  readonly underlyingPrice = new Float64Array(CHUNK_ROWS);
  readonly iv = new Float64Array(CHUNK_ROWS);
  readonly delta = new Float64Array(CHUNK_ROWS);
  readonly gamma = new Float64Array(CHUNK_ROWS);
  readonly theta = new Float64Array(CHUNK_ROWS);
  readonly vega = new Float64Array(CHUNK_ROWS);
  readonly ivPlaceholder = new Uint8Array(CHUNK_ROWS);
  readonly flags = new Uint8Array(CHUNK_ROWS);
  /** File line of each row (1-based, header = 1). */
  readonly line = new Int32Array(CHUNK_ROWS);

  /** Distinct quote times; shared by every chunk of one import. */
  constructor(readonly times: Array<string | null>) {}

  timeCodeOf(t: string | null): number {
    let i = this.times.indexOf(t);
    if (i < 0) {
      if (this.times.length >= 255) throw new Error('more than 255 distinct quote times in one file');
      i = this.times.push(t) - 1;
    }
    return i;
  }

  /** Appends one normalised row (the row parser's path into the store). */
  pushRow(r: ChainQuoteRow, quoteUtcMs: number, line = 0): void {
    const i = this.n++;
    this.quoteDay[i] = dayNumberOfIso(r.quoteDate);
    this.timeCode[i] = this.timeCodeOf(r.quoteTimeEt);
    this.quoteUtcMs[i] = quoteUtcMs;
    this.root[i] = r.root === 'SPX' ? 0 : 1;
    this.expiryDay[i] = dayNumberOfIso(r.expiry);
    this.strike[i] = r.strike;
    this.right[i] = r.right === 'call' ? 0 : 1;
    this.bid[i] = r.bid;
    this.ask[i] = r.ask;
    this.last[i] = r.last;
    this.volume[i] = r.volume;
    this.openInterest[i] = r.openInterest;
    this.underlyingPrice[i] = r.underlyingPrice;
    this.iv[i] = r.vendorIv;
    this.delta[i] = r.vendorDelta;
    this.gamma[i] = r.vendorGamma;
    this.theta[i] = r.vendorTheta;
    this.vega[i] = r.vendorVega;
    this.ivPlaceholder[i] = r.ivPlaceholder ? 1 : 0;
    this.flags[i] = r.flags;
    this.line[i] = line;
  }

  /** Row i as a ChainQuoteRow (tests compare the two parsers with it). */
  rowAt(i: number): ChainQuoteRow {
    return {
      quoteDate: isoOfDayNumber(this.quoteDay[i]!),
      quoteTimeEt: this.times[this.timeCode[i]!] ?? null,
      underlying: 'SPX',
      root: ROOT_CODES[this.root[i]!]!,
      expiry: isoOfDayNumber(this.expiryDay[i]!),
      settlement: this.root[i] === 0 ? 'AM' : 'PM',
      strike: this.strike[i]!,
      right: RIGHT_CODES[this.right[i]!]!,
      bid: this.bid[i]!,
      ask: this.ask[i]!,
      last: this.last[i]!,
      volume: this.volume[i]!,
      openInterest: this.openInterest[i]!,
      underlyingPrice: this.underlyingPrice[i]!,
      vendorIv: this.iv[i]!,
      vendorDelta: this.delta[i]!,
      vendorGamma: this.gamma[i]!,
      vendorTheta: this.theta[i]!,
      vendorVega: this.vega[i]!,
      ivPlaceholder: this.ivPlaceholder[i] === 1,
      flags: this.flags[i]!,
    };
  }
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function dayNumberOfIso(d: IsoDate | string): number {
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / MS_PER_DAY;
}

export function isoOfDayNumber(n: number): IsoDate {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10) as IsoDate;
}
