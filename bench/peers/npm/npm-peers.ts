/**
 * npm peers: black-scholes, greeks and implied-volatility (all by MattL922, MIT).
 *
 * Conventions, read from their sources in node_modules:
 * - argument order (s, k, t, v, r, callPut): spot, strike, T in years, vol per sqrt(year), continuously
 *   compounded rate, 'call' | 'put'. No dividend yield at all, so they are timed on the same cases with
 *   q forced to 0, and their prices/Greeks are those of a non-dividend stock.
 * - N(x) is a 100-term Taylor series (with a double-factorial loop per term), clamped to 0/1 beyond |x| >= 8.
 * - getVega is per 1% of vol (/100), getTheta per calendar day (/365 by default), getRho per 1% (/100).
 *   Every Greek recomputes d1 and its own N(.) from scratch; there is no call that returns them together.
 * - getImpliedVolatility is a bisection (starting at 0.1, doubling the upper bound) that stops only when
 *   `price * 100 == floor(model * 100)` exactly or after 100 iterations, so on exact model prices it
 *   always runs 100 full Black-Scholes evaluations. No below-intrinsic or no-vega status.
 */
import { readFileSync } from 'node:fs';
import bs from 'black-scholes';
import greeks from 'greeks';
import impliedVolatility from 'implied-volatility';
import type { ReferenceCase } from '../../../test/support/reference-case';
import type { PricingCases } from '../../lib/cases.ts';
import { type Measurement, measure } from '../../lib/timing.ts';

export interface NpmPeerOptions {
  /** options per pass for price + Greeks (slow: ~20k options/s) */
  greeksN: number;
  /** solves per pass for implied vol (very slow: ~600 solves/s) */
  ivN: number;
  reps: number;
}

export interface NpmAccuracy {
  /** public.json cases compared (all of them, mapped to q = 0; see npmAccuracy) */
  cases: number;
  /** per field: how many cases fail the testdata rule |d| <= 1e-9*scale + 1e-9*|expected|, and the worst |d| */
  fields: Record<string, { cases: number; fail: number; nan: number; maxAbsErr: number }>;
  iv: { cases: number; over1e7: number; maxAbsErr: number };
}

export function npmPeerVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['black-scholes', 'greeks', 'implied-volatility']) {
    try {
      const url = new URL(`../../../node_modules/${name}/package.json`, import.meta.url);
      out[name] = (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
    } catch {
      out[name] = 'unknown';
    }
  }
  return out;
}

const cp = (isCall: number): 'call' | 'put' => (isCall ? 'call' : 'put');

export function measureNpmPeers(cases: PricingCases, opt: NpmPeerOptions): Measurement[] {
  const { S, K, T, r, sigma, isCall } = cases;
  const nG = Math.min(opt.greeksN, cases.n);
  const rows: Measurement[] = [];
  const noteQ = 'q = 0 (no dividend yield support); vega, rho per 1%, theta per day';

  rows.push(
    measure(
      {
        id: 'npm-greeks',
        name: 'npm black-scholes + greeks: price + 5 Greeks',
        peer: 'npm',
        kind: 'greeks',
        n: nG,
        reps: opt.reps,
        note: noteQ,
      },
      () => {
        let sum = 0;
        for (let i = 0; i < nG; i++) {
          const s = S[i]!;
          const k = K[i]!;
          const t = T[i]!;
          const v = sigma[i]!;
          const rr = r[i]!;
          const c = cp(isCall[i]!);
          sum +=
            bs.blackScholes(s, k, t, v, rr, c) +
            greeks.getDelta(s, k, t, v, rr, c) +
            greeks.getGamma(s, k, t, v, rr) +
            greeks.getVega(s, k, t, v, rr) +
            greeks.getTheta(s, k, t, v, rr, c) +
            greeks.getRho(s, k, t, v, rr, c);
        }
        return sum;
      },
    ),
  );

  rows.push(
    measure(
      {
        id: 'npm-price',
        name: 'npm black-scholes: price only',
        peer: 'npm',
        kind: 'price',
        n: nG,
        reps: opt.reps,
        note: 'q = 0',
      },
      () => {
        let sum = 0;
        for (let i = 0; i < nG; i++)
          sum += bs.blackScholes(S[i]!, K[i]!, T[i]!, sigma[i]!, r[i]!, cp(isCall[i]!));
        return sum;
      },
    ),
  );

  // Implied vol from the package's own prices, on well-conditioned cases (price > 0 and
  // vega > 1e-4 * S, vega per 1.00), the same rule every peer applies to its own values.
  const idx: number[] = [];
  const px: number[] = [];
  for (let i = 0; i < cases.n && idx.length < opt.ivN; i++) {
    const s = S[i]!;
    const p = bs.blackScholes(s, K[i]!, T[i]!, sigma[i]!, r[i]!, cp(isCall[i]!));
    const vega = 100 * greeks.getVega(s, K[i]!, T[i]!, sigma[i]!, r[i]!);
    if (p > 0 && vega > 1e-4 * s) {
      idx.push(i);
      px.push(p);
    }
  }
  if (idx.length > 0) {
    rows.push(
      measure(
        {
          id: 'npm-iv',
          name: 'npm implied-volatility: implied vol',
          peer: 'npm',
          kind: 'iv',
          n: idx.length,
          reps: Math.max(3, Math.min(opt.reps, 5)),
          warmup: 1,
          note: 'q = 0; bisection, 100 iterations on exact prices',
        },
        () => {
          let sum = 0;
          for (let j = 0; j < idx.length; j++) {
            const i = idx[j]!;
            sum += impliedVolatility.getImpliedVolatility(px[j]!, S[i]!, K[i]!, T[i]!, r[i]!, cp(isCall[i]!));
          }
          return sum;
        },
      ),
    );
  }
  return rows;
}

type PublicRow = Omit<ReferenceCase, 'id' | 'vanna' | 'volga' | 'charm'>;

/**
 * Accuracy of the npm peers against the shared reference values (mpmath, 40 digits), after converting
 * their units (vega x100, theta x365, rho x100). They have no dividend yield, so every case is mapped to
 * an equivalent q = 0 case: BSM with yield q on S equals BSM without yield on S' = S e^{-qT}, and Black-76
 * on F equals BSM without yield on S' = F e^{-rT}. Then price, vega and (bsm) rho are the same, delta and
 * gamma scale by e^{-qT} and e^{-2qT} (bsm) or e^{-rT} and e^{-2rT} (black76). Theta is only compared on
 * bsm cases with q = 0, and Black-76 rho (F held fixed) is not compared. Not a test: numbers for the report.
 */
export function npmAccuracy(publicPath: string): NpmAccuracy {
  const rows = JSON.parse(readFileSync(publicPath, 'utf8')) as PublicRow[];
  const fields: NpmAccuracy['fields'] = {};
  const note = (field: string, got: number, want: number, scale: number): void => {
    const f = fields[field] ?? { cases: 0, fail: 0, nan: 0, maxAbsErr: 0 };
    fields[field] = f;
    f.cases++;
    const d = Math.abs(got - want);
    if (!(d <= 1e-9 * scale + 1e-9 * Math.abs(want))) f.fail++; // NaN fails too
    if (Number.isNaN(d)) f.nan++;
    else if (d > f.maxAbsErr) f.maxAbsErr = d;
  };
  const iv = { cases: 0, over1e7: 0, maxAbsErr: 0 };
  for (const x of rows) {
    const { K: k, T: t, sigma: v, r: rr, type: c } = x;
    const b76 = x.model === 'black76';
    const under = b76 ? x.F! : x.S!;
    const carry = b76 ? rr : x.q; // S' = under * e^{-carry T}
    const df = Math.exp(-carry * t);
    const s = under * df;
    note('price', bs.blackScholes(s, k, t, v, rr, c), x.price, under);
    note('delta', df * greeks.getDelta(s, k, t, v, rr, c), x.delta, 1);
    note('gamma', df * df * greeks.getGamma(s, k, t, v, rr), x.gamma, 1 / under);
    note('vega', 100 * greeks.getVega(s, k, t, v, rr), x.vega, under);
    if (!b76) note('rho', 100 * greeks.getRho(s, k, t, v, rr, c), x.rho, under);
    if (!b76 && x.q === 0) note('theta', 365 * greeks.getTheta(s, k, t, v, rr, c), x.theta, under);
    if (x.iv_check) {
      iv.cases++;
      const d = Math.abs(impliedVolatility.getImpliedVolatility(x.price, s, k, t, rr, c) - v);
      if (!(d <= 1e-7)) iv.over1e7++;
      if (d > iv.maxAbsErr) iv.maxAbsErr = d;
    }
  }
  return { cases: rows.length, fields, iv };
}
