import { describe, expect, it } from 'vitest';
import { bsmGreeks, bsmGreeksBatch, InvalidInputError } from '../../src/index';

describe('batch Greeks', () => {
  const n = 257;
  const mk = () => ({
    isCall: new Uint8Array(n),
    S: new Float64Array(n),
    K: new Float64Array(n),
    T: new Float64Array(n),
    r: new Float64Array(n),
    q: new Float64Array(n),
    sigma: new Float64Array(n),
  });
  const outputs = () => ({
    price: new Float64Array(n),
    delta: new Float64Array(n),
    gamma: new Float64Array(n),
    vega: new Float64Array(n),
    theta: new Float64Array(n),
    rho: new Float64Array(n),
    vanna: new Float64Array(n),
    volga: new Float64Array(n),
    charm: new Float64Array(n),
  });

  it('gives exactly the scalar results, element by element', () => {
    const inp = mk();
    for (let i = 0; i < n; i++) {
      inp.isCall[i] = i % 2;
      inp.S[i] = 4000 + i;
      inp.K[i] = 3800 + 2 * i;
      inp.T[i] = (i + 1) / 525_600 + (i % 5) / 52;
      inp.r[i] = 0.04;
      inp.q[i] = 0.013;
      inp.sigma[i] = 0.1 + (i % 9) * 0.05;
    }
    const out = outputs();
    bsmGreeksBatch(inp, out, n);
    for (let i = 0; i < n; i++) {
      const g = bsmGreeks({
        isCall: inp.isCall[i] === 1,
        spot: inp.S[i]!,
        strike: inp.K[i]!,
        yearsToExpiry: inp.T[i]!,
        riskFreeRate: inp.r[i]!,
        dividendYield: inp.q[i]!,
        vol: inp.sigma[i]!,
      });
      for (const f of [
        'price',
        'delta',
        'gamma',
        'vega',
        'theta',
        'rho',
        'vanna',
        'volga',
        'charm',
      ] as const) {
        expect(out[f][i]).toBe(g[f]);
      }
    }
  });

  it('names the index and field of an invalid option', () => {
    const inp = mk();
    inp.S.fill(100);
    inp.K.fill(100);
    inp.T.fill(0.1);
    inp.sigma.fill(0.2);
    inp.sigma[42] = -1;
    try {
      bsmGreeksBatch(inp, outputs(), n);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).field).toBe('sigma[42]');
    }
  });

  it('rejects arrays shorter than n', () => {
    const inp = mk();
    expect(() => bsmGreeksBatch(inp, outputs(), n + 1)).toThrow(/fewer than n/);
  });
});
