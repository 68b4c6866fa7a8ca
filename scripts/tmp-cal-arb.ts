import { marketData } from '@vixshield/app';
import { dteTradingDays, type IsoDate, ModelledChainSource } from '@vixshield/core';
import { surfaceInputsAt } from '@vixshield/data';

const md = marketData();
const src = new ModelledChainSource({ inputs: (a: IsoDate) => surfaceInputsAt(md, a), cacheSize: 16 });
const mny = [0.97, 0.98, 0.99, 1.0, 1.01, 1.02];
let days = 0;
const viol: Record<string, number> = {};
const worst: Record<string, { d: string; r: number }> = {};
const ratios: number[] = [];
for (const s of md.snapshots) {
  if (s.date < '2012-01-03') continue;
  const exps = src.expirations(s.date as IsoDate).slice(0, 5);
  const tv: (number[] | undefined)[] = [];
  const ses: number[] = [];
  for (const e of exps) {
    const c = src.chain(s.date as IsoDate, e);
    ses.push(dteTradingDays(s.date as IsoDate, e));
    if (!c) {
      tv.push(undefined);
      continue;
    }
    const t = (Date.parse(`${e}T20:00:00Z`) - c.quoteTimeUtcMs) / (365 * 864e5);
    const F = c.underlying;
    tv.push(
      mny.map((m) => {
        const k = F * m;
        let best = 0;
        for (let i = 0; i < c.strikes.length; i++)
          if (Math.abs(c.strikes[i]! - k) < Math.abs(c.strikes[best]! - k)) best = i;
        const iv = m < 1 ? c.putIv[best]! : c.callIv[best]!;
        return iv * iv * t;
      }),
    );
  }
  days++;
  for (let j = 0; j + 1 < tv.length; j++) {
    const a = tv[j],
      b = tv[j + 1];
    if (!a || !b) continue;
    mny.forEach((m, i) => {
      const key = `${ses[j]}->${ses[j + 1]} @${m}`;
      const r = b[i]! / a[i]!;
      if (m === 1 && j === 1) ratios.push(r);
      if (r < 1) {
        viol[key] = (viol[key] ?? 0) + 1;
        if (!worst[key] || r < worst[key]!.r) worst[key] = { d: s.date, r };
      }
    });
  }
}
console.log('days', days);
for (const k of Object.keys(viol).sort()) console.log(k, viol[k], 'worst', worst[k]);
ratios.sort((a, b) => a - b);
console.log(
  'TV(3)/TV(2) ATM quantiles',
  [0.01, 0.05, 0.25, 0.5, 0.75, 0.95].map((q) => ratios[Math.floor(q * ratios.length)]!.toFixed(3)).join(' '),
);
