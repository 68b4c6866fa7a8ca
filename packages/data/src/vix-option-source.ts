import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  black76Greeks,
  DEFAULT_VIX_FUTURES_PARAMS,
  emptyGreeks,
  type HedgeCallQuote,
  type IsoDate,
  isoDate,
  type MarketSnapshot,
  type VixFuturePoint,
  type VixOptionSource,
  vixCallStrikeForDelta,
  vixContractsAfter,
  vixFuturesCurve,
  vixFuturesDayFromSnapshot,
  vixOptionVol,
} from '@vixshield/core';
import { scanCsv } from './csv';
import { EMBEDDED_DATA_DIR, EMBEDDED_FILES } from './files';

/** How many monthly VIX expiries are listed (enough for the 220-day ALVH layer). */
const LISTED_MONTHS = 10;

/**
 * Half-spread of a modelled VIX option quote: max(0.05, 4% of the premium), an assumption (no VIX
 * option quotes are in the embedded data) in line with typical listed VIX spreads; prices sit on the
 * 0.05 tick below 3.00 and 0.10 above.
 */
export function vixOptionHalfSpread(mid: number): number {
  return Math.max(0.05, 0.04 * mid);
}

/**
 * VIX options modelled from the day's VX curve (real CFE closes 2004-2017, modelled from the VIX term
 * structure otherwise) by Black-76 with VVIX term vol; settlement at the VRO, approximated by the VIX
 * open on the expiration day (the embedded VIX OPEN is often the prior close, so this is coarse).
 */
export class ModelledVixOptionSource implements VixOptionSource {
  private readonly curves = new Map<IsoDate, VixFuturePoint[] | null>();
  private readonly listed = new Map<IsoDate, readonly IsoDate[]>();
  /** Quotes by (day, expiry, strike or target delta): a pure function of the day's data, so shared
   * ports (a sweep worker's) answer the same question once. Bounded: cleared when it gets large. */
  private readonly quotes = new Map<string, HedgeCallQuote | undefined>();

  constructor(
    private readonly snapshotOn: (d: IsoDate) => MarketSnapshot | undefined,
    private readonly vixOpenOn: (d: IsoDate) => number | undefined,
  ) {}

  private curve(asOf: IsoDate): VixFuturePoint[] | null {
    if (this.curves.has(asOf)) return this.curves.get(asOf) ?? null;
    const s = this.snapshotOn(asOf);
    const day = s ? vixFuturesDayFromSnapshot(s) : null;
    const c = day ? vixFuturesCurve(day, LISTED_MONTHS) : null;
    this.curves.set(asOf, c);
    return c;
  }

  expirations(asOf: IsoDate): readonly IsoDate[] {
    let hit = this.listed.get(asOf);
    if (!hit) {
      hit = Object.freeze(
        this.curve(asOf) ? vixContractsAfter(asOf, LISTED_MONTHS).map((c) => c.expiry) : [],
      );
      this.listed.set(asOf, hit);
    }
    return hit;
  }

  private point(asOf: IsoDate, expiry: IsoDate): { p: VixFuturePoint; s: MarketSnapshot } | undefined {
    const c = this.curve(asOf);
    const s = this.snapshotOn(asOf);
    const p = c?.find((x) => x.expiry === expiry);
    return p && s ? { p, s } : undefined;
  }

  call(asOf: IsoDate, expiry: IsoDate, strike: number): HedgeCallQuote | undefined {
    return this.memo(`${asOf}|${expiry}|K${strike}`, () => this.quoteCall(asOf, expiry, strike));
  }

  private memo(key: string, make: () => HedgeCallQuote | undefined): HedgeCallQuote | undefined {
    if (this.quotes.has(key)) return this.quotes.get(key);
    const q = make();
    if (this.quotes.size >= 200_000) this.quotes.clear();
    this.quotes.set(key, q);
    return q;
  }

  private quoteCall(asOf: IsoDate, expiry: IsoDate, strike: number): HedgeCallQuote | undefined {
    const hit = this.point(asOf, expiry);
    if (!hit || !(strike > 0)) return undefined;
    const { p, s } = hit;
    const r = s.rate?.r ?? 0;
    const sigma = vixOptionVol(s.vvix ?? DEFAULT_VIX_FUTURES_PARAMS.defaultVvix, p.tauDays);
    const g = black76Greeks(
      {
        isCall: true,
        future: p.price,
        strike,
        yearsToExpiry: Math.max(p.tauDays, 0) / 365,
        riskFreeRate: r,
        vol: sigma,
      },
      emptyGreeks(),
    );
    const mid = g.price;
    const hs = vixOptionHalfSpread(mid);
    return {
      expiry,
      strike,
      bid: Math.max(0, mid - hs),
      ask: mid + hs,
      mid,
      delta: g.delta,
      vega: g.vega,
      future: p.price,
      iv: sigma,
      source: {
        kind: 'modelled',
        model: 'vix-option-black76-vvix',
        version: DEFAULT_VIX_FUTURES_PARAMS.version,
        inputs: { future: p.price, futureSource: p.source.kind, vvix: s.vvix, tauDays: p.tauDays, rate: r },
      },
    };
  }

  callNearDelta(asOf: IsoDate, expiry: IsoDate, targetDelta: number): HedgeCallQuote | undefined {
    return this.memo(`${asOf}|${expiry}|D${targetDelta}`, () =>
      this.quoteNearDelta(asOf, expiry, targetDelta),
    );
  }

  private quoteNearDelta(asOf: IsoDate, expiry: IsoDate, targetDelta: number): HedgeCallQuote | undefined {
    const hit = this.point(asOf, expiry);
    if (!hit) return undefined;
    const { p, s } = hit;
    const sigma = vixOptionVol(s.vvix ?? DEFAULT_VIX_FUTURES_PARAMS.defaultVvix, p.tauDays);
    const k = vixCallStrikeForDelta(p.price, p.tauDays / 365, s.rate?.r ?? 0, sigma, targetDelta);
    return this.call(asOf, expiry, k.strike);
  }

  settlement(expiry: IsoDate): number | undefined {
    return this.vixOpenOn(expiry);
  }
}

/**
 * VIX opens by date from the embedded VIX history (for the VRO approximation), continued after its
 * last day by the Yahoo extension file (the same days the loader extends the closes with).
 */
export function loadVixOpens(dir: string = EMBEDDED_DATA_DIR): Map<IsoDate, number> {
  const out = new Map<IsoDate, number>();
  let last = '';
  for (const file of [EMBEDDED_FILES.vix, EMBEDDED_FILES.vixYahoo]) {
    const src = scanCsv(readFileSync(join(dir, file), 'utf8'), file);
    const dateCol = src.header.findIndex((h) => h.trim().toUpperCase() === 'DATE');
    const openCol = src.header.findIndex((h) => h.trim().toUpperCase() === 'OPEN');
    const fileLast = last;
    for (const row of src.rows) {
      const d = row.fields[dateCol]?.trim() ?? '';
      const v = Number(row.fields[openCol]);
      // The loaders already validated these files; rows that are not plain dates/numbers are not opens.
      if (/^\d{4}-\d{2}-\d{2}$/.test(d) && d > fileLast && Number.isFinite(v) && v > 0) {
        out.set(isoDate(d), v);
        if (d > last) last = d;
      }
    }
  }
  return out;
}
