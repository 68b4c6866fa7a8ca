import type { IsoDate } from '@vixshield/core';
import { DataError } from '../../errors';
import { parseCell, parseDateText } from '../../fields';
import { recordProblem, recordQuirk } from '../../load-report';
import { SNAPSHOT_START, type SpxRow } from '../../loaders';
import type { ProviderHosts } from '../http';
import type { DailyRows, DailySeriesProvider, ParseContext } from './types';

/**
 * SPX daily OHLC from Cboe's delayed-quotes chart history,
 * `https://cdn.cboe.com/api/global/delayed_quotes/charts/historical/_SPX.json`:
 * `{"timestamp": "YYYY-MM-DD HH:MM:SS", "symbol": "_SPX", "data": [{"date": "YYYY-MM-DD", "open": "…",
 * "high": "…", "low": "…", "close": "…", "volume": "0.0"}, …]}`, values as strings with 6 decimals,
 * ascending, 1975 onwards (`open` is 0 in 1975-77 and on scattered days before 1997).
 *
 * Cboe's `SPX_History.csv` has closes only (`DATE,SPX`), so the OHLC comes from this file. The rules
 * are those of the SPX loaders: rows before 1990-01-02 are date-checked only; every later row needs
 * positive, consistent OHLC (Low <= Open, Close <= High); a flat O=H=L=C row is close-only; a row on
 * a day the exchange calendar says is closed is a problem.
 */
export function cboeSpxHistoryUrl(hosts: ProviderHosts): string {
  return `${hosts.cboeCdn}/api/global/delayed_quotes/charts/historical/_SPX.json`;
}

export function parseCboeSpxHistory(text: string, label: string, ctx: ParseContext): DailyRows {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataError(
      label,
      1,
      'json',
      '',
      `not valid JSON (${(e as Error).message})`,
      'the payload is cut off or not the Cboe chart history: download it again',
    );
  }
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0) {
    throw new DataError(
      label,
      1,
      'data',
      '',
      'no "data" array of daily rows',
      'expected {"symbol": "_SPX", "data": [{"date", "open", "high", "low", "close"}, ...]}',
    );
  }
  const symbol = (json as { symbol?: unknown }).symbol;
  if (symbol !== undefined && symbol !== '_SPX') {
    throw new DataError(label, 1, 'symbol', String(symbol), 'not the SPX history', 'use the _SPX.json file');
  }
  const out: SpxRow[] = [];
  const early: IsoDate[] = [];
  const flat: IsoDate[] = [];
  const off: IsoDate[] = [];
  let prev: IsoDate | undefined;
  for (let i = 0; i < data.length; i++) {
    const entry = data[i] as Record<string, unknown> | null;
    const line = i + 1;
    const at = (k: string) => `data[${i}].${k}`;
    const raw = (k: string): string => {
      const v = entry?.[k];
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
    };
    const date =
      parseDateText(raw('date')) ??
      parseCell('date', { file: label, line, field: at('date'), raw: raw('date') });
    if (prev !== undefined && date <= prev) {
      throw new DataError(
        label,
        line,
        at('date'),
        date,
        date === prev ? 'duplicate date' : `out of order (after ${prev})`,
        'the history must be ascending, one row per day',
      );
    }
    prev = date;
    if (date < SNAPSHOT_START) {
      early.push(date);
      continue;
    }
    const price = (k: 'open' | 'high' | 'low' | 'close') =>
      parseCell('price', { file: label, line, field: at(k), raw: raw(k) });
    if (ctx.validateFrom !== undefined && date < ctx.validateFrom) {
      // only compared with the stored closes: the close must be a price, nothing else is used
      const c = Number(raw('close'));
      if (Number.isFinite(c) && c > 0) {
        out.push({ date, open: null, high: null, low: null, close: c, closeOnly: true, source: 'user' });
      }
      continue;
    }
    const open = price('open');
    const high = price('high');
    const low = price('low');
    const close = price('close');
    if (high < low || open > high || open < low || close > high || close < low) {
      throw new DataError(
        label,
        line,
        at('close'),
        `${open}/${high}/${low}/${close}`,
        'OHLC inconsistent (Low <= Open, Close <= High violated)',
        'the payload is damaged: download it again',
      );
    }
    if (!ctx.isTradingDay(date)) {
      off.push(date);
      continue;
    }
    if (open === high && high === low && low === close) {
      flat.push(date);
      out.push({ date, open: null, high: null, low: null, close, closeOnly: true, source: 'user' });
    } else out.push({ date, open, high, low, close, closeOnly: false, source: 'user' });
  }
  recordQuirk(
    ctx.report,
    'spx',
    'spx-before-1990-not-used',
    early,
    'rows before 1990-01-02 are date-checked only',
  );
  recordQuirk(ctx.report, 'spx', 'flat-ohlc-is-close-only', flat, 'rows with O=H=L=C carry only a close');
  recordProblem(ctx.report, 'spx', 'row-on-non-trading-day', off, `${label}: SPX row on a closed day`);
  return { kind: 'spx', rows: out };
}

export const CBOE_SPX_PROVIDER: DailySeriesProvider = {
  id: 'spx',
  source: 'Cboe SPX (chart history)',
  use: 'engine',
  fileName: 'SPX_historical.json',
  url: (hosts) => cboeSpxHistoryUrl(hosts),
  parse: parseCboeSpxHistory,
};
