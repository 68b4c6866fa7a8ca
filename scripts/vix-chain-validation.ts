/**
 * VIX computed from the embedded 2018 SPXW chain (EOM expiries 2018-01-31 and 2018-02-28) against
 * the published VIX close, for every quote day of the file (docs/validation.md, "VIX from the 2018
 * chain"). The file holds one expiry per day, so every value is a single-term VIX: comparable with
 * the published 30-day VIX only when that term is 23-37 days out (Cboe's window); for the other days
 * the term's volatility is also compared with the published VIX-family curve (VIX9D at 9 days, VIX at
 * 30 days, linear in total variance, flat outside) at the term's own maturity.
 * Default rule: a bid = ask = 0 row is a missing quote; the last column is the literal reading
 * (every zero bid counts, `noMarketAsMissing: false`).
 * Run: npx tsx scripts/vix-chain-validation.ts
 */

import { embeddedHodChains } from '@vixshield/chains';
import {
  daysBetween,
  type IsoDate,
  isTradingDay,
  type OptionChain,
  vixFromChains,
  weekdayOf,
} from '@vixshield/core';
import { loadEmbeddedMarketData } from '@vixshield/data';

const calendar = (d: IsoDate) => {
  const y = Number(d.slice(0, 4));
  if (y < 1990 || y > 2030) return weekdayOf(d) !== 0 && weekdayOf(d) !== 6;
  return isTradingDay(d);
};
const md = loadEmbeddedMarketData({ isTradingDay: calendar });
const chains = embeddedHodChains();
const byDate = new Map<string, OptionChain[]>();
for (const c of chains) byDate.set(c.asOf, [...(byDate.get(c.asOf) ?? []), c]);

/** Published VIX-family vol at `days` calendar days: VIX9D (9) and VIX (30), linear in total variance. */
function publishedCurve(vix9d: number | null, vix: number, days: number): number {
  if (vix9d === null || days >= 30) return vix;
  if (days <= 9) return vix9d;
  const w9 = (vix9d / 100) ** 2 * 9;
  const w30 = (vix / 100) ** 2 * 30;
  const w = w9 + ((days - 9) / 21) * (w30 - w9);
  return 100 * Math.sqrt(w / days);
}

const rows: string[] = [];
const window: Array<{ date: string; diff: number }> = [];
const curveDiffs: number[] = [];
for (const [date, cs] of [...byDate.entries()].sort()) {
  const snap = md.byDate(date as IsoDate);
  if (!snap?.rate || snap.vix === null) continue;
  const r = snap.rate.r;
  const chain = [...cs].sort((a, b) => (a.expiry < b.expiry ? -1 : 1)).find((c) => c.expiry > c.asOf);
  if (!chain) {
    rows.push(
      `| ${date} | ${cs[0]!.expiry} (0d) | - | ${snap.vix.toFixed(2)} | - | expiry day: the chain is quoted at its own settlement | - | - | - |`,
    );
    continue;
  }
  const res = vixFromChains({ chain, rate: r });
  const literal = vixFromChains({ chain, rate: r }, undefined, { noMarketAsMissing: false });
  const t = res.terms[0]!;
  const days = t.minutesToExpiry / 1440;
  const calDays = daysBetween(chain.asOf, chain.expiry);
  const inWindow = calDays >= 23 && calDays <= 37;
  const diff = res.vix - snap.vix;
  const curve = publishedCurve(snap.vix9d, snap.vix, days);
  const curveDiff = res.vix - curve;
  if (inWindow) window.push({ date, diff });
  else curveDiffs.push(curveDiff);
  const sign = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
  rows.push(
    `| ${date} | ${chain.expiry} (${calDays}d) | ${res.vix.toFixed(2)} | ${snap.vix.toFixed(2)} | ${inWindow ? `**${sign(diff)}**` : `(${sign(diff)})`} | ${curve.toFixed(2)} (${sign(curveDiff)}) | ${t.strikesUsed} (${t.lowestStrike}-${t.highestStrike}) | ${t.forward.toFixed(2)} / ${t.k0} | ${literal.vix.toFixed(2)} (${literal.terms[0]!.strikesUsed}) |`,
  );
}
console.log(
  '| date | term (calendar days) | our VIX | published VIX | difference | published curve at the term (difference) | strikes used (range) | F / K0 | literal zero-bid reading (strikes) |',
);
console.log('|---|---|---:|---:|---:|---:|---|---|---:|');
for (const l of rows) console.log(l);
const stat = (d: number[]) => {
  const n = d.length;
  const me = d.reduce((a, b) => a + b, 0) / n;
  const rmse = Math.sqrt(d.reduce((a, b) => a + b * b, 0) / n);
  const mae = d.reduce((a, b) => a + Math.abs(b), 0) / n;
  const max = Math.max(...d.map(Math.abs));
  return `n=${n} mean ${me.toFixed(2)} RMSE ${rmse.toFixed(2)} MAE ${mae.toFixed(2)} max |d| ${max.toFixed(2)}`;
};
console.log(`\nterm inside 23-37 days, vs the published VIX: ${stat(window.map((x) => x.diff))}`);
console.log(
  `  without 2018-02-05: ${stat(window.filter((x) => x.date !== '2018-02-05').map((x) => x.diff))}`,
);
console.log(`other days, vs the published curve at the term: ${stat(curveDiffs)}`);
