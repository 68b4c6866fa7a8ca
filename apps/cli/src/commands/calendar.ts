import { calendarRows } from '@vixshield/app';
import {
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  expirationsListedOn,
  type IsoDate,
  isoDate,
} from '@vixshield/core';
import type { Command } from 'commander';
import { optionError } from '../errors';

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}

const yesNo = (b: boolean): string => (b ? 'yes' : '');

function requireDate(value: unknown, flag: string): IsoDate {
  if (typeof value !== 'string' || value === '') {
    throw optionError(`missing ${flag} <YYYY-MM-DD>`, flag.replace(/^--/, ''));
  }
  const date = isoDate(value, flag);
  const year = Number(date.slice(0, 4));
  if (year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
    throw optionError(
      `${flag} ${date} is outside the supported calendar ${CALENDAR_FIRST_YEAR}-${CALENDAR_LAST_YEAR}`,
      flag.replace(/^--/, ''),
    );
  }
  return date;
}

/** `vixshield calendar [--from D --to D] [--json]` and `vixshield calendar expirations --date D [--json]`. */
export function registerCalendar(program: Command): void {
  const calendar = program
    .command('calendar')
    .enablePositionalOptions() // `calendar expirations --json` belongs to the subcommand
    .description('SPX trading days (New York times), early closes and SPX/SPXW expiry days, 1990-2030')
    .option('--from <date>', 'first date, YYYY-MM-DD')
    .option('--to <date>', 'last date, YYYY-MM-DD (inclusive)')
    .option('--json', 'print JSON (one object per trading day)')
    .action((opts: { from?: string; to?: string; json?: boolean }) => {
      const from = requireDate(opts.from, '--from');
      const to = requireDate(opts.to, '--to');
      if (from > to) throw optionError(`--from ${from} is after --to ${to}`, 'from');
      const rows = calendarRows(from, to);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        table(
          ['date', 'open ET', 'close ET', 'early', 'SPXW expiry', 'SPX AM monthly'],
          rows.map((r) => [
            r.date,
            r.open,
            r.close,
            yesNo(r.earlyClose),
            yesNo(r.spxwExpiry),
            yesNo(r.spxMonthlyExpiry),
          ]),
        ),
      );
      process.stdout.write(`${rows.length} trading day(s)\n`);
    });

  calendar
    .command('expirations')
    .description(
      'SPX (AM) and SPXW (PM) expirations listed on a date, by an approximate listing horizon: ' +
        'dailies 4 weeks, Friday weeklies 6 weeks, monthlies and end-of-month 12 months ahead',
    )
    .option('--date <date>', 'as-of date, YYYY-MM-DD')
    .option('--json', 'print JSON')
    .action((opts: { date?: string; json?: boolean }) => {
      const asOf = requireDate(opts.date, '--date');
      const list = expirationsListedOn(asOf);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        table(
          ['expiry', 'root', 'settle', 'kind', 'DTE trading', 'DTE calendar'],
          list.map((e) => [
            e.expiry,
            e.root,
            e.settlement,
            e.kind,
            String(e.dteTrading),
            String(e.dteCalendar),
          ]),
        ),
      );
      process.stdout.write(
        `${list.length} expiration(s) listed as of ${asOf} (approximate listing horizon)\n`,
      );
    });
}
