/**
 * The one-day variance model (packages/core/src/market/one-day-variance.ts) on the VIX1D training file
 * (docs/calibration.md, "One-day variance"): the least-squares fit, the in-sample residuals, a time-split
 * out-of-sample check (fit on the first two thirds, check on the last third), residuals by calendar
 * and event, and the plot docs/img/one-day-vix-fit.svg.
 * Run: npx tsx scripts/one-day-variance-fit.ts
 */
import { writeFileSync } from 'node:fs';
import { marketData } from '@vixshield/app';
import { CALIBRATED_ONE_DAY_VIX_PARAMS, fitOneDayVix, modelOneDayVix, weekdayOf } from '@vixshield/core';
import { exchangeIsTradingDay, loadEmbeddedVix1d, oneDayVixFeaturesAt } from '@vixshield/data';

const md = marketData();
const rows = loadEmbeddedVix1d(exchangeIsTradingDay).map((r) => ({
  date: r.date,
  vix1d: r.value,
  features: oneDayVixFeaturesAt(md, r.date)!,
}));
const median = (a: readonly number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
};
const f3 = (v: number) => v.toFixed(3);
const full = fitOneDayVix(rows);
console.log('fit on all', rows.length, 'closes:', JSON.stringify(full));
console.log('calibrated constants:      ', JSON.stringify(CALIBRATED_ONE_DAY_VIX_PARAMS));
const lr = rows.map((r) => Math.log(modelOneDayVix(r.features) / r.vix1d));
console.log(`in sample: median |log ratio| ${f3(median(lr.map(Math.abs)))}, median ${f3(median(lr))}`);
const cut = Math.floor((rows.length * 2) / 3);
const early = fitOneDayVix(rows.slice(0, cut));
const oos = rows.slice(cut).map((r) => Math.log(modelOneDayVix(r.features, early) / r.vix1d));
console.log(
  `time split: fit ${rows[0]!.date}..${rows[cut - 1]!.date} (${cut}), check ${rows[cut]!.date}..${rows.at(-1)!.date} (${oos.length}): ` +
    `median |log ratio| ${f3(median(oos.map(Math.abs)))}, median ${f3(median(oos))}; coefficients ${JSON.stringify(early)}`,
);
// Baseline: VIX9D times its median ratio (what a one-parameter model does).
const ratio9 = median(rows.slice(0, cut).map((r) => r.vix1d / r.features.vix9d));
const base = rows.slice(cut).map((r) => Math.log((ratio9 * r.features.vix9d) / r.vix1d));
console.log(
  `baseline VIX1D = ${f3(ratio9)} x VIX9D, same split: median |log ratio| ${f3(median(base.map(Math.abs)))}, median ${f3(median(base))}`,
);
const groups: Record<string, number[]> = {};
rows.forEach((r, i) => {
  const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][weekdayOf(r.date)]!;
  const tags = [wd];
  if (r.features.nextSessionCpi) tags.push('CPI next');
  if (r.features.nextSessionFomc) tags.push('FOMC next');
  if (r.features.nextSessionPayrolls) tags.push('payrolls next');
  if (r.features.holidaysBeforeNextSession > 0) tags.push('holiday next');
  for (const t of tags) {
    groups[t] ??= [];
    groups[t].push(lr[i]!);
  }
});
for (const [k, v] of Object.entries(groups))
  console.log(`  ${k.padEnd(14)} n ${String(v.length).padStart(3)}  median log ratio ${f3(median(v))}`);
const worst = rows
  .map((r, i) => ({ d: r.date, v: r.vix1d, m: modelOneDayVix(r.features), e: lr[i]! }))
  .sort((a, b) => Math.abs(b.e) - Math.abs(a.e));
console.log(
  'largest residuals:',
  worst
    .slice(0, 6)
    .map((w) => `${w.d} model ${w.m.toFixed(2)} vs ${w.v}`)
    .join('; '),
);

// Plot: VIX1D and the model (in sample) over the training file.
const W = 760,
  H = 300,
  L = 50,
  R = 20,
  T = 30,
  B = 40;
const vmax = Math.max(...rows.map((r) => Math.max(r.vix1d, modelOneDayVix(r.features))));
const x = (i: number) => L + ((W - L - R) * i) / (rows.length - 1);
const y = (v: number) => T + (H - T - B) * (1 - Math.log(v / 5) / Math.log(vmax / 5));
const line = (vals: number[], color: string, dash = '') =>
  `<polyline fill="none" stroke="${color}" stroke-width="1.5" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${vals.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`;
const ticks = [5, 10, 20, 40, 80].filter((v) => v <= vmax);
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11"><title>VIX1D close (black) and the one-day variance model, in sample (blue), log scale</title>`,
  `<text x="${L}" y="18" font-size="13">VIX1D close (black) and the one-day variance model, in sample (blue), log scale</text>`,
  ...ticks.map(
    (v) =>
      `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
  ),
  line(
    rows.map((r) => r.vix1d),
    '#000',
  ),
  line(
    rows.map((r) => modelOneDayVix(r.features)),
    '#1f77b4',
    '4 2',
  ),
  `<line x1="${x(cut)}" x2="${x(cut)}" y1="${T}" y2="${H - B}" stroke="#d62728" stroke-dasharray="2 2"/>`,
  `<text x="${x(cut) + 4}" y="${T + 10}" fill="#d62728">time split ${rows[cut]!.date}</text>`,
  `<text x="${L}" y="${H - 12}">${rows[0]!.date}</text><text x="${W - R}" y="${H - 12}" text-anchor="end">${rows.at(-1)!.date}</text>`,
  '</svg>',
].join('\n');
writeFileSync(new URL('../docs/img/one-day-vix-fit.svg', import.meta.url), `${svg}\n`);
console.log('wrote docs/img/one-day-vix-fit.svg');
