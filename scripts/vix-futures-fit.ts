/**
 * Fits and evaluates the modelled VX futures curve against the real M1..M8 closes (2009-09-18 on,
 * when VIX3M exists) and prints the tables of docs/vix-futures.md.
 * Run: npx tsx scripts/vix-futures-fit.ts [alpha] [vix9d|novix9d] [linear|monotone-cubic]
 */
import {
  DEFAULT_VIX_FUTURES_PARAMS,
  fitVixFuturesPremium,
  type IsoDate,
  isTradingDay,
  type VixFuturesObservation,
  vixContractsAfter,
  vixFuturesErrorStats,
  vixFuturesObservation,
  vixTenorDays,
  weekdayOf,
} from '@vixshield/core';
import { loadEmbeddedMarketData } from '@vixshield/data';

const alpha = process.argv[2] ? Number(process.argv[2]) : DEFAULT_VIX_FUTURES_PARAMS.alpha;
const useVix9d = process.argv[3] ? process.argv[3] === 'vix9d' : DEFAULT_VIX_FUTURES_PARAMS.useVix9d;
const interpolation = (process.argv[4] ?? DEFAULT_VIX_FUTURES_PARAMS.interpolation) as
  | 'linear'
  | 'monotone-cubic';
const params = { ...DEFAULT_VIX_FUTURES_PARAMS, alpha, useVix9d, interpolation };
// The core calendar covers 1990-2030; older rows (FRED back to 1954) only need weekdays here.
const calendar = (d: IsoDate) => {
  const y = Number(d.slice(0, 4));
  if (y < 1990 || y > 2030) return weekdayOf(d) !== 0 && weekdayOf(d) !== 6;
  return isTradingDay(d);
};
const md = loadEmbeddedMarketData({ isTradingDay: calendar });
const TRAIN_END = '2013-12-31';
const obs: VixFuturesObservation[] = [];
/** Dates where VIX9D > 1.1 x VIX (short-term stress; an inverted front of the term structure). */
const stressDates = new Set<string>();
for (const s of md.snapshots) {
  if (s.date < '2009-09-18' || !s.vixFutures || s.vix === null || s.vix3m === null) continue;
  const contracts = vixContractsAfter(s.date, 8);
  if (s.vix9d !== null && s.vix9d > 1.1 * s.vix) stressDates.add(s.date);
  s.vixFutures.closes.forEach((c, k) => {
    if (c === null || !(c > 0)) return;
    const day = {
      date: s.date,
      vix: s.vix!,
      vix9d: s.vix9d,
      vix3m: s.vix3m,
      vix6m: s.vix6m,
      vix1y: s.vix1y,
      vvix: s.vvix,
    };
    obs.push(vixFuturesObservation(day, vixTenorDays(s.date, contracts[k]!.expiry), c, params));
  });
}
const train = obs.filter((o) => o.date <= TRAIN_END);
const test = obs.filter((o) => o.date > TRAIN_END);
const fit = fitVixFuturesPremium(train);
const buckets: Array<[string, number, number]> = [
  ['0-30d', 0, 30],
  ['30-60d', 30, 60],
  ['60-120d', 60, 120],
  ['120-180d', 120, 180],
  ['180d+', 180, 1e9],
];
const f = (x: number) => x.toFixed(3);
console.log(
  `alpha=${alpha} useVix9d=${useVix9d} interpolation=${interpolation} obs=${obs.length} train=${train.length} test=${test.length}`,
);
console.log(`fit: theta0=${fit.theta0} theta1=${fit.theta1}`);
const models: Array<[string, number, number]> = [
  ['no adjustment (100 sqrt FV)', 0, 0],
  ['lognormal convexity only (theta0 0, theta1 1)', 0, 1],
  [`fitted (theta0 ${fit.theta0.toFixed(4)}, theta1 ${fit.theta1.toFixed(4)})`, fit.theta0, fit.theta1],
];
for (const [name, t0, t1] of models) {
  console.log(`\n### ${name}`);
  console.log('| sample | tenor | n | mean error | RMSE | MAE |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const [label, set] of [
    ['in-sample 2009-09..2013-12', train],
    ['out-of-sample 2014-01..2017-05', test],
  ] as const) {
    for (const [b, lo, hi] of [['all', 0, 1e9] as [string, number, number], ...buckets]) {
      const st = vixFuturesErrorStats(
        set.filter((o) => o.tauDays >= lo && o.tauDays < hi),
        t0,
        t1,
      );
      console.log(
        `| ${label} | ${b} | ${st.n} | ${f(st.meanError)} | ${f(st.rmse)} | ${f(st.meanAbsError)} |`,
      );
    }
    const ss = vixFuturesErrorStats(
      set.filter((o) => o.tauDays < 60 && stressDates.has(o.date)),
      t0,
      t1,
    );
    console.log(
      `| ${label} | 0-60d, VIX9D > 1.1 VIX | ${ss.n} | ${f(ss.meanError)} | ${f(ss.rmse)} | ${f(ss.meanAbsError)} |`,
    );
  }
}
