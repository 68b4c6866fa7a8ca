/*
 * The one-day vol's level against what happened next (issue 14, docs/calibration.md "What the model
 * cannot know"): for every close from 2012, the one-day implied variance (the real VIX1D where the
 * embedded file has it, else the one-day model) over the calendar days to the next close, against the
 * squared next close-to-close SPX log return; the ratio of their sums by year. Implied options carry a
 * variance premium, so the ratio sits below 1; a model whose level drifted off before the 0DTE era would
 * show a different ratio there than the real VIX1D shows in 2024-25. A diagnostic, not a fit: nothing
 * here feeds the model.
 *
 *   npx tsx scripts/one-day-vs-realized.ts
 */
import { marketData } from '@vixshield/app';
import { daysBetween, type IsoDate } from '@vixshield/core';
import { oneDayVixAt } from '@vixshield/data';

const md = marketData();
const snaps = md.snapshots;
const byYear = new Map<string, { realized: number; implied: number; n: number }>();
for (let i = 0; i + 1 < snaps.length; i++) {
  const s = snaps[i]!;
  const next = snaps[i + 1]!;
  if (s.date < '2012-01-01') continue;
  const one = oneDayVixAt(md, s.date as IsoDate);
  if (!one) continue;
  const calendarDays = daysBetween(s.date as IsoDate, next.date as IsoDate);
  const implied = (one.value / 100) ** 2 * (calendarDays / 365);
  const r = Math.log(next.spx.close / s.spx.close);
  const key = `${s.date.slice(0, 4)} ${one.source === 'VIX1D' ? 'VIX1D' : 'model'}`;
  const e = byYear.get(key) ?? { realized: 0, implied: 0, n: 0 };
  e.realized += r * r;
  e.implied += implied;
  e.n++;
  byYear.set(key, e);
}
console.log('year  source  closes  realised / implied variance  mean implied one-day vol (annualised)');
for (const [k, e] of [...byYear].sort()) {
  const [y, src] = k.split(' ');
  console.log(
    `${y}  ${src!.padEnd(6)}  ${String(e.n).padStart(6)}  ${(e.realized / e.implied).toFixed(2).padStart(27)}  ${(100 * Math.sqrt((e.implied / e.n) * 365)).toFixed(1).padStart(8)}%`,
  );
}
