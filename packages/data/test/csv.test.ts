import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, EMBEDDED_DATA_DIR, parseCsv, parseDateText } from '../src/index';

describe('parseCsv', () => {
  it('strips a BOM, handles CRLF, a missing final newline and trims header names', () => {
    const t = parseCsv('\uFEFF a, b ,c\r\n1,2,3\r\n4,5,6', 'x.csv');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      { line: 2, fields: ['1', '2', '3'] },
      { line: 3, fields: ['4', '5', '6'] },
    ]);
  });

  it('reads quoted fields with commas, escaped quotes and newlines, and keeps physical line numbers', () => {
    const t = parseCsv('"","name","note"\n"1","a,b","say ""hi"""\n"2","multi\nline",x\n3,plain,y\n', 'q.csv');
    expect(t.header).toEqual(['', 'name', 'note']);
    expect(t.rows[0]).toEqual({ line: 2, fields: ['1', 'a,b', 'say "hi"'] });
    expect(t.rows[1]).toEqual({ line: 3, fields: ['2', 'multi\nline', 'x'] });
    expect(t.rows[2]).toEqual({ line: 5, fields: ['3', 'plain', 'y'] });
  });

  it('skips blank lines and reports an unterminated quote with its line', () => {
    expect(parseCsv('a\n\n1\n', 'b.csv').rows).toEqual([{ line: 3, fields: ['1'] }]);
    expect(() => parseCsv('a,b\n1,"oops\n', 'u.csv')).toThrow(DataError);
    expect(() => parseCsv('a,b\n1,"oops\n', 'u.csv')).toThrow(/u\.csv:2: field 'column 2'/);
  });

  it('reads the vendor option file (BOM, CRLF, no final newline, leading-space header)', () => {
    const name = 'spx-options-eod-2018-01-02_historicaloptiondata-format.csv';
    const t = parseCsv(readFileSync(join(EMBEDDED_DATA_DIR, name), 'utf8'), name);
    expect(t.header.slice(0, 3)).toEqual(['underlying', 'underlying_last', 'exchange']);
    expect(t.rows.length).toBe(14438);
    expect(t.rows.at(-1)!.fields[0]).toBe('SPXW');
    expect(t.rows.at(-1)!.fields.length).toBe(20);
  });

  it('reads the quoted Cboe DataShop sample', () => {
    const name = 'spx-options-cboe-datashop-format-sample.csv';
    const t = parseCsv(readFileSync(join(EMBEDDED_DATA_DIR, name), 'utf8'), name);
    expect(t.header[0]).toBe('underlying_symbol');
    expect(t.rows.length).toBe(6);
  });
});

describe('parseDateText', () => {
  it('accepts ISO and Cboe MM/DD/YYYY dates and rejects impossible ones', () => {
    expect(parseDateText('2024-08-05')).toBe('2024-08-05');
    expect(parseDateText('08/05/2024')).toBe('2024-08-05');
    expect(parseDateText('1/4/2016 0:00:00')).toBe('2016-01-04');
    expect(parseDateText('2023-02-29')).toBeUndefined();
    expect(parseDateText('02/29/2024')).toBe('2024-02-29');
    expect(parseDateText('2024/08/05')).toBeUndefined();
  });
});
