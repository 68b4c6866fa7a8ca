import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IsoDate } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  dailyProvider,
  exchangeIsTradingDay,
  loadCpiDates,
  loadEmbeddedMarketData,
  loadFomcDates,
  newReport,
  type ParseContext,
  parseCfeSettlement,
  VX_SETTLEMENT_VENDOR,
  vxCurveOf,
  vxFuturesRows,
} from '../../src/index';

/*
 * Every provider's parser on real recorded payloads (packages/data/test/fixtures/providers/README.md
 * says where each came from). Expected values are read from the payloads' sources independently:
 * the embedded data where the two overlap, the source files' own rows otherwise.
 */

const FIX = fileURLToPath(new URL('../fixtures/providers/', import.meta.url));
const read = (p: string) => readFileSync(`${FIX}${p}`, 'utf8');
const ctx = (validateFrom?: IsoDate): ParseContext => ({
  isTradingDay: exchangeIsTradingDay,
  report: newReport(),
  notes: [],
  ...(validateFrom ? { validateFrom } : {}),
});
const md = loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay });
const valuesOf = (rows: unknown) => rows as Array<{ date: string; value: number }>;

describe('Cboe index histories (<SYM>_History.csv)', () => {
  it.each([
    ['vix9d', 'VIX9D_History.csv'],
    ['vvix', 'VVIX_History.csv'],
    ['skew', 'SKEW_History.csv'],
    ['vix6m', 'VIX6M_History.csv'],
    ['vix1y', 'VIX1Y_History.csv'],
    ['vix', 'VIX_History.csv'],
  ] as const)('%s: the excerpt parses and equals the embedded closes on every common day', (id, file) => {
    const c = ctx();
    const r = dailyProvider(id).parse(read(`cboe-index/${file}`), file, c);
    expect(r.kind).toBe('values');
    const rows = valuesOf((r as { rows: unknown }).rows);
    expect(rows.length).toBeGreaterThan(15);
    const embedded = new Map(md.data[id].map((p) => [p.date as string, p.value]));
    let common = 0;
    for (const p of rows) {
      const e = embedded.get(p.date);
      if (e === undefined) continue;
      common++;
      expect({ date: p.date, v: p.value }).toEqual({ date: p.date, v: e });
    }
    expect(common).toBeGreaterThan(15);
    expect(c.report.problems).toEqual([]);
  });

  it('VIX: the Memorial Day 2026-05-25 Cboe holiday session is dropped by the named rule (VIX excerpt of 06-22.. has none; VIX3M real Cboe file from 2026-08-24)', () => {
    const c = ctx();
    const r = dailyProvider('vix3m').parse(read('cboe-index/VIX3M_History.csv'), 'VIX3M_History.csv', c);
    const rows = valuesOf((r as { rows: unknown }).rows);
    expect(rows[0]).toEqual({ date: '2026-08-24', value: 18.56 });
    expect(rows.at(-1)).toEqual({ date: '2026-10-05', value: 18 });
    expect(rows.some((p) => p.date === '2026-09-07')).toBe(false); // Labor Day: not in the file
    expect(rows.length).toBe(30);
  });

  it('VIX1D: the transcribed date,close layout reads the closes; a Saturday row is dropped and noted', () => {
    const c = ctx();
    const text = `${read('cboe-index/VIX1D_History.csv')}2025-07-05,11.00\n`;
    const r = dailyProvider('vix1d').parse(text, 'VIX1D_History.csv', c);
    const rows = valuesOf((r as { rows: unknown }).rows);
    expect(rows.at(-1)).toEqual({ date: '2025-06-30', value: 10.17 });
    expect(c.notes.join(' ')).toMatch(/1 row\(s\) on closed days dropped \(2025-07-05\)/);
  });

  it('a damaged row is a DataError naming file, line and field', () => {
    const text = read('cboe-index/VIX9D_History.csv').replace('07/22/2026,', '07/22/2026,x');
    expect(() => dailyProvider('vix9d').parse(text, 'VIX9D_History.csv', ctx())).toThrow(DataError);
    expect(() => dailyProvider('vix9d').parse(text, 'VIX9D_History.csv', ctx())).toThrow(
      /VIX9D_History\.csv:\d+: field 'OPEN' has bad value 'x/,
    );
  });
});

describe('Cboe SPX chart history (charts/historical/_SPX.json)', () => {
  const text = read('cboe-spx/SPX_historical.json');

  it('reads OHLC bars; the days it shares with the embedded Yahoo-derived bars agree to the cent', () => {
    const c = ctx();
    const r = dailyProvider('spx').parse(text, 'SPX_historical.json', c);
    if (r.kind !== 'spx') throw new Error('kind');
    expect(r.rows.length).toBe(21);
    expect(r.rows.some((b) => b.date === '2026-09-07')).toBe(false);
    const last = r.rows.at(-1)!;
    expect(last).toMatchObject({
      date: '2026-09-14',
      open: 7611.44,
      high: 7647.99,
      low: 7592.28,
      close: 7619.98,
    });
    const embedded = new Map(md.data.spx.map((b) => [b.date as string, b]));
    let common = 0;
    for (const b of r.rows) {
      const e = embedded.get(b.date);
      if (!e) continue;
      common++;
      expect([b.open, b.high, b.low, b.close]).toEqual([e.open, e.high, e.low, e.close]);
    }
    expect(common).toBe(6); // 2026-08-14 .. 2026-08-21
    expect(c.report.problems).toEqual([]);
  });

  it('rows before validateFrom are only compared (closes); from it on every bar is checked', () => {
    const bad = text.replace('"low": "7592.280000"', '"low": "7700.000000"'); // 09-14: low above the close
    expect(() => dailyProvider('spx').parse(bad, 'x.json', ctx())).toThrow(
      /x\.json:21: field 'data\[20\]\.close'.*OHLC inconsistent/,
    );
    // an old defect before the first day the update may add does not block it
    const r = dailyProvider('spx').parse(bad, 'x.json', ctx('2026-09-15' as IsoDate));
    expect(r.kind === 'spx' && r.rows.at(-1)!.closeOnly).toBe(true);
  });

  it('a cut-off payload, a row on a Saturday and a wrong symbol are named', () => {
    expect(() => dailyProvider('spx').parse(text.slice(0, 500), 'x.json', ctx())).toThrow(/not valid JSON/);
    const c = ctx();
    dailyProvider('spx').parse(text.replace('"2026-09-14"', '"2026-09-19"'), 'x.json', c);
    expect(c.report.problems).toMatchObject([{ kind: 'row-on-non-trading-day', dates: ['2026-09-19'] }]);
    expect(() => dailyProvider('spx').parse(text.replace('"_SPX"', '"_VIX"'), 'x.json', ctx())).toThrow(
      /not the SPX history/,
    );
  });
});

describe('FRED fredgraph.csv', () => {
  it('DFF (observation_date,DFF): every calendar day, agreeing with the embedded series', () => {
    const r = dailyProvider('dff').parse(read('fred/DFF.csv'), 'DFF.csv', ctx());
    const rows = valuesOf((r as { rows: unknown }).rows);
    expect(rows.length).toBe(71);
    expect(rows.find((p) => p.date === '2026-08-20')!.value).toBe(3.63);
    const embedded = new Map(md.data.dff.map((p) => [p.date as string, p.value]));
    for (const p of rows) expect(embedded.get(p.date)).toBe(p.value);
  });

  it('DGS3MO (Date,DGS3MO, older header): empty holiday values are skipped and recorded', () => {
    const c = ctx();
    const r = dailyProvider('dgs3mo').parse(read('fred/DGS3MO.csv'), 'DGS3MO.csv', c);
    const rows = valuesOf((r as { rows: unknown }).rows);
    expect(rows.at(-1)).toEqual({ date: '2025-06-24', value: 4.38 });
    const q = c.report.quirks.find((x) => x.rule === 'fred-empty-is-holiday')!;
    expect(q.dates).toEqual(['2025-05-26', '2025-06-19']);
  });
});

describe('CFE VX settlement CSV', () => {
  const text = read('cfe/cfe-vx-settlement-2026-10-05.csv');

  it('keeps the VX rows; the M1..M8 curve takes monthlies only (the weeklies carry the V6 fill price)', () => {
    const c = ctx();
    const rows = parseCfeSettlement(text, 'f.csv', '2026-10-05' as IsoDate, c);
    expect(rows.length).toBe(14);
    expect(rows.filter((r) => r.monthly).map((r) => r.symbol)).toEqual([
      'VX/V6',
      'VX/X6',
      'VX/Z6',
      'VX/F7',
      'VX/G7',
      'VX/H7',
      'VX/J7',
      'VX/K7',
      'VX/M7',
    ]);
    expect(vxCurveOf(rows, '2026-10-05' as IsoDate)).toEqual([
      17.4555, 18.1393, 18.5508, 19.3327, 19.8344, 20.0151, 20.375, 20.525,
    ]);
    // a weekly's price equals a monthly's: it is a fill, never a curve point
    expect(rows.find((r) => r.symbol === 'VX44/X6')!).toMatchObject({ settle: 17.4555, monthly: false });
  });

  it('the curve is matched by expiry: a monthly missing from the file leaves a hole, not a shift', () => {
    const rows = parseCfeSettlement(text, 'f.csv', '2026-10-05' as IsoDate, ctx());
    const withoutNov = rows.filter((r) => r.symbol !== 'VX/X6');
    expect(vxCurveOf(withoutNov, '2026-10-05' as IsoDate)).toEqual([
      17.4555,
      null,
      18.5508,
      19.3327,
      19.8344,
      20.0151,
      20.375,
      20.525,
    ]);
    // the engine's rows: one per session, named as settlements (the embedded file's are closes)
    expect(vxFuturesRows(rows)).toEqual([
      { date: '2026-10-05', closes: vxCurveOf(rows, '2026-10-05' as IsoDate), vendor: VX_SETTLEMENT_VENDOR },
    ]);
    expect(vxFuturesRows(rows.filter((r) => !r.monthly))).toEqual([]);
  });

  it('a contract expired before the session, or a file without monthlies, is refused', () => {
    expect(() => parseCfeSettlement(text, 'f.csv', '2026-10-08' as IsoDate, ctx())).toThrow(
      /expired before the session 2026-10-08/,
    );
    expect(() =>
      parseCfeSettlement(
        'Product,Symbol,Expiration Date,Price\nVX,VX41/V6,2026-10-14,17.4\n',
        'f.csv',
        '2026-10-05' as IsoDate,
        ctx(),
      ),
    ).toThrow(/no monthly VX contract/);
  });
});

describe('event calendars', () => {
  it('FOMC and CPI files read the same dates as the embedded loaders', () => {
    const fomcText = read('events/fomc-decision-dates.csv');
    const f = dailyProvider('fomc').parse(fomcText, 'fomc.csv', ctx());
    const embedded = loadFomcDates(fomcText, 'a', '1990-01-01\n', 'b', newReport()).filter(
      (d) => d >= '2015-01-01',
    );
    expect(f.kind === 'events' && f.dates).toEqual(embedded);
    const cpiText = read('events/cpi-release-dates.csv');
    const c = dailyProvider('cpi').parse(cpiText, 'cpi.csv', ctx());
    expect(c.kind === 'events' && c.dates).toEqual(loadCpiDates(cpiText, 'cpi.csv'));
  });

  it('a release before its reference month, or a bad FOMC type, names the line', () => {
    expect(() =>
      dailyProvider('ppi').parse('reference_month,release_date\n2026-05,2026-05-14\n', 'ppi.csv', ctx()),
    ).toThrow(/ppi\.csv:2: field 'release_date'.*PPI for a month is released in a later month/);
    expect(() =>
      dailyProvider('fomc').parse(
        'decision_date,meeting_start,type,source\n2026-09-16,2026-09-15,maybe,x\n',
        'f.csv',
        ctx(),
      ),
    ).toThrow(/f\.csv:2: field 'type'/);
  });
});
