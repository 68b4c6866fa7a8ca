import { dirname, resolve } from 'node:path';
import {
  AS_SENTENCE,
  type BacktestResult,
  type BacktestSummary,
  CALIBRATED_SHORT_DATED_PARAMS,
  DEFAULT_EQUITY_USD,
  type EnginePorts,
  type FillModel,
  fractionFill,
  InvalidInputError,
  MID_FILL,
  NATURAL_FILL,
  ORATS_LIKE_FILL,
  type StrategyConfig,
} from '@vixshield/core';
import { atomicWrite, embeddedPorts, ensureDirectory, type MarketData } from '@vixshield/data';
import {
  type CostSensitivityPoint,
  type ModelSensitivityPoint,
  renderBacktestHtml,
} from '../report/html-report';
import { ONE_DAY_LEVEL_SENSITIVITY_SCALES } from '../report/model-error';
import { stringifyBacktestJson, writeBacktestReport } from '../report/write-report';
import { loadStrategyConfig, presetOption } from './config';
import { marketData, requireDataDate } from './market';
import { runWindowBacktest } from './window-backtest';

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
  /** Also run at the one-day vol levels of ONE_DAY_LEVEL_SENSITIVITY_SCALES (modelled chains only). */
  modelSensitivity?: boolean;
  /**
   * Price 0-2 session expiries at this multiple of the model's one-day vol level (a sensitivity run;
   * ignored when `ports` are given).
   */
  oneDayLevelScale?: number;
  dataDir?: string;
  quiet?: boolean;
  /** Progress callback (a terminal bar in the CLI); never called when quiet. */
  onProgress?: (done: number, total: number) => void;
  /** Ports to price with (e.g. recorded chain snapshots, `backtest --source real`), and what they are. */
  ports?: EnginePorts;
  /**
   * With recorded quotes (`ports`): the oldest a recorded quote may be, in minutes before a bar close,
   * to mark that bar (default REAL_QUOTE_MAX_AGE_MINUTES); older bars are marked by the model.
   */
  realQuoteMaxAgeMinutes?: number;
  pricesSource?: BacktestResult['pricesSource'];
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

/** What a sensitivity run's prices are, for its prices source (and so its cache key) and its report. */
export function oneDayLevelNote(scale: number): string {
  return `a sensitivity run: 0-2 session expiries at ${scale} x the model's one-day vol level`;
}

/** A one-day level multiple a sensitivity run can use: a positive number below 10. */
export function requireOneDayLevelScale(scale: number): void {
  if (!(Number.isFinite(scale) && scale > 0 && scale < 10))
    throw new InvalidInputError(
      `{oneDayLevelScale} ${scale} must be a multiple in (0, 10)`,
      'oneDayLevelScale',
      'e.g. 1.15',
      AS_SENTENCE,
    );
}

/**
 * The embedded ports with 0-2 session expiries priced at `scale` x the model's one-day vol level (the
 * short regime's ATM; the smile keeps its shape, longer expiries are as modelled).
 */
export function oneDayLevelPorts(md: MarketData, quoteTimeCt: string, scale: number): EnginePorts {
  requireOneDayLevelScale(scale);
  return embeddedPorts(md, {
    quoteTimeCt,
    shortDated: {
      ...CALIBRATED_SHORT_DATED_PARAMS,
      atmPerOneDayVix: CALIBRATED_SHORT_DATED_PARAMS.atmPerOneDayVix * scale,
    },
  });
}

export const MODELLED_PRICES_DETAIL =
  'SPX options modelled by the vixshield-surface (expiries 0-2 sessions out from the one-day vol, VIX1D or its model on VIX9D, read in business time; longer ones from the VIX-family term structure with a SKEW-driven smile; spreads calibrated on the 2018 SPXW chain); VIX options by Black-76 on the VX curve with VVIX vol';

/**
 * The CLI's and the API's backtest: validates the options, then runs the one window backtest use
 * case. `chains: 'shared'` replays on a shared chain pool (the cost variants replay the same days);
 * `opts.ports` (recorded chain snapshots, `backtest --source real`) replaces the modelled chains.
 */
export function runCliBacktest(opts: BacktestCliOptions, chains: 'fresh' | 'shared' = 'fresh'): BacktestRun {
  const preset = presetOption(opts.preset);
  const cfg = loadStrategyConfig(preset, opts.config);
  const md = marketData(opts.dataDir);
  const from = requireDataDate(md, opts.from ?? DEFAULT_BACKTEST_FROM, 'from');
  const to = requireDataDate(md, opts.to, 'to');
  if (to < from)
    throw new InvalidInputError(`{to} ${to} is before {from} ${from}`, 'to', 'swap from and to', AS_SENTENCE);
  const equity = opts.equity === undefined ? DEFAULT_EQUITY_USD : Number(opts.equity);
  if (!(equity > 0))
    throw new InvalidInputError(
      `{equity} '${opts.equity}' must be a positive amount in USD`,
      'equity',
      'pass a positive amount in USD, e.g. 100000',
      AS_SENTENCE,
    );
  const fill = fillModel(opts.fill);
  const scale = opts.ports === undefined ? opts.oneDayLevelScale : undefined;
  const scaled =
    scale === undefined
      ? undefined
      : {
          ports: oneDayLevelPorts(md, cfg.entry.timeCt, scale),
          pricesSource: {
            kind: 'modelled' as const,
            detail: `${MODELLED_PRICES_DETAIL}; ${oneDayLevelNote(scale)}`,
          },
        };
  const run = runWindowBacktest({
    md,
    config: cfg,
    from,
    to,
    fill,
    initialEquityUsd: equity,
    pricesSource: scaled?.pricesSource ??
      opts.pricesSource ?? { kind: 'modelled', detail: MODELLED_PRICES_DETAIL },
    chains,
    ...(scaled ? { ports: scaled.ports } : opts.ports ? { ports: opts.ports } : {}),
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.realQuoteMaxAgeMinutes !== undefined
      ? { realQuoteMaxAgeMinutes: opts.realQuoteMaxAgeMinutes }
      : {}),
    ...(opts.quiet || !opts.onProgress ? {} : { onProgress: opts.onProgress }),
  });
  return { result: run.result, summary: run.summary, config: cfg, elapsedMs: run.elapsedMs };
}

/** Runs the backtest, optionally the cost-sensitivity variants, and writes the reports. */
export function backtestWithReports(opts: BacktestCliOptions): {
  run: BacktestRun;
  files: { html?: string; json?: string };
  costSensitivity?: readonly CostSensitivityPoint[];
  modelSensitivity?: readonly ModelSensitivityPoint[];
} {
  // Where the reports go is checked before the run, not after minutes of it (issue 18).
  if (opts.html || opts.json) {
    for (const f of [opts.html, opts.json]) if (f) ensureDirectory(dirname(resolve(f)), 'report directory');
  } else ensureDirectory(resolve(opts.out ?? 'out'), 'report directory');
  // The cost variants replay the same days on the same chains: one shared pool, chains built once.
  const shared = opts.costSensitivity ? 'shared' : 'fresh';
  const run = runCliBacktest(opts, shared);
  const cost = opts.costSensitivity
    ? [0, 0.25, 0.5, 0.75, 1].map((share) => ({
        spreadShare: share,
        summary: runCliBacktest({ ...opts, quiet: true, fill: `fraction:${share}` }, shared).summary,
      }))
    : undefined;
  // The model's one-day level at the bounds of its measured error: modelled chains only (a run on
  // recorded quotes prices its real days from them).
  const model =
    opts.modelSensitivity && opts.ports === undefined
      ? [
          ...ONE_DAY_LEVEL_SENSITIVITY_SCALES.map((scale) => ({
            oneDayLevelScale: scale,
            summary: runCliBacktest({ ...opts, quiet: true, oneDayLevelScale: scale }).summary,
          })),
          { oneDayLevelScale: 1, summary: run.summary },
        ].sort((a, b) => a.oneDayLevelScale - b.oneDayLevelScale)
      : undefined;
  const title = `VixShield backtest: preset ${opts.preset ?? 'vixshield'}`;
  const htmlOptions = {
    title,
    ...(cost ? { costSensitivity: cost } : {}),
    ...(model ? { modelSensitivity: model } : {}),
  };
  const extra = { ...(cost ? { costSensitivity: cost } : {}), ...(model ? { modelSensitivity: model } : {}) };
  if (opts.html || opts.json) {
    const files: { html?: string; json?: string } = {};
    if (opts.html) {
      files.html = resolve(opts.html);
      atomicWrite(files.html, renderBacktestHtml(run.result, run.summary, htmlOptions));
    }
    if (opts.json) {
      files.json = resolve(opts.json);
      atomicWrite(files.json, stringifyBacktestJson(run.result, run.summary, cost, model));
    }
    return { run, files, ...extra };
  }
  const written = writeBacktestReport(resolve(opts.out ?? 'out'), run.result, run.summary, {
    ...htmlOptions,
    basename: `backtest-${opts.preset ?? 'vixshield'}`,
  });
  return { run, files: written, ...extra };
}
