import type { DatedValue, IsoDate } from '@vixshield/core';
import { scanCsv } from '../../csv';
import { DataError } from '../../errors';
import { detectLayout, readOhlc, readValues } from '../../layout';
import { type IndexSeriesId, loadIndexCloses } from '../../loaders';
import type { ProviderHosts } from '../http';
import type { DailyRows, DailySeriesId, DailySeriesProvider, ParseContext } from './types';

/**
 * Cboe's public daily index histories, `https://cdn.cboe.com/api/global/us_indices/daily_prices/<SYM>_History.csv`:
 * `DATE,OPEN,HIGH,LOW,CLOSE` (VIX, VIX9D, VIX3M, VIX6M, VIX1Y, VIX1D) or `DATE,<SYM>` (VVIX, SKEW),
 * dates MM/DD/YYYY, values with 6 decimals, the whole history in one file. The layout of the
 * embedded `*_History.csv` files, read by the same loader with the same rules (closes only,
 * inconsistent OHLC kept by its close, rows on exchange holidays dropped, VVIX before 2007 dropped,
 * VIX1Y HIGH spikes recorded).
 */
export function cboeIndexUrl(hosts: ProviderHosts, symbol: string): string {
  return `${hosts.cboeCdn}/api/global/us_indices/daily_prices/${symbol}_History.csv`;
}

function engineIndex(id: IndexSeriesId & DailySeriesId, symbol: string): DailySeriesProvider {
  return {
    id,
    source: `Cboe ${symbol}`,
    use: 'engine',
    fileName: `${symbol}_History.csv`,
    url: (hosts) => cboeIndexUrl(hosts, symbol),
    parse: (text, label, ctx): DailyRows => ({
      kind: 'values',
      rows: loadIndexCloses(id, text, label, ctx.isTradingDay, ctx.report),
    }),
  };
}

/**
 * VIX1D closes (the one-day vol of the short-dated model on the days it has). Cboe layout, or the
 * two-column `date,close` layout of the embedded training file; rows on closed days are dropped and
 * noted like the other indices.
 */
export function parseVix1d(text: string, label: string, ctx: ParseContext): DailyRows {
  const table = scanCsv(text, label);
  const lower = table.header.map((h) => h.toLowerCase());
  let rows: DatedValue[];
  if (lower.length === 2 && lower[0] === 'date' && lower[1] === 'close') {
    rows = readValues(table, { kind: 'value', dateCol: 0, valueCol: 1, name: 'close' }, 'price')
      .filter((r) => r.value !== null)
      .map((r) => ({ date: r.date, value: r.value as number }));
  } else {
    const layout = detectLayout(table);
    rows =
      layout.kind === 'ohlc'
        ? readOhlc(table, layout, true).map((r) => ({ date: r.date, value: r.close }))
        : readValues(table, layout, 'price')
            .filter((r) => r.value !== null)
            .map((r) => ({ date: r.date, value: r.value as number }));
  }
  if (rows.length === 0) {
    throw new DataError(label, 2, 'rows', '', 'no VIX1D values', 'the file must hold dated closes');
  }
  const off: IsoDate[] = rows.filter((r) => !ctx.isTradingDay(r.date)).map((r) => r.date);
  if (off.length > 0) {
    ctx.notes.push(`vix1d: ${off.length} row(s) on closed days dropped (${off.slice(0, 5).join(' ')})`);
  }
  const offSet = new Set<string>(off);
  return { kind: 'values', rows: rows.filter((r) => !offSet.has(r.date)) };
}

export const CBOE_INDEX_PROVIDERS: readonly DailySeriesProvider[] = [
  engineIndex('vix', 'VIX'),
  engineIndex('vix9d', 'VIX9D'),
  engineIndex('vix3m', 'VIX3M'),
  engineIndex('vix6m', 'VIX6M'),
  engineIndex('vix1y', 'VIX1Y'),
  engineIndex('vvix', 'VVIX'),
  engineIndex('skew', 'SKEW'),
  {
    id: 'vix1d',
    source: 'Cboe VIX1D',
    use: 'engine',
    fileName: 'VIX1D_History.csv',
    url: (hosts) => cboeIndexUrl(hosts, 'VIX1D'),
    parse: parseVix1d,
  },
];
