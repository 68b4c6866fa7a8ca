/**
 * Extension point: "ours" rows of `npm run bench -- pricing`.
 *
 * Times VixShield's own pricing from `@vixshield/core` on the same cases as the peers. The module is
 * loaded at run time so `--module` can time another build with the same API (names are checked, and a
 * module with only part of the API times the part that exists).
 */
import type * as Core from '../packages/core/src/index';
import type { PricingCases } from './lib/cases.ts';
import { type Measurement, measure } from './lib/timing.ts';

/** The `@vixshield/core` pricing API that the "ours" rows time (types from core itself). */
export type OursApi = Pick<
  typeof Core,
  'bsmPrice' | 'bsmGreeks' | 'black76Price' | 'impliedVolBsm' | 'bsmGreeksBatch' | 'impliedVolBsmBatch'
>;
export type OursGreeks = Core.Greeks;

export const OURS_FUNCTIONS = [
  'bsmPrice',
  'bsmGreeks',
  'black76Price',
  'impliedVolBsm',
  'bsmGreeksBatch',
  'impliedVolBsmBatch',
] as const satisfies readonly (keyof OursApi)[];

export interface OursProbe {
  /** the functions that exist (the others are missing) */
  api: Partial<OursApi>;
  present: string[];
  missing: string[];
  /** set when `@vixshield/core` itself failed to load */
  error?: string;
}

/** Loads `@vixshield/core` and reports which of the expected pricing functions it exports. */
export async function probeOurs(module?: Record<string, unknown>): Promise<OursProbe> {
  let mod: Record<string, unknown>;
  try {
    mod = module ?? ((await import('@vixshield/core')) as unknown as Record<string, unknown>);
  } catch (e) {
    return { api: {}, present: [], missing: [...OURS_FUNCTIONS], error: (e as Error).message };
  }
  const api: Record<string, unknown> = {};
  const present: string[] = [];
  const missing: string[] = [];
  for (const name of OURS_FUNCTIONS) {
    if (typeof mod[name] === 'function') {
      api[name] = mod[name];
      present.push(name);
    } else {
      missing.push(name);
    }
  }
  return { api: api as Partial<OursApi>, present, missing };
}

export interface OursIvAccuracy {
  /** solves timed (well-conditioned cases: price > 0 and vega > 1e-4 * S by ours' own Greeks) */
  cases: number;
  /** status counts from the scalar solver */
  status: Record<string, number>;
  /** worst |iv - sigma| among 'ok' solves, and how many exceed 1e-7 */
  maxAbsErr: number;
  over1e7: number;
}

/** Filled by the last `measureOurs` call, for the JSON report. */
export const oursReport: { probe?: OursProbe; iv?: OursIvAccuracy } = {};

export interface OursOptions {
  reps?: number;
  /** time this module instead of `@vixshield/core` (e.g. a candidate implementation) */
  module?: Record<string, unknown>;
}

/** Times ours on `cases`; returns no rows (and says so) when `@vixshield/core` has no pricing yet. */
export async function measureOurs(cases: PricingCases, opts: OursOptions = {}): Promise<Measurement[]> {
  const probe = await probeOurs(opts.module);
  oursReport.probe = probe;
  if (probe.present.length === 0) {
    const why = probe.error ? ` (${probe.error})` : '';
    process.stdout.write(`ours: not available in this build${why}\n`);
    return [];
  }
  if (probe.missing.length > 0)
    process.stdout.write(`ours: missing ${probe.missing.join(', ')}; timing the rest\n`);

  const reps = opts.reps ?? 7;
  const { n, S, K, T, r, q, sigma, isCall } = cases;
  const api = probe.api;
  const rows: Measurement[] = [];

  if (api.bsmGreeks) {
    const f = api.bsmGreeks;
    const g = f({
      isCall: true,
      spot: 100,
      strike: 100,
      yearsToExpiry: 1,
      riskFreeRate: 0,
      dividendYield: 0,
      vol: 0.2,
    });
    rows.push(
      measure(
        {
          id: 'ours-bsmGreeks',
          name: 'ours bsmGreeks (scalar, reused out)',
          peer: 'ours',
          kind: 'greeks',
          n,
          reps,
        },
        () => {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            // The object literal is part of what a caller pays, so it is built inside the timed loop.
            f(
              {
                isCall: isCall[i] === 1,
                spot: S[i]!,
                strike: K[i]!,
                yearsToExpiry: T[i]!,
                riskFreeRate: r[i]!,
                dividendYield: q[i]!,
                vol: sigma[i]!,
              },
              g,
            );
            sum += g.price + g.delta + g.gamma + g.vega + g.theta + g.rho;
          }
          return sum;
        },
      ),
    );
  }

  if (api.bsmGreeksBatch) {
    const f = api.bsmGreeksBatch;
    const out = {
      price: new Float64Array(n),
      delta: new Float64Array(n),
      gamma: new Float64Array(n),
      vega: new Float64Array(n),
      theta: new Float64Array(n),
      rho: new Float64Array(n),
    };
    const inp = { isCall, S, K, T, r, q, sigma };
    rows.push(
      measure(
        { id: 'ours-bsmGreeksBatch', name: 'ours bsmGreeksBatch', peer: 'ours', kind: 'greeks', n, reps },
        () => {
          f(inp, out, n);
          let sum = 0;
          for (let i = 0; i < n; i++) {
            sum += out.price[i]! + out.delta[i]! + out.gamma[i]! + out.vega[i]! + out.theta[i]! + out.rho[i]!;
          }
          return sum;
        },
      ),
    );
  }

  if (api.bsmPrice) {
    const f = api.bsmPrice;
    rows.push(
      measure(
        { id: 'ours-bsmPrice', name: 'ours bsmPrice: price only', peer: 'ours', kind: 'price', n, reps },
        () => {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            sum += f({
              isCall: isCall[i] === 1,
              spot: S[i]!,
              strike: K[i]!,
              yearsToExpiry: T[i]!,
              riskFreeRate: r[i]!,
              dividendYield: q[i]!,
              vol: sigma[i]!,
            });
          }
          return sum;
        },
      ),
    );
  }

  if (api.black76Price) {
    const f = api.black76Price;
    const F = new Float64Array(n);
    for (let i = 0; i < n; i++) F[i] = S[i]! * Math.exp((r[i]! - q[i]!) * T[i]!);
    rows.push(
      measure(
        {
          id: 'ours-black76Price',
          name: 'ours black76Price: price only',
          peer: 'ours',
          kind: 'price',
          n,
          reps,
          note: 'F = S e^{(r-q)T} precomputed',
        },
        () => {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            sum += f({
              isCall: isCall[i] === 1,
              future: F[i]!,
              strike: K[i]!,
              yearsToExpiry: T[i]!,
              riskFreeRate: r[i]!,
              vol: sigma[i]!,
            });
          }
          return sum;
        },
      ),
    );
  }

  // Implied vol: from ours' own prices, on well-conditioned cases (price > 0, vega > 1e-4 * S).
  if ((api.impliedVolBsm || api.impliedVolBsmBatch) && api.bsmGreeks) {
    const idx: number[] = [];
    const px: number[] = [];
    for (let i = 0; i < n; i++) {
      const g = api.bsmGreeks({
        isCall: isCall[i] === 1,
        spot: S[i]!,
        strike: K[i]!,
        yearsToExpiry: T[i]!,
        riskFreeRate: r[i]!,
        dividendYield: q[i]!,
        vol: sigma[i]!,
      });
      if (g.price > 0 && g.vega > 1e-4 * S[i]!) {
        idx.push(i);
        px.push(g.price);
      }
    }
    const m = idx.length;
    const pick = (a: Float64Array): Float64Array => Float64Array.from(idx, (i) => a[i]!);
    const iv = {
      price: Float64Array.from(px),
      S: pick(S),
      K: pick(K),
      T: pick(T),
      r: pick(r),
      q: pick(q),
      sigma: pick(sigma),
      isCall: Uint8Array.from(idx, (i) => isCall[i]!),
    };
    const ivCase = (j: number) => ({
      price: iv.price[j]!,
      isCall: iv.isCall[j] === 1,
      spot: iv.S[j]!,
      strike: iv.K[j]!,
      yearsToExpiry: iv.T[j]!,
      riskFreeRate: iv.r[j]!,
      dividendYield: iv.q[j]!,
    });
    if (api.impliedVolBsm && m > 0) {
      const f = api.impliedVolBsm;
      rows.push(
        measure(
          {
            id: 'ours-impliedVolBsm',
            name: 'ours impliedVolBsm (scalar)',
            peer: 'ours',
            kind: 'iv',
            n: m,
            reps,
          },
          () => {
            let sum = 0;
            for (let j = 0; j < m; j++) {
              const res = f({
                price: iv.price[j]!,
                isCall: iv.isCall[j] === 1,
                spot: iv.S[j]!,
                strike: iv.K[j]!,
                yearsToExpiry: iv.T[j]!,
                riskFreeRate: iv.r[j]!,
                dividendYield: iv.q[j]!,
              });
              sum += res.iv ?? 0;
            }
            return sum;
          },
        ),
      );
      const acc: OursIvAccuracy = { cases: m, status: {}, maxAbsErr: 0, over1e7: 0 };
      for (let j = 0; j < m; j++) {
        const res = f(ivCase(j));
        acc.status[res.status] = (acc.status[res.status] ?? 0) + 1;
        if (res.status === 'ok' && res.iv !== null) {
          const d = Math.abs(res.iv - iv.sigma[j]!);
          if (!(d <= 1e-7)) acc.over1e7++;
          if (d > acc.maxAbsErr) acc.maxAbsErr = d;
        }
      }
      oursReport.iv = acc;
    }
    if (api.impliedVolBsmBatch && m > 0) {
      const f = api.impliedVolBsmBatch;
      const out = { iv: new Float64Array(m), status: new Uint8Array(m) };
      rows.push(
        measure(
          {
            id: 'ours-impliedVolBsmBatch',
            name: 'ours impliedVolBsmBatch',
            peer: 'ours',
            kind: 'iv',
            n: m,
            reps,
          },
          () => {
            f(iv, out, m);
            let sum = 0;
            for (let j = 0; j < m; j++) sum += out.iv[j]!;
            return sum;
          },
        ),
      );
    }
  }
  return rows;
}
