import { resolve } from 'node:path';
import type { IntradaySymbol } from '@vixshield/core';
import {
  describeStarts,
  importIntradayBars,
  loadIntradayBars,
  parseResolution,
  resolutionLabel,
} from '@vixshield/data';
import type { Command } from 'commander';
import { optionError } from '../errors';

/*
 * Intraday bars on the command line: `data import spx-bars <file-or-dir> [--resolution R] [--symbol spx|es]`
 * (dispatched from `data import`) and `data bars` (what is loaded: embedded and user bars per series).
 */

/** The `data import` pseudo-series that imports intraday bars. */
export const BARS_SERIES = 'spx-bars';

function out(s: string): void {
  process.stdout.write(`${s}\n`);
}

export interface ImportBarsCliOptions {
  readonly resolution?: string;
  readonly symbol?: string;
}

/** `data import spx-bars <path>`: validates everything, then stores it (see importIntradayBars). */
export function importBarsCommand(path: string, dataDir: string, opts: ImportBarsCliOptions): void {
  const symbol = (opts.symbol ?? 'spx').toLowerCase();
  if (symbol !== 'spx' && symbol !== 'es') {
    throw optionError(
      `--symbol: '${opts.symbol}' is not supported (use spx for SPX index bars or es for E-mini S&P 500 futures bars)`,
      'symbol',
    );
  }
  let resolutionMinutes: number | undefined;
  if (opts.resolution !== undefined) {
    resolutionMinutes = parseResolution(opts.resolution, symbol);
    if (resolutionMinutes === undefined) {
      throw optionError(
        symbol === 'es'
          ? `--resolution: '${opts.resolution}' is not accepted for ES bars: use 1m, 3m, 5m or 15m (the grid must end at the 16:15 ET options close; hourly ES bars straddle it)`
          : `--resolution: '${opts.resolution}' is not an SPX bar length: use 1m, 2m, 3m, 5m, 10m, 15m, 30m or 1h`,
        'resolution',
      );
    }
  }
  const r = importIntradayBars({
    dataDir,
    path: resolve(path),
    symbol: symbol as IntradaySymbol,
    ...(resolutionMinutes === undefined ? {} : { resolutionMinutes }),
  });
  out(
    `imported ${r.bars} ${resolutionLabel(r.resolutionMinutes)} ${r.symbol.toUpperCase()} bars on ${r.days} day(s) (${r.first} .. ${r.last}) from ${r.files} file(s)${r.resolutionInferred ? ' (resolution inferred from the bar times)' : ''}; stored at ${r.storedAt}`,
  );
  if (r.symbol === 'es') {
    out(
      '  note: ES futures trade at a basis to SPX (carry minus dividends); these bars are kept apart from the SPX bars, never used as SPX prices',
    );
  }
  for (const q of r.report.quirks) out(`  ${q.rule}: ${q.dates.length} day(s). ${q.note}`);
  if (r.notImported.length > 0) out(`  not imported (not .csv files): ${r.notImported.join(', ')}`);
}

/**
 * Hook for `data import`: when `series` is `spx-bars`, imports the bars and returns true; otherwise
 * refuses the bar-only options and returns false (the daily import goes on).
 */
export function barsImportOptions(
  series: string,
  path: string,
  opts: { replace?: boolean } & ImportBarsCliOptions,
  dataDir: string,
): boolean {
  if (series !== BARS_SERIES) {
    if (opts.resolution !== undefined || opts.symbol !== undefined) {
      throw optionError(`--resolution and --symbol apply to ${BARS_SERIES} only`, 'resolution');
    }
    return false;
  }
  if (opts.replace) {
    throw optionError(
      `--replace does not apply to ${BARS_SERIES}: each imported day replaces the earlier bars of that day`,
      'replace',
    );
  }
  importBarsCommand(path, dataDir, opts);
  return true;
}

/** `data bars [--json] [--data-dir D]`: the intraday series, their days, gaps and rules. */
export function registerDataBars(data: Command, resolveDataDir: (flag: string | undefined) => string): void {
  data
    .command('bars')
    .description(
      'intraday bars: each series (embedded and imported) with days, first/last, days with missing bars, rules applied',
    )
    .option('--json', 'machine-readable output')
    .option('--data-dir <dir>', 'user data directory')
    .action((opts: { json?: boolean; dataDir?: string }) => {
      const bars = loadIntradayBars({ dataDir: resolveDataDir(opts.dataDir) });
      const rows = bars.series.map((s) => ({
        id: s.id,
        origin: s.origin,
        days: s.days.length,
        first: s.days[0]?.date ?? null,
        last: s.days.at(-1)?.date ?? null,
        bars: s.days.reduce((n, d) => n + d.bars.length, 0),
        daysWithMissingBars: s.days
          .filter((d) => d.missingStartsEt.length > 0)
          .map((d) => ({ date: d.date, missing: describeStarts(d.missingStartsEt, d.resolutionMinutes) })),
      }));
      if (opts.json) {
        out(
          JSON.stringify(
            { loadMs: Math.round(bars.loadMs), series: rows, quirks: bars.report.quirks },
            null,
            2,
          ),
        );
        return;
      }
      out(
        `${'series'.padEnd(8)} ${'first'.padEnd(10)} ${'last'.padEnd(10)} ${'days'.padStart(5)} ${'bars'.padStart(7)}  origin`,
      );
      for (const r of rows) {
        out(
          `${r.id.padEnd(8)} ${(r.first ?? '-').padEnd(10)} ${(r.last ?? '-').padEnd(10)} ${String(r.days).padStart(5)} ${String(r.bars).padStart(7)}  ${r.origin}`,
        );
        for (const m of r.daysWithMissingBars) out(`${''.padEnd(9)}missing bars ${m.date}: ${m.missing}`);
      }
      out('Rules applied (data/PROVENANCE.md, "Intraday SPX bars"):');
      for (const q of bars.report.quirks) out(`  ${q.series.padEnd(7)} ${q.rule}: ${q.dates.length} day(s)`);
      out(`loaded in ${Math.round(bars.loadMs)} ms`);
    });
}
