import { embeddedHodChains } from '@vixshield/chains';
import {
  businessTimeVix,
  dteTradingDays,
  InvalidInputError,
  type IsoDate,
  impliedVolBsm,
  ModelledChainSource,
  type OptionChain,
  quoteFlags,
  type ShortDatedParams,
  shortDatedBusinessYears,
  utcMsToZoned,
  vixFromChains,
  zonedTimeToUtcMs,
} from '@vixshield/core';
import {
  loadEmbeddedSpxw20190626,
  type MarketData,
  oneDayVixAt,
  type RealChainSnapshot,
  surfaceInputsAt,
} from '@vixshield/data';

/*
 * `model check` (issue 14): every real chain we have priced by the model at the same instant and spot,
 * the error of mids and implied vols by DTE and moneyness bucket. A modelled quote is compared with a
 * real one when the real option is out of the money with a positive bid and the model lists the strike.
 */

export interface ModelCheckRow {
  readonly asOf: IsoDate;
  readonly expiry: IsoDate;
  readonly dte: number;
  readonly right: 'C' | 'P';
  readonly strike: number;
  /** K / S - 1. */
  readonly moneyness: number;
  readonly realMid: number;
  readonly modelMid: number;
  /** Implied vols (decimal) of the real and modelled mids; null when the real mid has none. */
  readonly realIv: number | null;
  readonly modelIv: number | null;
}

export interface ModelCheckBucket {
  readonly dte: string;
  readonly moneyness: string;
  readonly n: number;
  /** Median |model mid / real mid - 1|. */
  readonly medianAbsMidError: number;
  /** Median model mid / real mid - 1 (sign: > 0 model too rich). */
  readonly medianMidError: number;
  /** Median model IV - real IV, vol points. */
  readonly medianIvErrorPts: number | null;
}

export interface ModelCheckResult {
  readonly chains: readonly { file: string; asOf: IsoDate; expiries: number; compared: number }[];
  readonly rows: readonly ModelCheckRow[];
  readonly buckets: readonly ModelCheckBucket[];
  /** The condor's zone: 1-2 trading days, OTM 0.5-2.5% from spot. */
  readonly condorZone: { n: number; medianAbsMidError: number | null };
  /** Every real 1-2 session expiry's own one-day vol against the model's (oneDayLevelCheck). */
  readonly oneDayLevel: readonly OneDayLevelRow[];
}

/** One real 1-2 session expiry's own one-day vol against the model's for its day. */
export interface OneDayLevelRow {
  readonly asOf: IsoDate;
  readonly expiry: IsoDate;
  readonly sessions: number;
  /** Cboe's VIX method on the real expiry, annualised in business time as VIX1D is. */
  readonly chainOneDayVix: number;
  /** The day's one-day vol the model prices with (the real VIX1D, else the one-day model). */
  readonly modelOneDayVix: number;
  readonly modelSource: 'VIX1D' | 'model';
  /** chainOneDayVix / modelOneDayVix: the multiple of the model's level this chain traded at. */
  readonly chainOverModel: number;
}

/**
 * The level that decides every 1DTE price, measured: for each real expiry 1-2 sessions after its quote
 * date, Cboe's VIX method on its own quotes (one term; a chain whose strikes the method cannot walk is
 * left out) read in business time, against the one-day vol the model uses that day. The lowest and
 * highest `chainOverModel` are the bounds the backtests' model-sensitivity runs use (ADR 0010).
 */
export function oneDayLevelCheck(md: MarketData, chains: readonly OptionChain[]): OneDayLevelRow[] {
  const out: OneDayLevelRow[] = [];
  for (const c of chains) {
    const sessions = dteTradingDays(c.asOf, c.expiry);
    const rate = md.byDate(c.asOf)?.rate?.r;
    const model = oneDayVixAt(md, c.asOf);
    if (sessions < 1 || sessions > 2 || rate === undefined || !model) continue;
    let chainOneDayVix: number;
    try {
      const term = vixFromChains({ chain: c, rate }).terms[0]!;
      chainOneDayVix = businessTimeVix(term, shortDatedBusinessYears(c.asOf, c.quoteTimeUtcMs, c.expiry));
    } catch (err) {
      if (err instanceof InvalidInputError) continue; // too few quoted strikes for the method
      throw err;
    }
    out.push({
      asOf: c.asOf,
      expiry: c.expiry,
      sessions,
      chainOneDayVix,
      modelOneDayVix: model.value,
      modelSource: model.source === 'VIX1D' ? 'VIX1D' : 'model',
      chainOverModel: chainOneDayVix / model.value,
    });
  }
  return out;
}

export const DTE_BUCKETS: readonly { label: string; lo: number; hi: number }[] = [
  { label: '0', lo: 0, hi: 0 },
  { label: '1-2', lo: 1, hi: 2 },
  { label: '3-5', lo: 3, hi: 5 },
  { label: '6-10', lo: 6, hi: 10 },
  { label: '11-20', lo: 11, hi: 20 },
  { label: '21+', lo: 21, hi: Number.POSITIVE_INFINITY },
];

/**
 * The condor's zone: out of the money 0.5-2.5% from spot, 1-2 sessions to expiry (issue 14's measure:
 * where a 1DTE condor's shorts and wings sit).
 */
export const CONDOR_ZONE = {
  minMoneyness: 0.005,
  maxMoneyness: 0.025,
  minSessions: 1,
  maxSessions: 2,
} as const;

/** True when |K/S - 1| lies in the condor's zone (bounds included). */
export function inCondorZoneMoneyness(moneyness: number): boolean {
  const m = Math.abs(moneyness);
  return m >= CONDOR_ZONE.minMoneyness && m <= CONDOR_ZONE.maxMoneyness;
}

export const MONEYNESS_BUCKETS: readonly { label: string; lo: number; hi: number }[] = [
  { label: '0-0.5%', lo: 0, hi: 0.005 },
  { label: '0.5-2.5%', lo: 0.005, hi: 0.025 },
  { label: '2.5-5%', lo: 0.025, hi: 0.05 },
  { label: '5-10%', lo: 0.05, hi: 0.1 },
  { label: '10%+', lo: 0.1, hi: Number.POSITIVE_INFINITY },
];

/** Median (the mean of the two middle values for an even count). */
export const median = (a: readonly number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
};

/** The 2019-06-26 15:45 ET snapshot as one OptionChain per expiry. */
export function chainsOfSnapshot(snap: RealChainSnapshot): OptionChain[] {
  const quoteTimeUtcMs = zonedTimeToUtcMs(snap.quoteDate, snap.timeEt, 'America/New_York');
  const byExpiry = new Map<IsoDate, RealChainSnapshot['quotes'][number][]>();
  for (const q of snap.quotes) byExpiry.set(q.expiry, [...(byExpiry.get(q.expiry) ?? []), q]);
  const out: OptionChain[] = [];
  for (const [expiry, qs] of byExpiry) {
    const strikes = [...new Set(qs.map((q) => q.strike))].sort((a, b) => a - b);
    const n = strikes.length;
    const col = () => new Float64Array(n);
    const c = {
      callBid: col(),
      callAsk: col(),
      putBid: col(),
      putAsk: col(),
      callIv: col().fill(Number.NaN),
      putIv: col().fill(Number.NaN),
      callFlags: new Uint8Array(n).fill(quoteFlags(Number.NaN, Number.NaN)),
      putFlags: new Uint8Array(n).fill(quoteFlags(Number.NaN, Number.NaN)),
    };
    const at = new Map(strikes.map((k, i) => [k, i]));
    for (const q of qs) {
      const i = at.get(q.strike)!;
      if (q.right === 'C') {
        c.callBid[i] = q.bid;
        c.callAsk[i] = q.ask;
        c.callFlags[i] = quoteFlags(q.bid, q.ask);
      } else {
        c.putBid[i] = q.bid;
        c.putAsk[i] = q.ask;
        c.putFlags[i] = quoteFlags(q.bid, q.ask);
      }
    }
    out.push({
      asOf: snap.quoteDate,
      quoteTimeUtcMs,
      expiry,
      root: 'SPXW',
      settlement: 'PM',
      underlying: snap.spot,
      strikes: Float64Array.from(strikes),
      ...c,
      source: { kind: 'real', vendor: 'Cboe DataShop (15:45 ET)', file: snap.file },
    });
  }
  return out;
}

/** Every embedded real chain: the 2018 SPXW EOM file and the 2019-06-26 0DTE/2DTE.. snapshot. */
export function embeddedRealChains(): OptionChain[] {
  return [...embeddedHodChains(), ...chainsOfSnapshot(loadEmbeddedSpxw20190626())];
}

/** Prices `chains` with the model (same day, instant and spot) and measures the error. */
export function runModelCheck(
  md: MarketData,
  chains: readonly OptionChain[],
  opts: {
    shortDated?: ShortDatedParams | null;
    /**
     * Price every chain from this one-day vol instead of the day's own (VIX1D or the one-day model): the
     * model at a level known from elsewhere, e.g. the one a real chain implies (tests of the 2019 level).
     */
    oneDayVix?: number;
  } = {},
): ModelCheckResult {
  const rows: ModelCheckRow[] = [];
  const perChain = new Map<
    string,
    { file: string; asOf: IsoDate; expiries: Set<string>; compared: number }
  >();
  // One model per (day, instant, spot): the chains of one snapshot share it.
  const models = new Map<string, ModelledChainSource>();
  for (const real of chains) {
    const file = (real.source.kind === 'real' ? real.source.file : undefined) ?? 'chain';
    const key = `${file}|${real.asOf}`;
    const stat = perChain.get(key) ?? { file, asOf: real.asOf, expiries: new Set<string>(), compared: 0 };
    perChain.set(key, stat);
    stat.expiries.add(real.expiry);
    const mkey = `${real.asOf}|${real.quoteTimeUtcMs}|${real.underlying}`;
    let model = models.get(mkey);
    if (!model) {
      const spot = real.underlying;
      model = new ModelledChainSource({
        inputs: (d) => {
          const inp = surfaceInputsAt(md, d);
          if (!inp) return undefined;
          return opts.oneDayVix === undefined
            ? { ...inp, spot }
            : { ...inp, spot, oneDayVix: opts.oneDayVix, oneDayVixSource: undefined };
        },
        quoteTimeCt: utcMsToZoned(real.quoteTimeUtcMs, 'America/Chicago').hhmm,
        ...(opts.shortDated !== undefined ? { shortDated: opts.shortDated } : {}),
      });
      models.set(mkey, model);
    }
    const m = model.chain(real.asOf, real.expiry);
    if (!m) continue;
    const t = Math.max(1e-6, (settleMs(real) - real.quoteTimeUtcMs) / (365 * 86_400_000));
    const snap = md.byDate(real.asOf);
    const r = snap?.rate?.r ?? 0;
    const q = snap?.dividendYield?.q ?? 0;
    const modelIndex = new Map<number, number>();
    for (let i = 0; i < m.strikes.length; i++) modelIndex.set(m.strikes[i]!, i);
    const dte = dteTradingDays(real.asOf, real.expiry);
    for (let i = 0; i < real.strikes.length; i++) {
      const k = real.strikes[i]!;
      const j = modelIndex.get(k);
      if (j === undefined) continue;
      const mny = k / real.underlying - 1;
      const right: 'C' | 'P' = mny < 0 ? 'P' : 'C';
      const bid = right === 'P' ? real.putBid[i]! : real.callBid[i]!;
      const ask = right === 'P' ? real.putAsk[i]! : real.callAsk[i]!;
      if (!(bid > 0 && ask >= bid)) continue;
      const realMid = 0.5 * (bid + ask);
      const modelMid =
        right === 'P' ? 0.5 * (m.putBid[j]! + m.putAsk[j]!) : 0.5 * (m.callBid[j]! + m.callAsk[j]!);
      const iv = (p: number) =>
        impliedVolBsm({
          price: p,
          isCall: right === 'C',
          spot: real.underlying,
          strike: k,
          yearsToExpiry: t,
          riskFreeRate: r,
          dividendYield: q,
        }).iv;
      rows.push({
        asOf: real.asOf,
        expiry: real.expiry,
        dte,
        right,
        strike: k,
        moneyness: mny,
        realMid,
        modelMid,
        realIv: iv(realMid),
        modelIv: modelMid > 0 ? iv(modelMid) : null,
      });
      stat.compared++;
    }
  }
  const buckets: ModelCheckBucket[] = [];
  for (const db of DTE_BUCKETS) {
    for (const mb of MONEYNESS_BUCKETS) {
      const sel = rows.filter(
        (x) =>
          x.dte >= db.lo && x.dte <= db.hi && Math.abs(x.moneyness) >= mb.lo && Math.abs(x.moneyness) < mb.hi,
      );
      if (sel.length === 0) continue;
      const err = sel.map((x) => x.modelMid / x.realMid - 1);
      const ivErr = sel
        .filter((x) => x.realIv !== null && x.modelIv !== null)
        .map((x) => 100 * (x.modelIv! - x.realIv!));
      buckets.push({
        dte: db.label,
        moneyness: mb.label,
        n: sel.length,
        medianAbsMidError: median(err.map(Math.abs)),
        medianMidError: median(err),
        medianIvErrorPts: ivErr.length ? median(ivErr) : null,
      });
    }
  }
  const zone = rows.filter(
    (x) =>
      x.dte >= CONDOR_ZONE.minSessions &&
      x.dte <= CONDOR_ZONE.maxSessions &&
      inCondorZoneMoneyness(x.moneyness),
  );
  return {
    chains: [...perChain.values()].map((s) => ({
      file: s.file,
      asOf: s.asOf,
      expiries: s.expiries.size,
      compared: s.compared,
    })),
    rows,
    buckets,
    condorZone: {
      n: zone.length,
      medianAbsMidError: zone.length ? median(zone.map((x) => Math.abs(x.modelMid / x.realMid - 1))) : null,
    },
    oneDayLevel: oneDayLevelCheck(md, chains),
  };
}

function settleMs(c: OptionChain): number {
  return c.settlement === 'AM'
    ? zonedTimeToUtcMs(c.expiry, '09:30', 'America/New_York')
    : zonedTimeToUtcMs(c.expiry, '16:00', 'America/New_York');
}

/** A small SVG: median |model/real - 1| of mids by DTE bucket, one line per moneyness bucket. */
export function modelCheckSvg(res: ModelCheckResult): string {
  const W = 640;
  const H = 360;
  const L = 60;
  const B = 50;
  const T = 30;
  const R = 150;
  const maxErr = Math.max(0.5, ...res.buckets.map((b) => b.medianAbsMidError));
  const x = (i: number) => L + ((W - L - R) * (i + 0.5)) / DTE_BUCKETS.length;
  const y = (e: number) => T + (H - T - B) * (1 - Math.min(e, maxErr) / maxErr);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b'];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11"><title>Model vs real SPX option mids: median |model/real - 1| by DTE (trading days)</title>`,
    `<text x="${L}" y="18" font-size="13">Model vs real SPX option mids: median |model/real - 1| by DTE (trading days)</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#000"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#000"/>`,
  ];
  for (let g = 0; g <= 4; g++) {
    const e = (maxErr * g) / 4;
    parts.push(
      `<text x="${L - 6}" y="${y(e) + 4}" text-anchor="end">${(100 * e).toFixed(0)}%</text>`,
      `<line x1="${L}" y1="${y(e)}" x2="${W - R}" y2="${y(e)}" stroke="#ddd"/>`,
    );
  }
  DTE_BUCKETS.forEach((d, i) => {
    parts.push(`<text x="${x(i)}" y="${H - B + 16}" text-anchor="middle">${d.label}</text>`);
  });
  MONEYNESS_BUCKETS.forEach((mb, mi) => {
    const pts = DTE_BUCKETS.map((d, i) => {
      const b = res.buckets.find((z) => z.dte === d.label && z.moneyness === mb.label);
      return b ? `${x(i).toFixed(1)},${y(b.medianAbsMidError).toFixed(1)}` : null;
    }).filter((p): p is string => p !== null);
    const color = colors[mi % colors.length]!;
    if (pts.length > 1)
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    for (const p of pts) {
      const [px, py] = p.split(',');
      parts.push(`<circle cx="${px}" cy="${py}" r="3" fill="${color}"/>`);
    }
    parts.push(
      `<rect x="${W - R + 12}" y="${T + 16 * mi}" width="10" height="10" fill="${color}"/>`,
      `<text x="${W - R + 26}" y="${T + 9 + 16 * mi}">OTM ${mb.label}</text>`,
    );
  });
  parts.push(
    `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">DTE bucket (trading days)</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
