/**
 * Cboe BXM / PUT replication over the embedded data, compared with the published BXM.
 * Usage: npx tsx scripts/cboe-replication.ts [from] [to]
 */
import { runCboeBacktest } from '@vixshield/data';

const from = process.argv[2] ?? '2008-01-02';
const to = process.argv[3];
const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
for (const strategy of ['cboe-bxm', 'cboe-put'] as const) {
  for (const fill of ['mid', 'orats-like']) {
    const run = runCboeBacktest({ strategy, from, ...(to ? { to } : {}), fill });
    const lv = run.result.levels;
    const first = lv[0]!;
    const last = lv[lv.length - 1]!;
    const years = (Date.parse(last.date) - Date.parse(first.date)) / (365.25 * 86_400_000);
    console.log(
      `${strategy} fill=${fill} ${first.date}..${last.date} level ${first.level.toFixed(2)} -> ${last.level.toFixed(2)}; annualised ${pct((last.level / first.level) ** (1 / years) - 1)}; rolls ${run.result.rolls.length}; notes ${run.result.notes.length}; ${(run.elapsedMs / 1000).toFixed(1)} s`,
    );
    const c = run.comparison;
    if (c && fill === 'mid') {
      console.log(
        `  vs BXM ${c.from}..${c.to}: ${c.commonDays} days, ${c.months} months; monthly corr ${c.monthlyCorrelation.toFixed(4)}, daily corr ${c.dailyCorrelation.toFixed(4)}; annualised ${pct(c.annualisedReplicated)} vs ${pct(c.annualisedReference)} (diff ${pct(c.annualisedDifference)}); tracking error ${pct(c.trackingError)}`,
      );
      console.log('  | year | replicated | BXM | difference |');
      for (const y of c.years)
        console.log(`  | ${y.year} | ${pct(y.replicated)} | ${pct(y.reference)} | ${pct(y.difference)} |`);
    } else if (c) {
      console.log(
        `  vs BXM: monthly corr ${c.monthlyCorrelation.toFixed(4)}, annualised diff ${pct(c.annualisedDifference)}, TE ${pct(c.trackingError)}`,
      );
    }
  }
}
