/** Strikes of a short iron condor (index points). */
export interface CondorStrikes {
  readonly putLong: number;
  readonly putShort: number;
  readonly callShort: number;
  readonly callLong: number;
}

/** The Black-Scholes inputs the API priced the legs with (signal tiers[].pricing). */
export interface CondorPricing {
  readonly legIvs: { putLong: number; putShort: number; callShort: number; callLong: number };
  readonly yearsToSettlement: number;
  readonly rate: number;
  readonly dividendYield: number;
}

/** P&L at expiry of one short iron condor, in index points, for settlement `s` and credit `credit`. */
export function condorPayoffPts(k: CondorStrikes, credit: number, s: number): number {
  const put = Math.max(0, k.putShort - s) - Math.max(0, k.putLong - s);
  const call = Math.max(0, s - k.callShort) - Math.max(0, s - k.callLong);
  return credit - put - call;
}

/** Max loss (points) and breakevens of a condor sold at `credit`: the widest wing minus the credit. */
export function condorRisk(k: CondorStrikes, credit: number) {
  const width = Math.max(k.putShort - k.putLong, k.callLong - k.callShort);
  return { maxLossPts: width - credit, lower: k.putShort - credit, upper: k.callShort + credit };
}

/** Coefficients of Numerical Recipes' erfc Chebyshev fit (relative error < 1.2e-7 everywhere). */
const ERFC_COEFFS = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277,
];

/** Standard normal CDF via erfc. */
export function normCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  let poly = 0;
  for (let i = ERFC_COEFFS.length - 1; i >= 0; i--) poly = ERFC_COEFFS[i]! + t * poly;
  const erfc = t * Math.exp(-z * z + poly);
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

/**
 * Inputs of one option by name, with units, as the core's OptionInputs (the dashboard talks to the core
 * only over the HTTP API, so it keeps its own copy): a swapped rate and yield cannot pass unnoticed.
 */
export interface OptionInputs {
  readonly isCall: boolean;
  /** Index level. */
  readonly spot: number;
  readonly strike: number;
  /** ACT/365 years to settlement. */
  readonly yearsToExpiry: number;
  /** Continuous risk-free rate per year (decimal). */
  readonly riskFreeRate: number;
  /** Continuous dividend yield per year (decimal). */
  readonly dividendYield: number;
  /** Black-Scholes implied vol per sqrt(year) (decimal). */
  readonly vol: number;
}

/** Black-Scholes-Merton price of a European option. */
export function bsPrice(o: OptionInputs): number {
  const { isCall, spot: s, strike: k, yearsToExpiry: years, riskFreeRate: r, dividendYield: q, vol: iv } = o;
  if (!(years > 0) || !(iv > 0)) return Math.max(0, isCall ? s - k : k - s);
  const sd = iv * Math.sqrt(years);
  const d1 = (Math.log(s / k) + (r - q) * years) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  const df = Math.exp(-r * years);
  const fwd = s * Math.exp((r - q) * years);
  return isCall ? df * (fwd * normCdf(d1) - k * normCdf(d2)) : df * (k * normCdf(-d2) - fwd * normCdf(-d1));
}

/**
 * The condor's value today (T+0) at spot `s`: each leg at its own implied vol with the full time to
 * settlement left, the short legs bought back minus the long legs sold, in points.
 */
export function condorValueNowPts(k: CondorStrikes, p: CondorPricing, s: number): number {
  const { yearsToSettlement, rate, dividendYield, legIvs: v } = p;
  const leg = (isCall: boolean, strike: number, vol: number) =>
    bsPrice({
      isCall,
      spot: s,
      strike,
      yearsToExpiry: yearsToSettlement,
      riskFreeRate: rate,
      dividendYield,
      vol,
    });
  return (
    leg(false, k.putShort, v.putShort) -
    leg(false, k.putLong, v.putLong) +
    leg(true, k.callShort, v.callShort) -
    leg(true, k.callLong, v.callLong)
  );
}

/** P&L today (T+0) of a condor sold at `credit`, in points: the credit minus what buying it back costs. */
export function condorPnlNowPts(k: CondorStrikes, p: CondorPricing, credit: number, s: number): number {
  return credit - condorValueNowPts(k, p, s);
}

/** Points of the payoff diagram across [lo, hi] (kinks included exactly). */
export function payoffCurve(
  k: CondorStrikes,
  credit: number,
  lo: number,
  hi: number,
): Array<[number, number]> {
  const xs = [lo, k.putLong, k.putShort, k.callShort, k.callLong, hi].filter((x) => x >= lo && x <= hi);
  return [...new Set(xs)].sort((a, b) => a - b).map((x) => [x, condorPayoffPts(k, credit, x)]);
}

/**
 * An SVG payoff diagram (USD per condor = points x 100) at the credit given (the expected fill), with the
 * breakevens and spot marked, and when the pricing inputs are known the T+0 line (value today).
 */
export function payoffSvg(
  k: CondorStrikes,
  credit: number,
  spot: number,
  pricing: CondorPricing | null = null,
  width = 440,
  height = 220,
): string {
  const span = Math.max(k.callLong - k.putLong, 20);
  const lo = k.putLong - span * 0.35;
  const hi = k.callLong + span * 0.35;
  const pts = payoffCurve(k, credit, lo, hi).map(([x, y]) => [x, y * 100] as const);
  const n = 120;
  const now = pricing
    ? Array.from({ length: n + 1 }, (_, i) => {
        const x = lo + ((hi - lo) * i) / n;
        return [x, condorPnlNowPts(k, pricing, credit, x) * 100] as const;
      })
    : [];
  const ys = [...pts, ...now].map((p) => p[1]);
  const yMin = Math.min(...ys, 0);
  const yMax = Math.max(...ys, 0);
  const pad = 28;
  const sx = (x: number) => pad + ((x - lo) / (hi - lo)) * (width - 2 * pad);
  const sy = (y: number) => pad + ((yMax - y) / (yMax - yMin || 1)) * (height - 2 * pad);
  const line = (p: ReadonlyArray<readonly [number, number]>) =>
    p.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
  const risk = condorRisk(k, credit);
  const be = [risk.lower, risk.upper];
  const label = (x: number, y: number, t: string, anchor = 'middle') =>
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="10" text-anchor="${anchor}">${t}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="payoff at expiry and today">
  <line x1="${pad}" x2="${width - pad}" y1="${sy(0)}" y2="${sy(0)}" stroke="#98a2b3" />
  <path data-testid="payoff-expiry" d="${line(pts)}" fill="none" stroke="#1570ef" stroke-width="2" />
  ${now.length ? `<path data-testid="payoff-t0" d="${line(now)}" fill="none" stroke="#7a5af8" stroke-width="1.5" stroke-dasharray="5 3" />${label(width - pad, pad - 6, 'T+0 (today)', 'end')}` : ''}
  ${be.map((b) => `<line x1="${sx(b)}" x2="${sx(b)}" y1="${pad}" y2="${height - pad}" stroke="#f79009" stroke-dasharray="3 3" />${label(sx(b), height - 8, b.toFixed(1))}`).join('')}
  <line x1="${sx(spot)}" x2="${sx(spot)}" y1="${pad}" y2="${height - pad}" stroke="#12b76a" />${label(sx(spot), pad - 6, `SPX ${spot.toFixed(0)}`)}
  ${label(pad, sy(yMax) - 4, `+$${yMax.toFixed(0)}`, 'start')}${label(pad, sy(yMin) + 12, `-$${Math.abs(yMin).toFixed(0)}`, 'start')}
</svg>`;
}
