/*
 * The intraday variance profile (surfaces 1.6.0 and 1.7.0; docs/calibration.md "The open-to-close
 * variance is front-loaded"): the share of a regular session's open-to-close variance still to come at
 * each hourly mark, measured on the embedded hourly SPX bars two ways (squared hourly returns; the
 * variance to the official close), against the model's tables and an even spread, per year and with every
 * session kept; the sessions with a scheduled FOMC decision apart, as the model reads them.
 * Writes docs/img/intraday-variance-left.svg.
 *
 *   npx tsx scripts/intraday-variance-profile.ts
 */
import { writeFileSync } from 'node:fs';
import { marketData } from '@vixshield/app';
import {
  FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS,
  INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS,
  type IsoDate,
  measureIntradayVarianceProfile,
} from '@vixshield/core';
import { loadIntradayBars, scheduledFomcOn } from '@vixshield/data';

const md = marketData();
const closes = new Map(md.snapshots.map((s) => [s.date, s.spx.close] as const));
const bars = loadIntradayBars({ resolutions: [60] });
const allDays = bars.dates('spx').map((date) => bars.day(date, { resolutionMinutes: 60 })!);
const days = allDays.filter((d) => !scheduledFomcOn(md, d.date));
const fomcDays = allDays.filter((d) => scheduledFomcOn(md, d.date));
const official = (d: IsoDate) => closes.get(d);
const marksEt = ['09:30', '10:30', '11:30', '12:30', '13:30', '14:30', '15:30', '16:00'];
const hoursIn = [0, 1, 2, 3, 4, 5, 6, 6.5];
const even = hoursIn.map((h) => 1 - h / 6.5);
const fmt = (xs: readonly number[]) => xs.map((v) => v.toFixed(3).padStart(6)).join(' ');

const p = measureIntradayVarianceProfile(days, official);
const f = measureIntradayVarianceProfile(fomcDays, official, 0);
console.log(`sessions without an FOMC decision ${p.sessions}, set aside ${p.setAside.join(' ')}`);
console.log(`mark (ET)          ${marksEt.map((m) => m.padStart(6)).join(' ')}`);
console.log(`model table        ${fmt(INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS)}`);
console.log(`hourly returns     ${fmt(p.left)}`);
console.log(`to the close       ${fmt(p.direct)}`);
console.log(`every session kept ${fmt(measureIntradayVarianceProfile(days, official, 0).left)}`);
console.log(`spread evenly      ${fmt(even)}`);
console.log(`FOMC decision days (${f.sessions}, none set aside)`);
console.log(`model table        ${fmt(FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS)}`);
console.log(`hourly returns     ${fmt(f.left)}`);
console.log(`to the close       ${fmt(f.direct)}`);
console.log(`all days (1.6.0)   ${fmt(measureIntradayVarianceProfile(allDays, official).left)}`);
for (const year of ['2023', '2024', '2025', '2026']) {
  const y = measureIntradayVarianceProfile(
    days.filter((d) => d.date.startsWith(year)),
    official,
  );
  console.log(`${year} (${String(y.sessions).padStart(3)})         ${fmt(y.left)}`);
}

// Plot: share left against hours since the open.
const W = 640;
const H = 320;
const L = 50;
const R = 160;
const T = 34;
const B = 40;
const x = (h: number) => L + ((W - L - R) * h) / 6.5;
const y = (v: number) => T + (H - T - B) * (1 - v);
const line = (vals: readonly number[], color: string, dash = '') =>
  `<polyline fill="none" stroke="${color}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${vals.map((v, i) => `${x(hoursIn[i]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`;
const title = `Share of the open-to-close variance still to come, SPX sessions 2023-09..2026-08`;
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11"><title>${title}</title>`,
  `<text x="${L}" y="18" font-size="13">${title}</text>`,
  ...[0, 0.25, 0.5, 0.75, 1].map(
    (v) =>
      `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
  ),
  ...marksEt.map((m, i) => `<text x="${x(hoursIn[i]!)}" y="${H - B + 16}" text-anchor="middle">${m}</text>`),
  line(even, '#999', '4 3'),
  line(INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS, '#1f77b4'),
  line(FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS, '#2ca02c'),
  ...p.direct.map(
    (v, i) => `<circle cx="${x(hoursIn[i]!).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="#d62728"/>`,
  ),
  `<text x="${W - R + 10}" y="${T + 20}" fill="#1f77b4">${p.sessions} sessions (model)</text>`,
  `<text x="${W - R + 10}" y="${T + 36}" fill="#d62728">variance to the close</text>`,
  `<text x="${W - R + 10}" y="${T + 52}" fill="#2ca02c">${f.sessions} FOMC days (model)</text>`,
  `<text x="${W - R + 10}" y="${T + 68}" fill="#999">spread evenly</text>`,
  `<text x="${L}" y="${H - 6}">New York time; without FOMC days, 1% of sessions with the largest variance set aside</text>`,
  '</svg>',
].join('\n');
writeFileSync(new URL('../docs/img/intraday-variance-left.svg', import.meta.url), `${svg}\n`);
console.log('wrote docs/img/intraday-variance-left.svg');
