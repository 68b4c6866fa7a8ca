/**
 * VIX computed from the embedded 2018 SPXW chain (EOM expiries 2018-01-31 and 2018-02-28) against
 * the published VIX close, for every quote day whose expiry is 23-37 calendar days out (single term),
 * plus the two-term value (both EOM expiries) where both exist. Prints the docs/validation.md table.
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

const rows: string[] = [];
const diffs: number[] = [];
const diffsAlt: number[] = [];
for (const [date, cs] of [...byDate.entries()].sort()) {
  const snap = md.byDate(date as IsoDate);
  if (!snap?.rate || snap.vix === null) continue;
  const r = snap.rate.r;
  const sorted = [...cs].sort((a, b) => (a.expiry < b.expiry ? -1 : 1));
  const single = sorted.find((c) => {
    const d = daysBetween(c.asOf, c.expiry);
    return d >= 23 && d <= 37;
  });
  if (!single) continue;
  const res = vixFromChains({ chain: single, rate: r });
  const alt = vixFromChains({ chain: single, rate: r }, undefined, { noMarketAsMissing: true });
  diffsAlt.push(alt.vix - snap.vix);
  const t = res.terms[0]!;
  const diff = res.vix - snap.vix;
  diffs.push(diff);
  rows.push(
    `| ${date} | ${single.expiry} (${(t.minutesToExpiry / 1440).toFixed(0)}d) | ${res.vix.toFixed(2)} | ${snap.vix.toFixed(2)} | ${diff >= 0 ? '+' : ''}${diff.toFixed(2)} | 1 | ${t.strikesUsed} (${t.lowestStrike}-${t.highestStrike}) | ${t.forward.toFixed(2)} / ${t.k0} | ${(r * 100).toFixed(3)}% | ${alt.vix.toFixed(2)} (${alt.terms[0]!.strikesUsed}) |`,
  );
}
console.log(
  '| date | term used | our VIX | published close | difference | terms | strikes used (range) | F / K0 | rate (cont.) | bid=ask=0 as missing (strikes) |',
);
console.log('|---|---|---:|---:|---:|---:|---|---|---:|---:|');
for (const l of rows) console.log(l);
const stat = (d: number[]) => {
  const n = d.length;
  const me = d.reduce((a, b) => a + b, 0) / n;
  const rmse = Math.sqrt(d.reduce((a, b) => a + b * b, 0) / n);
  const mae = d.reduce((a, b) => a + Math.abs(b), 0) / n;
  return `n=${n} mean ${me.toFixed(2)} RMSE ${rmse.toFixed(2)} MAE ${mae.toFixed(2)}`;
};
console.log(`\nsingle-term: ${stat(diffs)}`);
console.log(`bid=ask=0 as missing: ${stat(diffsAlt)}`);
const noFeb5 = diffs.filter((_, i) => !rows[i]!.startsWith('| 2018-02-05'));
console.log(`single-term without 2018-02-05: ${stat(noFeb5)}`);
