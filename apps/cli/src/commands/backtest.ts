import {
  type BacktestCliOptions,
  type BacktestRun,
  backtestWithReports,
  type CboeBacktestRun,
  type CostSensitivityPoint,
  DEFAULT_BACKTEST_FROM,
  DEFAULT_CBOE_FROM,
  type ModelSensitivityPoint,
  maxMarkQuoteAgeOption,
  maxSnapshotAgeOption,
  modelErrorStatement,
  oneDayLevelBoundsText,
  recordedChainPorts,
  runCboeBacktest,
} from '@vixshield/app';
import { type BacktestResult, type CndrRoll, DEFAULT_EQUITY_USD } from '@vixshield/core';
import type { Command } from 'commander';
import { optionError } from '../errors';

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

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '-' : `${(100 * v).toFixed(2)}%`;
const num = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(2));

/** The hedge's yearly P&L as a share of equity (M§3: "the yearly cost is reported either way"). */
function hedgeYearly(s: BacktestRun['summary']): string {
  const years = s.hedge.byYear.map((y) => `${y.year} ${pct(y.pnlPctOfAverageEquity)}`).join(', ');
  return `${pct(s.hedge.annualisedPnlPctOfAverageEquity)} average${years ? ` (${years})` : ''}`;
}

export function formatSummary(run: BacktestRun, label: string): string {
  const s = run.summary;
  const rows: Array<[string, string]> = [
    ['window', `${s.from} .. ${s.to} (${s.tradingDays} trading days)`],
    ['prices', `${run.result.pricesSource.kind}: ${run.result.pricesSource.detail}`],
    ...(run.result.pricesSource.kind === 'real'
      ? []
      : ([['model error', modelErrorStatement()]] as Array<[string, string]>)),
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
    ['ALVH P&L a year (of equity)', hedgeYearly(s)],
    ['rejected intents', String(run.result.rejected.length)],
    ...intradayRows(run.result.intraday),
    ['run time', `${(run.elapsedMs / 1000).toFixed(2)} s`],
  ];
  if (s.ruinedOn !== null) {
    // Stated beside the figures: after this day the account opened nothing.
    rows.splice(3, 0, ['RUINED', run.result.ruin?.reason ?? `equity <= 0 on ${s.ruinedOn}`]);
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  return `${label}\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`;
}

/**
 * What a share of the spread means: it is measured from the favourable side (fractionFill), so 0 fills
 * at the far side of every leg (better than mid: an optimistic bound), 0.5 at mid, 1 at the natural.
 */
export function spreadShareLabel(share: number): string {
  return share === 0 ? ' (far side)' : share === 0.5 ? ' (mid)' : share === 1 ? ' (natural)' : '';
}

/** A titled table: the first column left-aligned, the others right-aligned, every row as wide as the header. */
function sensitivityTable(
  title: string,
  head: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')}`;
  return `\n${title}:\n${[head, ...rows].map(line).join('\n')}\n`;
}

/** The cost-sensitivity runs as a table: the same days and decisions' inputs, fills at a share of the spread. */
export function formatCostSensitivity(points: readonly CostSensitivityPoint[]): string {
  return sensitivityTable(
    'Cost sensitivity (share of the bid-ask spread paid on every fill, from the favourable side: 0% = the far side, better than mid; 50% = mid; 100% = natural)',
    ['spread paid', 'final equity', 'CAGR', 'Sharpe', 'max DD', 'win rate', 'trades', 'ruined on'],
    points.map((p) => [
      `${(p.spreadShare * 100).toFixed(0)}%${spreadShareLabel(p.spreadShare)}`,
      `${p.summary.finalEquity.toFixed(0)} USD`,
      pct(p.summary.cagr),
      num(p.summary.sharpe),
      pct(p.summary.maxDrawdown?.depth),
      pct(p.summary.winRate),
      String(p.summary.trades),
      p.summary.ruinedOn ?? '-',
    ]),
  );
}

/** The model-sensitivity runs as a table: the same days and rules, 1DTE options at another one-day vol level. */
export function formatModelSensitivity(points: readonly ModelSensitivityPoint[]): string {
  return sensitivityTable(
    `Model sensitivity (1-2 day options at the bounds: ${oneDayLevelBoundsText()})`,
    ['one-day vol level', 'final equity', 'CAGR', 'max DD', 'win rate', 'trades', 'ruined on'],
    points.map((p) => [
      `${p.oneDayLevelScale.toFixed(2)} x${p.oneDayLevelScale === 1 ? ' (the model)' : ''}`,
      `${p.summary.finalEquity.toFixed(0)} USD`,
      pct(p.summary.cagr),
      pct(p.summary.maxDrawdown?.depth),
      pct(p.summary.winRate),
      String(p.summary.trades),
      p.summary.ruinedOn ?? '-',
    ]),
  );
}

/** Summary of a Cboe BXM/PUT/CNDR replication (and its comparison with the published BXM). */
export function formatCboeSummary(run: CboeBacktestRun): string {
  const r = run.result;
  const first = r.levels[0];
  const last = r.levels[r.levels.length - 1];
  const rows: Array<[string, string]> = [
    ['window', `${first?.date ?? '-'} .. ${last?.date ?? '-'} (${r.levels.length} trading days)`],
    ['prices', 'modelled (vixshield surface); settlement at the SPX open of expiry day'],
    [r.strategy === 'cboe-cndr' ? 'option prices' : 'option sale', fillLabel(run)],
    ['base level', run.baseLevelSource],
    ['final level', last ? last.level.toFixed(2) : '-'],
    ['rolls', String(r.rolls.length)],
  ];
  if (first && last && r.levels.length > 1) {
    const years = (Date.parse(last.date) - Date.parse(first.date)) / 86_400_000 / 365.25;
    rows.push(['annualised (replica)', pct((last.level / first.level) ** (1 / years) - 1)]);
  }
  if (r.strategy === 'cboe-cndr' && r.rolls.length > 0) {
    const rolls: readonly CndrRoll[] = r.rolls;
    const meanOf = (f: (x: CndrRoll) => number) => rolls.reduce((a, x) => a + f(x), 0) / rolls.length;
    rows.push(
      [
        'mean credit / max loss',
        `${meanOf((x) => x.credit).toFixed(2)} / ${meanOf((x) => x.maxLoss).toFixed(2)} points per condor`,
      ],
      ['mean credit / max loss ratio', pct(meanOf((x) => x.credit / x.maxLoss))],
    );
  }
  const c = run.comparison;
  if (c) {
    rows.push(
      ['vs published BXM', `${c.from} .. ${c.to}, ${c.commonDays} common days, ${c.months} months`],
      ['monthly / daily correlation', `${num4(c.monthlyCorrelation)} / ${num4(c.dailyCorrelation)}`],
      [
        'annualised (replica / BXM)',
        `${pct(c.annualisedReplicated)} / ${pct(c.annualisedReference)} (diff ${pct(c.annualisedDifference)})`,
      ],
      ['tracking error (monthly, annualised)', pct(c.trackingError)],
    );
  } else if (r.strategy === 'cboe-put') {
    rows.push(['vs published PUT', 'no PUT history is embedded: no comparison']);
  } else if (r.strategy === 'cboe-cndr') {
    rows.push(['vs published CNDR', 'no CNDR history is embedded: no comparison (monthly series in --json)']);
  }
  rows.push(['run time', `${(run.elapsedMs / 1000).toFixed(2)} s`]);
  const w = Math.max(...rows.map((x) => x[0].length));
  const label =
    r.strategy === 'cboe-bxm'
      ? 'Cboe BXM replication'
      : r.strategy === 'cboe-put'
        ? 'Cboe PUT replication'
        : 'Cboe CNDR (iron condor) replication';
  return `${label}\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`;
}

const fillLabel = (run: CboeBacktestRun) =>
  run.fill.name === 'fraction' ? `fraction:${run.fill.fraction}` : run.fill.name;

const num4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : '-');

type BacktestCommandOptions = BacktestCliOptions & {
  strategy?: string;
  source?: string;
  maxSnapshotAge?: string;
  maxMarkQuoteAge?: string;
};

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description('replay the strategy over history through the same engine as the daily signal')
    .option(
      '--strategy <name>',
      'vixshield (the engine), or a Cboe replication: cboe-bxm (BuyWrite), cboe-put (PutWrite) or cboe-cndr (Iron Condor)',
      'vixshield',
    )
    .option(
      '--from <date>',
      `first trading day (default ${DEFAULT_BACKTEST_FROM}; ${DEFAULT_CBOE_FROM} for cboe-*)`,
    )
    .option('--to <date>', 'last trading day (default: the latest in the data)')
    .option('--preset <name>', 'vixshield, seed, conservative, balanced, aggressive', 'vixshield')
    .option('--config <file>', 'JSON or YAML overrides')
    .option('--equity <usd>', 'initial equity', String(DEFAULT_EQUITY_USD))
    .option(
      '--fill <model>',
      'mid, natural, orats-like or fraction:<0..1> of the spread (default orats-like; mid for cboe-*)',
    )
    .option('--json <file>', 'write the JSON report here')
    .option('--html <file>', 'write the HTML report here')
    .option('--out <dir>', 'directory for both reports when --json/--html are not given', 'out')
    .option('--no-cost-sensitivity', 'skip the five extra runs of the cost-sensitivity panel')
    .option(
      '--no-model-sensitivity',
      "skip the two extra runs at the bounds of the model's measured one-day vol error (modelled chains)",
    )
    .option('--data-dir <dir>', 'data directory with user imports and recorded chain snapshots')
    .option(
      '--source <source>',
      'model (surface) or real (recorded chain snapshots where the data dir has them, the model elsewhere)',
      'model',
    )
    .option(
      '--max-snapshot-age <minutes>',
      '--source real: a snapshot quoted more than this many minutes before the entry is not used',
      '20',
    )
    .option(
      '--max-mark-quote-age <minutes>',
      '--source real: an intraday mark uses a recorded quote stamped at most this many minutes before the bar close (else the model)',
      '5',
    )
    .action(async (opts: BacktestCommandOptions) => {
      const strategy = opts.strategy ?? 'vixshield';
      if (opts.source !== undefined && opts.source !== 'model' && opts.source !== 'real')
        throw optionError(`--source '${opts.source}' must be model or real`, 'source');
      if (opts.source === 'real' && strategy !== 'vixshield')
        throw optionError('--source real applies to the vixshield strategy only', 'source');
      // Validated whatever the source, so a typo never passes silently; it acts with --source real.
      const realQuoteMaxAgeMinutes = maxMarkQuoteAgeOption(opts.maxMarkQuoteAge);
      if (strategy !== 'vixshield') {
        if (opts.config || opts.html)
          throw optionError(
            '--config and --html apply to the vixshield strategy only (use --json)',
            'config',
          );
        const run = runCboeBacktest({
          strategy,
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.to ? { to: opts.to } : {}),
          ...(opts.fill ? { fill: opts.fill } : {}),
          ...(opts.json ? { json: opts.json } : {}),
          ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
        });
        process.stdout.write(formatCboeSummary(run));
        if (opts.json) process.stdout.write(`\nJSON: ${opts.json}\n`);
        return;
      }
      const dataDir = opts.dataDir ?? process.env.VIXSHIELD_DATA_DIR;
      const recorded =
        opts.source === 'real'
          ? await recordedChainPorts({
              ...opts,
              ...(dataDir ? { dataDir } : {}),
              maxSnapshotAgeMinutes: maxSnapshotAgeOption(opts.maxSnapshotAge),
            })
          : undefined;
      const { run, files, costSensitivity, modelSensitivity } = backtestWithReports({
        ...opts,
        ...(recorded
          ? {
              ports: recorded.ports,
              pricesSource: recorded.pricesSource,
              realQuoteMaxAgeMinutes,
              ...(dataDir ? { dataDir } : {}),
            }
          : {}),
        out: opts.out ?? 'out',
        onProgress: progressBar(`backtest ${opts.preset ?? 'vixshield'}`),
      });
      process.stdout.write(formatSummary(run, `VixShield backtest, preset ${opts.preset ?? 'vixshield'}`));
      if (costSensitivity) process.stdout.write(formatCostSensitivity(costSensitivity));
      if (modelSensitivity) process.stdout.write(formatModelSensitivity(modelSensitivity));
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
          'plus five cost-sensitivity runs (fills at 0/25/50/75/100% of the spread) and two model-sensitivity runs\n' +
          "(1-2 day options at the bounds of the model's measured one-day vol error).\n\n",
      );
      const { run, files, costSensitivity, modelSensitivity } = backtestWithReports({
        out: opts.out,
        costSensitivity: true,
        modelSensitivity: true,
        onProgress: progressBar('backtest vixshield'),
      });
      process.stdout.write(formatSummary(run, 'VixShield backtest, preset vixshield'));
      if (costSensitivity) process.stdout.write(formatCostSensitivity(costSensitivity));
      if (modelSensitivity) process.stdout.write(formatModelSensitivity(modelSensitivity));
      process.stdout.write(`\nHTML report: ${files.html}\nJSON report: ${files.json}\n`);
    });
}

/** Issue 16: sessions on bars / the approximation / neither (every run), marks and exits by rule (a rule set). */
function intradayRows(x: BacktestResult['intraday']): Array<[string, string]> {
  if (!x) return [];
  if (!x.rulesSet)
    return [
      [
        'intraday sessions',
        `bars ${x.sessions.bars}, OHLC approximation ${x.sessions.ohlcApproximation}, neither ${x.sessions.neither} (no exit rule set: the bars fed the rollback rule's TWAP only)`,
      ],
    ];
  const byRule = Object.entries(x.exitsByRule)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    [
      'intraday sessions',
      `bars ${x.sessions.bars}, OHLC approximation ${x.sessions.ohlcApproximation}, neither ${x.sessions.neither}`,
    ],
    ['intraday marks', `real quotes ${x.marks.real}, modelled ${x.marks.modelled}`],
    [
      'intraday exits',
      `${x.exits.length} (${byRule || 'none fired'}; on bars ${x.exitsBySource.bars}, on the approximation ${x.exitsBySource['ohlc-approximation']})`,
    ],
  ];
}
