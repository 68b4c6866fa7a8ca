import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { QuoteFlag, session, strikeIndex } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  ChainImportError,
  DATA_DIR,
  EMBEDDED_HOD_FILE,
  embeddedHodChains,
  loadEmbeddedDataShop,
  loadEmbeddedHod,
  parseHistoricalOptionData,
  parseVendorDate,
  quoteInstantUtcMs,
  splitCsvLine,
} from '../src/index';

describe('HistoricalOptionData importer on the real 2018 file', () => {
  const parsed = loadEmbeddedHod();
  const rows = parsed.rows;

  it('reads all 14,438 rows (BOM, CRLF, spaced header, no final newline) and drops none', () => {
    expect(rows.length).toBe(14_438);
    expect(parsed.vendor).toBe('HistoricalOptionData');
    expect(new Set(rows.map((r) => r.root))).toEqual(new Set(['SPXW']));
    expect(new Set(rows.map((r) => r.expiry))).toEqual(new Set(['2018-01-31', '2018-02-28']));
    expect(rows.every((r) => r.settlement === 'PM' && r.quoteTimeEt === null && r.underlying === 'SPX')).toBe(
      true,
    );
    expect(new Set(rows.map((r) => r.quoteDate)).size).toBe(40);
  });

  it('a known row: 2018-02-05 SPXW 2018-02-28 2650 put', () => {
    const r = rows.find(
      (x) =>
        x.quoteDate === '2018-02-05' && x.expiry === '2018-02-28' && x.strike === 2650 && x.right === 'put',
    )!;
    expect(r).toMatchObject({
      bid: 85,
      ask: 95,
      last: 72,
      volume: 1568,
      openInterest: 10478,
      underlyingPrice: 2648.98,
      vendorIv: 0.3479,
      vendorDelta: -0.4797,
      vendorGamma: 0.0017,
      vendorTheta: -718.629,
      vendorVega: 261.0701,
      ivPlaceholder: false,
      flags: QuoteFlag.none,
    });
  });

  it('keeps and flags the 15 bid = ask = 0 rows of 2018-02-05 (none dropped)', () => {
    const zero = rows.filter((r) => r.bid === 0 && r.ask === 0);
    expect(zero.length).toBe(15);
    expect(new Set(zero.map((r) => r.quoteDate))).toEqual(new Set(['2018-02-05']));
    for (const r of zero) expect(r.flags).toBe(QuoteFlag.zeroBid | QuoteFlag.zeroAsk);
    expect(rows.filter((r) => r.bid === 0).length).toBe(1902);
  });

  it('drops deep-ITM placeholder IVs (delta 1, vega 0) and keeps theta per year', () => {
    const r = rows[0]!;
    expect(r).toMatchObject({
      strike: 1200,
      right: 'call',
      vendorDelta: 1,
      vendorVega: 0,
      ivPlaceholder: true,
    });
    expect(Number.isNaN(r.vendorIv)).toBe(true);
    expect(r.vendorTheta).toBe(-15.7555);
    expect(rows.filter((x) => x.ivPlaceholder).length).toBe(2721);
  });

  it('groups into chains: 2018-02-05 / 2018-02-28 with ascending unique strikes and flags', () => {
    const chains = embeddedHodChains();
    // One expiry per day: 2018-01-31 on its 21 January days (0 DTE included), 2018-02-28 on 19 February days.
    expect(chains.length).toBe(40);
    expect(chains.filter((x) => x.expiry === '2018-01-31').length).toBe(21);
    expect(chains.find((x) => x.asOf === '2018-01-31')!.expiry).toBe('2018-01-31');
    const c = chains.find((x) => x.asOf === '2018-02-05' && x.expiry === '2018-02-28')!;
    expect(c.root).toBe('SPXW');
    expect(c.settlement).toBe('PM');
    expect(c.underlying).toBe(2648.98);
    expect(c.quoteTimeUtcMs).toBe(session('2018-02-05' as never).closeUtcMs);
    expect(c.quoteTimeUtcMs).toBe(Date.UTC(2018, 1, 5, 21, 0));
    expect(c.source).toEqual({ kind: 'real', vendor: 'HistoricalOptionData', file: EMBEDDED_HOD_FILE });
    expect(c.strikes.length).toBe(175);
    for (let i = 1; i < c.strikes.length; i++) expect(c.strikes[i]!).toBeGreaterThan(c.strikes[i - 1]!);
    const i2600 = strikeIndex(c, 2600);
    expect(c.putBid[i2600]).toBe(0);
    expect(c.putFlags[i2600]).toBe(QuoteFlag.zeroBid | QuoteFlag.zeroAsk);
    const i2650 = strikeIndex(c, 2650);
    expect([c.callBid[i2650], c.callAsk[i2650], c.callIv[i2650]]).toEqual([64, 74, 0.2607]);
    expect([c.putBid[i2650], c.putAsk[i2650], c.putIv[i2650]]).toEqual([85, 95, 0.3479]);
  });
});

describe('Cboe DataShop importer on the format sample', () => {
  it('reads 6 rows at 15:45 ET, underlying from the 1545 bid/ask, zero Greeks as missing', () => {
    const p = loadEmbeddedDataShop();
    expect(p.rows.length).toBe(6);
    const [c, put] = p.rows;
    expect(c).toMatchObject({
      quoteDate: '2016-01-04',
      quoteTimeEt: '15:45',
      root: 'SPXW',
      expiry: '2016-01-08',
      settlement: 'PM',
      strike: 700,
      right: 'call',
      bid: 1299.6,
      ask: 1305.3,
      underlyingPrice: 2003.82,
      openInterest: 0,
    });
    expect(Number.isNaN(c!.vendorIv)).toBe(true);
    expect(put).toMatchObject({
      right: 'put',
      bid: 0,
      ask: 0.05,
      openInterest: 350,
      flags: QuoteFlag.zeroBid,
    });
    expect(quoteInstantUtcMs(c!.quoteDate, c!.quoteTimeEt)).toBe(Date.UTC(2016, 0, 4, 20, 45));
  });
});

describe('CSV and date helpers', () => {
  it('splits quoted fields', () => {
    expect(splitCsvLine('"^SPX",1/4/2016 0:00:00,"a,b","x""y",')).toEqual([
      '^SPX',
      '1/4/2016 0:00:00',
      'a,b',
      'x"y',
      '',
    ]);
  });
  it('parses vendor dates strictly', () => {
    expect(parseVendorDate('02/05/2018', 'MM/DD/YYYY', false)).toBe('2018-02-05');
    expect(parseVendorDate('2/5/2018', 'MM/DD/YYYY', false)).toBeUndefined();
    expect(parseVendorDate('1/4/2016 0:00:00', 'M/D/YYYY', true)).toBe('2016-01-04');
    expect(parseVendorDate('1/4/2016 0:00:00', 'M/D/YYYY', false)).toBeUndefined();
    expect(parseVendorDate('02/30/2018', 'MM/DD/YYYY', false)).toBeUndefined();
    expect(parseVendorDate('20180205', 'YYYYMMDD', false)).toBe('2018-02-05');
  });
  it('a header-only file is an error naming line 1', () => {
    const header = readFileSync(resolve(DATA_DIR, EMBEDDED_HOD_FILE), 'utf8').split('\r\n')[0]!;
    try {
      parseHistoricalOptionData(header, 'empty.csv');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ChainImportError);
      expect((e as ChainImportError).issues[0]).toMatchObject({ file: 'empty.csv', line: 1, field: 'rows' });
    }
  });
});
