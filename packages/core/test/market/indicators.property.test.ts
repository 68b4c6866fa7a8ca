import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ema, hv20, macd, rsi, type Series, sma, zScore } from '../../src/index';

const price = fc.double({ min: 0.01, max: 1e5, noNaN: true, noDefaultInfinity: true });
const prices = fc.array(price, { minLength: 0, maxLength: 120 });
const anyFinite = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 120 });
const period = fc.integer({ min: 1, max: 30 });

/** Every entry is null or a finite number (never NaN/undefined), and the length is preserved. */
function expectClean(series: Series, n: number): void {
  expect(series).toHaveLength(n);
  for (const v of series) expect(v === null || Number.isFinite(v)).toBe(true);
}

describe('indicator properties (fast-check)', () => {
  it('SMA lies within the min and max of its window (up to rounding) and warms up for period - 1', () => {
    fc.assert(
      fc.property(anyFinite, period, (xs, p) => {
        const s = sma(xs, p);
        expectClean(s, xs.length);
        for (let i = 0; i < xs.length; i++) {
          if (i < p - 1) {
            expect(s[i]).toBeNull();
            continue;
          }
          const w = xs.slice(i - p + 1, i + 1);
          const lo = Math.min(...w);
          const hi = Math.max(...w);
          const tol = 1e-12 * Math.max(1, ...w.map(Math.abs));
          expect(s[i] as number).toBeGreaterThanOrEqual(lo - tol);
          expect(s[i] as number).toBeLessThanOrEqual(hi + tol);
        }
      }),
    );
  });

  it('EMA lies within the running min/max since its first input', () => {
    fc.assert(
      fc.property(anyFinite, period, (xs, p) => {
        const e = ema(xs, p);
        expectClean(e, xs.length);
        for (let i = p - 1; i < xs.length; i++) {
          const w = xs.slice(0, i + 1);
          const tol = 1e-9 * Math.max(1, ...w.map(Math.abs));
          expect(e[i] as number).toBeGreaterThanOrEqual(Math.min(...w) - tol);
          expect(e[i] as number).toBeLessThanOrEqual(Math.max(...w) + tol);
        }
      }),
    );
  });

  it('RSI is within [0, 100], null exactly during warm-up, never NaN', () => {
    fc.assert(
      fc.property(anyFinite, fc.integer({ min: 1, max: 30 }), (xs, p) => {
        const r = rsi(xs, p);
        expectClean(r, xs.length);
        r.forEach((v, i) => {
          if (i < p) expect(v).toBeNull();
          else {
            expect(v as number).toBeGreaterThanOrEqual(0);
            expect(v as number).toBeLessThanOrEqual(100);
          }
        });
      }),
    );
  });

  it('MACD, HV20 and z-score give no NaN for finite input', () => {
    fc.assert(
      fc.property(prices, (xs) => {
        const m = macd(xs);
        expectClean(m.macd, xs.length);
        expectClean(m.signal, xs.length);
        expectClean(m.histogram, xs.length);
        const h = hv20(xs);
        expectClean(h, xs.length);
        for (const v of h) if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
        expectClean(zScore(xs), xs.length);
        expectClean(zScore(xs, 5, { stdev: 'population' }), xs.length);
      }),
    );
  });

  it('MACD with any periods: warm-up at slow-1 and slow+signal-2, histogram = macd - signal', () => {
    fc.assert(
      fc.property(
        prices,
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 10 }),
        (xs, fast, extra, signal) => {
          const slow = fast + extra;
          const r = macd(xs, { fast, slow, signal });
          expectClean(r.macd, xs.length);
          for (let i = 0; i < xs.length; i++) {
            expect(r.macd[i] === null).toBe(i < slow - 1);
            expect(r.signal[i] === null).toBe(i < slow + signal - 2);
            if (r.signal[i] !== null) {
              expect(r.histogram[i]).toBe((r.macd[i] as number) - (r.signal[i] as number));
            }
          }
        },
      ),
    );
  });

  it('HV20 is scale invariant (multiplying all closes by k changes nothing)', () => {
    fc.assert(
      fc.property(
        fc.array(price, { minLength: 21, maxLength: 60 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (xs, k) => {
          const a = hv20(xs);
          const b = hv20(xs.map((x) => x * k));
          for (let i = 20; i < xs.length; i++) {
            expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(
              1e-6 * Math.max(1, a[i] as number),
            );
          }
        },
      ),
    );
  });

  it('z-score is invariant under affine maps x -> a x + b with a > 0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 5, maxLength: 40 }),
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (xs, a, b) => {
          const z1 = zScore(xs, 5);
          const z2 = zScore(
            xs.map((x) => a * x + b),
            5,
          );
          for (let i = 4; i < xs.length; i++) {
            const w = xs.slice(i - 4, i + 1);
            // Skip near-degenerate windows, where the 'no variance -> 0' guard may trigger on one side only.
            const spread = Math.max(...w) - Math.min(...w);
            if (spread < 1e-6) continue;
            expect(z2[i] as number).toBeCloseTo(z1[i] as number, 6);
          }
        },
      ),
    );
  });
});
