/*
 * How much the default backtest depends on the one-day vol level the model puts on 1DTE options
 * (issue 14; README "Honest findings"; ADR 0010). Real 1-2 session chains traded at 0.88 to 1.23 times
 * the model's level (`vixshield model check`, oneDayLevelCheck). `backtest` reports the two bounds
 * (ONE_DAY_LEVEL_SENSITIVITY_SCALES); this replays the default run (2015-01-02 .. 2026-08-21,
 * orats-like fill) on a finer grid. A diagnostic: nothing here feeds the model.
 *
 *   npx tsx scripts/one-day-level-sensitivity.ts [SCALES=0.88,0.94,1,1.03,1.05,1.1,1.15,1.2,1.23 env]
 */
import { runCliBacktest } from '@vixshield/app';

const scales = (process.env.SCALES ?? '0.88,0.94,1,1.03,1.05,1.1,1.15,1.2,1.23').split(',').map(Number);
const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(1)}%`);
console.log('one-day level x  final equity USD  trades     won    CAGR');
for (const scale of scales) {
  const s = runCliBacktest({
    from: '2015-01-02',
    to: '2026-08-21',
    quiet: true,
    ...(scale === 1 ? {} : { oneDayLevelScale: scale }),
  }).summary;
  console.log(
    `${scale.toFixed(2).padStart(16)}  ${s.finalEquity.toFixed(0).padStart(16)}  ${String(s.trades).padStart(6)}  ${pct(s.winRate).padStart(6)}  ${pct(s.cagr).padStart(6)}`,
  );
}
