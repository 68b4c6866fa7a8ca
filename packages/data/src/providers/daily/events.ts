import type { IsoDate } from '@vixshield/core';
import { z } from 'zod';
import { parseCsv } from '../../csv';
import { DataError } from '../../errors';
import { parseCell, parseDateText } from '../../fields';
import type { ProviderHosts } from '../http';
import type { DailyRows, DailySeriesId, DailySeriesProvider } from './types';

/*
 * Event calendars as data files the user refreshes: FOMC decision days in the layout of
 * data/fomc-decision-dates-2015-2026.csv (decision_date,meeting_start,type,source), and CPI, PPI and
 * payroll release days in the layout of data/cpi-release-dates-2021-2026.csv
 * (reference_month,release_date). No official CSV of these schedules exists, so there is no default
 * URL: the files come from --from-dir, or from VIXSHIELD_EVENTS_URL/<file name> (any server the user
 * keeps them on). A file replaces the stored calendar whole, after validation; the engine reads it over
 * the embedded calendar (market-data.ts: inside its span its dates win, and the kind is known to its
 * last release), so the event rule and the one-day model see releases after the embedded files end.
 */

const fomcRow = z.object({
  decision_date: z.string(),
  meeting_start: z.string(),
  type: z.enum(['scheduled', 'unscheduled']),
  source: z.string().min(1),
});

export function parseFomcCalendar(text: string, label: string): DailyRows {
  const t = parseCsv(text, label);
  const dates: IsoDate[] = [];
  for (const r of t.rows) {
    const obj = Object.fromEntries(t.header.map((k, i) => [k, r.fields[i] ?? '']));
    const parsed = fomcRow.safeParse(obj);
    if (!parsed.success) {
      const iss = parsed.error.issues[0]!;
      const field = String(iss.path[0] ?? 'row');
      throw new DataError(
        label,
        r.line,
        field,
        String(obj[field] ?? ''),
        iss.message,
        'columns decision_date,meeting_start,type (scheduled|unscheduled),source',
      );
    }
    const d = parseCell('date', {
      file: label,
      line: r.line,
      field: 'decision_date',
      raw: parsed.data.decision_date,
    });
    const start = parseCell('date', {
      file: label,
      line: r.line,
      field: 'meeting_start',
      raw: parsed.data.meeting_start,
    });
    if (start > d) {
      throw new DataError(
        label,
        r.line,
        'meeting_start',
        start,
        `after the decision ${d}`,
        'a meeting starts on or before its decision',
      );
    }
    dates.push(d);
  }
  if (dates.length === 0) throw new DataError(label, 2, 'rows', '', 'no FOMC dates', 'add rows');
  return { kind: 'events', dates: [...new Set(dates)].sort() as IsoDate[], text };
}

/** Release calendars (CPI, PPI, payrolls): a month's figure is released in a later month. */
export function parseReleaseCalendar(what: string, text: string, label: string): DailyRows {
  const t = parseCsv(text, label);
  const rc = t.header.indexOf('release_date');
  const mc = t.header.indexOf('reference_month');
  if (rc < 0 || mc < 0) {
    throw new DataError(
      label,
      1,
      rc < 0 ? 'release_date' : 'reference_month',
      t.header.join(','),
      'missing column',
      'header must be reference_month,release_date',
    );
  }
  const dates: IsoDate[] = [];
  for (const r of t.rows) {
    const ref = r.fields[mc] ?? '';
    if (parseDateText(`${ref}-01`) === undefined) {
      throw new DataError(
        label,
        r.line,
        'reference_month',
        ref,
        'not a month',
        'write the reference month as YYYY-MM',
      );
    }
    const d = parseCell('date', {
      file: label,
      line: r.line,
      field: 'release_date',
      raw: r.fields[rc] ?? '',
    });
    if (d.slice(0, 7) <= ref) {
      throw new DataError(
        label,
        r.line,
        'release_date',
        d,
        `released on or before its reference month ${ref}`,
        `${what} for a month is released in a later month`,
      );
    }
    dates.push(d);
  }
  if (dates.length === 0) throw new DataError(label, 2, 'rows', '', `no ${what} dates`, 'add rows');
  return { kind: 'events', dates: [...new Set(dates)].sort() as IsoDate[], text };
}

function eventProvider(
  id: DailySeriesId,
  source: string,
  fileName: string,
  parse: DailySeriesProvider['parse'],
): DailySeriesProvider {
  return {
    id,
    source,
    use: 'engine',
    fileName,
    url: (hosts: ProviderHosts) =>
      hosts.events ? `${hosts.events.replace(/\/+$/, '')}/${fileName}` : undefined,
    parse,
  };
}

export const EVENT_PROVIDERS: readonly DailySeriesProvider[] = [
  eventProvider('fomc', 'FOMC decision calendar', 'fomc-decision-dates.csv', (t, l) =>
    parseFomcCalendar(t, l),
  ),
  eventProvider('cpi', 'CPI release calendar', 'cpi-release-dates.csv', (t, l) =>
    parseReleaseCalendar('CPI', t, l),
  ),
  eventProvider('ppi', 'PPI release calendar', 'ppi-release-dates.csv', (t, l) =>
    parseReleaseCalendar('PPI', t, l),
  ),
  eventProvider('payrolls', 'payrolls release calendar', 'payrolls-release-dates.csv', (t, l) =>
    parseReleaseCalendar('payrolls', t, l),
  ),
];
