/**
 * The one-month-and-longer regime of the surface (packages/core/src/market/surface/long-tenor.ts)
 * against the market data we have (docs/calibration.md, "One month and longer"):
 *  1. the 2018 SPXW chain's one-month ATM vol against the VIX, the model's before/after;
 *  2. the long smile fit (sigma/sigma_atm of one-month OTM options, |delta| 0.02-0.5);
 *  3. CNDR strikes and credit on the 2018 one-month chains, real quotes against the model;
 *  4. two published Cboe PUT roll sale prices (2021 VWAPs) against the model;
 *  5. the model's 30-day variance swap against the VIX it is built from.
 * Run: npx tsx scripts/one-month-check.ts [--fit]   (--fit re-runs the Nelder-Mead fit of step 2)
 */

import { marketData } from '@vixshield/app';
import { embeddedHodChains } from '@vixshield/chains';
import {
  betaOf,
  blackDelta,
  bsmPrice,
  buildVolSurface,
  CALIBRATED_LONG_TENOR_PARAMS,
  cndrMaxLoss,
  daysBetween,
  type IsoDate,
  impliedForward,
  impliedVolBsm,
  isTradable,
  type LongTenorParams,
  type LongTenorSmile,
  ModelledChainSource,
  type OptionChain,
  CALIBRATED_SURFACE_PARAMS as P,
  settlementInstantUtcMs,
  smileRatio,
  strikeIndex,
  type VolSurface,
  yearFraction,
} from '@vixshield/core';
import { surfaceInputsOf } from '@vixshield/data';

const md = marketData();
const L = CALIBRATED_LONG_TENOR_PARAMS;
const ATM_ONLY: LongTenorParams = {
  atmFactor0: L.atmFactor0,
  atmFactorLevel: L.atmFactorLevel,
  blendFromDays: L.blendFromDays,
};
const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
};
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const mid = (b: number, a: number) => 0.5 * (b + a);

/** A one-month 2018 chain with its put-call-parity forward and implied q (the fit measures the smile). */
interface Day {
  chain: OptionChain;
  date: string;
  t: number;
  r: number;
  q: number;
  F: number;
  vix: number;
  skew: number;
  /** OTM options: strike, call?, implied vol, Black delta. */
  opts: Array<{ k: number; call: boolean; iv: number; delta: number; mid: number }>;
  atm: number;
}

const days: Day[] = [];
for (const c of embeddedHodChains()) {
  if (daysBetween(c.asOf, c.expiry) < 19 || c.asOf === '2018-02-05') continue;
  const snap = md.byDate(c.asOf)!;
  const t = yearFraction(c.quoteTimeUtcMs, settlementInstantUtcMs(c.expiry, c.settlement));
  const r = snap.rate!.r;
  const S = c.underlying;
  const fwd: number[] = [];
  for (let i = 0; i < c.strikes.length; i++) {
    const K = c.strikes[i]!;
    if (Math.abs(K / S - 1) > 0.03 || !isTradable(c.callFlags[i]!) || !isTradable(c.putFlags[i]!)) continue;
    if (!(c.callBid[i]! > 0 && c.putBid[i]! > 0)) continue;
    fwd.push(
      impliedForward({
        callPrice: mid(c.callBid[i]!, c.callAsk[i]!),
        putPrice: mid(c.putBid[i]!, c.putAsk[i]!),
        strike: K,
        yearsToExpiry: t,
        riskFreeRate: r,
      }),
    );
  }
  const F = median(fwd);
  const q = r - Math.log(F / S) / t;
  const opts: Day['opts'] = [];
  for (let i = 0; i < c.strikes.length; i++) {
    const k = c.strikes[i]!;
    const call = k >= F;
    const b = call ? c.callBid[i]! : c.putBid[i]!;
    const a = call ? c.callAsk[i]! : c.putAsk[i]!;
    if (!(b > 0 && a > b)) continue;
    const iv = impliedVolBsm({
      price: mid(b, a),
      isCall: call,
      spot: S,
      strike: k,
      yearsToExpiry: t,
      riskFreeRate: r,
      dividendYield: q,
    }).iv;
    if (!iv) continue;
    opts.push({ k, call, iv, delta: blackDelta(call, F, k, t, r, iv), mid: mid(b, a) });
  }
  const lo = opts.filter((o) => o.k <= F).at(-1)!;
  const hi = opts.find((o) => o.k > F)!;
  const atm = lo.iv + ((F - lo.k) / (hi.k - lo.k)) * (hi.iv - lo.iv);
  days.push({ chain: c, date: c.asOf, t, r, q, F, vix: snap.vix!, skew: snap.skew ?? 125, opts, atm });
}
const surfaceOf = (d: Day, long: LongTenorParams | null): VolSurface =>
  buildVolSurface(
    { ...surfaceInputsOf(md.byDate(d.date as IsoDate))!, spot: d.chain.underlying, q: d.q },
    P,
    long,
  );

// 1. ATM vs VIX.
console.log('## 1. One-month ATM vol against the VIX (2018 SPXW chain, 19-29 days, 2018-02-05 left out)\n');
console.log(
  '| date | days | VIX | SKEW | market ATM | market ATM / VIX | model before / VIX | model after / VIX |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const ratios: number[][] = [[], [], []];
for (const d of days) {
  const before = surfaceOf(d, null).atmVol(d.t) / (d.vix / 100);
  const after = surfaceOf(d, L).atmVol(d.t) / (d.vix / 100);
  const market = d.atm / (d.vix / 100);
  ratios[0]!.push(market);
  ratios[1]!.push(before);
  ratios[2]!.push(after);
  console.log(
    `| ${d.date} | ${daysBetween(d.chain.asOf, d.chain.expiry)} | ${d.vix.toFixed(2)} | ${d.skew.toFixed(1)} | ${(100 * d.atm).toFixed(2)} | ${market.toFixed(3)} | ${before.toFixed(3)} | ${after.toFixed(3)} |`,
  );
}
console.log(
  `\nMean ATM/VIX: market ${mean(ratios[0]!).toFixed(3)}, model before ${mean(ratios[1]!).toFixed(3)}, after ${mean(ratios[2]!).toFixed(3)}.`,
);

// 2. The smile fit.
interface Pt {
  x: number;
  ratio: number;
  day: number;
}
const pts: Pt[] = [];
days.forEach((d, day) => {
  for (const o of d.opts) {
    const ad = Math.abs(o.delta);
    if (ad < 0.02 || ad > 0.5) continue;
    pts.push({ x: Math.log(o.k / d.F) / Math.sqrt(d.t), ratio: o.iv / d.atm, day });
  }
});
const dayBeta = (d: Day, sm: LongTenorSmile | null) =>
  sm
    ? betaOf(
        { ...P, rho: sm.rho, s: sm.s, betaVix: sm.betaVix, beta0: P.beta0 * sm.betaScale },
        d.vix,
        d.skew,
      )
    : betaOf(P, d.vix, d.skew);
const shapeOf = (sm: LongTenorSmile | null) =>
  days.map((d) => smileRatio(sm?.rho ?? P.rho, sm?.s ?? P.s, sm?.callWing ?? P.callWing, dayBeta(d, sm)));
const rms = (sm: LongTenorSmile | null) => {
  const f = shapeOf(sm);
  return Math.sqrt(mean(pts.map((p) => (Math.sqrt(Math.max(f[p.day]!(p.x), 1e-9)) - p.ratio) ** 2)));
};
let smile = L.smile!;
if (process.argv.includes('--fit')) {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const toSmile = (z: number[]): LongTenorSmile => ({
    rho: -0.05 - 0.9 * sig(z[0]!),
    s: 0.05 + 1.95 * sig(z[1]!),
    betaScale: Math.exp(z[2]!),
    callWing: sig(z[3]!),
    betaVix: z[4]!,
  });
  const nelderMead = (f: (z: number[]) => number, z0: number[]): number[] => {
    const n = z0.length;
    let S = [z0, ...z0.map((_, i) => z0.map((v, j) => (i === j ? v + 0.5 : v)))];
    let F = S.map(f);
    for (let it = 0; it < 3000; it++) {
      const idx = F.map((_, i) => i).sort((a, b) => F[a]! - F[b]!);
      S = idx.map((i) => S[i]!);
      F = idx.map((i) => F[i]!);
      const c = z0.map((_, j) => S.slice(0, n).reduce((a, p) => a + p[j]!, 0) / n);
      const at = (k: number) => c.map((v, j) => v + k * (S[n]![j]! - v));
      const refl = at(-1);
      const fr = f(refl);
      if (fr < F[0]!) {
        const ex = at(-2);
        const fe = f(ex);
        [S[n], F[n]] = fe < fr ? [ex, fe] : [refl, fr];
      } else if (fr < F[n - 1]!) [S[n], F[n]] = [refl, fr];
      else {
        const co = at(0.5);
        const fc = f(co);
        if (fc < F[n]!) [S[n], F[n]] = [co, fc];
        else
          for (let i = 1; i <= n; i++) {
            S[i] = S[i]!.map((v, j) => S[0]![j]! + 0.5 * (v - S[0]![j]!));
            F[i] = f(S[i]!);
          }
      }
    }
    return S[0]!;
  };
  let best: LongTenorSmile | null = null;
  for (const z0 of [
    [-1.5, 0, 0, 3, 0.69],
    [0, -1, 0, 0, 1],
    [1.5, -2, 0, 0, 1.5],
  ]) {
    const cand = toSmile(nelderMead((z) => rms(toSmile(z)), z0));
    if (!best || rms(cand) < rms(best)) best = cand;
  }
  smile = best!;
  console.log(`\nFitted smile: ${JSON.stringify(smile)}`);
}
console.log(
  `\n## 2. One-month smile: sigma / sigma_atm of ${pts.length} OTM options (|delta| 0.02-0.5) on ${days.length} days\n`,
);
console.log(`RMS: short-dated smile ${rms(null).toFixed(4)}, long smile ${rms(smile).toFixed(4)}.\n`);
console.log('| x = ln(K/F)/sqrt(T) | options | short smile bias | long smile bias |');
console.log('| --- | ---: | ---: | ---: |');
const bands: Array<[string, number, number]> = [
  ['< -0.4', -9, -0.4],
  ['-0.4 .. -0.2', -0.4, -0.2],
  ['-0.2 .. -0.05', -0.2, -0.05],
  ['-0.05 .. 0.05', -0.05, 0.05],
  ['0.05 .. 0.2', 0.05, 0.2],
  ['>= 0.2', 0.2, 9],
];
const fS = shapeOf(null);
const fL = shapeOf(smile);
for (const [name, a, b] of bands) {
  const sel = pts.filter((p) => p.x >= a && p.x < b);
  const bias = (f: Array<(x: number) => number>) => mean(sel.map((p) => Math.sqrt(f[p.day]!(p.x)) - p.ratio));
  console.log(`| ${name} | ${sel.length} | ${bias(fS).toFixed(3)} | ${bias(fL).toFixed(3)} |`);
}

// 3. CNDR on the 2018 one-month chains.
console.log(
  '\n## 3. CNDR strikes and credit on the 2018 one-month chains (market quotes against the model)\n',
);
console.log(
  '| date | VIX | market: put strikes 0.05/0.20, call strikes 0.20/0.05: credit / max loss | model before | model after |',
);
console.log('| --- | ---: | --- | --- | --- |');
const cw: number[][] = [[], [], []];
for (const d of days) {
  const pick = (call: boolean, target: number, surf: VolSurface | null) => {
    let best = d.opts[0]!.k;
    let bd = Number.POSITIVE_INFINITY;
    for (let i = 0; i < d.chain.strikes.length; i++) {
      const k = d.chain.strikes[i]!;
      const b = call ? d.chain.callBid[i]! : d.chain.putBid[i]!;
      const a = call ? d.chain.callAsk[i]! : d.chain.putAsk[i]!;
      if (!(a > 0 && a >= b)) continue;
      const iv = surf
        ? surf.impliedVol(k, d.t)
        : impliedVolBsm({
            price: mid(b, a),
            isCall: call,
            spot: d.chain.underlying,
            strike: k,
            yearsToExpiry: d.t,
            riskFreeRate: d.r,
            dividendYield: d.q,
          }).iv;
      if (!iv) continue;
      const e = Math.abs(Math.abs(blackDelta(call, d.F, k, d.t, d.r, iv)) - target);
      if (e < bd) {
        bd = e;
        best = k;
      }
    }
    return best;
  };
  const strikes = (surf: VolSurface | null) => ({
    longPut: pick(false, 0.05, surf),
    shortPut: pick(false, 0.2, surf),
    shortCall: pick(true, 0.2, surf),
    longCall: pick(true, 0.05, surf),
  });
  const price = (k: ReturnType<typeof strikes>, surf: VolSurface | null) => {
    const leg = (K: number, call: boolean) => {
      if (surf)
        return bsmPrice({
          isCall: call,
          spot: d.chain.underlying,
          strike: K,
          yearsToExpiry: d.t,
          riskFreeRate: d.r,
          dividendYield: d.q,
          vol: surf.impliedVol(K, d.t),
        });
      const i = strikeIndex(d.chain, K);
      return call
        ? mid(d.chain.callBid[i]!, d.chain.callAsk[i]!)
        : mid(d.chain.putBid[i]!, d.chain.putAsk[i]!);
    };
    return leg(k.shortPut, false) + leg(k.shortCall, true) - leg(k.longPut, false) - leg(k.longCall, true);
  };
  const cells: string[] = [];
  [null, surfaceOf(d, null), surfaceOf(d, L)].forEach((surf, j) => {
    const k = strikes(surf);
    const ratio = price(k, surf) / cndrMaxLoss(k);
    cw[j]!.push(ratio);
    cells.push(`${k.longPut}/${k.shortPut}, ${k.shortCall}/${k.longCall}: ${ratio.toFixed(3)}`);
  });
  console.log(`| ${d.date} | ${d.vix.toFixed(2)} | ${cells[0]} | ${cells[1]} | ${cells[2]} |`);
}
console.log(
  `\nMedian credit / max loss: market ${median(cw[0]!).toFixed(3)}, model before ${median(cw[1]!).toFixed(3)}, after ${median(cw[2]!).toFixed(3)}.`,
);

// 4. Two published Cboe PUT roll sale prices (Cboe "Benchmark Index Roll Information": reference level,
// strike, VWAP of the new put between 11:30 and 12:00 ET).
console.log(
  '\n## 4. Cboe PUT roll sale prices against the model (roll chain at 10:45 CT, spot = the reference)\n',
);
console.log('| roll | reference | strike | Cboe VWAP | model before | model after |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const p of [
  { d: '2021-02-19', e: '2021-03-19', ref: 3926.93, K: 3925, vwap: 69.056 },
  { d: '2021-04-16', e: '2021-05-21', ref: 4178.75, K: 4175, vwap: 67.777 },
]) {
  const cell = (long: LongTenorParams | null) => {
    const src = new ModelledChainSource({
      inputs: (d: IsoDate) => ({ ...surfaceInputsOf(md.byDate(d))!, spot: p.ref }),
      quoteTimeCt: '10:45',
      sameDaySeries: 'SPX',
      longTenor: long,
    });
    const c = src.chain(p.d as IsoDate, p.e as IsoDate)!;
    const i = strikeIndex(c, p.K);
    const m = mid(c.putBid[i]!, c.putAsk[i]!);
    return `${m.toFixed(2)} (${(100 * (m / p.vwap - 1)).toFixed(1)}%)`;
  };
  console.log(`| ${p.d} | ${p.ref} | ${p.K} | ${p.vwap} | ${cell(null)} | ${cell(L)} |`);
}

// 5. The model's 30-day variance swap against the VIX (mid-month days 2007-2025).
const npdf = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
/** Fair variance of a T-year variance swap on the surface: integral of sigma^2(z) n(z) dz, z = -d2. */
const varianceSwapVol = (surf: VolSurface, T: number) => {
  const sq = Math.sqrt(T);
  let pz = Number.NaN;
  let pf = Number.NaN;
  let acc = 0;
  for (let x = -6; x <= 6.0001; x += 0.005) {
    const v = surf.atmTotalVariance(T) * surf.varianceRatioAt(x, T);
    const s = Math.sqrt(v / T);
    const z = x / s + (s * sq) / 2;
    const f = npdf(z) * (v / T);
    if (!Number.isNaN(pz)) acc += 0.5 * (f + pf) * (z - pz);
    pz = z;
    pf = f;
  }
  return 100 * Math.sqrt(acc);
};
console.log('\n## 5. The model 30-day variance-swap vol / VIX (the 15th-16th of each month, 2007-2025)\n');
console.log('| surface | days | p5 | p25 | median | p75 | p95 |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, long] of [
  ['before (issue 14)', null],
  ['long ATM factor only', ATM_ONLY],
  ['after (long ATM factor and smile)', L],
] as const) {
  const out: number[] = [];
  for (const s of md.snapshots) {
    if (s.date < '2007-01-01' || s.date > '2025-12-31') continue;
    if (s.date.slice(8) !== '15' && s.date.slice(8) !== '16') continue;
    const inp = surfaceInputsOf(s);
    if (!inp) continue;
    out.push(varianceSwapVol(buildVolSurface(inp, P, long), 30 / 365) / s.vix!);
  }
  out.sort((a, b) => a - b);
  const q = (p: number) => out[Math.floor(p * (out.length - 1))]!.toFixed(3);
  console.log(`| ${name} | ${out.length} | ${q(0.05)} | ${q(0.25)} | ${q(0.5)} | ${q(0.75)} | ${q(0.95)} |`);
}
