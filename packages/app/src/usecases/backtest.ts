import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  AS_SENTENCE,
  type BacktestResult,
  type BacktestSummary,
  computeBacktestSummary,
  type EnginePorts,
  type FillModel,
  fractionFill,
  InvalidInputError,
  type IsoDate,
  MID_FILL,
  NATURAL_FILL,
  ORATS_LIKE_FILL,
  runBacktest,
  type StrategyConfig,
} from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import { renderBacktestHtml } from '../report/html-report';
import { stringifyBacktestJson, writeBacktestReport } from '../report/write-report';
import { loadStrategyConfig, presetOption } from './config';
import { marketData, requireDataDate, sessionsUpTo } from './market';

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
  /** Progress callback (a terminal bar in the CLI); never called when quiet. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_BACKTEST_FROM = '2015-01-02';

export function fillModel(name: string | undefined): FillModel {
  const n = name ?? 'orats-like';
  if (n === 'mid') return MID_FILL;
  if (n === 'natural') return NATURAL_FILL;
  if (n === 'orats-like') return ORATS_LIKE_FILL;
  const m = /^fraction:(0(\.\d+)?|1(\.0+)?)$/.exec(n);
  if (m) return fractionFill(Number(m[1]));
  throw new InvalidInputError(
    `{fill} '${n}' is not a fill model: use mid, natural or orats-like`,
    'fill',
    'use mid, natural or orats-like',
    AS_SENTENCE,
  );
}

export interface BacktestRun {
  readonly result: BacktestResult;
  readonly summary: BacktestSummary;
  readonly config: StrategyConfig;
  readonly elapsedMs: number;
}

/** `ports`: reuse these (with their built chains) instead of fresh ones, e.g. across cost variants. */
export function runCliBacktest(opts: BacktestCliOptions, ports?: EnginePorts): BacktestRun {
  const preset = presetOption(opts.preset);
  const cfg = loadStrategyConfig(preset, opts.config);
  const md = marketData(opts.dataDir);
  const from = requireDataDate(md, opts.from ?? DEFAULT_BACKTEST_FROM, 'from');
  const to = requireDataDate(md, opts.to, 'to');
  if (to < from)
    throw new InvalidInputError(`{to} ${to} is before {from} ${from}`, 'to', 'swap from and to', AS_SENTENCE);
  const equity = opts.equity === undefined ? 100_000 : Number(opts.equity);
  if (!(equity > 0))
    throw new InvalidInputError(
      `{equity} '${opts.equity}' must be a positive amount in USD`,
      'equity',
      'pass a positive amount in USD, e.g. 100000',
      AS_SENTENCE,
    );
  const fill = fillModel(opts.fill);
  const { sessions } = sessionsUpTo(md, to as IsoDate, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays);
  const window = sessions.filter((s) => s.date >= from);
  const t0 = performance.now();
  const enginePorts = ports ?? embeddedPorts(md, { quoteTimeCt: cfg.entry.timeCt });
  const result = runBacktest(window, enginePorts, cfg, {
    initialEquity: equity,
    fill,
    pricesSource: {
      kind: 'modelled',
      detail:
        'SPX options modelled by the vixshield-surface (VIX-family term structure, SKEW-driven smile, spread model calibrated on the 2018 SPXW chain); VIX options by Black-76 on the VX curve with VVIX vol',
    },
    ...(opts.quiet || !opts.onProgress ? {} : { onProgress: opts.onProgress }),
  });
  const elapsedMs = performance.now() - t0;
  return { result, summary: computeBacktestSummary(result), config: cfg, elapsedMs };
}

/** Runs the backtest, optionally the cost-sensitivity variants, and writes the reports. */
export function backtestWithReports(opts: BacktestCliOptions): {
  run: BacktestRun;
  files: { html?: string; json?: string };
} {
  // The cost variants replay the same days on the same chains: one set of ports, chains built once.
  const shared = opts.costSensitivity
    ? embeddedPorts(marketData(opts.dataDir), {
        quoteTimeCt: loadStrategyConfig(presetOption(opts.preset), opts.config).entry.timeCt,
        chainCacheSize: 16_384,
      })
    : undefined;
  const run = runCliBacktest(opts, shared);
  const cost = opts.costSensitivity
    ? [0, 0.25, 0.5, 0.75, 1].map((share) => ({
        spreadShare: share,
        summary: runCliBacktest({ ...opts, quiet: true, fill: `fraction:${share}` }, shared).summary,
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
