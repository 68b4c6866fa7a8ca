/**
 * Calibrates the vixshield-surface smile and the spread model on the real 2018 SPXW chain and writes
 * docs/calibration-results.md plus SVG plots in docs/img/. Run: npx tsx scripts/calibrate-surface.ts
 *
 * Market IV: impliedVolBsm from the mid of OTM options (puts K < F, calls K >= F) with both sides
 * > 0 and not crossed; r = DGS3MO (continuous, from the snapshot); q from put-call parity per chain
 * (median implied forward over two-sided pairs within 3% of spot). Fit: unweighted least squares on
 * implied vol (vol points), Nelder-Mead on transformed parameters.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedHodChains } from '@vixshield/chains';
import {
  addTradingDays,
  bsmPrice,
  buildVolSurface,
  butterflyViolations,
  CALIBRATED_SURFACE_PARAMS,
  calendarViolations,
  DEFAULT_SURFACE_PARAMS,
  type IsoDate,
  impliedVolBsm,
  isTradable,
  isTradingDay,
  ModelledChainSource,
  type OptionChain,
  QuoteFlag,
  type SurfaceInputs,
  type SurfaceParams,
  settlementInstantUtcMs,
  weekdayOf,
  yearFraction,
} from '@vixshield/core';
import { loadEmbeddedMarketData, type MarketData } from '@vixshield/data';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OOS_DAY = '2018-02-05';

interface Pt {
  date: string;
  dte: number;
  t: number;
  isCall: boolean;
  strike: number;
  x: number;
  mid: number;
  iv: number;
  chain: number;
}
interface ChainCtx {
  date: string;
  expiry: string;
  t: number;
  inputs: SurfaceInputs;
}

const counts = {
  options: 0,
  noTwoSided: 0,
  zeroBid: 0,
  zeroAsk: 0,
  crossed: 0,
  missing: 0,
  otmTwoSided: 0,
  ivFailed: 0,
  used: 0,
  expiredChains: 0,
};

function surfaceInputsOf(md: MarketData, date: IsoDate, spot: number, r: number, q: number): SurfaceInputs {
  const s = md.byDate(date);
  if (!s || s.vix === null) throw new Error(`no VIX on ${date}`);
  return {
    spot,
    r,
    q,
    vix: s.vix,
    vix9d: s.vix9d ?? undefined,
    vix3m: s.vix3m ?? undefined,
    vix6m: s.vix6m ?? undefined,
    vix1y: s.vix1y ?? undefined,
    skew: s.skew ?? undefined,
  };
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

function collect(md: MarketData, chains: OptionChain[]): { pts: Pt[]; ctx: ChainCtx[] } {
  const pts: Pt[] = [];
  const ctx: ChainCtx[] = [];
  for (const c of chains) {
    const n = c.strikes.length;
    counts.options += 2 * n;
    for (let i = 0; i < n; i++) {
      for (const f of [c.callFlags[i]!, c.putFlags[i]!]) {
        if (f & (QuoteFlag.missingBid | QuoteFlag.missingAsk)) counts.missing++;
        else if (f & QuoteFlag.zeroAsk) counts.zeroAsk++;
        else if (f & QuoteFlag.crossed) counts.crossed++;
        else if (f & QuoteFlag.zeroBid) counts.zeroBid++;
      }
    }
    const t = yearFraction(c.quoteTimeUtcMs, settlementInstantUtcMs(c.expiry, c.settlement));
    if (!(t > 0)) {
      counts.expiredChains++;
      continue;
    }
    const snap = md.byDate(c.asOf);
    const r = snap?.rate?.r;
    if (r === undefined) throw new Error(`no rate on ${c.asOf}`);
    const S = c.underlying;
    const fwd: number[] = [];
    for (let i = 0; i < n; i++) {
      const K = c.strikes[i]!;
      if (Math.abs(K / S - 1) > 0.03) continue;
      if (!isTradable(c.callFlags[i]!) || !isTradable(c.putFlags[i]!)) continue;
      if (c.callBid[i]! <= 0 || c.putBid[i]! <= 0) continue;
      const cm = 0.5 * (c.callBid[i]! + c.callAsk[i]!);
      const pm = 0.5 * (c.putBid[i]! + c.putAsk[i]!);
      fwd.push(K + Math.exp(r * t) * (cm - pm));
    }
    if (fwd.length === 0) continue;
    const F = median(fwd);
    const q = r - Math.log(F / S) / t;
    const ci = ctx.length;
    const dte = Math.round((Date.parse(c.expiry) - Date.parse(c.asOf)) / 86_400_000);
    ctx.push({ date: c.asOf, expiry: c.expiry, t, inputs: surfaceInputsOf(md, c.asOf, S, r, q) });
    for (let i = 0; i < n; i++) {
      const K = c.strikes[i]!;
      const isCall = K >= F;
      const flags = isCall ? c.callFlags[i]! : c.putFlags[i]!;
      const bid = isCall ? c.callBid[i]! : c.putBid[i]!;
      const ask = isCall ? c.callAsk[i]! : c.putAsk[i]!;
      if (!isTradable(flags) || !(bid > 0)) {
        counts.noTwoSided++;
        continue;
      }
      counts.otmTwoSided++;
      const mid = 0.5 * (bid + ask);
      const res = impliedVolBsm({
        price: mid,
        isCall,
        spot: S,
        strike: K,
        yearsToExpiry: t,
        riskFreeRate: r,
        dividendYield: q,
      });
      if (res.status !== 'ok') {
        counts.ivFailed++;
        continue;
      }
      counts.used++;
      pts.push({
        date: c.asOf,
        dte,
        t,
        isCall,
        strike: K,
        x: Math.log(K / F) / Math.sqrt(t),
        mid,
        iv: res.iv!,
        chain: ci,
      });
    }
  }
  return { pts, ctx };
}

// ---------- model evaluation ----------
function modelIvs(p: SurfaceParams, pts: Pt[], ctx: ChainCtx[]): Float64Array {
  const surfaces = ctx.map((c) => buildVolSurface(c.inputs, p, null));
  const out = new Float64Array(pts.length);
  pts.forEach((pt, i) => {
    out[i] = surfaces[pt.chain]!.impliedVol(pt.strike, pt.t);
  });
  return out;
}

const toParams = (z: number[]): SurfaceParams => ({
  atmFactor0: z[0]!,
  atmFactorSkew: z[1]!,
  atmFactorLevel: z[2]!,
  rho: Math.tanh(z[3]!),
  s: 0.01 + Math.exp(z[4]!),
  beta0: Math.exp(z[5]!),
  betaVix: z[6]!,
  betaSkew: z[7]!,
  callWing: 1 / (1 + Math.exp(-z[8]!)),
});
const fromParams = (p: SurfaceParams): number[] => [
  p.atmFactor0,
  p.atmFactorSkew,
  p.atmFactorLevel,
  Math.atanh(p.rho),
  Math.log(p.s - 0.01),
  Math.log(p.beta0),
  p.betaVix,
  p.betaSkew,
  Math.log(p.callWing / (1 - p.callWing)),
];

function nelderMead(f: (z: number[]) => number, z0: number[], step: number[], maxEval: number): number[] {
  const n = z0.length;
  let simplex = [z0, ...z0.map((_, i) => z0.map((v, j) => (i === j ? v + step[i]! : v)))];
  let vals = simplex.map(f);
  let evals = simplex.length;
  while (evals < maxEval) {
    const order = vals.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    simplex = order.map(([, i]) => simplex[i]!);
    vals = order.map(([v]) => v);
    if (Math.abs(vals[n]! - vals[0]!) < 1e-12 * (1 + Math.abs(vals[0]!))) break;
    const c = z0.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j]!, 0) / n);
    const worst = simplex[n]!;
    const at = (a: number) => c.map((cj, j) => cj + a * (worst[j]! - cj));
    const xr = at(-1);
    const fr = f(xr);
    evals++;
    if (fr < vals[0]!) {
      const xe = at(-2);
      const fe = f(xe);
      evals++;
      if (fe < fr) [simplex[n], vals[n]] = [xe, fe];
      else [simplex[n], vals[n]] = [xr, fr];
    } else if (fr < vals[n - 1]!) {
      [simplex[n], vals[n]] = [xr, fr];
    } else {
      const xc = fr < vals[n]! ? at(-0.5) : at(0.5);
      const fc = f(xc);
      evals++;
      if (fc < Math.min(fr, vals[n]!)) [simplex[n], vals[n]] = [xc, fc];
      else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i]!.map((v, j) => simplex[0]![j]! + 0.5 * (v - simplex[0]![j]!));
          vals[i] = f(simplex[i]!);
          evals++;
        }
      }
    }
  }
  const best = vals.indexOf(Math.min(...vals));
  return simplex[best]!;
}

function fitParams(
  pts: Pt[],
  ctx: ChainCtx[],
  train: (p: Pt) => boolean,
  start: SurfaceParams,
  callWing?: number,
): SurfaceParams {
  const sel = pts.filter(train);
  const fix = (p: SurfaceParams): SurfaceParams => (callWing === undefined ? p : { ...p, callWing });
  const obj = (z: number[]): number => {
    const p = fix(toParams(z));
    if (Math.abs(p.betaVix) > 5 || Math.abs(p.betaSkew) > 20 || Math.abs(p.atmFactorSkew) > 3) return 1e9;
    const m = modelIvs(p, sel, ctx);
    let s = 0;
    for (let i = 0; i < sel.length; i++) s += (m[i]! - sel[i]!.iv) ** 2;
    return s / sel.length;
  };
  let z = fromParams({ ...start, callWing: Math.min(0.99, Math.max(0.01, start.callWing)) });
  for (let round = 0; round < 3; round++)
    z = nelderMead(obj, z, [0.05, 0.2, 0.05, 0.3, 0.5, 0.5, 0.3, 1, 1], 3000);
  return fix(toParams(z));
}

/** Calendar and butterfly/monotonicity violations of `p` over every chain day (11 tenors, the modelled-grid strike range). */
function arbitrageCount(ctx: ChainCtx[], p: SurfaceParams): { cal: number; fly: number } {
  let cal = 0;
  let fly = 0;
  const xs = Array.from({ length: 41 }, (_, i) => -1 + i * 0.04);
  const ts = [1, 2, 5, 9, 15, 30, 45, 60, 93, 184, 365].map((d) => d / 365);
  for (const c of ctx) {
    const s = buildVolSurface(c.inputs, p, null);
    cal += calendarViolations(s, xs, ts).length;
    for (const t of ts) {
      const sd = s.atmVol(t) * Math.sqrt(t);
      const ks: number[] = [];
      for (let z = -6; z <= 6; z += 0.05) {
        const k = c.inputs.spot * Math.exp(z * sd);
        if (k >= 0.5 * c.inputs.spot && k <= 1.5 * c.inputs.spot) ks.push(k);
      }
      fly += butterflyViolations(s, t, ks, 1e-7).length;
    }
  }
  return { cal, fly };
}

/**
 * Fit with the call wing free; if that surface has butterfly/monotonicity violations on the check
 * grid, refit with callWing fixed at 0.8, 0.6, ... and keep the first arbitrage-free one.
 */
function fitArbitrageFree(
  pts: Pt[],
  ctx: ChainCtx[],
  train: (p: Pt) => boolean,
  start: SurfaceParams,
): SurfaceParams {
  let p = fitParams(pts, ctx, train, start);
  let check = arbitrageCount(ctx, p);
  console.error(`free fit: callWing ${p.callWing.toFixed(3)}, violations ${check.cal}+${check.fly}`);
  for (
    let c = Math.min(0.8, Math.floor(p.callWing * 10) / 10);
    check.cal + check.fly > 0 && c >= 0;
    c -= 0.1
  ) {
    p = fitParams(pts, ctx, train, p, Math.max(0, Number(c.toFixed(1))));
    check = arbitrageCount(ctx, p);
    console.error(`callWing fixed at ${p.callWing.toFixed(1)}: violations ${check.cal}+${check.fly}`);
  }
  return p;
}

// ---------- error tables ----------
const X_BANDS: Array<[string, number, number]> = [
  ['x < -0.40', -Infinity, -0.4],
  ['-0.40..-0.20', -0.4, -0.2],
  ['-0.20..-0.10', -0.2, -0.1],
  ['-0.10..-0.03', -0.1, -0.03],
  ['-0.03..0.03', -0.03, 0.03],
  ['0.03..0.10', 0.03, 0.1],
  ['x >= 0.10', 0.1, Infinity],
];
const DTE_BANDS: Array<[string, number, number]> = [
  ['1-7 d', 1, 7],
  ['8-14 d', 8, 14],
  ['15-30 d', 15, 30],
  ['31-60 d', 31, 60],
];
interface Err {
  n: number;
  volRmse: number;
  volBias: number;
  priceMae: number;
  priceRmse: number;
}
function errStats(pts: Pt[], ivs: Float64Array, idx: number[], ctx: ChainCtx[]): Err {
  let sv = 0;
  let bv = 0;
  let ap = 0;
  let sp = 0;
  for (const i of idx) {
    const p = pts[i]!;
    const e = (ivs[i]! - p.iv) * 100;
    const c = ctx[p.chain]!.inputs;
    const price = bsmPrice({
      isCall: p.isCall,
      spot: c.spot,
      strike: p.strike,
      yearsToExpiry: p.t,
      riskFreeRate: c.r,
      dividendYield: c.q,
      vol: ivs[i]!,
    });
    const pe = price - p.mid;
    sv += e * e;
    bv += e;
    ap += Math.abs(pe);
    sp += pe * pe;
  }
  const n = idx.length;
  return n === 0
    ? { n, volRmse: Number.NaN, volBias: Number.NaN, priceMae: Number.NaN, priceRmse: Number.NaN }
    : { n, volRmse: Math.sqrt(sv / n), volBias: bv / n, priceMae: ap / n, priceRmse: Math.sqrt(sp / n) };
}
const f2 = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(2));

function bucketTable(
  title: string,
  pts: Pt[],
  ctx: ChainCtx[],
  set: (p: Pt) => boolean,
  fits: Array<[string, Float64Array]>,
): string {
  const lines = [
    `#### ${title}`,
    '',
    `| bucket | n | ${fits.map(([n]) => `${n} vol RMSE / bias (pts) | ${n} price MAE / RMSE (pts)`).join(' | ')} |`,
  ];
  lines.push(`|---|---:|${fits.map(() => '---:|---:').join('|')}|`);
  const row = (label: string, pred: (p: Pt) => boolean) => {
    const idx = pts.map((p, i) => (set(p) && pred(p) ? i : -1)).filter((i) => i >= 0);
    if (idx.length === 0) return;
    const cells = fits.map(([, iv]) => {
      const e = errStats(pts, iv, idx, ctx);
      return `${f2(e.volRmse)} / ${f2(e.volBias)} | ${f2(e.priceMae)} / ${f2(e.priceRmse)}`;
    });
    lines.push(`| ${label} | ${idx.length} | ${cells.join(' | ')} |`);
  };
  row('**all**', () => true);
  for (const [l, lo, hi] of X_BANDS) row(`k/√T ${l}`, (p) => p.x >= lo && p.x < hi);
  for (const [l, lo, hi] of DTE_BANDS) row(`DTE ${l}`, (p) => p.dte >= lo && p.dte <= hi);
  return lines.join('\n');
}

// ---------- SVG ----------
function svgSmiles(
  pts: Pt[],
  ctx: ChainCtx[],
  panels: Array<[string, string]>,
  fits: Array<[string, SurfaceParams, string, string]>,
): string {
  const W = 900;
  const H = 380;
  const pw = W / panels.length;
  let body = '';
  panels.forEach(([date, expiry], pi) => {
    const ci = ctx.findIndex((c) => c.date === date && c.expiry === expiry);
    if (ci < 0) return;
    const c = ctx[ci]!;
    const ps = pts.filter((p) => p.chain === ci && p.x > -0.8 && p.x < 0.4);
    const x0 = pi * pw + 55;
    const w = pw - 75;
    const y0 = 40;
    const h = H - 90;
    const xs = [-0.8, 0.4];
    const ivMax = Math.max(...ps.map((p) => p.iv)) * 1.1;
    const ivMin = Math.min(...ps.map((p) => p.iv)) * 0.8;
    const X = (x: number) => x0 + ((x - xs[0]!) / (xs[1]! - xs[0]!)) * w;
    const Y = (v: number) => y0 + h - ((v - ivMin) / (ivMax - ivMin)) * h;
    body += `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#999"/>`;
    body += `<text x="${x0 + w / 2}" y="${y0 - 12}" text-anchor="middle" font-size="13">${date}, SPXW ${expiry} (T = ${(c.t * 365).toFixed(1)} d, VIX ${c.inputs.vix}, SKEW ${c.inputs.skew})</text>`;
    for (let v = Math.ceil(ivMin * 20) / 20; v <= ivMax; v += 0.05) {
      body += `<line x1="${x0}" x2="${x0 + w}" y1="${Y(v)}" y2="${Y(v)}" stroke="#eee"/><text x="${x0 - 5}" y="${Y(v) + 4}" text-anchor="end" font-size="10">${(v * 100).toFixed(0)}%</text>`;
    }
    for (let x = -0.8; x <= 0.401; x += 0.2) {
      body += `<text x="${X(x)}" y="${y0 + h + 14}" text-anchor="middle" font-size="10">${x.toFixed(1)}</text>`;
    }
    body += `<text x="${x0 + w / 2}" y="${y0 + h + 30}" text-anchor="middle" font-size="11">k/√T = ln(K/F)/√T</text>`;
    for (const p of ps)
      body += `<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.iv).toFixed(1)}" r="2" fill="#333"/>`;
    for (const [, params, color, dash] of fits) {
      const s = buildVolSurface(c.inputs, params, null);
      const F = s.forward(c.t);
      let d = '';
      for (let x = -0.8; x <= 0.4; x += 0.01) {
        const v = s.impliedVol(F * Math.exp(x * Math.sqrt(c.t)), c.t);
        if (v > ivMax || v < ivMin) continue;
        d += `${d ? 'L' : 'M'}${X(x).toFixed(1)},${Y(v).toFixed(1)}`;
      }
      body += `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8" stroke-dasharray="${dash}"/>`;
    }
  });
  const legend = fits
    .map(
      ([name, , color, dash], i) =>
        `<line x1="${60 + i * 220}" x2="${90 + i * 220}" y1="${H - 12}" y2="${H - 12}" stroke="${color}" stroke-width="2" stroke-dasharray="${dash}"/><text x="${95 + i * 220}" y="${H - 8}" font-size="11">${name}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><title>SPX implied vol smiles: market vs vixshield-surface</title><rect width="100%" height="100%" fill="white"/>${body}<circle cx="${60 + fits.length * 220}" cy="${H - 12}" r="3" fill="#333"/><text x="${68 + fits.length * 220}" y="${H - 8}" font-size="11">market (OTM mid)</text>${legend}</svg>\n`;
}

function svgHeatmap(pts: Pt[], ivs: Float64Array, dates: string[]): string {
  const cw = 90;
  const ch = 14;
  const x0 = 90;
  const y0 = 50;
  const W = x0 + cw * X_BANDS.length + 120;
  const H = y0 + ch * dates.length + 40;
  let body = `<text x="${W / 2}" y="20" text-anchor="middle" font-size="13">Model minus market implied vol (vol points), calibrated params, by quote date and k/√T band</text>`;
  X_BANDS.forEach(([l], j) => {
    body += `<text x="${x0 + j * cw + cw / 2}" y="${y0 - 6}" text-anchor="middle" font-size="10">${l.replace('<', '&lt;').replace('>', '&gt;')}</text>`;
  });
  const color = (e: number) => {
    const a = Math.max(-1, Math.min(1, e / 4));
    const r = a > 0 ? 255 : Math.round(255 * (1 + a));
    const b = a < 0 ? 255 : Math.round(255 * (1 - a));
    const g = Math.round(255 * (1 - Math.abs(a)));
    return `rgb(${r},${g},${b})`;
  };
  dates.forEach((d, i) => {
    body += `<text x="${x0 - 6}" y="${y0 + i * ch + 11}" text-anchor="end" font-size="10">${d}</text>`;
    X_BANDS.forEach(([, lo, hi], j) => {
      const idx = pts.map((p, k) => (p.date === d && p.x >= lo && p.x < hi ? k : -1)).filter((k) => k >= 0);
      if (idx.length === 0) return;
      const e = idx.reduce((s, k) => s + (ivs[k]! - pts[k]!.iv) * 100, 0) / idx.length;
      body += `<rect x="${x0 + j * cw}" y="${y0 + i * ch}" width="${cw - 1}" height="${ch - 1}" fill="${color(e)}"/><text x="${x0 + j * cw + cw / 2}" y="${y0 + i * ch + 11}" text-anchor="middle" font-size="9">${e.toFixed(1)}</text>`;
    });
  });
  body += `<text x="${x0 + cw * X_BANDS.length + 10}" y="${y0 + 12}" font-size="10">red: model rich</text><text x="${x0 + cw * X_BANDS.length + 10}" y="${y0 + 26}" font-size="10">blue: model cheap</text><text x="${x0 + cw * X_BANDS.length + 10}" y="${y0 + 40}" font-size="10">scale ±4 pts</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><title>Model minus market implied vol by date and moneyness</title><rect width="100%" height="100%" fill="white"/>${body}</svg>\n`;
}

// ---------- spread model ----------
function ols(X: number[][], y: number[]): number[] {
  const k = X[0]!.length;
  const A = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  X.forEach((row, i) => {
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) A[a]![b]! += row[a]! * row[b]!;
      A[a]![k]! += row[a]! * y[i]!;
    }
  });
  for (let c = 0; c < k; c++) {
    for (let r = c + 1; r < k; r++) {
      const f = A[r]![c]! / A[c]![c]!;
      for (let j = c; j <= k; j++) A[r]![j]! -= f * A[c]![j]!;
    }
  }
  const out = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    let s = A[r]![k]!;
    for (let j = r + 1; j < k; j++) s -= A[r]![j]! * out[j]!;
    out[r] = s / A[r]![r]!;
  }
  return out;
}

function main(): void {
  // The core calendar starts in 1990; older rows (DGS3MO from 1981, SPX from 1789) only need a weekday test.
  const md = loadEmbeddedMarketData({
    isTradingDay: (d) => (d < '1990-01-01' ? weekdayOf(d) % 6 !== 0 : isTradingDay(d)),
  });
  const chains = embeddedHodChains();
  const { pts, ctx } = collect(md, chains);
  const out: string[] = [];
  const log = (s = '') => {
    out.push(s);
    console.log(s);
  };
  log('<!-- generated by scripts/calibrate-surface.ts; do not edit by hand -->');
  log('## Sample');
  log('');
  log(
    `Chains: ${chains.length} (${ctx.length} with T > 0 at the quote instant; ${counts.expiredChains} expiry-day chains quoted at/after settlement skipped).`,
  );
  log(
    `Options (calls + puts, strike slots): ${counts.options}. Quote flags over all slots: zero bid (ask > 0) ${counts.zeroBid}, zero ask (incl. bid = ask = 0) ${counts.zeroAsk}, crossed ${counts.crossed}, missing side ${counts.missing}.`,
  );
  log(
    `OTM options considered: ${counts.noTwoSided + counts.otmTwoSided}; skipped without a two-sided market (zero/crossed/missing) ${counts.noTwoSided}; IV not solvable ${counts.ivFailed}; used ${counts.used}.`,
  );
  log('');

  const inJan = (p: Pt) => p.date < '2018-02-01';
  const isOos = (p: Pt) => p.date === OOS_DAY;
  const fitJan = fitArbitrageFree(pts, ctx, inJan, DEFAULT_SURFACE_PARAMS);
  const fitProd = fitArbitrageFree(pts, ctx, (p) => !isOos(p), fitJan);
  const ivDefault = modelIvs(DEFAULT_SURFACE_PARAMS, pts, ctx);
  const ivJan = modelIvs(fitJan, pts, ctx);
  const ivProd = modelIvs(fitProd, pts, ctx);
  const fmt = (p: SurfaceParams) =>
    Object.entries(p)
      .map(([k, v]) => `  ${k}: ${Number(v.toFixed(4))},`)
      .join('\n');
  log('## Parameters');
  log('');
  log('Default (prior, before calibration):');
  log('```ts');
  log(fmt(DEFAULT_SURFACE_PARAMS));
  log('```');
  log('Fit on January only (2018-01-02..01-31):');
  log('```ts');
  log(fmt(fitJan));
  log('```');
  log(`Production fit (CALIBRATED_SURFACE_PARAMS): every quote day except ${OOS_DAY}:`);
  log('```ts');
  log(fmt(fitProd));
  log('```');
  const same = JSON.stringify(fmt(fitProd)) === JSON.stringify(fmt(CALIBRATED_SURFACE_PARAMS));
  log(
    same
      ? 'CALIBRATED_SURFACE_PARAMS in core match this fit.'
      : '**CALIBRATED_SURFACE_PARAMS in core differ from this fit: update surface.ts.**',
  );
  log('');
  log('## Overall error (vol points; price points = SPX index points per option)');
  log('');
  log('| params | set | n | vol RMSE | vol bias | price MAE | price RMSE |');
  log('|---|---|---:|---:|---:|---:|---:|');
  const sets: Array<[string, (p: Pt) => boolean]> = [
    ['January (fit-Jan in-sample)', inJan],
    [`February ex ${OOS_DAY}`, (p) => !inJan(p) && !isOos(p)],
    [OOS_DAY, isOos],
  ];
  for (const [name, iv] of [
    ['default', ivDefault],
    ['fit January', ivJan],
    ['fit all ex 02-05', ivProd],
  ] as const) {
    for (const [sn, sp] of sets) {
      const idx = pts.map((p, i) => (sp(p) ? i : -1)).filter((i) => i >= 0);
      const e = errStats(pts, iv, idx, ctx);
      log(
        `| ${name} | ${sn} | ${e.n} | ${f2(e.volRmse)} | ${f2(e.volBias)} | ${f2(e.priceMae)} | ${f2(e.priceRmse)} |`,
      );
    }
  }
  log('');
  log('## By moneyness and DTE');
  log('');
  log(
    bucketTable(
      'Fit on January, tested on February (out of sample, incl. 02-05)',
      pts,
      ctx,
      (p) => !inJan(p),
      [
        ['default', ivDefault],
        ['fit-Jan', ivJan],
      ],
    ),
  );
  log('');
  log(
    bucketTable('In sample for the production fit (all days except 02-05)', pts, ctx, (p) => !isOos(p), [
      ['default', ivDefault],
      ['production', ivProd],
    ]),
  );
  log('');
  log(
    bucketTable(`${OOS_DAY} (out of sample for every fit)`, pts, ctx, isOos, [
      ['default', ivDefault],
      ['production', ivProd],
    ]),
  );
  log('');

  const { cal, fly } = arbitrageCount(ctx, fitProd);
  const dflt = arbitrageCount(ctx, DEFAULT_SURFACE_PARAMS);
  log(`## No-arbitrage checks`);
  log('');
  log(
    `On each of the ${ctx.length} chain days' production surfaces: calendar violations (41 x-values in [-1, 0.6] x 11 tenors 1 d..1 y): ${cal}; butterfly/monotonicity violations (strikes every 0.05 ATM s.d. from -6 to +6 s.d., within 50%-150% of spot like the modelled grid, 11 tenors): ${fly}. Default params: ${dflt.cal} and ${dflt.fly}.`,
  );
  log('');

  // spread model
  const X: number[][] = [];
  const y: number[] = [];
  const byDte = new Map<string, number[]>();
  for (const c of chains) {
    const dte = Math.round((Date.parse(c.expiry) - Date.parse(c.asOf)) / 86_400_000);
    for (let i = 0; i < c.strikes.length; i++) {
      for (const [b, a, f] of [
        [c.callBid[i]!, c.callAsk[i]!, c.callFlags[i]!],
        [c.putBid[i]!, c.putAsk[i]!, c.putFlags[i]!],
      ] as const) {
        if (!isTradable(f) || !(b > 0)) continue;
        const mid = 0.5 * (a + b);
        if (mid < 200) {
          X.push([1, mid, Math.sqrt(mid)]);
          y.push(0.5 * (a - b));
        }
        if (mid >= 3 && mid < 30) {
          const band = dte <= 3 ? '0-3' : dte <= 10 ? '4-10' : dte <= 20 ? '11-20' : '21-60';
          byDte.set(band, [...(byDte.get(band) ?? []), 0.5 * (a - b)]);
        }
      }
    }
  }
  const coef = ols(X, y);
  const resid = y.map((v, i) =>
    Math.abs(v - Math.max(0.05, coef[0]! + coef[1]! * X[i]![1]! + coef[2]! * X[i]![2]!)),
  );
  log('## Spread model');
  log('');
  log(
    `OLS of half-spread on [1, mid, sqrt(mid)] over ${y.length} two-sided quotes with mid < 200: c0 = ${coef[0]!.toFixed(4)}, cPrice = ${coef[1]!.toFixed(4)}, cSqrt = ${coef[2]!.toFixed(4)}; median absolute error ${median(resid).toFixed(3)} points.`,
  );
  log('');
  log(
    'Median half-spread of options priced 3-30 points by DTE: ' +
      [...byDte.entries()].map(([k, v]) => `${k} d: ${median(v).toFixed(3)} (n=${v.length})`).join('; ') +
      '.',
  );
  log('');

  // fallback regressions
  log('## Term-structure fallbacks');
  log('');
  const vix = new Map(md.data.vix.map((r) => [r.date, r.value]));
  for (const id of ['vix9d', 'vix3m', 'vix6m', 'vix1y'] as const) {
    const Xs: number[][] = [];
    const ys: number[] = [];
    for (const r of md.data[id]) {
      const v = vix.get(r.date);
      if (v === undefined || r.date < '2011-01-04') continue;
      Xs.push([1, Math.log(v / 20)]);
      ys.push(Math.log(r.value / v));
    }
    const [a, b] = ols(Xs, ys);
    const sd = Math.sqrt(ys.reduce((s, v, i) => s + (v - a! - b! * Xs[i]![1]!) ** 2, 0) / ys.length);
    log(
      `- ln(${id}/VIX) = ${a!.toFixed(4)} + ${b!.toFixed(4)} ln(VIX/20); n = ${ys.length}, residual s.d. ${sd.toFixed(4)}`,
    );
  }
  log('');

  // speed: modelled chains for every listed expiry of every 2018 trading day
  const src = new ModelledChainSource({
    inputs: (d) => {
      const s = md.byDate(d);
      if (!s || s.vix === null || !s.rate || !s.dividendYield) return undefined;
      return { ...surfaceInputsOf(md, d, s.spx.close, s.rate.r, s.dividendYield.q) };
    },
    params: fitProd,
    cacheSize: 100_000,
  });
  let n = 0;
  let strikes = 0;
  const t0 = performance.now();
  for (let d = '2018-01-02' as IsoDate; d <= '2018-12-31'; d = addTradingDays(d, 1)) {
    for (const e of src.expirations(d)) {
      const c = src.chain(d, e);
      if (c) {
        n++;
        strikes += c.strikes.length;
      }
    }
  }
  const ms = performance.now() - t0;
  log('## Speed');
  log('');
  log(
    `${n} modelled chains (every listed expiry of every 2018 trading day, ${strikes} strikes, ${(strikes / n).toFixed(0)} per chain) in ${ms.toFixed(0)} ms: ${((n / ms) * 1000).toFixed(0)} chains/s on this machine (2 shared cores), cold cache.`,
  );

  writeFileSync(resolve(ROOT, 'docs/calibration-results.md'), `${out.join('\n')}\n`);
  mkdirSync(resolve(ROOT, 'docs/img'), { recursive: true });
  writeFileSync(
    resolve(ROOT, 'docs/img/surface-smiles.svg'),
    svgSmiles(
      pts,
      ctx,
      [
        ['2018-01-16', '2018-01-31'],
        ['2018-02-05', '2018-02-28'],
      ],
      [
        ['default params', DEFAULT_SURFACE_PARAMS, '#d62728', '5,4'],
        ['calibrated (ex 02-05)', fitProd, '#1f77b4', ''],
      ],
    ),
  );
  const dates = [...new Set(pts.map((p) => p.date))].sort();
  writeFileSync(resolve(ROOT, 'docs/img/surface-error-heatmap.svg'), svgHeatmap(pts, ivProd, dates));
}

main();
