/*
 * The short-dated smile on real 1-2 session chains, level apart from shape (issue 14;
 * docs/calibration.md "Level or shape?"): the term exponent gamma of the smile's width in z (grid over
 * the wing scale beta and gamma, ATM free per expiry), the wing scale fitted per expiry against that
 * day's SKEW (the surface's longer tenors steepen with SKEW; the short smile is one shape), and the
 * shape-only error in the condor's zone.
 *
 *   npx tsx scripts/short-dated-term-fit.ts [BETAS=5,6.54 env]
 */
import {
  embeddedRealChains,
  fitShapeLevel,
  marketData,
  shortDatedShapeError,
  shortDatedShapeSample,
} from '@vixshield/app';
import type { MarketData } from '@vixshield/data';

const md: MarketData = marketData();
const sample = shortDatedShapeSample(md, embeddedRealChains());
for (const e of sample) {
  console.log(
    `${e.asOf} -> ${e.expiry} (${e.sessions} sessions): ${e.points.length} OTM quotes, parity forward ${e.forwardGapBp.toFixed(1)} bp above the file's spot carried`,
  );
}
const betas = (process.env.BETAS ?? '4,5,5.5,6,6.54,7,8').split(',').map(Number);
const rmse = (beta: number, gamma: number): number => {
  let sse = 0;
  let n = 0;
  for (const e of sample) {
    sse += fitShapeLevel(e.points, beta, gamma).sse;
    n += e.points.length;
  }
  return Math.sqrt(sse / n);
};
for (const beta of betas) {
  let best = { gamma: 0, rmse: Number.POSITIVE_INFINITY };
  for (let g = 0; g <= 1.0001; g += 0.05) {
    const v = rmse(beta, g);
    if (v < best.rmse) best = { gamma: g, rmse: v };
  }
  console.log(`beta ${beta}: best gamma ${best.gamma.toFixed(2)}, RMSE ${best.rmse.toFixed(3)} vol points`);
}
for (const e of sample) {
  let best = { beta: 0, sse: Number.POSITIVE_INFINITY };
  for (let beta = 2; beta <= 16; beta += 0.25) {
    const { sse } = fitShapeLevel(e.points, beta, 0);
    if (sse < best.sse) best = { beta, sse };
  }
  console.log(
    `wing scale ${e.asOf} -> ${e.expiry}: SKEW ${md.byDate(e.asOf)?.skew ?? '-'}, best beta ${best.beta.toFixed(2)} (RMSE ${Math.sqrt(best.sse / e.points.length).toFixed(3)} vol points)`,
  );
}
const shape = shortDatedShapeError(sample);
for (const e of shape.perExpiry) {
  console.log(
    `shape only ${e.asOf} -> ${e.expiry}: ATM ${(100 * e.atm).toFixed(2)}%, ${e.quotes} zone quotes, median |model/real-1| ${(100 * e.medianAbsMidError).toFixed(1)}%`,
  );
}
console.log(
  `shape only, all: ${shape.quotes} zone quotes, median |model/real-1| ${(100 * (shape.medianAbsMidError ?? Number.NaN)).toFixed(1)}%`,
);
