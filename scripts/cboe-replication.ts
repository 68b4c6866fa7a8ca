/**
 * Cboe BXM / PUT / CNDR replications over the embedded data (docs/validation.md, "Cboe replications"):
 * BXM compared with the published BXM; PUT and CNDR have no embedded history (their comparison is kept
 * outside the repository), so they are printed with the surface before/after issue 14, per year, and
 * with the settlement-level sensitivity. Prints markdown.
 * Usage: npx tsx scripts/cboe-replication.ts [from] [to]   (default 2007-01-03 2025-12-31)
 */

import {
  type CboeBacktestRun,
  type CboeReferenceLevel,
  cboeChainPorts,
  cboeDays,
  marketData,
  previousCboeRoll,
  runCboeBacktest,
} from '@vixshield/app';
import {
  type CboeDay,
  type CndrRoll,
  compareIndexSeries,
  type IndexComparison,
  type IsoDate,
  MID_FILL,
  runCboeReplication,
} from '@vixshield/core';

const from = (process.argv[2] ?? '2007-01-03') as IsoDate;
const to = (process.argv[3] ?? '2025-12-31') as IsoDate;
const window = { from, to };
const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
const md = marketData();
const real = md.data.bxm.map((x) => ({ date: x.date, level: x.value }));
const before = { longTenor: null };

const annualised = (run: CboeBacktestRun, a: string = from, b: string = to): number => {
  const l = run.result.levels.filter((x) => x.date >= a && x.date <= b);
  const f = l[0]!;
  const z = l[l.length - 1]!;
  const years = (Date.parse(z.date) - Date.parse(f.date)) / 86_400_000 / 365.25;
  return (z.level / f.level) ** (1 / years) - 1;
};

const runs = {
  bxmBefore: runCboeBacktest({ strategy: 'cboe-bxm', ...window, model: before }),
  bxmMid: runCboeBacktest({ strategy: 'cboe-bxm', ...window }),
  bxmFill: runCboeBacktest({ strategy: 'cboe-bxm', ...window, fill: 'orats-like' }),
  putBefore: runCboeBacktest({ strategy: 'cboe-put', ...window, model: before }),
  putMid: runCboeBacktest({ strategy: 'cboe-put', ...window }),
  putFill: runCboeBacktest({ strategy: 'cboe-put', ...window, fill: 'orats-like' }),
  cndrBefore: runCboeBacktest({ strategy: 'cboe-cndr', ...window, model: before }),
  cndrMid: runCboeBacktest({ strategy: 'cboe-cndr', ...window }),
  cndrFill: runCboeBacktest({ strategy: 'cboe-cndr', ...window, fill: 'orats-like' }),
};
type Key = keyof typeof runs;
const cmp = Object.fromEntries(
  Object.entries(runs).map(([k, r]) => [k, compareIndexSeries(r.result.levels, real)]),
) as Record<Key, IndexComparison>;
const c = cmp.bxmMid;
console.log(
  `Window ${c.from} .. ${c.to}: ${c.commonDays} days common with the BXM file, ${c.months} months.\n`,
);
console.log(
  '| series | surface | annualised | vs published BXM: monthly corr | daily corr | annualised difference | tracking error |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
const rows: Array<[string, string, Key]> = [
  ['cboe-bxm, sale at mid', 'before (issue 14)', 'bxmBefore'],
  ['cboe-bxm, sale at mid', 'after', 'bxmMid'],
  ['cboe-bxm, sale at orats-like fill (75% of the spread)', 'after', 'bxmFill'],
  ['cboe-put, sale at mid', 'before', 'putBefore'],
  ['cboe-put, sale at mid', 'after', 'putMid'],
  ['cboe-put, sale at orats-like fill', 'after', 'putFill'],
  ['cboe-cndr, legs at mid', 'before', 'cndrBefore'],
  ['cboe-cndr, legs at mid', 'after', 'cndrMid'],
  ['cboe-cndr, legs at orats-like fills', 'after', 'cndrFill'],
];
for (const [name, surface, k] of rows) {
  const x = cmp[k];
  const isBxm = k.startsWith('bxm');
  console.log(
    `| ${name} | ${surface} | ${pct(annualised(runs[k]))} | ${x.monthlyCorrelation.toFixed(4)} | ${x.dailyCorrelation.toFixed(4)} | ${isBxm ? pct(x.annualisedDifference) : '-'} | ${isBxm ? pct(x.trackingError) : '-'} |`,
  );
}
console.log(`\nPublished BXM annualised over the window: ${pct(c.annualisedReference)}.`);

console.log(
  '\n| year | BXM published | cboe-bxm before | cboe-bxm after | cboe-put before | cboe-put after | cboe-cndr before | cboe-cndr after |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
c.years.forEach((y, i) => {
  const v = (k: Key) => pct(cmp[k].years[i]!.replicated);
  console.log(
    `| ${y.year} | ${pct(y.reference)} | ${v('bxmBefore')} | ${v('bxmMid')} | ${v('putBefore')} | ${v('putMid')} | ${v('cndrBefore')} | ${v('cndrMid')} |`,
  );
});

console.log('\nRoll-day reference level (cboe-bxm at mid, after):\n');
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

// Settlement level: the expiry-day open (default), the previous close, the expiry-day close.
console.log('\nSettlement level of the expiring option (after, at mid):\n');
console.log(
  '| settlement level | cboe-bxm annualised | vs BXM difference | tracking error | cboe-put annualised |',
);
console.log('| --- | ---: | ---: | ---: | ---: |');
const days0 = cboeDays(md, previousCboeRoll(from), to);
const base = [...md.data.bxm].reverse().find((x) => x.date <= from)!.value;
for (const mode of ['open', 'previous close', 'close'] as const) {
  const days: CboeDay[] = days0.map((d, i) => ({
    ...d,
    open: mode === 'open' ? d.open : mode === 'close' ? d.close : i > 0 ? days0[i - 1]!.close : d.open,
  }));
  const res = (strategy: 'cboe-bxm' | 'cboe-put') => {
    const { rollChains, markChains } = cboeChainPorts(md);
    return runCboeReplication(days, {
      strategy,
      rollChains,
      markChains,
      fill: MID_FILL,
      baseLevel: base,
      from,
    });
  };
  const b = compareIndexSeries(res('cboe-bxm').levels, real);
  const p = compareIndexSeries(res('cboe-put').levels, real);
  console.log(
    `| ${mode} | ${pct(b.annualisedReplicated)} | ${pct(b.annualisedDifference)} | ${pct(b.trackingError)} | ${pct(p.annualisedReplicated)} |`,
  );
}

const premiums = runs.bxmMid.result.rolls.map((r) => ('premium' in r ? r.premium : Number.NaN) / r.reference);
console.log(
  `\nMean BXM call premium at the roll: ${pct(premiums.reduce((s, v) => s + v, 0) / premiums.length)} of the index (${premiums.length} rolls).`,
);

// CNDR details.
for (const [label, run] of [
  ['before', runs.cndrBefore],
  ['after', runs.cndrMid],
] as const) {
  const rolls = run.result.rolls as readonly CndrRoll[];
  const mean = (f: (r: CndrRoll) => number) => rolls.reduce((s, r) => s + f(r), 0) / rolls.length;
  const lv = new Map(run.result.levels.map((l) => [l.date, l.level]));
  const cycles: number[] = [];
  for (let i = 1; i < rolls.length; i++) {
    const a = lv.get(rolls[i - 1]!.date);
    const b = lv.get(rolls[i]!.date);
    if (a !== undefined && b !== undefined) cycles.push(b / a - 1);
  }
  const hit = rolls.slice(1).filter((r) => (r.settlementPayoff ?? 0) > 0).length;
  console.log(
    `\nCNDR ${label}: annualised ${pct(annualised(run))}; 2010-01-04..2024-01-31 ${pct(annualised(run, '2010-01-04', '2024-01-31'))}; 2010-01-04..2024-12-31 ${pct(annualised(run, '2010-01-04', '2024-12-31'))}; mean credit ${mean((r) => r.credit).toFixed(2)} on max loss ${mean((r) => r.maxLoss).toFixed(2)} (credit/max loss ${pct(mean((r) => r.credit / r.maxLoss))}); strikes from the roll level: short put ${pct(mean((r) => r.strikes.shortPut / r.reference - 1))}, long put ${pct(mean((r) => r.strikes.longPut / r.reference - 1))}, short call ${pct(mean((r) => r.strikes.shortCall / r.reference - 1))}, long call ${pct(mean((r) => r.strikes.longCall / r.reference - 1))}; cycles with a settlement payoff ${hit} of ${rolls.length - 1}; worst roll-to-roll cycle ${pct(Math.min(...cycles))}, best ${pct(Math.max(...cycles))}.`,
  );
}
