import { type IsoDate, type VixFuturesRow, vixContractsAfter } from '@vixshield/core';
import { parseCsv } from '../../csv';
import { DataError } from '../../errors';
import { parseCell } from '../../fields';
import type { ProviderHosts } from '../http';
import type { DailyRows, DailySeriesProvider, ParseContext, VxSettlement } from './types';

/**
 * VX futures daily settlements from the CFE settlement CSV,
 * `https://www-api.cboe.com/us/futures/market_statistics/settlement/csv?dt=YYYY-MM-DD`: one file per
 * trade date, `Product,Symbol,Expiration Date,Price`, every CFE product (VX, VXM, ...). The date is
 * not in the file (it is the `dt` parameter), so a file read from `--from-dir` is named
 * `cfe-vx-settlement-YYYY-MM-DD.csv`. The endpoint serves a rolling window of recent sessions only.
 *
 * Kept: Product VX. Monthly contracts are `VX/<month code><year digit>` (VX/U6); weeklies are
 * `VX<week>/<month><year>` (VX38/U6) and often carry the next monthly's price as a fill value, so
 * they are kept but flagged (`monthly: false`) and never used as a curve point. A price may carry a
 * trailing `*` (seen on far contracts); the number is kept and the flag noted.
 */
export function cfeSettlementUrl(hosts: ProviderHosts, date: IsoDate): string {
  return `${hosts.cboeFutures}/us/futures/market_statistics/settlement/csv?dt=${date}`;
}

export const VX_FILE_PREFIX = 'cfe-vx-settlement-';
export const vxFileName = (date: IsoDate): string => `${VX_FILE_PREFIX}${date}.csv`;

const MONTHLY = /^VX\/[FGHJKMNQUVXZ]\d$/;
const WEEKLY = /^VX\d{1,2}\/[FGHJKMNQUVXZ]\d$/;

/** The settlements of session `date` from one CFE settlement CSV. */
export function parseCfeSettlement(
  text: string,
  label: string,
  date: IsoDate,
  ctx: ParseContext,
): VxSettlement[] {
  const t = parseCsv(text, label);
  const h = t.header.map((x) => x.toLowerCase());
  const need = ['product', 'symbol', 'expiration date', 'price'];
  const miss = need.find((n) => !h.includes(n));
  if (miss) {
    throw new DataError(
      label,
      1,
      miss,
      t.header.join(','),
      'missing column',
      'the CFE settlement CSV has the header Product,Symbol,Expiration Date,Price',
    );
  }
  const [pc, sc, ec, vc] = need.map((n) => h.indexOf(n)) as [number, number, number, number];
  const out: VxSettlement[] = [];
  const starred: string[] = [];
  const seen = new Set<string>();
  for (const r of t.rows) {
    if ((r.fields[pc] ?? '').trim() !== 'VX') continue;
    const symbol = (r.fields[sc] ?? '').trim();
    const monthly = MONTHLY.test(symbol);
    if (!monthly && !WEEKLY.test(symbol)) {
      throw new DataError(label, r.line, 'Symbol', symbol, 'not a VX contract symbol', 'VX/U6 or VX38/U6');
    }
    if (seen.has(symbol)) {
      throw new DataError(label, r.line, 'Symbol', symbol, 'listed twice', 'one row per contract');
    }
    seen.add(symbol);
    const expiry = parseCell('date', {
      file: label,
      line: r.line,
      field: 'Expiration Date',
      raw: r.fields[ec] ?? '',
    });
    if (expiry < date) {
      throw new DataError(
        label,
        r.line,
        'Expiration Date',
        expiry,
        `expired before the session ${date}`,
        'check that the file is the settlement of that session',
      );
    }
    let raw = (r.fields[vc] ?? '').trim();
    if (raw.endsWith('*')) {
      starred.push(symbol);
      raw = raw.slice(0, -1);
    }
    const settle = parseCell('price', { file: label, line: r.line, field: 'Price', raw });
    out.push({ date, symbol, expiry, settle, monthly });
  }
  if (!out.some((x) => x.monthly)) {
    throw new DataError(
      label,
      2,
      'Product',
      '',
      'no monthly VX contract in the file',
      'check the session date',
    );
  }
  if (starred.length > 0) ctx.notes.push(`vxSettle ${date}: price marked * kept for ${starred.join(' ')}`);
  return out.sort((a, b) =>
    a.expiry < b.expiry ? -1 : a.expiry > b.expiry ? 1 : a.symbol < b.symbol ? -1 : 1,
  );
}

/** The stored form: `date,symbol,expiry,settle` (all sessions in one file). */
export function formatVxSettlements(rows: readonly VxSettlement[]): string {
  return `date,symbol,expiry,settle\n${rows.map((r) => `${r.date},${r.symbol},${r.expiry},${r.settle}`).join('\n')}\n`;
}

export function parseStoredVx(text: string, label: string): VxSettlement[] {
  const t = parseCsv(text, label);
  return t.rows.map((r) => {
    const symbol = r.fields[1] ?? '';
    return {
      date: parseCell('date', { file: label, line: r.line, field: 'date', raw: r.fields[0] ?? '' }),
      symbol,
      expiry: parseCell('date', { file: label, line: r.line, field: 'expiry', raw: r.fields[2] ?? '' }),
      settle: parseCell('price', { file: label, line: r.line, field: 'settle', raw: r.fields[3] ?? '' }),
      monthly: MONTHLY.test(symbol),
    };
  });
}

/**
 * The M1..M8 curve of one session from its settlements: each of the calendar's next eight monthly
 * contracts (vixContractsAfter: those expiring on the session itself have settled that morning) gets
 * the settlement of the monthly contract with its expiry, or null when the file has none. Matched by
 * expiry, so a contract missing from a file leaves a hole instead of shifting the rest. Weeklies never
 * enter.
 */
export function vxCurveOf(rows: readonly VxSettlement[], date: IsoDate): VixFuturesRow['closes'] {
  const byExpiry = new Map<string, number>();
  for (const r of rows) if (r.date === date && r.monthly) byExpiry.set(r.expiry, r.settle);
  const c = vixContractsAfter(date, 8).map((k) => byExpiry.get(k.expiry) ?? null);
  return [c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!];
}

/** The vendor the engine names for curves from stored settlements. */
export const VX_SETTLEMENT_VENDOR = 'CFE daily settlement (data update)';

/**
 * The stored settlements as the engine's VX rows: one per session with at least one monthly contract
 * on the calendar's M1..M8, ascending dates.
 */
export function vxFuturesRows(rows: readonly VxSettlement[]): VixFuturesRow[] {
  const dates = [...new Set(rows.map((r) => r.date))].sort();
  return dates
    .map((date) => ({ date, closes: vxCurveOf(rows, date), vendor: VX_SETTLEMENT_VENDOR }))
    .filter((r) => r.closes.some((v) => v !== null));
}

export const CFE_VX_PROVIDER: DailySeriesProvider = {
  id: 'vxSettle',
  source: 'Cboe CFE VX settlement',
  use: 'stored',
  fileName: `${VX_FILE_PREFIX}YYYY-MM-DD.csv`,
  url: () => undefined, // per session: see cfeSettlementUrl
  parse: (text, label): DailyRows => ({ kind: 'vx', rows: parseStoredVx(text, label) }),
};
