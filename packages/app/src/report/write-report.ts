import { join } from 'node:path';
import type { BacktestResult, BacktestSummary } from '@vixshield/core';
import { atomicWrite, ensureDirectory } from '@vixshield/data';
import {
  type CostSensitivityPoint,
  type HtmlReportOptions,
  type ModelSensitivityPoint,
  renderBacktestHtml,
  renderBacktestJson,
} from './html-report';

/** The JSON export as text: two-space indented, trailing newline, byte-identical for the same inputs. */
export function stringifyBacktestJson(
  result: BacktestResult,
  summary: BacktestSummary,
  costSensitivity?: readonly CostSensitivityPoint[],
  modelSensitivity?: readonly ModelSensitivityPoint[],
): string {
  return `${JSON.stringify(renderBacktestJson(result, summary, costSensitivity, modelSensitivity), null, 2)}\n`;
}

/**
 * Writes `<basename>.html` and `<basename>.json` into `dir` (created if missing) and returns their
 * paths. The HTML is self-contained: the file can be mailed or opened offline.
 */
export function writeBacktestReport(
  dir: string,
  result: BacktestResult,
  summary: BacktestSummary,
  options: HtmlReportOptions & { readonly basename?: string },
): { html: string; json: string } {
  ensureDirectory(dir, 'report directory');
  const base = options.basename ?? 'backtest';
  const html = join(dir, `${base}.html`);
  const json = join(dir, `${base}.json`);
  // Temp file + rename: a killed run leaves the previous report, never half of one.
  atomicWrite(html, renderBacktestHtml(result, summary, options));
  atomicWrite(
    json,
    stringifyBacktestJson(result, summary, options.costSensitivity, options.modelSensitivity),
  );
  return { html, json };
}
