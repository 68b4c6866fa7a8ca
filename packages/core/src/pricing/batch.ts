import { InvalidInputError } from '../domain/errors';
import { emptyGreeks, generalizedGreeks } from './greeks';
import { bsmImpliedVolRaw, IV_STATUS_CODE } from './implied-vol';
import { checkOptionDomain, type OptionFieldNames } from './inputs';

/*
 * Structure-of-arrays batch APIs for sweeps: inputs and outputs are typed arrays, nothing is allocated
 * per option. They run the same kernels as the scalar API, so the two can never disagree.
 */

export interface BsmBatchInput {
  /** 1 for a call, 0 for a put. */
  isCall: Uint8Array;
  S: Float64Array;
  K: Float64Array;
  /** Years. */
  T: Float64Array;
  r: Float64Array;
  q: Float64Array;
  sigma: Float64Array;
}

export interface GreeksBatchOutput {
  price: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  vega: Float64Array;
  theta: Float64Array;
  rho: Float64Array;
  /** Optional second-order Greeks: filled when present. */
  vanna?: Float64Array;
  volga?: Float64Array;
  charm?: Float64Array;
}

function checkLength(n: number, arrays: Record<string, ArrayLike<number> | undefined>): void {
  for (const [name, a] of Object.entries(arrays)) {
    if (a !== undefined && a.length < n) {
      throw new InvalidInputError(
        `${name} has ${a.length} elements, fewer than n = ${n}`,
        name,
        `pass arrays of at least ${n} elements`,
      );
    }
  }
}

function rethrowAt(i: number, err: unknown): never {
  if (err instanceof InvalidInputError) {
    throw new InvalidInputError(`option ${i}: ${err.message}`, `${err.field}[${i}]`, err.hint);
  }
  throw err;
}

const scratch = emptyGreeks();

/** Errors of the batch APIs name their columns (S[i], K[i], ...), not the scalar API's fields. */
const BATCH_FIELDS: OptionFieldNames = {
  underlying: 'S',
  strike: 'K',
  years: 'T',
  rate: 'r',
  carryYield: 'q',
  vol: 'sigma',
};

/** BSM price and the five first-order Greeks (plus vanna, volga, charm when those outputs are given). */
export function bsmGreeksBatch(inp: BsmBatchInput, out: GreeksBatchOutput, n: number): void {
  checkLength(n, { ...inp, ...out });
  const { isCall, S, K, T, r, q, sigma } = inp;
  const { price, delta, gamma, vega, theta, rho, vanna, volga, charm } = out;
  for (let i = 0; i < n; i++) {
    const s = S[i]!;
    const k = K[i]!;
    const t = T[i]!;
    const rr = r[i]!;
    const qq = q[i]!;
    const v = sigma[i]!;
    // Cheap inline domain check; the detailed message comes from the scalar validator.
    if (
      !(
        s > 0 &&
        k > 0 &&
        t >= 0 &&
        v > 0 &&
        s < Infinity &&
        k < Infinity &&
        t < Infinity &&
        v < Infinity &&
        Number.isFinite(rr) &&
        Number.isFinite(qq)
      )
    ) {
      try {
        checkOptionDomain(s, k, t, rr, qq, v, BATCH_FIELDS);
      } catch (err) {
        rethrowAt(i, err);
      }
    }
    const g = generalizedGreeks(isCall[i] === 1, s, k, t, rr, rr - qq, v, false, scratch);
    price[i] = g.price;
    delta[i] = g.delta;
    gamma[i] = g.gamma;
    vega[i] = g.vega;
    theta[i] = g.theta;
    rho[i] = g.rho;
    if (vanna) vanna[i] = g.vanna;
    if (volga) volga[i] = g.volga;
    if (charm) charm[i] = g.charm;
  }
}

export interface IvBatchInput {
  /** Discounted option premium. */
  price: Float64Array;
  isCall: Uint8Array;
  S: Float64Array;
  K: Float64Array;
  T: Float64Array;
  r: Float64Array;
  q: Float64Array;
}

export interface IvBatchOutput {
  /** Implied vol where status is ok; NaN (meaning "no value") elsewhere — read `status`. */
  iv: Float64Array;
  /** IV_STATUS_CODE values: 0 ok, 1 below-intrinsic, 2 above-max, 3 no-vega. */
  status: Uint8Array;
}

/** BSM implied vols for n options. Invalid inputs (non-finite, S or K <= 0, T < 0) throw naming the index. */
export function impliedVolBsmBatch(inp: IvBatchInput, out: IvBatchOutput, n: number): void {
  checkLength(n, { ...inp, ...out });
  const { price, isCall, S, K, T, r, q } = inp;
  for (let i = 0; i < n; i++) {
    const p = price[i]!;
    const s = S[i]!;
    const k = K[i]!;
    const t = T[i]!;
    const rr = r[i]!;
    const qq = q[i]!;
    if (
      !(
        Number.isFinite(p) &&
        s > 0 &&
        k > 0 &&
        t >= 0 &&
        s < Infinity &&
        k < Infinity &&
        t < Infinity &&
        Number.isFinite(rr) &&
        Number.isFinite(qq)
      )
    ) {
      const field = !Number.isFinite(p)
        ? 'price'
        : !(s > 0 && s < Infinity)
          ? 'S'
          : !(k > 0 && k < Infinity)
            ? 'K'
            : !(t >= 0 && t < Infinity)
              ? 'T'
              : !Number.isFinite(rr)
                ? 'r'
                : 'q';
      throw new InvalidInputError(
        `option ${i}: ${field} is not valid`,
        `${field}[${i}]`,
        'pass finite numbers with S, K > 0 and T >= 0',
      );
    }
    const code = bsmImpliedVolRaw(p, isCall[i] === 1, s, k, t, rr, qq);
    if (code >= 0) {
      out.iv[i] = code;
      out.status[i] = IV_STATUS_CODE.ok;
    } else {
      out.iv[i] = Number.NaN;
      out.status[i] = -code;
    }
  }
}
