// biome-ignore-all lint/correctness/noPrecisionLoss: Cody's coefficients are kept exactly as published (18 digits); the parser rounds them to the nearest double, which is what is intended.
/**
 * Standard normal distribution with full relative accuracy in both tails.
 *
 * Built on W. J. Cody's rational Chebyshev approximations of erf/erfc/erfcx ("Rational Chebyshev
 * approximations for the error function", Math. Comp. 23, 1969, pp. 631-638), which are accurate to
 * about 18 significant digits before rounding. Cdf values in a tail are computed directly from the
 * scaled complementary error function erfcx(z) = exp(z^2) erfc(z), never as 1 - (something close to 1),
 * so N(-30) keeps all its digits instead of cancelling to 0.
 */

export const SQRT_2 = Math.SQRT2;
export const ONE_OVER_SQRT_2 = Math.SQRT1_2;
export const SQRT_2_PI = Math.sqrt(2 * Math.PI);
export const ONE_OVER_SQRT_2_PI = 1 / Math.sqrt(2 * Math.PI);
const ONE_OVER_SQRT_PI = 0.5641895835477562869480795;

// Interval limits of Cody's three approximations (in the erf argument).
const ERF_SMALL_LIMIT = 0.46875;
const ERFC_MID_LIMIT = 4;
/** erfc(z) underflows to 0 in double precision beyond this argument. */
const ERFC_UNDERFLOW = 26.543;

/** erf(z) for |z| <= 0.46875: z * A(z^2) / B(z^2). */
function erfSmall(z: number): number {
  const y = z * z;
  const num =
    (((0.185777706184603153 * y + 3.1611237438705656) * y + 113.864154151050156) * y + 377.485237685302021) *
      y +
    3209.37758913846947;
  const den =
    (((y + 23.6012909523441209) * y + 244.024637934444173) * y + 1282.61652607737228) * y +
    2844.23683343917062;
  return (z * num) / den;
}

/** erfcx(y) = exp(y^2) erfc(y) for 0.46875 <= y <= 4 (no exponential needed). */
function erfcxMid(y: number): number {
  const num =
    (((((((2.15311535474403846e-8 * y + 0.564188496988670089) * y + 8.88314979438837594) * y +
      66.1191906371416295) *
      y +
      298.635138197400131) *
      y +
      881.95222124176909) *
      y +
      1712.04761263407058) *
      y +
      2051.07837782607147) *
      y +
    1230.33935479799725;
  const den =
    (((((((y + 15.7449261107098347) * y + 117.693950891312499) * y + 537.181101862009858) * y +
      1621.38957456669019) *
      y +
      3290.79923573345963) *
      y +
      4362.61909014324716) *
      y +
      3439.36767414372164) *
      y +
    1230.33935480374942;
  return num / den;
}

/** erfcx(y) for y > 4: (1/sqrt(pi) - P(1/y^2)/(y^2 Q(1/y^2))) / y. */
function erfcxLarge(y: number): number {
  const w = 1 / (y * y);
  const num =
    ((((0.0163153871373020978 * w + 0.305326634961232344) * w + 0.360344899949804439) * w +
      0.125781726111229246) *
      w +
      0.0160837851487422766) *
      w +
    6.58749161529837803e-4;
  const den =
    ((((w + 2.56852019228982242) * w + 1.87295284992346047) * w + 0.527905102951428412) * w +
      0.0605183413124413191) *
      w +
    0.00233520497626869185;
  return (ONE_OVER_SQRT_PI - (w * num) / den) / y;
}

/**
 * exp(-y^2) with y^2 split into a part exact in binary (y rounded down to 1/16) and a small remainder,
 * so the rounding error of y*y is not amplified by the exponential far in the tail (Cody's device).
 */
function expMinusSquare(y: number): number {
  const ySixteenth = Math.trunc(y * 16) / 16;
  const del = (y - ySixteenth) * (y + ySixteenth);
  return Math.exp(-ySixteenth * ySixteenth) * Math.exp(-del);
}

/** Scaled complementary error function erfcx(z) = exp(z^2) erfc(z), for any real z (overflows to Infinity for z < -26.6). */
export function erfcx(z: number): number {
  if (z >= ERF_SMALL_LIMIT) return z <= ERFC_MID_LIMIT ? erfcxMid(z) : erfcxLarge(z);
  if (z > -ERF_SMALL_LIMIT) return Math.exp(z * z) * (1 - erfSmall(z));
  // erfcx(z) = 2 exp(z^2) - erfcx(-z) for negative z
  const y = -z;
  const r = y <= ERFC_MID_LIMIT ? erfcxMid(y) : erfcxLarge(y);
  return 2 * Math.exp(y * y) - r;
}

/** Complementary error function with full relative accuracy for large positive arguments. */
export function erfc(z: number): number {
  const y = Math.abs(z);
  if (y <= ERF_SMALL_LIMIT) return 1 - erfSmall(z);
  let tail: number;
  if (y >= ERFC_UNDERFLOW) tail = 0;
  else tail = (y <= ERFC_MID_LIMIT ? erfcxMid(y) : erfcxLarge(y)) * expMinusSquare(y);
  return z > 0 ? tail : 2 - tail;
}

/** Error function. */
export function erf(z: number): number {
  const y = Math.abs(z);
  if (y <= ERF_SMALL_LIMIT) return erfSmall(z);
  const r = 1 - erfc(y);
  return z > 0 ? r : -r;
}

/**
 * exp(-x^2/2), with x split as in expMinusSquare. Computing it from x itself rather than from x/sqrt(2)
 * avoids the rounding of that product, which would cost x^2 ulps far in the tail.
 */
function expMinusHalfSquare(x: number): number {
  const ax = Math.abs(x);
  const hi = Math.trunc(ax * 16) / 16;
  const del = (ax - hi) * (ax + hi);
  return Math.exp(-0.5 * hi * hi) * Math.exp(-0.5 * del);
}

/** Standard normal density phi(x). */
export function normPdf(x: number): number {
  return ONE_OVER_SQRT_2_PI * expMinusHalfSquare(x);
}

/** Standard normal cumulative distribution N(x), with full relative accuracy for x << 0 and 1 - N(x) for x >> 0. */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x) * ONE_OVER_SQRT_2;
  if (y <= ERF_SMALL_LIMIT) return 0.5 + 0.5 * erfSmall(x * ONE_OVER_SQRT_2);
  // The rational part is smooth, so the rounding of y barely matters; the exponential gets x exactly.
  const tail =
    y >= ERFC_UNDERFLOW
      ? 0
      : 0.5 * (y <= ERFC_MID_LIMIT ? erfcxMid(y) : erfcxLarge(y)) * expMinusHalfSquare(x);
  return x < 0 ? tail : 1 - tail;
}

/**
 * N(x) when e = exp(-x^2/2) is already known (the pricing kernels share one exponential between the
 * density and both cdfs). Same accuracy as normCdf up to the rounding of e itself.
 */
export function normCdfGivenDensityExp(x: number, e: number): number {
  const y = Math.abs(x) * ONE_OVER_SQRT_2;
  if (y <= ERF_SMALL_LIMIT) return 0.5 + 0.5 * erfSmall(x * ONE_OVER_SQRT_2);
  const tail = 0.5 * (y <= ERFC_MID_LIMIT ? erfcxMid(y) : erfcxLarge(y)) * e;
  return x < 0 ? tail : 1 - tail;
}

// Rational approximation of the inverse normal cdf (P. J. Acklam, 2003; relative error below 1.15e-9),
// refined by one Halley step on the accurate cdf above, which brings it to full double precision.
// Acklam's coefficients as module constants: array destructuring inside the function allocated an
// iterator per call (this runs inside every implied-vol initial guess).
const [A0, A1, A2, A3, A4, A5] = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
] as const;
const [B0, B1, B2, B3, B4] = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
] as const;
const [C0, C1, C2, C3, C4, C5] = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
] as const;
const [D0, D1, D2, D3] = [
  0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416,
] as const;
const P_LOW = 0.02425;

/** Acklam's rational inverse normal cdf alone (relative error below 1.15e-9): for initial guesses. */
export function inverseNormCdfApprox(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C0 * q + C1) * q + C2) * q + C3) * q + C4) * q + C5) /
      ((((D0 * q + D1) * q + D2) * q + D3) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A0 * r + A1) * r + A2) * r + A3) * r + A4) * r + A5) * q) /
      (((((B0 * r + B1) * r + B2) * r + B3) * r + B4) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x =
      -(((((C0 * q + C1) * q + C2) * q + C3) * q + C4) * q + C5) /
      ((((D0 * q + D1) * q + D2) * q + D3) * q + 1);
  }
  return x;
}

/** Inverse of the standard normal cdf to full double precision; -Infinity at 0, +Infinity at 1, NaN outside [0, 1]. */
export function inverseNormCdf(p: number): number {
  const x = inverseNormCdfApprox(p);
  if (!Number.isFinite(x)) return x;
  // One Halley step on N(x) - p, using the tail that does not cancel.
  const e = x < 0 ? normCdf(x) - p : 1 - p - normCdf(-x);
  const u = e * SQRT_2_PI * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}
