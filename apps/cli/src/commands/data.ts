import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DamagedDataError } from '@vixshield/core';
import {
  checkMarketData,
  exchangeIsTradingDay,
  IMPORTABLE_SERIES,
  type ImportableSeries,
  importUserSeries,
  listUserImports,
  loadEmbeddedMarketData,
  type MarketData,
  removeUserImport,
  USER_DATE_FORMATS,
  type UserDateFormat,
} from '@vixshield/data';
import { type Command, Option } from 'commander';
import { optionError } from '../errors';
import { BARS_SERIES, barsImportOptions, registerDataBars } from './data-bars';
import { registerDataUpdate } from './data-update';

/** `--data-dir` > env VIXSHIELD_DATA_DIR > ~/.vixshield/data. */
export function resolveDataDir(flag: string | undefined): string {
  if (flag) return resolve(flag);
  const env = process.env.VIXSHIELD_DATA_DIR;
  if (env) return resolve(env);
  return join(homedir(), '.vixshield', 'data');
}

function out(s: string): void {
  process.stdout.write(`${s}\n`);
}

function load(dataDir: string): MarketData {
  return loadEmbeddedMarketData({ dataDir, isTradingDay: exchangeIsTradingDay });
}

function listDates(ds: readonly string[], max = 6): string {
  if (ds.length === 0) return '';
  return ds.length <= max ? ds.join(' ') : `${ds.slice(0, max).join(' ')} ... (+${ds.length - max} more)`;
}

export function registerData(program: Command): void {
  const data = program
    .command('data')
    .description('Embedded market data: info, consistency check, user imports');

  data
    .command('info')
    .description('each series: first and last date, rows, gaps against the trading calendar')
    .option('--json', 'machine-readable output')
    .option('--data-dir <dir>', 'user data directory (default $VIXSHIELD_DATA_DIR or ~/.vixshield/data)')
    .action((opts: { json?: boolean; dataDir?: string }) => {
      const md = load(resolveDataDir(opts.dataDir));
      if (opts.json) {
        out(
          JSON.stringify(
            {
              snapshots: md.snapshots.length,
              first: md.snapshots[0]?.date ?? null,
              last: md.snapshots.at(-1)?.date ?? null,
              loadMs: Math.round(md.loadMs),
              series: md.series.map((s) => ({
                ...s,
                gaps: s.gaps === null ? null : s.gaps.length,
                gapDates: s.gaps,
              })),
            },
            null,
            2,
          ),
        );
        return;
      }
      out(
        `${'series'.padEnd(11)} ${'first'.padEnd(10)} ${'last'.padEnd(10)} ${'rows'.padStart(6)} ${'gaps'.padStart(5)}  origin`,
      );
      for (const s of md.series) {
        out(
          `${s.id.padEnd(11)} ${(s.first ?? '-').padEnd(10)} ${(s.last ?? '-').padEnd(10)} ${String(s.rows).padStart(6)} ${(s.gaps === null ? '-' : String(s.gaps.length)).padStart(5)}  ${s.origin}${s.gaps?.length ? `  ${listDates(s.gaps, 4)}` : ''}`,
        );
      }
      out(
        `${md.snapshots.length} snapshots ${md.snapshots[0]?.date} .. ${md.snapshots.at(-1)?.date}; loaded in ${Math.round(md.loadMs)} ms`,
      );
    });

  data
    .command('check')
    .description(
      'consistency report: OHLC order, gaps, duplicates, outliers, quirks applied (exit 1 on new problems)',
    )
    .option('--json', 'machine-readable output')
    .option('--data-dir <dir>', 'user data directory')
    .action((opts: { json?: boolean; dataDir?: string }) => {
      const md = load(resolveDataDir(opts.dataDir));
      const res = checkMarketData(md);
      if (opts.json) {
        out(
          JSON.stringify(
            {
              ok: res.ok,
              findings: res.findings,
              quirks: md.loadReport.quirks.map((q) => ({
                ...q,
                count: q.dates.length,
                dates: q.dates.length > 50 ? [...q.dates.slice(0, 50), '...'] : q.dates,
              })),
            },
            null,
            2,
          ),
        );
      } else {
        out('Quirk rules applied (documented in data/PROVENANCE.md):');
        for (const q of md.loadReport.quirks) {
          out(
            `  ${q.series.padEnd(10)} ${q.rule}: ${q.dates.length} date(s)${q.dates.length ? ` [${listDates(q.dates)}]` : ''}`,
          );
          out(`  ${''.padEnd(10)}   ${q.note}`);
        }
        out('Findings:');
        for (const f of res.findings) {
          out(
            `  ${f.documented ? 'documented' : 'NEW       '} ${f.series.padEnd(10)} ${f.check}: ${f.dates.length} date(s) [${listDates(f.dates)}] ${f.message}`,
          );
        }
        const n = res.findings.filter((f) => !f.documented).length;
        out(res.ok ? 'OK: only documented quirks.' : `FAILED: ${n} new problem(s).`);
      }
      if (!res.ok)
        throw new DamagedDataError('data check found new problems', 'data', 'see the findings above', {
          hintInMessage: true,
        });
    });

  data
    .command('import')
    .description(
      `extend or replace a series from a CSV (Cboe DATE,OPEN,HIGH,LOW,CLOSE or DATE,VALUE; Stooq/Yahoo Date,Open,High,Low,Close; FRED observation_date,VALUE). Series: ${IMPORTABLE_SERIES.join(', ')}; ${BARS_SERIES} imports intraday bars (a file or a directory)`,
    )
    .argument('<series>', 'series id')
    .argument('<file>', 'CSV file to import')
    .option('--replace', 'make this file the whole series (default: extend; the newest rows win on overlap)')
    .option('--resolution <r>', `${BARS_SERIES}: bar length 1m|5m|15m|30m|1h (default: inferred)`)
    .option('--symbol <s>', `${BARS_SERIES}: spx (index, default) or es (E-mini futures)`)
    .option('--data-dir <dir>', 'user data directory')
    .addOption(
      new Option(
        '--date-format <f>',
        'how the file writes its dates (default YYYY-MM-DD; e.g. MM/DD/YYYY for Cboe history files)',
      ).choices([...USER_DATE_FORMATS]),
    )
    .action(
      (
        series: string,
        file: string,
        opts: { replace?: boolean; dataDir?: string; dateFormat?: UserDateFormat },
      ) => {
        if (barsImportOptions(series, file, opts, resolveDataDir(opts.dataDir))) return;
        if (!(IMPORTABLE_SERIES as readonly string[]).includes(series)) {
          throw optionError(
            `unknown series '${series}' (choose one of ${IMPORTABLE_SERIES.join(', ')})`,
            'series',
          );
        }
        const dataDir = resolveDataDir(opts.dataDir);
        const r = importUserSeries({
          dataDir,
          series: series as ImportableSeries,
          file: resolve(file),
          mode: opts.replace ? 'replace' : 'extend',
          isTradingDay: exchangeIsTradingDay,
          dateFormat: opts.dateFormat,
        });
        out(
          `imported ${r.rows} rows of ${r.series} (${r.first} .. ${r.last}), mode ${r.mode}, stored at ${r.storedAt}`,
        );
        for (const q of r.report.quirks.filter((x) => x.dates.length > 0)) {
          out(`  quirk ${q.rule}: ${q.dates.length} date(s) [${listDates(q.dates)}]`);
        }
      },
    );

  data
    .command('imports')
    .description('list the user imports of daily series: id, series, file, rows, date range, imported at')
    .option('--data-dir <dir>', 'user data directory')
    .option('--json', 'print them as JSON', false)
    .action((opts: { dataDir?: string; json: boolean }) => {
      const list = listUserImports(resolveDataDir(opts.dataDir));
      if (opts.json) {
        out(JSON.stringify(list, null, 2));
        return;
      }
      if (list.length === 0) {
        out('no user imports (the embedded series are used as they are)');
        return;
      }
      const rows = [
        ['id', 'series', 'mode', 'file', 'rows', 'range', 'imported at'],
        ...list.map((e) => [
          e.id,
          e.series,
          e.mode,
          e.file,
          String(e.rows),
          `${e.first} .. ${e.last}`,
          e.importedAt ?? '(not recorded)',
        ]),
      ];
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const r of rows)
        out(
          r
            .map((c, i) => c.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
        );
    });

  data
    .command('remove')
    .description(
      'drop user imports: a series (all its imports; the embedded series is used again) or one import id from `data imports` (manifest rewritten atomically)',
    )
    .argument('<series|id>', 'series (e.g. vix) or import id (e.g. vix.2)')
    .option('--data-dir <dir>', 'user data directory')
    .action((target: string, opts: { dataDir?: string }) => {
      const removed = removeUserImport(resolveDataDir(opts.dataDir), target);
      for (const e of removed) {
        out(`removed ${e.id}: ${e.rows} rows of ${e.series} from ${e.file} (${e.first} .. ${e.last})`);
      }
    });

  registerDataBars(data, resolveDataDir);
  registerDataUpdate(data);
}
