import { renderBacktestJson, runCliBacktest } from '@vixshield/app';
import { type ApiError, toApiError } from '../errors';

/** What POST /api/backtests accepts (validated by the route before it is queued). */
export interface BacktestRequest {
  readonly from?: string;
  readonly to?: string;
  readonly preset?: string;
  readonly equity?: number;
  readonly fill?: string;
}

export type BacktestJobResult =
  | {
      readonly ok: true;
      readonly summary: unknown;
      /** The JSON report as text: the HTTP answer splices it in, the main thread never parses it. */
      readonly reportJson: string;
      readonly elapsedMs: number;
    }
  | { readonly ok: false; readonly error: ApiError };

/**
 * One backtest run, as a worker thread executes it (see worker.mjs). Errors the user can fix come
 * back as the API's `{error, field, hint}` (a thrown DomainError would lose its class crossing threads).
 */
export function runBacktestJob(job: { request: BacktestRequest; dataDir?: string }): BacktestJobResult {
  const r = job.request;
  try {
    const run = runCliBacktest({
      ...(r.from ? { from: r.from } : {}),
      ...(r.to ? { to: r.to } : {}),
      ...(r.preset ? { preset: r.preset } : {}),
      ...(r.equity ? { equity: String(r.equity) } : {}),
      ...(r.fill ? { fill: r.fill } : {}),
      ...(job.dataDir ? { dataDir: job.dataDir } : {}),
      quiet: true,
    });
    return {
      ok: true,
      summary: run.summary,
      reportJson: JSON.stringify(renderBacktestJson(run.result, run.summary)),
      elapsedMs: run.elapsedMs,
    };
  } catch (err) {
    return { ok: false, error: toApiError(err).body };
  }
}
