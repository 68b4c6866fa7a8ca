import { type IsoDate, isoDate, UnavailableError } from '@vixshield/core';
import {
  DAILY_PROVIDERS,
  type DataUpdateReport,
  exchangeIsTradingDay,
  ProviderError,
  runDataUpdate,
} from '@vixshield/data';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { resolveDataDir } from './data';
import { DEFAULT_TIMEOUT_SECONDS, parseNow, parseTimeout, providerHosts } from './provider-env';

function parseDay(text: string): IsoDate {
  try {
    return isoDate(text, '--to');
  } catch {
    throw new InvalidArgumentError(`--to must be a date YYYY-MM-DD, got '${text}'.`);
  }
}

function format(r: DataUpdateReport, fromDir: string | undefined): string {
  const lines = [`data update to ${r.target}${fromDir ? ` from ${fromDir}` : ''}`];
  for (const s of r.series) {
    const what = s.skipped
      ? 'skipped'
      : s.added === 0
        ? 'no new rows'
        : `+${s.added} ${s.id === 'fomc' || s.id === 'cpi' || s.id === 'ppi' || s.id === 'payrolls' ? 'dates' : s.id === 'vxSettle' ? 'sessions' : 'rows'} ${s.first} .. ${s.last}`;
    lines.push(
      `  ${s.id.padEnd(9)} ${what.padEnd(34)} ${s.source}${s.use === 'stored' ? ' (stored; not read by the engine yet)' : ''}`,
    );
    if (s.location && !s.skipped) lines.push(`  ${''.padEnd(9)}   from ${s.location}`);
    for (const n of s.notes) lines.push(`  ${''.padEnd(9)}   ${n}`);
  }
  lines.push(
    r.filesWritten === 0
      ? 'nothing new: the data directory is unchanged'
      : `wrote ${r.filesWritten} series; ${r.manifest} switched to them in one step`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * `vixshield data update [--to D] [--from-dir DIR] [--data-dir D]`: every series the engine reads
 * brought up to the last completed session (providers/daily in @vixshield/data). A source that cannot
 * be read or a malformed payload exits 1 naming the source, the URL or file and the offline
 * alternative; nothing is written then.
 */
export function registerDataUpdate(data: Command): void {
  data
    .command('update')
    .description(
      'bring every series up to the last completed session (or --to) from Cboe and FRED, or from files downloaded by hand (--from-dir)',
    )
    .option('--to <date>', 'last day to bring the data to (default: the last completed session)', parseDay)
    .option(
      '--from-dir <dir>',
      `read the payloads from this folder instead of the network; file names: ${DAILY_PROVIDERS.map((p) => p.fileName).join(', ')}`,
    )
    .option('--data-dir <dir>', 'user data directory (default $VIXSHIELD_DATA_DIR or ~/.vixshield/data)')
    .option(
      '--timeout <seconds>',
      `time limit of one request (default ${DEFAULT_TIMEOUT_SECONDS})`,
      parseTimeout,
    )
    .option('--json', 'machine-readable output')
    .addOption(
      new Option('--now <instant>', 'clock for a replay (ISO instant)').argParser(parseNow).hideHelp(),
    )
    .action(
      async (opts: {
        to?: IsoDate;
        fromDir?: string;
        dataDir?: string;
        timeout?: number;
        json?: boolean;
        now?: number;
      }) => {
        const dataDir = resolveDataDir(opts.dataDir);
        let report: DataUpdateReport;
        try {
          report = await runDataUpdate({
            dataDir,
            nowUtcMs: opts.now ?? Date.now(),
            isTradingDay: exchangeIsTradingDay,
            hosts: providerHosts(),
            ...(opts.to ? { to: opts.to } : {}),
            ...(opts.fromDir ? { fromDir: opts.fromDir } : {}),
            ...(opts.timeout ? { http: { timeoutMs: opts.timeout } } : {}),
          });
        } catch (err) {
          if (err instanceof ProviderError)
            throw new UnavailableError(`${err.message}; nothing was written`, err.field, err.hint, {
              hintInMessage: true,
            });
          throw err;
        }
        process.stdout.write(
          opts.json ? `${JSON.stringify(report, null, 2)}\n` : format(report, opts.fromDir),
        );
      },
    );
}
