import { marketData } from '@vixshield/app';
import { type IsoDate, ModelledChainSource } from '@vixshield/core';
import { loadEmbeddedSpxw20190626, oneDayVixAt, surfaceInputsAt } from '@vixshield/data';

const md = marketData();
const chain = loadEmbeddedSpxw20190626();
const d = chain.quoteDate;
const snap = md.byDate(d)!;
console.log('oneDayVix', oneDayVixAt(md, d));
console.log(
  'snapshot',
  d,
  'spx close',
  snap.spx.close,
  'vix',
  snap.vix,
  'vix9d',
  snap.vix9d,
  'skew',
  snap.skew,
  'chain spot',
  chain.spot,
);
const src = new ModelledChainSource({
  inputs: (a: IsoDate) => {
    const i = surfaceInputsAt(md, a);
    return i && { ...i, spot: chain.spot };
  },
  quoteTimeCt: '14:45',
});
for (const exp of ['2019-06-28', '2019-07-01', '2019-07-03'] as IsoDate[]) {
  const m = src.chain(d, exp)!;
  const errs: number[] = [];
  const lines: string[] = [];
  for (const q of chain.quotes) {
    if (q.expiry !== exp || q.bid <= 0) continue;
    const mny = q.strike / chain.spot - 1;
    const otm = q.right === 'P' ? mny < 0 : mny > 0;
    if (!otm || Math.abs(mny) < 0.005 || Math.abs(mny) > 0.025) continue;
    const i = Array.from(m.strikes).indexOf(q.strike);
    if (i < 0) continue;
    const mm = q.right === 'P' ? (m.putBid[i]! + m.putAsk[i]!) / 2 : (m.callBid[i]! + m.callAsk[i]!) / 2;
    const rm = (q.bid + q.ask) / 2;
    errs.push(Math.abs(mm / rm - 1));
    lines.push(
      `${q.right} ${q.strike} mny ${(mny * 100).toFixed(2)}% real ${q.bid}/${q.ask} model ${mm.toFixed(2)} modelIV ${(m.putIv[i]! * 100).toFixed(1)}`,
    );
  }
  errs.sort((a, b) => a - b);
  console.log(exp, 'n', errs.length, 'median |model/real-1|', errs[errs.length >> 1]);
  if (exp === '2019-06-28') console.log(lines.join('\n'));
}
