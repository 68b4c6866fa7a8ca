/**
 * Cboe BXM / PUT replications over the embedded data, compared with the published BXM
 * (docs/validation.md, "Cboe BXM replication"). Prints markdown.
 * Usage: npx tsx scripts/cboe-replication.ts [from] [to]
 */
import { compareIndexSeries, type IndexComparison } from '@vixshield/core';
import { type CboeReferenceLevel, marketData, runCboeBacktest } from '@vixshield/data';

const from = process.argv[2] ?? '2008-01-02';
const to = process.argv[3];
const window = { from, ...(to ? { to } : {}) };
const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
const real = marketData().data.bxm.map((x) => ({ date: x.date, level: x.value }));

const runs = {
  bxmMid: runCboeBacktest({ strategy: 'cboe-bxm', ...window }),
  bxmFill: runCboeBacktest({ strategy: 'cboe-bxm', ...window, fill: 'orats-like' }),
  putMid: runCboeBacktest({ strategy: 'cboe-put', ...window }),
  putFill: runCboeBacktest({ strategy: 'cboe-put', ...window, fill: 'orats-like' }),
};
const cmp: Record<keyof typeof runs, IndexComparison> = {
  bxmMid: compareIndexSeries(runs.bxmMid.result.levels, real),
  bxmFill: compareIndexSeries(runs.bxmFill.result.levels, real),
  putMid: compareIndexSeries(runs.putMid.result.levels, real),
  putFill: compareIndexSeries(runs.putFill.result.levels, real),
};
const c = cmp.bxmMid;
console.log(
  `Window ${c.from} .. ${c.to}: ${c.commonDays} days common with the BXM file, ${c.months} months.\n`,
);
console.log(
  '| series | vs published BXM: monthly corr | daily corr | annualised | BXM annualised | difference | tracking error |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, k] of [
  ['cboe-bxm, sale at mid', 'bxmMid'],
  ['cboe-bxm, sale at orats-like fill (75% of the spread)', 'bxmFill'],
  ['cboe-put, sale at mid', 'putMid'],
  ['cboe-put, sale at orats-like fill', 'putFill'],
] as const) {
  const x = cmp[k];
  console.log(
    `| ${name} | ${x.monthlyCorrelation.toFixed(4)} | ${x.dailyCorrelation.toFixed(4)} | ${pct(x.annualisedReplicated)} | ${pct(x.annualisedReference)} | ${pct(x.annualisedDifference)} | ${pct(x.trackingError)} |`,
  );
}
console.log(
  '\n| year | cboe-bxm (mid) | published BXM | difference | cboe-bxm (fill) | cboe-put (mid) | cboe-put (fill) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
c.years.forEach((y, i) => {
  console.log(
    `| ${y.year} | ${pct(y.replicated)} | ${pct(y.reference)} | ${pct(y.difference)} | ${pct(cmp.bxmFill.years[i]!.replicated)} | ${pct(cmp.putMid.years[i]!.replicated)} | ${pct(cmp.putFill.years[i]!.replicated)} |`,
  );
});
console.log('\nReference-level sensitivity (cboe-bxm at mid):\n');
console.log(
  '| roll-day reference level | monthly corr | daily corr | annualised difference | tracking error |',
);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const reference of ['open-close-mean', 'open', 'close'] as CboeReferenceLevel[]) {
  const x = runCboeBacktest({ strategy: 'cboe-bxm', ...window, reference }).comparison!;
  console.log(
    `| ${reference} | ${x.monthlyCorrelation.toFixed(4)} | ${x.dailyCorrelation.toFixed(4)} | ${pct(x.annualisedDifference)} | ${pct(x.trackingError)} |`,
  );
}
const premiums = runs.bxmMid.result.rolls.map((r) => ('premium' in r ? r.premium : Number.NaN) / r.reference);
console.log(
  `\nMean BXM call premium at the roll: ${pct(premiums.reduce((s, v) => s + v, 0) / premiums.length)} of the index (${premiums.length} rolls).`,
);
