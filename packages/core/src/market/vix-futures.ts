import { session, settlementInstantUtcMs, vixContractsAfter } from '../calendar/index';
import { InvalidInputError, type IsoDate } from '../domain/index';
import { partitionPoint } from '../math/index';
import { black76Greeks, black76Price, emptyGreeks } from '../pricing/index';
import type { PriceSource } from './chain';
import type { MarketSnapshot } from './snapshot';

/*
 * VX futures and VIX options when no real quote exists (see docs/vix-futures.md).
 *
 * Futures model. The VIX family gives the risk-neutral total variance w(tau) = (V/100)^2 tau/365 at
 * tau = 9 (VIX9D), 30 (VIX), 93 (VIX3M), 183 (VIX6M) and 365 (VIX1Y) calendar days. A VX contract
 * expiring in tau days settles on the VIX then, whose square is the 30-day variance from tau to
 * tau + 30, so E[VIX_tau^2] = FV(tau) = (w(tau + 30) - w(tau)) / (30/365) (w interpolated by a
 * monotone cubic in tau by default, or linearly; the last segment's slope continues beyond the last
 * point). The future is
 * E[VIX_tau], not sqrt(E[VIX_tau^2]): if VIX_tau is lognormal with log-variance s^2 = sigma_v^2 tau
 * then E[VIX] = sqrt(E[VIX^2]) exp(-s^2/2). So
 *     F(tau) = 100 sqrt(FV(tau)) exp(-(theta0 + theta1 x)),   x = sigma_v(tau)^2 tau_years / 2,
 * theta0 = 0, theta1 = 1 is the pure lognormal convexity; theta0 (a level term premium) and theta1
 * (a scale on the convexity) are fitted on 2009-09..2013-12 real futures (docs/vix-futures.md).
 *
 * VIX option vol from VVIX with a term adjustment: sigma_v(tau) = VVIX/100 (max(tau, 7d)/30d)^-alpha.
 * alpha = 0.3 is an assumption (VIX option implied vols fall with tenor; with alpha 0.3 a 6-month
 * option has 58% of the 30-day vol), not fitted: there is no VIX option data in the repo.
 */

/** Constant-maturity tenors of the VIX family, calendar days. */
export const VIX_FAMILY_TENOR_DAYS = { vix9d: 9, vix: 30, vix3m: 93, vix6m: 183, vix1y: 365 } as const;

/** Index closes of one day (index points); null/undefined = not published that day. VIX is required. */
export interface VixTermStructure {
  readonly vix: number;
  readonly vix9d?: number | null;
  readonly vix3m?: number | null;
  readonly vix6m?: number | null;
  readonly vix1y?: number | null;
}

export interface VixFuturesModelParams {
  /** Level term premium in log points (fitted). */
  readonly theta0: number;
  /** Scale on the lognormal convexity term (fitted; 1 = pure convexity). */
  readonly theta1: number;
  /** VVIX term decay exponent of sigma_v(tau) (assumed). */
  readonly alpha: number;
  /** VVIX used when the day has none (before 2007, where VVIX is missing or unreliable). */
  readonly defaultVvix: number;
  /**
   * Use VIX9D as a knot of the total-variance curve. When VIX9D is far above VIX (stress) the
   * 9-30 day forward variance collapses and the front future is underestimated; see the doc.
   */
  readonly useVix9d: boolean;
  /** How w(tau) is interpolated between the knots (see totalVarianceAt). */
  readonly interpolation: TotalVarianceInterpolation;
  /** Floor of the forward variance (decimal^2 per year) when the term structure is locally inverted. */
  readonly minForwardVariance: number;
  readonly version: string;
}

/**
 * Fitted on real VX closes 2009-09-18..2013-12-31 (OLS of -ln(F / 100 sqrt(FV)) on x; see
 * docs/vix-futures.md for the fit, the out-of-sample 2014-01..2017-05 errors and the script).
 */
export const DEFAULT_VIX_FUTURES_PARAMS: VixFuturesModelParams = {
  theta0: 0.003983986655324251,
  theta1: 0.7538200703991528,
  alpha: 0.3,
  defaultVvix: 85,
  useVix9d: true,
  interpolation: 'monotone-cubic',
  minForwardVariance: 1e-4,
  version: 'vixfut-2',
};

/**
 * The unfitted alternative: pure lognormal convexity (theta0 = 0, theta1 = 1). Out of sample
 * (2014-01..2017-05) it did slightly better than the fitted default; see docs/vix-futures.md.
 */
export const CONVEXITY_ONLY_VIX_FUTURES_PARAMS: VixFuturesModelParams = {
  ...DEFAULT_VIX_FUTURES_PARAMS,
  theta0: 0,
  theta1: 1,
  version: 'vixfut-2-convexity-only',
};

/** Minimum tenor (days) used in the VVIX term adjustment, so that sigma_v stays finite at expiry. */
export const VVIX_MIN_TENOR_DAYS = 7;

function bad(field: string, message: string, hint: string): never {
  throw new InvalidInputError(message, field, hint);
}

function positiveOrNull(v: number | null | undefined, field: string): number | null {
  if (v === null || v === undefined) return null;
  if (!(v > 0) || !Number.isFinite(v)) bad(field, `${field} = ${String(v)} must be > 0`, 'index points');
  return v;
}

/** Total-variance knots (tau days, w in years x decimal^2), starting at (0, 0). */
export interface TotalVarianceCurve {
  readonly tenorDays: readonly number[];
  readonly totalVariance: readonly number[];
}

export function vixTotalVarianceCurve(ts: VixTermStructure): TotalVarianceCurve {
  const pts: Array<[number, number | null]> = [
    [VIX_FAMILY_TENOR_DAYS.vix9d, positiveOrNull(ts.vix9d, 'vix9d')],
    [
      VIX_FAMILY_TENOR_DAYS.vix,
      positiveOrNull(ts.vix, 'vix') ?? bad('vix', 'vix is required', 'pass the VIX close'),
    ],
    [VIX_FAMILY_TENOR_DAYS.vix3m, positiveOrNull(ts.vix3m, 'vix3m')],
    [VIX_FAMILY_TENOR_DAYS.vix6m, positiveOrNull(ts.vix6m, 'vix6m')],
    [VIX_FAMILY_TENOR_DAYS.vix1y, positiveOrNull(ts.vix1y, 'vix1y')],
  ];
  const tenorDays = [0];
  const totalVariance = [0];
  for (const [tau, v] of pts) {
    if (v === null) continue;
    tenorDays.push(tau);
    totalVariance.push((v / 100) ** 2 * (tau / 365));
  }
  return { tenorDays, totalVariance };
}

export type TotalVarianceInterpolation = 'linear' | 'monotone-cubic';

/**
 * w(tau) between the knots: 'linear' (flat forward variance per segment; the forward jumps at each
 * knot) or 'monotone-cubic' (Fritsch-Carlson monotone cubic Hermite: continuous forward variance,
 * no new extrema). Beyond the last knot the last segment's average forward variance continues.
 */
export function totalVarianceAt(
  curve: TotalVarianceCurve,
  tauDays: number,
  interpolation: TotalVarianceInterpolation = 'linear',
): number {
  return totalVarianceOn(curve, tauDays, interpolation, undefined);
}

/** The cubic's tangents when `interpolation` and the knot count call for them (totalVarianceOn's test). */
function slopesFor(
  curve: TotalVarianceCurve,
  interpolation: TotalVarianceInterpolation,
): number[] | undefined {
  return interpolation === 'linear' || curve.tenorDays.length < 3
    ? undefined
    : monotoneSlopes(curve.tenorDays, curve.totalVariance);
}

/** totalVarianceAt with the cubic's tangents given when already computed for this curve. */
function totalVarianceOn(
  curve: TotalVarianceCurve,
  tauDays: number,
  interpolation: TotalVarianceInterpolation,
  slopes: readonly number[] | undefined,
): number {
  const t = curve.tenorDays;
  const w = curve.totalVariance;
  const n = t.length;
  if (!(tauDays >= 0)) bad('tauDays', `tauDays = ${String(tauDays)} must be >= 0`, 'days to expiry');
  if (tauDays > t[n - 1]!) {
    const slope = (w[n - 1]! - w[n - 2]!) / (t[n - 1]! - t[n - 2]!);
    return w[n - 1]! + slope * (tauDays - t[n - 1]!);
  }
  let i = 1;
  while (tauDays > t[i]!) i++;
  const a = t[i - 1]!;
  const b = t[i]!;
  const h = b - a;
  const u = (tauDays - a) / h;
  if (interpolation === 'linear' || n < 3) return w[i - 1]! + (w[i]! - w[i - 1]!) * u;
  const m = slopes ?? monotoneSlopes(t, w);
  const u2 = u * u;
  const u3 = u2 * u;
  return (
    (2 * u3 - 3 * u2 + 1) * w[i - 1]! +
    (u3 - 2 * u2 + u) * h * m[i - 1]! +
    (-2 * u3 + 3 * u2) * w[i]! +
    (u3 - u2) * h * m[i]!
  );
}

/** Fritsch-Carlson tangents for a monotone cubic Hermite interpolant. */
function monotoneSlopes(t: readonly number[], w: readonly number[]): number[] {
  const n = t.length;
  const d: number[] = [];
  for (let i = 0; i < n - 1; i++) d.push((w[i + 1]! - w[i]!) / (t[i + 1]! - t[i]!));
  const m: number[] = new Array<number>(n);
  m[0] = d[0]!;
  m[n - 1] = d[n - 2]!;
  for (let i = 1; i < n - 1; i++) m[i] = d[i - 1]! * d[i]! <= 0 ? 0 : (d[i - 1]! + d[i]!) / 2;
  for (let i = 0; i < n - 1; i++) {
    if (d[i] === 0) {
      m[i] = 0;
      m[i + 1] = 0;
      continue;
    }
    const a = m[i]! / d[i]!;
    const b = m[i + 1]! / d[i]!;
    const r = a * a + b * b;
    if (r > 9) {
      const k = 3 / Math.sqrt(r);
      m[i] = k * a * d[i]!;
      m[i + 1] = k * b * d[i]!;
    }
  }
  return m;
}

/** Annualised forward variance from tau to tau + 30 days (E[VIX_tau^2] / 100^2), floored. */
export function forwardVixVariance(
  curve: TotalVarianceCurve,
  tauDays: number,
  floor = 1e-4,
  interpolation: TotalVarianceInterpolation = 'linear',
): number {
  return forwardVixVarianceOn(curve, tauDays, floor, interpolation, undefined);
}

function forwardVixVarianceOn(
  curve: TotalVarianceCurve,
  tauDays: number,
  floor: number,
  interpolation: TotalVarianceInterpolation,
  slopes: readonly number[] | undefined,
): number {
  const fv =
    (totalVarianceOn(curve, tauDays + 30, interpolation, slopes) -
      totalVarianceOn(curve, tauDays, interpolation, slopes)) /
    (30 / 365);
  return Math.max(fv, floor);
}

/** sigma_v(tau) = VVIX/100 (max(tau, 7)/30)^-alpha: Black-76 vol of a VIX option/future expiring in tau days. */
export function vixOptionVol(
  vvix: number,
  tauDays: number,
  alpha = DEFAULT_VIX_FUTURES_PARAMS.alpha,
): number {
  if (!(vvix > 0) || !Number.isFinite(vvix)) bad('vvix', `vvix = ${String(vvix)} must be > 0`, 'e.g. 90');
  if (!(tauDays >= 0)) bad('tauDays', `tauDays = ${String(tauDays)} must be >= 0`, 'days to expiry');
  if (!Number.isFinite(alpha)) bad('alpha', `alpha = ${String(alpha)} is not finite`, 'e.g. 0.3');
  return (vvix / 100) * (Math.max(tauDays, VVIX_MIN_TENOR_DAYS) / 30) ** -alpha;
}

export interface ModelledVixFuture {
  readonly tauDays: number;
  /** Modelled futures price, VIX points. */
  readonly price: number;
  /** 100 sqrt(FV): the forward VIX before the convexity/premium adjustment. */
  readonly forwardVol: number;
  /** The convexity variable x = sigma_v^2 tau_years / 2. */
  readonly convexityX: number;
  readonly sigmaV: number;
}

/** The modelled VX future expiring in `tauDays` calendar days (pure; inputs are plain numbers). */
export function modelVixFuture(
  ts: VixTermStructure,
  vvix: number | null | undefined,
  tauDays: number,
  params: VixFuturesModelParams = DEFAULT_VIX_FUTURES_PARAMS,
): ModelledVixFuture {
  const curve = vixTotalVarianceCurve(params.useVix9d ? ts : { ...ts, vix9d: null });
  return modelVixFutureOn(curve, undefined, vvix, tauDays, params);
}

/** modelVixFuture on the day's total-variance curve (and its cubic tangents when already computed). */
function modelVixFutureOn(
  curve: TotalVarianceCurve,
  slopes: readonly number[] | undefined,
  vvix: number | null | undefined,
  tauDays: number,
  params: VixFuturesModelParams,
): ModelledVixFuture {
  const fv = forwardVixVarianceOn(curve, tauDays, params.minForwardVariance, params.interpolation, slopes);
  const sigmaV = vixOptionVol(vvix ?? params.defaultVvix, tauDays, params.alpha);
  const x = 0.5 * sigmaV * sigmaV * (tauDays / 365);
  const forwardVol = 100 * Math.sqrt(fv);
  return {
    tauDays,
    price: forwardVol * Math.exp(-(params.theta0 + params.theta1 * x)),
    forwardVol,
    convexityX: x,
    sigmaV,
  };
}

/** Calendar days (fractional) from the as-of session close to the 09:30 ET settlement of `expiry`. */
export function vixTenorDays(asOf: IsoDate, expiry: IsoDate): number {
  return (settlementInstantUtcMs(expiry, 'AM') - session(asOf).closeUtcMs) / 86_400_000;
}

/** The futures-curve inputs of one MarketSnapshot, or null when the day has no VIX close. */
export function vixFuturesDayFromSnapshot(s: MarketSnapshot): VixFuturesDayInput | null {
  if (s.vix === null) return null;
  return {
    date: s.date,
    vix: s.vix,
    vix9d: s.vix9d,
    vix3m: s.vix3m,
    vix6m: s.vix6m,
    vix1y: s.vix1y,
    vvix: s.vvix,
    closes: s.vixFutures?.closes ?? null,
    ...(s.vixFutures?.vendor ? { closesVendor: s.vixFutures.vendor } : {}),
  };
}

/** Inputs of one day for the futures curve: the VIX family, VVIX and (where known) real M1..M8 closes. */
export interface VixFuturesDayInput extends VixTermStructure {
  readonly date: IsoDate;
  readonly vvix?: number | null;
  /** Real closes of the 1st..8th listed monthly contracts (null = not listed / no trade). */
  readonly closes?: readonly (number | null)[] | null;
  /** Where `closes` come from; default EMBEDDED_VX_CLOSES_VENDOR. */
  readonly closesVendor?: string;
}

/** The vendor of the embedded M1..M8 closes (2004-2017). */
export const EMBEDDED_VX_CLOSES_VENDOR = 'CFE close (VX M1-M8 file)';

export interface VixFuturePoint {
  /** Contract month `YYYY-MM`. */
  readonly month: string;
  readonly expiry: IsoDate;
  readonly tauDays: number;
  readonly price: number;
  readonly source: PriceSource;
}

/**
 * The monthly VX curve of one day: `count` contracts expiring strictly after `date` (the roll
 * convention of the CFE close files). Real closes are used where given (column k = k-th contract);
 * every other contract is modelled and labelled so.
 */
export function vixFuturesCurve(
  day: VixFuturesDayInput,
  count = 8,
  params: VixFuturesModelParams = DEFAULT_VIX_FUTURES_PARAMS,
): VixFuturePoint[] {
  const contracts = vixContractsAfter(day.date, count);
  // The day's total-variance curve (and its cubic tangents) once for every modelled contract, built at
  // the first one as modelVixFuture would (so a day with real closes only never validates it).
  let dayCurve: { curve: TotalVarianceCurve; slopes: number[] | undefined } | undefined;
  const curveOfDay = () => {
    if (!dayCurve) {
      const curve = vixTotalVarianceCurve(params.useVix9d ? day : { ...day, vix9d: null });
      dayCurve = { curve, slopes: slopesFor(curve, params.interpolation) };
    }
    return dayCurve;
  };
  return contracts.map((c, k) => {
    const tauDays = vixTenorDays(day.date, c.expiry);
    const real = day.closes?.[k];
    if (real !== null && real !== undefined && real > 0) {
      return {
        month: c.month,
        expiry: c.expiry,
        tauDays,
        price: real,
        source: { kind: 'real', vendor: day.closesVendor ?? EMBEDDED_VX_CLOSES_VENDOR },
      };
    }
    const { curve, slopes } = curveOfDay();
    const m = modelVixFutureOn(curve, slopes, day.vvix, tauDays, params);
    return {
      month: c.month,
      expiry: c.expiry,
      tauDays,
      price: m.price,
      source: {
        kind: 'modelled',
        model: 'vix-futures-forward-variance',
        version: params.version,
        inputs: {
          vix: day.vix,
          vix9d: day.vix9d ?? null,
          vix3m: day.vix3m ?? null,
          vix6m: day.vix6m ?? null,
          vix1y: day.vix1y ?? null,
          vvix: day.vvix ?? null,
          defaultVvixUsed: day.vvix === null || day.vvix === undefined ? params.defaultVvix : null,
          theta0: params.theta0,
          theta1: params.theta1,
          alpha: params.alpha,
        },
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// VIX options
// ---------------------------------------------------------------------------------------------

/**
 * Listed VIX option strike spacing used for the grid when no explicit step is given (an
 * approximation of Cboe's practice, from Cboe Options Hub 2014-05-28 "VIX to Add Half-Point
 * Strikes" and the 2012-2013 chains): 0.5 below 15, 1 from 15 to 30, 2.5 from 30 to 50, 5 from
 * 50 up to 100, 10 above.
 */
export function vixListedStrikeStep(strike: number): number {
  if (strike < 15) return 0.5;
  if (strike < 30) return 1;
  if (strike < 50) return 2.5;
  if (strike < 100) return 5;
  return 10;
}

/** Listed-style VIX strikes from `lo` to `hi` (inclusive), ascending. */
export function vixStrikeGrid(lo: number, hi: number, strikeStep?: number): number[] {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi))
    bad('lo', `bad strike range ${lo}..${hi}`, '0 < lo <= hi');
  if (strikeStep !== undefined && !(strikeStep > 0))
    bad('strikeStep', `strikeStep ${strikeStep}`, 'e.g. 0.5 or 1');
  const out: number[] = [];
  if (strikeStep !== undefined) {
    for (let k = Math.max(1, Math.ceil(lo / strikeStep)) * strikeStep; k <= hi + 1e-9; k += strikeStep) {
      out.push(Math.round(k * 1e6) / 1e6);
    }
    return out;
  }
  let k = 0.5;
  while (k < lo - 1e-9) k += vixListedStrikeStep(k);
  while (k <= hi + 1e-9) {
    out.push(k);
    k += vixListedStrikeStep(k);
  }
  return out;
}

/** Black-76 price of a VIX option on the VX future of its expiry (the name says which future). */
export const vixOptionPrice: typeof black76Price = black76Price;

export interface DeltaStrike {
  readonly strike: number;
  /** Black-76 call delta e^{-rT} N(d1) at that strike. */
  readonly delta: number;
  readonly price: number;
}

/**
 * The VIX call strike on the grid whose Black-76 delta (on the future F) is nearest `targetDelta`.
 * Grid: multiples of `strikeStep` when given, else the listed-strike ladder (vixListedStrikeStep).
 * Ties go to the lower strike.
 */
export function vixCallStrikeForDelta(
  F: number,
  T: number,
  r: number,
  sigma: number,
  targetDelta: number,
  strikeStep?: number,
): DeltaStrike {
  if (!(targetDelta > 0 && targetDelta < 1)) {
    bad('targetDelta', `targetDelta = ${String(targetDelta)} must be in (0, 1)`, 'e.g. 0.5');
  }
  if (!(F > 0) || !Number.isFinite(F)) bad('F', `F = ${String(F)} must be > 0`, 'the VX future');
  const lo0 = Math.max(0.5, F * 0.2);
  const hi0 = F * 5 + 10;
  // The listed ladder (no strikeStep) is a slice of one ascending sequence from 0.5, so it is read from
  // a shared table instead of being rebuilt per call (ALVH asks for three strikes every session).
  let grid: readonly number[];
  let from: number;
  let to: number;
  if (strikeStep === undefined) {
    if (!(lo0 > 0) || !(hi0 >= lo0) || !Number.isFinite(hi0))
      bad('lo', `bad strike range ${lo0}..${hi0}`, '0 < lo <= hi');
    grid = listedLadderThrough(hi0);
    from = partitionPoint(0, grid.length, (i) => grid[i]! >= lo0 - 1e-9);
    to = partitionPoint(0, grid.length, (i) => grid[i]! > hi0 + 1e-9);
  } else {
    grid = vixStrikeGrid(lo0, hi0, strikeStep);
    from = 0;
    to = grid.length;
  }
  if (to <= from) return bad('F', 'empty strike grid', 'check F');
  // A call's delta falls as the strike rises, so the closest delta sits at the first strike whose
  // delta is below the target or just before it: a bisection instead of pricing the whole grid.
  const g = strikeSearchGreeks;
  // the first strike whose delta is below the target
  const lo = partitionPoint(
    from,
    to,
    (i) =>
      black76Greeks(
        { isCall: true, future: F, strike: grid[i]!, yearsToExpiry: T, riskFreeRate: r, vol: sigma },
        g,
      ).delta < targetDelta,
  );
  let best: DeltaStrike | undefined;
  for (let i = lo - 1; i <= lo; i++) {
    if (i < from || i >= to) continue;
    const inputs = {
      isCall: true,
      future: F,
      strike: grid[i]!,
      yearsToExpiry: T,
      riskFreeRate: r,
      vol: sigma,
    };
    black76Greeks(inputs, g);
    if (!best || Math.abs(g.delta - targetDelta) < Math.abs(best.delta - targetDelta)) {
      best = { strike: grid[i]!, delta: g.delta, price: g.price };
    }
  }
  return best!;
}

/** Scratch Greeks of the strike search (only delta and price are read, right after each call). */
const strikeSearchGreeks = emptyGreeks();

/** The listed strike ladder from 0.5 (vixStrikeGrid's accumulation), extended on demand. */
const listedLadder: number[] = [0.5];

function listedLadderThrough(hi: number): readonly number[] {
  let k = listedLadder[listedLadder.length - 1]!;
  while (k <= hi + 1e-9) {
    k += vixListedStrikeStep(k);
    listedLadder.push(k);
  }
  return listedLadder;
}

// ---------------------------------------------------------------------------------------------
// Calibration on real futures
// ---------------------------------------------------------------------------------------------

/** One real futures close with the model's ingredients for that day and tenor. */
export interface VixFuturesObservation {
  readonly date: IsoDate;
  readonly tauDays: number;
  /** Real close, VIX points. */
  readonly real: number;
  /** 100 sqrt(FV) of the model at that tenor. */
  readonly forwardVol: number;
  /** x = sigma_v^2 tau / 2 of the model at that tenor. */
  readonly convexityX: number;
}

/** Builds the observation for one real close (uses params.alpha and params.defaultVvix only). */
export function vixFuturesObservation(
  day: VixFuturesDayInput,
  tauDays: number,
  real: number,
  params: VixFuturesModelParams = DEFAULT_VIX_FUTURES_PARAMS,
): VixFuturesObservation {
  const m = modelVixFuture(day, day.vvix, tauDays, { ...params, theta0: 0, theta1: 0 });
  return { date: day.date, tauDays, real, forwardVol: m.forwardVol, convexityX: m.convexityX };
}

/**
 * Least-squares fit of y = -ln(real / forwardVol) = theta0 + theta1 x (closed-form OLS).
 * Throws when fewer than 3 observations or x has no spread.
 */
export function fitVixFuturesPremium(obs: readonly VixFuturesObservation[]): {
  theta0: number;
  theta1: number;
  n: number;
} {
  const n = obs.length;
  if (n < 3) bad('obs', `need at least 3 observations, got ${n}`, 'pass more days');
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const o of obs) {
    const y = -Math.log(o.real / o.forwardVol);
    sx += o.convexityX;
    sy += y;
    sxx += o.convexityX * o.convexityX;
    sxy += o.convexityX * y;
  }
  const den = n * sxx - sx * sx;
  if (!(Math.abs(den) > 1e-300)) bad('obs', 'convexity variable has no spread', 'use several tenors');
  const theta1 = (n * sxy - sx * sy) / den;
  const theta0 = (sy - theta1 * sx) / n;
  return { theta0, theta1, n };
}

export interface ErrorStats {
  readonly n: number;
  /** Mean of model - real (VIX points). */
  readonly meanError: number;
  readonly rmse: number;
  readonly meanAbsError: number;
}

/** Error statistics of the model price (theta0, theta1 applied) against the real closes. */
export function vixFuturesErrorStats(
  obs: readonly VixFuturesObservation[],
  theta0: number,
  theta1: number,
): ErrorStats {
  let s = 0;
  let s2 = 0;
  let sa = 0;
  for (const o of obs) {
    const e = o.forwardVol * Math.exp(-(theta0 + theta1 * o.convexityX)) - o.real;
    s += e;
    s2 += e * e;
    sa += Math.abs(e);
  }
  const n = obs.length;
  return n === 0
    ? { n, meanError: Number.NaN, rmse: Number.NaN, meanAbsError: Number.NaN }
    : { n, meanError: s / n, rmse: Math.sqrt(s2 / n), meanAbsError: sa / n };
}

/** A modelled VIX call on the VX future of its expiry, chosen by tenor and delta. */
export interface VixCallQuote {
  readonly month: string;
  readonly expiry: IsoDate;
  readonly tauDays: number;
  /** The VX future it is priced on, and where that future came from. */
  readonly future: number;
  readonly futureSource: PriceSource['kind'];
  /** Black-76 vol used (vixOptionVol of VVIX and the tenor). */
  readonly sigma: number;
  readonly strike: number;
  readonly delta: number;
  /** Premium in VIX points (x 100 per contract). */
  readonly price: number;
  readonly source: PriceSource;
}

export interface VixCallByDeltaOptions {
  /** Wanted days to expiry (e.g. the ALVH layers 30 / 110 / 220); the nearest listed expiry is used. */
  readonly targetDte: number;
  readonly targetDelta?: number;
  /** Risk-free rate, continuous decimal. */
  readonly rate: number;
  readonly strikeStep?: number;
  readonly params?: VixFuturesModelParams;
}

/**
 * The VIX call for a hedge layer: the curve contract whose tenor is nearest `targetDte` (ties to the
 * later one), its Black-76 vol from VVIX (missing VVIX -> params.defaultVvix), the strike nearest
 * `targetDelta` (default 0.5) on the grid, and its price. Always labelled modelled.
 */
export function vixCallByDelta(
  curve: readonly VixFuturePoint[],
  vvix: number | null | undefined,
  opts: VixCallByDeltaOptions,
): VixCallQuote {
  if (curve.length === 0) bad('curve', 'empty VX curve', 'pass vixFuturesCurve(day)');
  if (!(opts.targetDte > 0)) bad('targetDte', `targetDte = ${String(opts.targetDte)} must be > 0`, 'e.g. 30');
  const params = opts.params ?? DEFAULT_VIX_FUTURES_PARAMS;
  let best = curve[0]!;
  for (const p of curve) {
    if (Math.abs(p.tauDays - opts.targetDte) <= Math.abs(best.tauDays - opts.targetDte)) best = p;
  }
  const vv = vvix ?? params.defaultVvix;
  const sigma = vixOptionVol(vv, best.tauDays, params.alpha);
  const T = best.tauDays / 365;
  const targetDelta = opts.targetDelta ?? 0.5;
  const k = vixCallStrikeForDelta(best.price, T, opts.rate, sigma, targetDelta, opts.strikeStep);
  return {
    month: best.month,
    expiry: best.expiry,
    tauDays: best.tauDays,
    future: best.price,
    futureSource: best.source.kind,
    sigma,
    strike: k.strike,
    delta: k.delta,
    price: k.price,
    source: {
      kind: 'modelled',
      model: 'vix-option-black76-vvix',
      version: params.version,
      inputs: {
        future: best.price,
        futureSource: best.source.kind,
        vvix: vvix ?? null,
        defaultVvixUsed: vvix === null || vvix === undefined ? params.defaultVvix : null,
        alpha: params.alpha,
        tauDays: best.tauDays,
        rate: opts.rate,
        targetDelta,
      },
    },
  };
}
