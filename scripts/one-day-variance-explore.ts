import { marketData } from '@vixshield/app';
import { addDays, daysBetween, isTradingDay, nextTradingDay } from '@vixshield/core';
import { exchangeIsTradingDay, loadEmbeddedVix1d } from '@vixshield/data';

const md = marketData();
const v1 = loadEmbeddedVix1d(exchangeIsTradingDay);
const snaps = md.snapshots;
const idx = new Map(snaps.map((s, i) => [s.date as string, i]));
const rows: string[] = ['date,vix1d,vix9d,vix,rv5,rv20,gap,cpi,fomc,dow,spx,ntd9,rv1'];
for (const { date, value } of v1) {
  const i = idx.get(date)!;
  const s = snaps[i]!;
  const rv = (n: number) => {
    let a = 0;
    for (let k = i - n + 1; k <= i; k++) {
      const r = Math.log(snaps[k]!.spx.close / snaps[k - 1]!.spx.close);
      a += r * r;
    }
    return Math.sqrt((a / n) * 252) * 100;
  };
  const nx = nextTradingDay(date);
  const gap = daysBetween(date, nx);
  const sn = md.byDate(nx);
  let ntd9 = 0;
  for (let k = 1; k <= 9; k++) if (isTradingDay(addDays(date, k))) ntd9++;
  rows.push(
    [
      date,
      value,
      s.vix9d,
      s.vix,
      rv(5).toFixed(2),
      rv(20).toFixed(2),
      gap,
      sn?.events.cpi ? 1 : 0,
      sn?.events.fomc ? 1 : 0,
      new Date(`${date}T12:00Z`).getUTCDay(),
      s.spx.close,
      ntd9,
      rv(1).toFixed(3),
    ].join(','),
  );
}
console.log(rows.join('\n'));
