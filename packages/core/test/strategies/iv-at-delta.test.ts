import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticChain } from '../../../../test/support/chains';
import { chainContext, ivAtAbsDelta, readOption } from '../../src/index';

/** The definition, by a plain scan in strike order (the reference for the sorted-curve bisection). */
function ivAtAbsDeltaScan(ctx: ReturnType<typeof chainContext>, side: 'put' | 'call', d: number): number {
  const c = ctx.chain;
  let loD = -1;
  let loIv = Number.NaN;
  let hiD = 2;
  let hiIv = Number.NaN;
  for (let i = 0; i < c.strikes.length; i++) {
    const k = c.strikes[i]!;
    if (side === 'put' ? k > c.underlying : k < c.underlying) continue;
    const read = readOption(ctx, i, side);
    if (!read || !(read.iv > 0)) continue;
    const ad = Math.abs(read.greeks.delta);
    if (ad <= d && ad > loD) {
      loD = ad;
      loIv = read.iv;
    }
    if (ad >= d && ad < hiD) {
      hiD = ad;
      hiIv = read.iv;
    }
  }
  if (Number.isNaN(loIv)) return hiIv;
  if (Number.isNaN(hiIv) || hiD === loD) return loIv;
  return loIv + ((hiIv - loIv) * (d - loD)) / (hiD - loD);
}

describe('ivAtAbsDelta (RSAi skew read)', () => {
  it('equals the strike-order scan exactly, including |delta| values on the curve and off its ends', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 2000, max: 7000, noNaN: true }),
        fc.double({ min: 0.06, max: 0.6, noNaN: true }),
        fc.double({ min: -2, max: 0.5, noNaN: true }),
        fc.constantFrom('2024-06-04', '2024-06-10', '2024-06-28'),
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        fc.constantFrom<'put' | 'call'>('put', 'call'),
        fc.boolean(),
        (spot, vol, skew, expiry, dRaw, side, onCurve) => {
          const chain = syntheticChain({ asOf: '2024-06-03', expiry, spot, atmVol: vol, skewSlope: skew });
          const ctx = chainContext(chain, 0.04, 0.013);
          let d = dRaw;
          if (onCurve) {
            // Ask exactly at a quoted |delta| (the tie branch).
            const i = Math.floor(dRaw * chain.strikes.length) % chain.strikes.length;
            const read = readOption(ctx, i, side);
            if (read) d = Math.abs(read.greeks.delta);
          }
          expect(Object.is(ivAtAbsDelta(ctx, side, d), ivAtAbsDeltaScan(ctx, side, d))).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});
