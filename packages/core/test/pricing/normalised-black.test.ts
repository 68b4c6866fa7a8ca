// biome-ignore-all lint/correctness/noPrecisionLoss: reference values are printed to 17 significant digits as mpmath gives them.
import { describe, expect, it } from 'vitest';
import { normalisedBlackOtmCall, normalisedImpliedVolOtm } from '../../src/index';

/**
 * b(x, s) = e^{x/2} N(x/s + s/2) - e^{-x/2} N(x/s - s/2) evaluated with mpmath at 60 digits
 * (independent of this code), over the wings, tiny s (0DTE) and near the money.
 */
const REFERENCE: Array<[number, number, number]> = [
  [-1e-6, 1e-5, 3.5093533120307532e-6],
  [-1e-6, 3e-5, 1.147491683401832e-5],
  [-1e-6, 1e-4, 3.9396222718302724e-5],
  [-1e-6, 5e-4, 0.00019897153706505185],
  [-1e-6, 0.002, 0.00079738452755774304],
  [-1e-6, 0.009, 0.0035899684279416192],
  [-1e-6, 0.05, 0.019944536394466755],
  [-1e-6, 0.3, 0.11923488474115741],
  [-1e-6, 1.5, 0.54674479524643232],
  [-1e-5, 1e-5, 8.3315470587025235e-7],
  [-1e-5, 3e-5, 7.6270834285793819e-6],
  [-1e-5, 1e-4, 3.5093533104078e-5],
  [-1e-5, 5e-4, 0.0001945110310224037],
  [-1e-5, 0.002, 0.00079289440136332299],
  [-1e-5, 0.009, 0.0035854706221461287],
  [-1e-5, 0.05, 0.019940036789543007],
  [-1e-5, 0.3, 0.11923038480772201],
  [-1e-5, 1.5, 0.54674029526313581],
  [-2e-4, 1e-5, 1.370012494712539e-95],
  [-2e-4, 3e-5, 5.6485118988941955e-17],
  [-2e-4, 1e-4, 8.4907026084845725e-7],
  [-2e-4, 5e-4, 0.00011521941674768522],
  [-2e-4, 0.002, 0.00070187053126171772],
  [-2e-4, 0.009, 0.0034913549165081944],
  [-2e-4, 0.05, 0.019845196016874198],
  [-2e-4, 0.3, 0.1191354116351164],
  [-2e-4, 1.5, 0.54664530199498917],
  [-0.003, 1e-4, 1.6319567320559536e-203],
  [-0.003, 5e-4, 7.8178487470258854e-14],
  [-0.003, 0.002, 5.8613566332776782e-5],
  [-0.003, 0.009, 0.0022881144237566179],
  [-0.003, 0.05, 0.018480941095412124],
  [-0.003, 0.3, 0.11774143545958162],
  [-0.003, 1.5, 0.54524681318450074],
  [-0.05, 0.002, 2.4375928776584748e-142],
  [-0.05, 0.009, 2.1154168371682285e-11],
  [-0.05, 0.05, 0.0041649472922563113],
  [-0.05, 0.3, 0.095909998664972988],
  [-0.05, 1.5, 0.5221644954988014],
  [-0.4, 0.05, 3.7739850096235262e-18],
  [-0.4, 0.3, 0.012619235430120091],
  [-0.4, 1.5, 0.37240033866824253],
  [-2, 0.3, 5.5877835638550899e-13],
  [-2, 1.5, 0.052356965476005531],
  [-6, 0.3, 4.0642833889322658e-91],
  [-6, 1.5, 8.299722212909582e-6],
];

describe('normalised Black function against 60-digit reference values', () => {
  it('has full relative accuracy in every region (wings, tiny s, near the money)', () => {
    for (const [x, s, want] of REFERENCE) {
      const got = normalisedBlackOtmCall(x, s);
      // b's condition number in the far wing grows like h^2 = (x/s)^2; allow a few ulps of that.
      const h = x / s;
      expect(Math.abs(got - want) / want, `b(${x}, ${s})`).toBeLessThan(5e-14 + 4 * Number.EPSILON * h * h);
    }
  });

  it('implied s from the reference value is exact to 1e-12 relative', () => {
    for (const [x, s, want] of REFERENCE) {
      const got = normalisedImpliedVolOtm(want, x);
      expect(Math.abs(got - s) / s, `s for b(${x}, ${s})`).toBeLessThan(1e-12);
    }
  });
});
