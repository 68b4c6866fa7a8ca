import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type BacktestResult,
  type BacktestSummary,
  computeBacktestSummary,
  type FillModel,
  type IsoDate,
  runBacktest,
  type StrategyConfig,
} from '@vixshield/core';
import {
  embeddedPorts,
  renderBacktestHtml,
  stringifyBacktestJson,
  writeBacktestReport,
} from '@vixshield/data';
import type { Command } from 'commander';
import { CliError } from '../errors';
import { marketData, requireDataDate, sessionsUpTo } from '../market-context';
import { loadStrategyConfig, presetOption } from '../strategy-config';

export interface BacktestCliOptions {
  from?: string;
  to?: string;
  preset?: string;
  config?: string;
  equity?: string;
  fill?: string;
  json?: string;
  html?: string;
  out?: string;
  costSensitivity?: boolean;
  dataDir?: string;
  quiet?: boolean;
}

export const DEFAULT_BACKTEST_FROM = '2015-01-02';

function progressBar(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((100 * done) / total);
    if (pct === last) return;
    last = pct;
    const w = 30;
    const filled = Math.round((w * done) / total);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${pct}%`);
    if (done === total) process.stderr.write('\n');
  };
}

function fillModel(name: string | undefined): FillModel {
  const n = name ?? 'orats-like';
  if (n === 'mid' || n === 'natural' || n === 'orats-like') return { name: n };
  const m = /^fraction:(0(\.\d+)?|1(\.0+)?)$/.exec(n);
  if (m) return { name: 'fraction', fraction: Number(m[1]) };
  throw new CliError(`--fill '${n}' is not a fill model: use mid, natural or orats-like`);
}

export interface BacktestRun {
  readonly result: BacktestResult;
  readonly summary: BacktestSummary;
  readonly config: StrategyConfig;
  readonly elapsedMs: number;
}

export function runCliBacktest(opts: BacktestCliOptions): BacktestRun {
  const preset = presetOption(opts.preset);
  const cfg = loadStrategyConfig(preset, opts.config);
  const md = marketData(opts.dataDir);
  const from = requireDataDate(md, opts.from ?? DEFAULT_BACKTEST_FROM, '--from');
  const to = requireDataDate(md, opts.to, '--to');
  if (to < from) throw new CliError(`--to ${to} is before --from ${from}`);
  const equity = opts.equity === undefined ? 100_000 : Number(opts.equity);
  if (!(equity > 0)) throw new CliError(`--equity '${opts.equity}' must be a positive amount in USD`);
  const fill = fillModel(opts.fill);
  const { sessions } = sessionsUpTo(md, to as IsoDate, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays);
  const window = sessions.filter((s) => s.date >= from);
  const t0 = performance.now();
  const result = runBacktest(window, embeddedPorts(md, { quoteTimeCt: cfg.entry.timeCt }), cfg, {
    initialEquity: equity,
    fill,
    pricesSource: {
      kind: 'modelled',
      detail:
        'SPX options modelled by the vixshield-surface (VIX-family term structure, SKEW-driven smile, spread model calibrated on the 2018 SPXW chain); VIX options by Black-76 on the VX curve with VVIX vol',
    },
    ...(opts.quiet ? {} : { onProgress: progressBar(`backtest ${preset} ${from}..${to}`) }),
  });
  const elapsedMs = performance.now() - t0;
  return { result, summary: computeBacktestSummary(result), config: cfg, elapsedMs };
}

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '-' : `${(100 * v).toFixed(2)}%`;
const num = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(2));

export function formatSummary(run: BacktestRun, label: string): string {
  const s = run.summary;
  const rows: Array<[string, string]> = [
    ['window', `${s.from} .. ${s.to} (${s.tradingDays} trading days)`],
    ['prices', `${run.result.pricesSource.kind}: ${run.result.pricesSource.detail}`],
    ['initial / final equity', `${s.initialEquity.toFixed(0)} / ${s.finalEquity.toFixed(0)} USD`],
    ['total return', pct(s.totalReturn)],
    ['CAGR', pct(s.cagr)],
    ['volatility', pct(s.annualVolatility)],
    ['Sharpe / Sortino', `${num(s.sharpe)} / ${num(s.sortino)}`],
    [
      'max drawdown',
      `${pct(s.maxDrawdown?.depth)}${s.maxDrawdown ? ` (${s.maxDrawdown.peakDate} .. ${s.maxDrawdown.troughDate})` : ''}`,
    ],
    ['trades / win rate', `${s.trades} / ${pct(s.winRate)}`],
    ['profit factor', num(s.profitFactor)],
    ['CVaR 95 / 99 (daily)', `${pct(s.cvar95)} / ${pct(s.cvar99)}`],
    ['roll chains rolled (recovered)', `${s.rollChains.rolled} (${pct(s.rollChains.shareRecovered)})`],
    ['hedge trades', String(s.hedgeTrades)],
    ['rejected intents', String(run.result.rejected.length)],
    ['run time', `${(run.elapsedMs / 1000).toFixed(2)} s`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  return `${label}\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`;
}

/** Runs the backtest, optionally the cost-sensitivity variants, and writes the reports. */
export function backtestWithReports(opts: BacktestCliOptions): {
  run: BacktestRun;
  files: { html?: string; json?: string };
} {
  const run = runCliBacktest(opts);
  const cost = opts.costSensitivity
    ? [0, 0.25, 0.5, 0.75, 1].map((share) => ({
        spreadShare: share,
        summary: runCliBacktest({ ...opts, quiet: true, fill: `fraction:${share}` }).summary,
      }))
    : undefined;
  const title = `VixShield backtest: preset ${opts.preset ?? 'vixshield'}`;
  const htmlOptions = { title, ...(cost ? { costSensitivity: cost } : {}) };
  if (opts.html || opts.json) {
    const files: { html?: string; json?: string } = {};
    if (opts.html) {
      files.html = resolve(opts.html);
      writeFileSync(files.html, renderBacktestHtml(run.result, run.summary, htmlOptions));
    }
    if (opts.json) {
      files.json = resolve(opts.json);
      writeFileSync(files.json, stringifyBacktestJson(run.result, run.summary));
    }
    return { run, files };
  }
  const written = writeBacktestReport(resolve(opts.out ?? 'out'), run.result, run.summary, {
    ...htmlOptions,
    basename: `backtest-${opts.preset ?? 'vixshield'}`,
  });
  return { run, files: written };
}

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description('replay the strategy over history through the same engine as the daily signal')
    .option('--from <date>', 'first trading day', DEFAULT_BACKTEST_FROM)
    .option('--to <date>', 'last trading day (default: the latest in the data)')
    .option('--preset <name>', 'vixshield, seed, conservative, balanced, aggressive', 'vixshield')
    .option('--config <file>', 'JSON or YAML overrides')
    .option('--equity <usd>', 'initial equity', '100000')
    .option('--fill <model>', 'mid, natural, orats-like or fraction:<0..1> of the spread', 'orats-like')
    .option('--json <file>', 'write the JSON report here')
    .option('--html <file>', 'write the HTML report here')
    .option('--out <dir>', 'directory for both reports when --json/--html are not given', 'out')
    .option('--no-cost-sensitivity', 'skip the five extra runs of the cost-sensitivity panel')
    .option('--data-dir <dir>', 'data directory with user imports')
    .action((opts: BacktestCliOptions) => {
      const { run, files } = backtestWithReports({ ...opts, out: opts.out ?? 'out' });
      process.stdout.write(formatSummary(run, `VixShield backtest, preset ${opts.preset ?? 'vixshield'}`));
      if (files.html) process.stdout.write(`\nHTML report: ${files.html}\nJSON: ${files.json}\n`);
    });
}

/** `npm start`: the default backtest (preset vixshield, 2015-01-02 to the latest day, modelled chains). */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the default backtest on the embedded data and write its HTML report to out/')
    .option('--out <dir>', 'report directory', 'out')
    .action((opts: { out: string }) => {
      process.stdout.write(
        'VixShield: default backtest (preset vixshield, 2015-01-02 .. latest embedded day, modelled option prices),\n' +
          'plus five cost-sensitivity runs (fills at 0/25/50/75/100% of the spread).\n\n',
      );
      const { run, files } = backtestWithReports({ out: opts.out, costSensitivity: true });
      process.stdout.write(formatSummary(run, 'VixShield backtest, preset vixshield'));
      process.stdout.write(`\nHTML report: ${files.html}\nJSON report: ${files.json}\n`);
    });
}
