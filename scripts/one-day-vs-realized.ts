/*
 * The one-day vol against what happened next (issue 14, docs/calibration.md "What the model cannot know"
 * and "VIX1D is quoted in business time"): for every close from 2012, the one-day implied variance (the
 * real VIX1D where the embedded file has it, else the one-day model) against the squared next
 * close-to-close SPX log return. Options carry a variance premium, so realised / implied sits below 1.
 *
 * 1. By year, implied read in business time as Cboe quotes VIX1D (one session = VIX1D^2 / 252): a model
 *    whose level drifted off before the 0DTE era would show a different ratio there than the real VIX1D
 *    shows in 2024-25.
 * 2. By the calendar gap to the next session, implied read both ways: in business time, or in calendar
 *    time (VIX1D^2 x gap / 365, how surface 1.4.0 priced it). Calendar time puts three sessions of
 *    variance on a Friday's Monday expiry; the realised moves do not follow it.
 *
 * 3. Early-close sessions: their close-to-close variance against their regular neighbours' (four
 *    sessions each side), with a bootstrap interval: does a half day carry a whole session?
 *
 * A diagnostic, not a fit: nothing here feeds the model.
 *
 *   npx tsx scripts/one-day-vs-realized.ts
 */
import { marketData } from '@vixshield/app';
import { BUSINESS_DAYS_PER_YEAR, daysBetween, type IsoDate, mulberry32, session } from '@vixshield/core';
import { oneDayVixAt } from '@vixshield/data';

interface Sums {
  realized: number;
  business: number;
  calendar: number;
  n: number;
}

const md = marketData();
const snaps = md.snapshots;
const byYear = new Map<string, Sums>();
const byGap = new Map<string, Sums>();
const add = (m: Map<string, Sums>, key: string, r2: number, v2: number, gapDays: number) => {
  const e = m.get(key) ?? { realized: 0, business: 0, calendar: 0, n: 0 };
  e.realized += r2;
  e.business += v2 / BUSINESS_DAYS_PER_YEAR;
  e.calendar += (v2 * gapDays) / 365;
  e.n++;
  m.set(key, e);
};
for (let i = 0; i + 1 < snaps.length; i++) {
  const s = snaps[i]!;
  const next = snaps[i + 1]!;
  if (s.date < '2012-01-01') continue;
  const one = oneDayVixAt(md, s.date as IsoDate);
  if (!one) continue;
  const gap = daysBetween(s.date as IsoDate, next.date as IsoDate);
  const r = Math.log(next.spx.close / s.spx.close);
  const v2 = (one.value / 100) ** 2;
  const src = one.source === 'VIX1D' ? 'VIX1D' : 'model';
  add(byYear, `${s.date.slice(0, 4)} ${src}`, r * r, v2, gap);
  const era = src === 'VIX1D' ? 'VIX1D 2024-25' : 'model 2012-';
  add(byGap, `${era}|${gap === 1 ? '1 (weekday)' : gap === 3 ? '3 (weekend)' : String(gap)}`, r * r, v2, gap);
}
const ratio = (a: number, b: number) => (a / b).toFixed(2).padStart(8);
console.log('year  source  closes  realised / implied (business time)  mean implied one-day vol');
for (const [k, e] of [...byYear].sort()) {
  const [y, src] = k.split(' ');
  console.log(
    `${y}  ${src!.padEnd(6)}  ${String(e.n).padStart(6)}  ${ratio(e.realized, e.business).padStart(34)}  ${(100 * Math.sqrt((e.business / e.n) * BUSINESS_DAYS_PER_YEAR)).toFixed(1).padStart(8)}%`,
  );
}
console.log('\nsource         gap to the next close (days)  closes  realised / implied: business  calendar');
for (const [k, e] of [...byGap].sort()) {
  const [era, gap] = k.split('|');
  console.log(
    `${era!.padEnd(14)} ${gap!.padEnd(29)} ${String(e.n).padStart(6)}  ${ratio(e.realized, e.business).padStart(28)}  ${ratio(e.realized, e.calendar)}`,
  );
}

// 3. Half days: the session's squared close-to-close log return against the mean of its regular
// neighbours' (4 sessions each side), summed over every early close; bootstrap over the half days.
const sq = (i: number) => Math.log(snaps[i]!.spx.close / snaps[i - 1]!.spx.close) ** 2;
const halfDays: Array<{ own: number; neighbours: number }> = [];
for (let i = 6; i + 6 < snaps.length; i++) {
  if (!session(snaps[i]!.date as IsoDate).earlyClose) continue;
  const near = [-5, -4, -3, -2, 2, 3, 4, 5].filter((j) => !session(snaps[i + j]!.date as IsoDate).earlyClose);
  halfDays.push({ own: sq(i), neighbours: near.reduce((a, j) => a + sq(i + j), 0) / near.length });
}
const ratioOf = (xs: readonly { own: number; neighbours: number }[]) =>
  xs.reduce((a, x) => a + x.own, 0) / xs.reduce((a, x) => a + x.neighbours, 0);
const uniform = mulberry32(1);
const boot = Array.from({ length: 4000 }, () =>
  ratioOf(halfDays.map(() => halfDays[Math.floor(uniform() * halfDays.length)]!)),
).sort((a, b) => a - b);
console.log(
  `\nearly-close sessions: ${halfDays.length}, variance / regular neighbours ${ratioOf(halfDays).toFixed(2)} (95% ${boot[100]!.toFixed(2)} .. ${boot[3899]!.toFixed(2)}); a minutes clock would say ${(210 / 390).toFixed(2)}`,
);
