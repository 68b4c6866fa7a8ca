import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedPorts, exchangeIsTradingDay, loadEmbeddedMarketData } from '@vixshield/data';
import { intradayBacktestInputs } from '../packages/app/src/usecases/intraday';
import {
  ORATS_LIKE_FILL,
  resolveConfig,
  runBacktest,
  sessionsFromSnapshots,
} from '../packages/core/src/index';

/**
 * Issue 16, side by side: the default backtest (2015-01-02 .. latest, cold modelled chains) without an
 * intraday exit rule, and with a rule that marks every open condor at every hourly bar (a stop at
 * 1000 x credit: it never fires, so the trades are the same and only the marking is timed), on bar days
 * only ('hold' elsewhere) and with the daily-OHLC approximation (5-minute synthetic bars) on the other
 * days; plus a real 2 x credit stop. The cases are interleaved rep by rep so machine load hits each
 * alike. Goal: hourly marking within 1.5 x the time without exits.
 */
export async function runBacktestIntradayBench(args: readonly string[]): Promise<void> {
  const reps = Number(args[args.indexOf('--reps') + 1] ?? 3) || 3;
  const md = loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay });
  const base = resolveConfig('vixshield');
  const { sessions } = sessionsFromSnapshots(md.snapshots, { timeCt: base.entry.timeCt, zLookbackDays: 20 });
  const window = sessions.filter((s) => s.date >= '2015-01-02');
  const cases = [
    { name: 'no exit rule (daily)', cfg: base },
    {
      name: 'marks at every hourly bar (bar days only)',
      cfg: resolveConfig('vixshield', {
        exits: { intraday: { stopCreditMultiple: 1000, daysWithoutBars: 'hold' } },
      }),
    },
    {
      name: 'marks at every hourly bar + OHLC approximation (5-min synthetic bars)',
      cfg: resolveConfig('vixshield', { exits: { intraday: { stopCreditMultiple: 1000 } } }),
    },
    {
      name: 'stop at 2 x credit (bars + approximation)',
      cfg: resolveConfig('vixshield', { exits: { intraday: { stopCreditMultiple: 2 } } }),
    },
  ];
  const wall = cases.map(() => [] as number[]);
  const cpu = cases.map(() => [] as number[]);
  const info = cases.map(() => ({ trades: 0, barsEvaluated: 0 }));
  for (let i = 0; i < reps; i++) {
    cases.forEach((c, k) => {
      const ports = embeddedPorts(md);
      const intraday = intradayBacktestInputs(ports.chains);
      const t = performance.now();
      const u = process.cpuUsage();
      const r = runBacktest(window, ports, c.cfg, {
        initialEquity: 100_000,
        fill: ORATS_LIKE_FILL,
        pricesSource: { kind: 'modelled', detail: 'bench' },
        intraday,
      });
      wall[k]!.push(performance.now() - t);
      const du = process.cpuUsage(u);
      cpu[k]!.push((du.user + du.system) / 1000);
      info[k] = { trades: r.trades.length, barsEvaluated: r.intraday?.barsEvaluated ?? 0 };
    });
  }
  const best = (xs: number[]) => Math.min(...xs);
  const baseCpu = best(cpu[0]!);
  const rows = cases.map((c, k) => ({
    case: c.name,
    trades: info[k]!.trades,
    barsEvaluated: info[k]!.barsEvaluated,
    wallBestMs: Math.round(best(wall[k]!)),
    cpuBestMs: Math.round(best(cpu[k]!)),
    ratioToNoExitCpu: Number((best(cpu[k]!) / baseCpu).toFixed(2)),
  }));
  const out = { section: 'backtest-intraday', sessions: window.length, reps, goalRatio: 1.5, rows };
  process.stdout.write(
    `default backtest ${window[0]?.date} .. ${window[window.length - 1]?.date}, ${window.length} sessions, ${reps} interleaved reps (best of each)\n${rows
      .map(
        (r) =>
          `  ${r.case.padEnd(72)} trades ${String(r.trades).padStart(5)}  bar closes ${String(r.barsEvaluated).padStart(7)}  wall ${String(r.wallBestMs).padStart(6)} ms  cpu ${String(r.cpuBestMs).padStart(6)} ms  x${r.ratioToNoExitCpu.toFixed(2)}`,
      )
      .join('\n')}\n  goal: hourly marking within x${out.goalRatio} of no exit rule: ${
      (rows[1]?.ratioToNoExitCpu ?? 99) <= out.goalRatio ? 'met' : 'not met'
    }\n`,
  );
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'backtest-intraday-latest.json'), `${JSON.stringify(out, null, 2)}\n`);
}
