import { normCdfGivenDensityExp, ONE_OVER_SQRT_2_PI } from '../math/normal';

export type OptionRight = 'call' | 'put';

/**
 * Price and sensitivities of one European option, in the units of shared/testdata/pricing/README.md:
 * price in underlying points; delta, gamma per unit of the underlying (spot for BSM, future for Black-76);
 * vega per 1.00 of vol; theta = dV/dt per year (calendar time passing, i.e. -dV/dT); rho per 1.00 of
 * rate (BSM holds S and q fixed, Black-76 holds F fixed); vanna = d(delta)/d(sigma); volga = d2V/dsigma2;
 * charm = d(delta)/dt per year.
 */
export interface Greeks {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
  vanna: number;
  volga: number;
  charm: number;
}

export function emptyGreeks(): Greeks {
  return { price: 0, delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0, vanna: 0, volga: 0, charm: 0 };
}

/**
 * The one pricing kernel behind BSM and Black-76 (generalised Black-Scholes with cost of carry b:
 * BSM has b = r - q on a spot, Black-76 has b = 0 on a future). Writes into `out` and returns it;
 * allocates nothing. Inputs are assumed valid (see checkOptionDomain in inputs.ts). Positional because
 * it is the inner loop of the scalar and batch APIs; not exported from the package (the named entry
 * points in black-scholes.ts are), so no caller outside pricing can swap r and the carry b.
 *
 * One exponential serves the density and both cdfs: exp(-d2^2/2) = exp(-d1^2/2) * F/K.
 */
export function generalizedGreeks(
  isCall: boolean,
  S: number,
  K: number,
  T: number,
  r: number,
  b: number,
  sigma: number,
  isFuture: boolean,
  out: Greeks,
): Greeks {
  if (T === 0) return atExpiry(isCall, S, K, out);
  const sqrtT = Math.sqrt(T);
  const sd = sigma * sqrtT;
  const dfR = Math.exp(-r * T);
  const dfCarry = isFuture ? dfR : Math.exp((b - r) * T);
  const logMoneyness = Math.log(S / K) + b * T; // ln(F/K)
  const h = logMoneyness / sd;
  const d1 = h + 0.5 * sd;
  const d2 = h - 0.5 * sd;
  const e1 = Math.exp(-0.5 * d1 * d1);
  const fwdOverK = (S * (isFuture ? 1 : Math.exp(b * T))) / K;
  const e2 = e1 > 1e-280 && fwdOverK < 1e280 ? e1 * fwdOverK : Math.exp(-0.5 * d2 * d2);
  const pdf1 = ONE_OVER_SQRT_2_PI * e1;

  let nd1: number; // N(d1) for calls, N(-d1) for puts
  let nd2: number;
  if (isCall) {
    nd1 = normCdfGivenDensityExp(d1, e1);
    nd2 = normCdfGivenDensityExp(d2, e2);
  } else {
    nd1 = normCdfGivenDensityExp(-d1, e1);
    nd2 = normCdfGivenDensityExp(-d2, e2);
  }
  const sCarry = S * dfCarry;
  const kDisc = K * dfR;
  const sign = isCall ? 1 : -1;
  const price = sign * (sCarry * nd1 - kDisc * nd2);
  out.price = price > 0 ? price : 0;
  out.delta = sign * dfCarry * nd1;
  out.gamma = (dfCarry * pdf1) / (S * sd);
  const vega = sCarry * pdf1 * sqrtT;
  out.vega = vega;
  // theta = -S e^{(b-r)T} phi sigma / (2 sqrtT) - sign (b - r) S e^{(b-r)T} N(sign d1) - sign r K e^{-rT} N(sign d2)
  out.theta = (-sCarry * pdf1 * sigma) / (2 * sqrtT) - sign * (b - r) * sCarry * nd1 - sign * r * kDisc * nd2;
  out.rho = isFuture ? -T * out.price : sign * kDisc * T * nd2;
  // Far beyond the density's underflow, d1 and d2 can be huge: 0 * Infinity must read as 0, not NaN.
  const live = pdf1 > 0;
  out.vanna = live ? (-dfCarry * pdf1 * d2) / sigma : 0;
  out.volga = live ? (vega * d1 * d2) / sigma : 0;
  // charm = -e^{(b-r)T} [ phi(d1) (b/(sigma sqrtT) - d2/(2T)) + sign (b - r) N(sign d1) ]
  out.charm = -dfCarry * ((live ? pdf1 * (b / sd - d2 / (2 * T)) : 0) + sign * (b - r) * nd1);
  return out;
}

/** At expiry the option is its intrinsic value; delta is the step (1/2 at the money), other Greeks 0. */
function atExpiry(isCall: boolean, S: number, K: number, out: Greeks): Greeks {
  const intrinsic = isCall ? S - K : K - S;
  out.price = intrinsic > 0 ? intrinsic : 0;
  const itm = intrinsic > 0 ? 1 : intrinsic === 0 ? 0.5 : 0;
  out.delta = isCall ? itm : -itm;
  out.gamma = 0;
  out.vega = 0;
  out.theta = 0;
  out.rho = 0;
  out.vanna = 0;
  out.volga = 0;
  out.charm = 0;
  return out;
}
