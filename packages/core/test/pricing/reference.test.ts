import { describe, expect, it } from 'vitest';
import {
  black76Greeks,
  bsmGreeks,
  type Greeks,
  type IvResult,
  impliedVolBlack76,
  impliedVolBsm,
} from '../../src/index';
import {
  GREEK_FIELDS,
  loadPublicCases,
  type ReferenceCase,
  toleranceFor,
  underlyingOf,
} from './reference-cases';

const cases = loadPublicCases();

// The vectors use the textbook letters (S or F, K, T, r, q, sigma); the API names its inputs. This is
// the one place that maps one onto the other.
const common = (c: ReferenceCase) => ({
  isCall: c.type === 'call',
  strike: c.K,
  yearsToExpiry: c.T,
  riskFreeRate: c.r,
});

function greeksOf(c: ReferenceCase): Greeks {
  return c.model === 'bsm'
    ? bsmGreeks({ ...common(c), spot: c.S as number, dividendYield: c.q, vol: c.sigma })
    : black76Greeks({ ...common(c), future: c.F as number, vol: c.sigma });
}

/** Implied vol of `price` for the case's option (on S for BSM, on F for Black-76). */
function impliedVolOf(c: ReferenceCase, price: number): IvResult {
  return c.model === 'bsm'
    ? impliedVolBsm({ ...common(c), spot: c.S as number, dividendYield: c.q, price })
    : impliedVolBlack76({ ...common(c), future: c.F as number, price });
}

describe('public pricing vectors (shared/testdata/pricing/public.json)', () => {
  it('has all 2,100 cases', () => {
    expect(cases).toHaveLength(2100);
  });

  it('every case and every field is within the README tolerance rule', () => {
    const failures: string[] = [];
    for (const c of cases) {
      const g = greeksOf(c);
      for (const f of GREEK_FIELDS) {
        const want = c[f];
        const got = g[f];
        const tol = toleranceFor(c, f, want);
        if (!(Math.abs(got - want) <= tol))
          failures.push(`${c.id} ${f}: got ${got}, want ${want}, tol ${tol}`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('published values are within their printed tolerance', () => {
    const failures: string[] = [];
    let checked = 0;
    for (const c of cases) {
      const pub = c.published;
      if (!pub) continue;
      const g = greeksOf(c);
      const u = underlyingOf(c);
      const tolOf = (field: string): number => {
        const t =
          pub[`${field}_tol`] ??
          pub[`tol_${field}`] ??
          (field === 'delta' || field === 'gamma' ? pub.tol_delta_gamma : undefined) ??
          (field === 'vega' || field === 'rho' ? pub.tol_vega_rho : undefined) ??
          pub.tol;
        return Number(t);
      };
      const computed: Record<string, number> = {
        ...g,
        theta_per_day_365: g.theta / 365,
        elasticity: (g.delta * u) / g.price,
        // dV/dq with S fixed: -T S e^{-qT} N(+-d1) = -T * S * delta for BSM
        dividend_rho: -c.T * u * g.delta,
        normalised_price: (g.price * Math.exp(c.r * c.T)) / Math.sqrt(u * c.K),
      };
      for (const [field, value] of Object.entries(pub)) {
        if (typeof value !== 'number' || field.includes('tol') || field === 'iv' || field === 'price_approx')
          continue;
        const got = computed[field];
        const tol = tolOf(field);
        expect(Number.isFinite(tol), `${c.id} has a tolerance for ${field}`).toBe(true);
        checked++;
        if (!(got !== undefined && Math.abs(got - value) <= tol))
          failures.push(`${c.id} ${field}: got ${got}, printed ${value} +- ${tol}`);
      }
      if (typeof pub.iv === 'number') {
        const price = c.quoted_price ?? c.price;
        const r = impliedVolOf(c, price);
        checked++;
        const tol = Number(pub.iv_tol ?? pub.tol);
        if (!(r.iv !== null && Math.abs(r.iv - pub.iv) <= tol))
          failures.push(`${c.id} iv: got ${r.iv}, printed ${pub.iv} +- ${tol}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });

  it('implied vol recovers sigma within 1e-7 for every iv_check case', () => {
    const failures: string[] = [];
    let n = 0;
    for (const c of cases) {
      if (!c.iv_check) continue;
      n++;
      const r = impliedVolOf(c, c.price);
      if (r.status !== 'ok' || r.iv === null || !(Math.abs(r.iv - c.sigma) <= 1e-7))
        failures.push(`${c.id}: ${r.status} ${r.iv} vs ${c.sigma}`);
    }
    expect(n).toBe(1092);
    expect(failures).toEqual([]);
  });

  it('implied vol of the quoted (rounded) prices recovers their exact vol to 1e-10', () => {
    const failures: string[] = [];
    const ivCases = cases.filter((c) => c.quoted_price !== undefined);
    expect(ivCases.length).toBeGreaterThan(10);
    for (const c of ivCases) {
      const r = impliedVolOf(c, c.quoted_price as number);
      if (r.iv === null || !(Math.abs(r.iv - c.sigma) <= 1e-10))
        failures.push(`${c.id}: ${r.status} ${r.iv} vs ${c.sigma}`);
    }
    expect(failures).toEqual([]);
  });
});
