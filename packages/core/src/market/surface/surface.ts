import { InvalidInputError } from '../../domain/errors';
import {
  CALIBRATED_LONG_TENOR_PARAMS,
  LONG_TENOR_FROM_DAYS,
  type LongTenorParams,
  longAtmFactorOf,
  validateLongTenorParams,
} from './long-tenor';
import {
  DEFAULT_SKEW,
  interpolateTotalVariance,
  type SurfaceInputs,
  type TermNode,
  termNodes,
} from './term-structure';

/*
 * The vixshield-surface model: SPX implied vol sigma(K, T) from one day's VIX family.
 *
 * 1. ATM term structure. Each VIX-family index is a variance-swap-like vol: it integrates the whole
 *    smile, so it sits above ATM vol by an amount that grows with skew. ATM vol at each index tenor is
 *    index * f, with the day's factor
 *        f = clamp(f0 + fSkew * (SKEW - 130)/100 + fLevel * ln(VIX/20), 0.5, 1.0),
 *    calibrated on the 2018 SPXW chain (docs/calibration.md). ATM total variance sigma_atm^2 * T is
 *    then linear in T between tenors (flat vol outside) and forced non-decreasing in T (a running
 *    maximum; an inverted short end steeper than that would be calendar arbitrage).
 * 2. Smile per expiry in x = ln(K/F)/sqrt(T) (log-moneyness scaled by sqrt(T)), SVI-like in
 *    implied-variance ratio:
 *        sigma(x)^2 = sigma_atm(T)^2 * (1 + beta * (rho * x + sqrt(x^2 + s^2) - s)),
 *    with rho < 0 (put wing richer, call side dipping to a minimum at x* = -rho s / sqrt(1 - rho^2)).
 *    Call-side flattening: beyond x* the rise is scaled by callWing in [0, 1] and saturates smoothly
 *    at the ATM variance (SPX call wings stay below ATM vol; a plain SVI call wing fitted to 2018 gave
 *    call prices increasing in K at 4-5 s.d.). The day's wing scale is
 *        beta = beta0 * (VIX/20)^(-betaVix) * exp(betaSkew * (SKEW - 130)/100),
 *    so the put wing steepens with SKEW, and in delta terms (fixed ATM standard deviations) with VIX.
 *    beta is then capped (durrlemanBetaCap) so Durrleman's butterfly condition holds with a margin on
 *    x in [-4, 4] for every tenor of the day up to 1 year, and so the variance ratio stays >= 0.1.
 *    beta, rho and s do not depend on T, so the total variance at fixed x is
 *    sigma_atm(T)^2 T * ratio(x): non-decreasing in T because the ATM total variance is (no calendar
 *    arbitrage at fixed k/sqrt(T)). Butterfly arbitrage is checked numerically (butterflyViolations).
 */

export interface SurfaceParams {
  /** ATM/index factor at SKEW 130, VIX 20. */
  readonly atmFactor0: number;
  /** Change of the factor per 100 SKEW points. */
  readonly atmFactorSkew: number;
  /** Change of the factor per unit ln(VIX/20). */
  readonly atmFactorLevel: number;
  /** Smile correlation-like parameter in (-1, 1): negative = put skew. */
  readonly rho: number;
  /** Smile ATM smoothing, in x units (> 0). */
  readonly s: number;
  /** Wing scale at VIX 20, SKEW 130. */
  readonly beta0: number;
  /** Elasticity of beta to VIX/20 (beta ~ VIX^-betaVix). */
  readonly betaVix: number;
  /** Sensitivity of ln(beta) per 100 SKEW points. */
  readonly betaSkew: number;
  /**
   * Call-side flattening in [0, 1]: beyond the smile's minimum x* the rise of the SVI curve is
   * scaled by this factor (0 = flat vol beyond x*, 1 = the SVI rise), saturating at the ATM variance.
   */
  readonly callWing: number;
}

/**
 * Prior parameters before any calibration ("before" in docs/calibration.md): ATM = 0.85 x index
 * (a common rule of thumb), a moderate put skew, no SKEW dependence.
 */
export const DEFAULT_SURFACE_PARAMS: SurfaceParams = {
  atmFactor0: 0.85,
  atmFactorSkew: 0,
  atmFactorLevel: 0,
  rho: -0.7,
  s: 0.1,
  beta0: 5,
  betaVix: 1,
  betaSkew: 0,
  callWing: 0.5,
};

/**
 * Calibrated on the 2018 SPXW EOM chain, every quote day 2018-01-02 .. 2018-02-28 except 2018-02-05
 * (kept out of sample): unweighted least squares on implied vol of OTM mids with both sides > 0
 * (5,205 options), Nelder-Mead; the fitted surfaces have no calendar or butterfly violation on the
 * check grid (the Durrleman cap is part of the model during the fit). See docs/calibration.md; scripts/calibrate-surface.ts reproduces these numbers.
 */
export const CALIBRATED_SURFACE_PARAMS: SurfaceParams = {
  atmFactor0: 0.8252,
  atmFactorSkew: -0.2149,
  atmFactorLevel: -0.2103,
  rho: -0.2559,
  s: 0.737,
  beta0: 9.1653,
  betaVix: 0.6876,
  betaSkew: 1.1998,
  callWing: 1,
};

export const SURFACE_MODEL_NAME = 'vixshield-surface';
/**
 * 1.8.0: the term regime's expiries (3 sessions and later) are floored at the short regime's 2-session
 * total variance, strike by strike, the excess fading out by the VIX9D tenor (expiry-vol.ts): with the
 * front inverted (one-day vol above about 0.85 x VIX9D) a 3-session option was priced below the 2-session
 * one (119 days of 2012-2026 at the money). Days with a calm front are unchanged.
 * 1.7.0: a scheduled FOMC decision session has its own intraday share and profile (0.759 of its variance
 * between the open and the close, 0.801 of that still to come at 13:30 ET; short-dated.ts,
 * FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS), and the other sessions' are measured without those days
 * (0.589; 0.410 left at 12:30 ET). Only quotes inside a session move, as in 1.6.0.
 * 1.6.0: inside a session the variance still to come is front-loaded as the embedded hourly SPX bars
 * show (short-dated.ts, intradayVarianceLeft), not spread evenly over the trading time left; only quotes
 * inside a session move (intraday marks, 0DTE), the 15:10 CT chains do not.
 * 1.5.0: the one-day vol is read in business time, as Cboe quotes VIX1D (one session = 1/252 year;
 * short-dated.ts, shortDatedAtmScale): a weekday's next-session expiry is priced at 1.20 x the 1.4.0
 * ATM, a Friday's Monday expiry at 0.70 x (1.4.0 read the one-day vol as calendar time to the expiry).
 * 1.4.0: the one-day variance model prices a weekday holiday before the next session (jHoliday,
 * market/one-day-variance.ts) and is refitted; a day without VIX9D takes its one-day vol from a fallback
 * on VIX (it fell back to the term structure the short-dated regime replaced); a VIX1D close from
 * imports or `data update` is the day's one-day vol. 1.3.0: far wings worth 0.005-0.05 are quoted 0.05 / 0.10 as the real 1-2 DTE chains quote them
 * (spread.ts, minBidTheo); the 2-session expiry's variance counted in sessions with the second
 * session's releases (short-dated.ts). 1.2.0: the short-dated regime (short-dated.ts): 1-2 session expiries from the one-day vol (real VIX1D
 * or the one-day variance model). 1.1.0: the one-month-and-longer regime (long-tenor.ts, issue 14).
 */
export const SURFACE_MODEL_VERSION = '1.8.0';

/** Minimum variance ratio sigma^2/sigma_atm^2 anywhere on the smile. */
const MIN_VARIANCE_RATIO = 0.1;

export interface VolSurface {
  readonly inputs: Readonly<SurfaceInputs>;
  readonly params: SurfaceParams;
  readonly nodes: readonly TermNode[];
  /** Names of the indices synthesised by fallback (empty when every series was present). */
  readonly fallbacks: readonly string[];
  /** ATM/index factor of the day (the short regime: nodes under 30 days). */
  readonly atmFactor: number;
  /** ATM/index factor of the 30-day-and-longer nodes (= atmFactor without the long regime). */
  readonly longAtmFactor: number;
  /** Wing scale beta of the day (after clamping): the short regime's, and every tenor's unless longBeta differs. */
  readonly beta: number;
  /** Wing scale of the 30-day-and-longer tenors (of the long smile when one is given), capped for Durrleman. */
  readonly longBeta: number;
  /** ATM implied vol for T years. */
  atmVol(t: number): number;
  /** ATM total variance sigma_atm^2 * T. */
  atmTotalVariance(t: number): number;
  /** Forward S * exp((r - q) T). */
  forward(t: number): number;
  /** sigma(x)/sigma_atm squared at x = ln(K/F)/sqrt(T), short regime (every T when longBeta = beta). */
  varianceRatio(x: number): number;
  /**
   * sigma(x, T)^2 / sigma_atm(T)^2: the short regime's ratio up to blendFromDays; beyond it the long
   * smile's, with total variance floored at the pivot's and linear in T from the pivot to 30 days.
   */
  varianceRatioAt(x: number, t: number): number;
  /** Implied vol at strike K and T years (T > 0). */
  impliedVol(strike: number, t: number): number;
}

export function validateSurfaceParams(p: SurfaceParams): void {
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isFinite(v)) throw new InvalidInputError(`${k} must be finite`, k, 'see SurfaceParams');
  }
  if (!(p.rho > -1 && p.rho < 1)) throw new InvalidInputError('rho must be in (-1, 1)', 'rho', 'e.g. -0.7');
  if (!(p.s > 0)) throw new InvalidInputError('s must be > 0', 's', 'e.g. 0.1');
  if (!(p.beta0 > 0)) throw new InvalidInputError('beta0 must be > 0', 'beta0', 'e.g. 5');
  if (!(p.callWing >= 0 && p.callWing <= 1)) {
    throw new InvalidInputError('callWing must be in [0, 1]', 'callWing', 'e.g. 0.5');
  }
}

function checkInputs(inp: SurfaceInputs): void {
  const pos = (v: number, f: string) => {
    if (!(Number.isFinite(v) && v > 0)) {
      throw new InvalidInputError(`${f} must be a positive finite number, got ${String(v)}`, f, 'e.g. 2700');
    }
  };
  pos(inp.spot, 'spot');
  for (const f of ['r', 'q'] as const) {
    if (!Number.isFinite(inp[f])) throw new InvalidInputError(`${f} must be finite`, f, 'a decimal rate');
  }
  if (inp.skew !== undefined && inp.skew !== null) pos(inp.skew, 'skew');
}

/** The day's ATM/index factor. */
export function atmFactorOf(p: SurfaceParams, vix: number, skew: number): number {
  const f = p.atmFactor0 + (p.atmFactorSkew * (skew - 130)) / 100 + p.atmFactorLevel * Math.log(vix / 20);
  return Math.min(1, Math.max(0.5, f));
}

/** The day's wing scale beta, clamped so the variance ratio stays >= MIN_VARIANCE_RATIO. */
export function betaOf(p: SurfaceParams, vix: number, skew: number): number {
  const raw = p.beta0 * (vix / 20) ** -p.betaVix * Math.exp((p.betaSkew * (skew - 130)) / 100);
  // min over x of rho x + sqrt(x^2+s^2) - s is s (sqrt(1 - rho^2) - 1) < 0.
  const dip = p.s * (1 - Math.sqrt(1 - p.rho * p.rho));
  const cap = dip > 0 ? (1 - MIN_VARIANCE_RATIO) / dip : Number.POSITIVE_INFINITY;
  return Math.min(raw, cap);
}

/**
 * The variance ratio sigma^2/sigma_atm^2 as a function of x = ln(K/F)/sqrt(T). Put side and up to the
 * minimum x*: 1 + beta phi(x). Beyond x* the call wing rises by callWing * beta * (phi - phi*),
 * saturating smoothly at the ATM variance (ratio 1): ratio* + rise / (1 + rise / room).
 */
export function smileRatio(rho: number, s: number, callWing: number, beta: number): (x: number) => number {
  const phi = (x: number): number => rho * x + Math.sqrt(x * x + s * s) - s;
  const xStar = Math.max(0, (-rho * s) / Math.sqrt(1 - rho * rho));
  const ratioStar = 1 + beta * phi(xStar);
  const room = 1 - ratioStar;
  return (x: number): number => {
    if (x <= xStar) return 1 + beta * phi(x);
    const rise = callWing * beta * (phi(x) - phi(xStar));
    return room > 0 ? ratioStar + rise / (1 + rise / room) : ratioStar;
  };
}

/** Longest tenor (years) the butterfly cap protects: the total-variance term of Durrleman's g uses it. */
export const DURRLEMAN_T_MAX = 1;
/** Safety margin: g must stay >= this at every x of the check grid. */
const DURRLEMAN_MARGIN = 0.05;

/**
 * Durrleman's butterfly condition for total variance w(k) = sigma_atm^2 T ratio(k/sqrt(T)):
 *   g = (1 - k w'/(2w))^2 - (w'^2/4)(1/w + 1/4) + w''/2 >= 0.
 * In x the first term depends on the ratio only, the others scale with sigma_atm^2 (and T), so a steep
 * smile is only safe below some ATM variance. Returns the largest beta' <= beta for which a lower bound
 * of g over every tenor of the day (up to DURRLEMAN_T_MAX) is >= margin on x in [-4, 4] (bisection).
 * beta, and so the smile, stays the same for every T of the day (calendar property kept).
 */
export function durrlemanBetaCap(
  p: SurfaceParams,
  beta: number,
  maxAtmVariance: number,
  maxAtmVarianceSqT: number,
): number {
  const grid = durrlemanGrid(p.rho, p.s);
  // The check point that failed last is tried first: a failing beta usually fails there again, so the
  // bisection's failing steps stop after one point. The verdict does not depend on the order.
  const hint = { lastFail: -1 };
  const ok = (b: number): boolean =>
    durrlemanHolds(grid, p.callWing, b, maxAtmVariance, maxAtmVarianceSqT, hint);
  if (ok(beta)) return beta;
  let lo = 0;
  let hi = beta;
  for (let i = 0; i < 30; i++) {
    const mid = 0.5 * (lo + hi);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * smileRatio(rho, s, callWing, b) at the grid abscissa i, from its precomputed phi (phi does not
 * depend on b): the same arithmetic, so the same results, without the square root.
 */
function ratioAt(
  g: DurrlemanGrid,
  i: number,
  callWing: number,
  b: number,
  ratioStar: number,
  room: number,
): number {
  const ph = g.phiAt[i]!;
  if (g.belowStar[i] === 1) return 1 + b * ph;
  const rise = callWing * b * (ph - g.phiStar);
  return room > 0 ? ratioStar + rise / (1 + rise / room) : ratioStar;
}

/** Durrleman's lower bound g >= DURRLEMAN_MARGIN at every check point for wing scale b. */
function durrlemanHolds(
  grid: DurrlemanGrid,
  callWing: number,
  b: number,
  maxAtmVariance: number,
  maxAtmVarianceSqT: number,
  hint: { lastFail: number },
): boolean {
  const ratioStar = 1 + b * grid.phiStar;
  const room = 1 - ratioStar;
  if (
    hint.lastFail >= 0 &&
    !durrlemanPointHolds(grid, hint.lastFail, callWing, b, ratioStar, room, maxAtmVariance, maxAtmVarianceSqT)
  )
    return false;
  for (let j = 0; j < grid.count; j++) {
    if (!durrlemanPointHolds(grid, j, callWing, b, ratioStar, room, maxAtmVariance, maxAtmVarianceSqT)) {
      hint.lastFail = j;
      return false;
    }
  }
  return true;
}

/** Durrleman's lower bound g >= DURRLEMAN_MARGIN at check point j. */
function durrlemanPointHolds(
  grid: DurrlemanGrid,
  j: number,
  callWing: number,
  b: number,
  ratioStar: number,
  room: number,
  maxAtmVariance: number,
  maxAtmVarianceSqT: number,
): boolean {
  const h = DURRLEMAN_H;
  const S = maxAtmVariance;
  const x = grid.xs[j]!;
  const r = ratioAt(grid, 3 * j, callWing, b, ratioStar, room);
  const up = ratioAt(grid, 3 * j + 1, callWing, b, ratioStar, room);
  const down = ratioAt(grid, 3 * j + 2, callWing, b, ratioStar, room);
  const d1 = (up - down) / (2 * h);
  const d2 = (up - 2 * r + down) / (h * h);
  // sigma_atm^2 = S: w = S T r, dw/dk = S sqrt(T) d1, d2w/dk2 = S d2, k = x sqrt(T), so
  // g = (1 - x d1/(2r))^2 - S d1^2/(4r) - S^2 T d1^2/16 + S d2/2.
  const first = (1 - (x * d1) / (2 * r)) ** 2;
  // Lower bound over every T of the day: the S-linear term at its worst S (max variance, or S -> 0
  // when it helps) and the S^2 T term at the day's largest S^2 T.
  const lin = (d1 * d1) / (4 * r) - d2 / 2;
  const g = first - (lin > 0 ? S * lin : 0) - (maxAtmVarianceSqT * d1 * d1) / 16;
  return g >= DURRLEMAN_MARGIN;
}

/** Finite-difference step of the butterfly check, in x. */
const DURRLEMAN_H = 1e-4;

interface DurrlemanGrid {
  /** Check points x = -4, -3.98, ..., 4 (accumulated as the check always did). */
  readonly xs: Float64Array;
  /** phi at x, x + h, x - h for each check point (3 per point). */
  readonly phiAt: Float64Array;
  /** 1 where that abscissa is on the put side (x <= x*), as smileRatio branches. */
  readonly belowStar: Uint8Array;
  readonly phiStar: number;
  readonly count: number;
}

/** Grids per (rho, s): the surface parameters are fixed within a run, so this holds a handful. */
const durrlemanGrids = new Map<string, DurrlemanGrid>();

function durrlemanGrid(rho: number, s: number): DurrlemanGrid {
  const key = `${rho}|${s}`;
  const hit = durrlemanGrids.get(key);
  if (hit) return hit;
  const phi = (x: number): number => rho * x + Math.sqrt(x * x + s * s) - s;
  const xStar = Math.max(0, (-rho * s) / Math.sqrt(1 - rho * rho));
  const xsList: number[] = [];
  for (let x = -4; x <= 4; x += 0.02) xsList.push(x);
  const count = xsList.length;
  const phiAt = new Float64Array(3 * count);
  const belowStar = new Uint8Array(3 * count);
  for (let j = 0; j < count; j++) {
    const x = xsList[j]!;
    const at = [x, x + DURRLEMAN_H, x - DURRLEMAN_H];
    for (let k = 0; k < 3; k++) {
      phiAt[3 * j + k] = phi(at[k]!);
      belowStar[3 * j + k] = at[k]! <= xStar ? 1 : 0;
    }
  }
  const grid: DurrlemanGrid = { xs: Float64Array.from(xsList), phiAt, belowStar, phiStar: phi(xStar), count };
  if (durrlemanGrids.size >= 64) durrlemanGrids.clear();
  durrlemanGrids.set(key, grid);
  return grid;
}

/** ATM total-variance nodes: tenors (years) and sigma_atm^2 T, non-decreasing. */
interface AtmNodes {
  readonly ts: Float64Array;
  readonly ws: Float64Array;
}

/** Every index node at index x factor, forced non-decreasing (a running maximum). */
function shortAtmNodes(nodes: readonly TermNode[], atmFactor: number): AtmNodes {
  const ts = new Float64Array(nodes.length);
  const ws = new Float64Array(nodes.length);
  let prev = 0;
  nodes.forEach((n, i) => {
    const atm = n.indexVol * atmFactor;
    const w = Math.max(prev, atm * atm * n.t);
    ts[i] = n.t;
    ws[i] = w;
    prev = w;
  });
  return { ts, ws };
}

/**
 * The long regime's nodes: the short regime's nodes under blendFromDays, a pivot at blendFromDays
 * carrying the short regime's interpolated total variance (so every option up to then is priced
 * exactly as without the long regime), then the index nodes from 30 days on at index x longAtmFactor;
 * forced non-decreasing.
 */
function longAtmNodes(
  nodes: readonly TermNode[],
  short: AtmNodes,
  longTenor: LongTenorParams,
  longAtmFactor: number,
): AtmNodes {
  const pivot = longTenor.blendFromDays / 365;
  const longFrom = LONG_TENOR_FROM_DAYS / 365 - 1e-12;
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < short.ts.length; i++) {
    if (short.ts[i]! < pivot) pairs.push([short.ts[i]!, short.ws[i]!]);
  }
  pairs.push([pivot, interpolateTotalVariance(short.ts, short.ws, pivot)]);
  for (const n of nodes) {
    if (n.t < longFrom) continue;
    const atm = n.indexVol * longAtmFactor;
    pairs.push([n.t, atm * atm * n.t]);
  }
  let m = 0;
  for (const x of pairs) {
    m = Math.max(m, x[1]);
    x[1] = m;
  }
  return { ts: Float64Array.from(pairs, (x) => x[0]), ws: Float64Array.from(pairs, (x) => x[1]) };
}

/** Largest ATM variance sigma^2 and sigma^4 T over T in (0, DURRLEMAN_T_MAX] (at nodes or at T_MAX). */
function varianceBounds({ ts, ws }: AtmNodes): { maxVariance: number; maxVarianceSqT: number } {
  let maxVariance = 0;
  let maxVarianceSqT = 0;
  for (let i = 0; i < ts.length; i++) {
    const v = ws[i]! / ts[i]!;
    maxVariance = Math.max(maxVariance, v);
    maxVarianceSqT = Math.max(maxVarianceSqT, v * v * Math.min(ts[i]!, DURRLEMAN_T_MAX));
  }
  const vEnd = interpolateTotalVariance(ts, ws, DURRLEMAN_T_MAX) / DURRLEMAN_T_MAX;
  maxVarianceSqT = Math.max(maxVarianceSqT, vEnd * vEnd * DURRLEMAN_T_MAX);
  return { maxVariance, maxVarianceSqT };
}

/**
 * Builds the day's surface. Pure: same inputs and params, same surface. `longTenor` is the one-month-
 * and-longer regime (long-tenor.ts); null prices every tenor with the short regime's ATM factor (the
 * surface before issue 14).
 */
export function buildVolSurface(
  inputs: SurfaceInputs,
  params: SurfaceParams = CALIBRATED_SURFACE_PARAMS,
  longTenor: LongTenorParams | null = CALIBRATED_LONG_TENOR_PARAMS,
): VolSurface {
  checkInputs(inputs);
  validateSurfaceParams(params);
  if (longTenor) validateLongTenorParams(longTenor);
  const nodes = termNodes(inputs);
  const skew = inputs.skew ?? DEFAULT_SKEW;
  const vix = inputs.vix;
  const atmFactor = atmFactorOf(params, vix, skew);
  const longAtmFactor = longTenor ? longAtmFactorOf(longTenor, vix) : atmFactor;
  const short = shortAtmNodes(nodes, atmFactor);
  const { rho, s, callWing } = params;
  const rawBeta = betaOf(params, vix, skew);
  // The short regime's wing scale, capped for Durrleman's condition over its own ATM curve (exactly
  // the surface without the long regime). Computed on first use: the cap is a bisection, and a replay
  // whose chains are all 1-2 sessions out (priced from the one-day vol, short-dated.ts) never needs it.
  let shortCache: { beta: number; ratio: (x: number) => number } | undefined;
  const shortSmile = (): { beta: number; ratio: (x: number) => number } => {
    if (shortCache) return shortCache;
    const sb = varianceBounds(short);
    const b = durrlemanBetaCap(params, rawBeta, sb.maxVariance, sb.maxVarianceSqT);
    shortCache = { beta: b, ratio: smileRatio(rho, s, callWing, b) };
    return shortCache;
  };
  const varianceRatio = (x: number): number => shortSmile().ratio(x);
  // The long regime's ATM nodes, also on first use (only tenors beyond the pivot read them).
  let longNodesCache: AtmNodes | undefined;
  const longNodes = (): AtmNodes => {
    longNodesCache ??= longTenor ? longAtmNodes(nodes, short, longTenor, longAtmFactor) : short;
    return longNodesCache;
  };
  // The long regime: its own smile when given, else the short one; capped for Durrleman's condition
  // over the long ATM curve (which can sit above the short one). Computed on first use: the cap is a
  // bisection, and a replay that prices only short-dated options never needs it.
  let longCache: { beta: number; ratio: (x: number) => number } | undefined;
  const long = (): { beta: number; ratio: (x: number) => number } => {
    if (longCache) return longCache;
    const { beta, ratio } = shortSmile();
    if (!longTenor) {
      longCache = { beta, ratio };
      return longCache;
    }
    const lb = varianceBounds(longNodes());
    const sm = longTenor.smile;
    const shape: SurfaceParams = sm
      ? {
          ...params,
          rho: sm.rho,
          s: sm.s,
          callWing: sm.callWing,
          betaVix: sm.betaVix,
          beta0: params.beta0 * sm.betaScale,
        }
      : params;
    const b = durrlemanBetaCap(
      shape,
      sm ? betaOf(shape, vix, skew) : beta,
      lb.maxVariance,
      lb.maxVarianceSqT,
    );
    longCache = {
      beta: b,
      ratio: shape === params && b === beta ? ratio : smileRatio(shape.rho, shape.s, shape.callWing, b),
    };
    return longCache;
  };
  const pivotT = longTenor ? longTenor.blendFromDays / 365 : Number.POSITIVE_INFINITY;
  const longT = LONG_TENOR_FROM_DAYS / 365;
  const growth = inputs.r - inputs.q;
  // Up to the pivot the short regime's own curve (bit-identical to the surface without the long regime).
  const atmTotalVariance = (t: number): number => {
    if (t <= pivotT) return interpolateTotalVariance(short.ts, short.ws, t);
    const { ts, ws } = longNodes();
    return interpolateTotalVariance(ts, ws, t);
  };
  const pivotW = longTenor ? interpolateTotalVariance(short.ts, short.ws, pivotT) : 0;
  let w30Cache: number | undefined;
  const w30 = (): number => {
    if (w30Cache === undefined) {
      const { ts, ws } = longNodes();
      w30Cache = longTenor ? interpolateTotalVariance(ts, ws, longT) : 0;
    }
    return w30Cache;
  };
  /*
   * Total variance at x and T. Short regime up to the pivot. Beyond it the long smile, floored at the
   * pivot's total variance at the same x (total variance must not fall with T; the long smile can be
   * flatter than the short one, e.g. far out on the call side or with a steeply inverted short end);
   * between the pivot and 30 days linear in T from the pivot's value to the (floored) 30-day value.
   * At x = 0 this is the ATM curve itself.
   */
  const totalVarianceAt = !longTenor
    ? (x: number, t: number): number => atmTotalVariance(t) * varianceRatio(x)
    : (x: number, t: number): number => {
        if (t <= pivotT) return atmTotalVariance(t) * varianceRatio(x);
        const longRatio = long().ratio;
        const floor = pivotW * varianceRatio(x);
        if (t >= longT) return Math.max(atmTotalVariance(t) * longRatio(x), floor);
        const a = (t - pivotT) / (longT - pivotT);
        return (1 - a) * floor + a * Math.max(w30() * longRatio(x), floor);
      };
  const varianceRatioAt = (x: number, t: number): number => {
    const a = atmTotalVariance(t);
    return a > 0 ? totalVarianceAt(x, t) / a : varianceRatio(x);
  };
  return {
    inputs: Object.freeze({ ...inputs }),
    params,
    nodes,
    fallbacks: nodes.filter((n) => n.synthesised).map((n) => n.index),
    atmFactor,
    longAtmFactor,
    get beta() {
      return shortSmile().beta;
    },
    get longBeta() {
      return long().beta;
    },
    atmTotalVariance,
    atmVol: (t) => {
      if (t > 0) return Math.sqrt(atmTotalVariance(t) / t);
      const { ts, ws } = longNodes();
      return Math.sqrt(ws[0]! / ts[0]!);
    },
    forward: (t) => inputs.spot * Math.exp(growth * t),
    varianceRatio,
    varianceRatioAt,
    impliedVol(strike: number, t: number): number {
      if (!(t > 0 && strike > 0)) {
        throw new InvalidInputError('impliedVol needs strike > 0 and t > 0', 't', 'pass T in years > 0');
      }
      const sqrtT = Math.sqrt(t);
      const x = Math.log(strike / (inputs.spot * Math.exp(growth * t))) / sqrtT;
      return Math.sqrt(totalVarianceAt(x, t) / t);
    },
  };
}
