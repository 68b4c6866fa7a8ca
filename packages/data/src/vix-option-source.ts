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

/** One day of the modelled VIX option source (see ModelledVixOptionSource.days). */
interface DayEntry {
  readonly snapshot: MarketSnapshot | undefined;
  /** The day's VX curve: undefined until built, null when the day has none. */
  curve: VixFuturePoint[] | null | undefined;
  listed: readonly IsoDate[] | undefined;
  readonly byStrike: Map<IsoDate, Map<number, HedgeCallQuote | undefined>>;
  readonly byDelta: Map<IsoDate, Map<number, HedgeCallQuote | undefined>>;
}

/**
 * VIX options modelled from the day's VX curve (real CFE closes 2004-2017, modelled from the VIX term
 * structure otherwise) by Black-76 with VVIX term vol; settlement at the VRO, approximated by the VIX
 * open on the expiration day (the embedded VIX OPEN is often the prior close, so this is coarse).
 */
export class ModelledVixOptionSource implements VixOptionSource {
  /**
   * What is known of each day: its snapshot, VX curve and listing, and its quotes by expiry and strike
   * or target delta (a pure function of the day's data, so shared ports, a sweep worker's, answer the
   * same question once). One lookup by day, then by expiry and number: no key strings per quote.
   */
  private readonly days = new Map<IsoDate, DayEntry>();
  /** Quotes held over every day; the quote memos are cleared when it gets large. */
  private quoteCount = 0;

  constructor(
    private readonly snapshotOn: (d: IsoDate) => MarketSnapshot | undefined,
    private readonly vixOpenOn: (d: IsoDate) => number | undefined,
  ) {}

  private day(asOf: IsoDate): DayEntry {
    let e = this.days.get(asOf);
    if (!e) {
      e = {
        snapshot: this.snapshotOn(asOf),
        curve: undefined,
        listed: undefined,
        byStrike: new Map(),
        byDelta: new Map(),
      };
      this.days.set(asOf, e);
    }
    return e;
  }

  private curveOf(e: DayEntry): VixFuturePoint[] | null {
    if (e.curve === undefined) {
      const day = e.snapshot ? vixFuturesDayFromSnapshot(e.snapshot) : null;
      e.curve = day ? vixFuturesCurve(day, LISTED_MONTHS) : null;
    }
    return e.curve;
  }

  expirations(asOf: IsoDate): readonly IsoDate[] {
    const e = this.day(asOf);
    e.listed ??= Object.freeze(
      this.curveOf(e) ? vixContractsAfter(asOf, LISTED_MONTHS).map((c) => c.expiry) : [],
    );
    return e.listed;
  }

  private point(e: DayEntry, expiry: IsoDate): { p: VixFuturePoint; s: MarketSnapshot } | undefined {
    const c = this.curveOf(e);
    const s = e.snapshot;
    const p = c?.find((x) => x.expiry === expiry);
    return p && s ? { p, s } : undefined;
  }

  /** The memo of one (day, expiry) in `by`, created on first use. */
  private memoOf(
    by: Map<IsoDate, Map<number, HedgeCallQuote | undefined>>,
    expiry: IsoDate,
  ): Map<number, HedgeCallQuote | undefined> {
    let m = by.get(expiry);
    if (!m) {
      m = new Map();
      by.set(expiry, m);
    }
    return m;
  }

  private remember(
    m: Map<number, HedgeCallQuote | undefined>,
    key: number,
    q: HedgeCallQuote | undefined,
  ): void {
    if (this.quoteCount >= 200_000) {
      for (const d of this.days.values()) {
        d.byStrike.clear();
        d.byDelta.clear();
      }
      this.quoteCount = 0;
    }
    m.set(key, q);
    this.quoteCount += 1;
  }

  call(asOf: IsoDate, expiry: IsoDate, strike: number): HedgeCallQuote | undefined {
    const e = this.day(asOf);
    const m = this.memoOf(e.byStrike, expiry);
    if (m.has(strike)) return m.get(strike);
    const q = this.quoteCall(e, expiry, strike);
    // quoteCall may have cleared the memos (a nested call): store into the current one.
    this.remember(this.memoOf(e.byStrike, expiry), strike, q);
    return q;
  }

  private quoteCall(e: DayEntry, expiry: IsoDate, strike: number): HedgeCallQuote | undefined {
    const hit = this.point(e, expiry);
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
    const e = this.day(asOf);
    const m = this.memoOf(e.byDelta, expiry);
    if (m.has(targetDelta)) return m.get(targetDelta);
    const q = this.quoteNearDelta(e, asOf, expiry, targetDelta);
    this.remember(this.memoOf(e.byDelta, expiry), targetDelta, q);
    return q;
  }

  private quoteNearDelta(
    e: DayEntry,
    asOf: IsoDate,
    expiry: IsoDate,
    targetDelta: number,
  ): HedgeCallQuote | undefined {
    const hit = this.point(e, expiry);
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
