import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  type IndexSeriesId,
  loadDgs3mo,
  loadIndexCloses,
  newReport,
  parseUserSeries,
  spxRowsFromUser,
} from '../src/index';
import { standInIsTradingDay } from './helpers/stand-in-calendar';

const BAD = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/bad');
const cal = standInIsTradingDay();

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError, none thrown');
}

const spx = (name: string) => () =>
  spxRowsFromUser(readFileSync(join(BAD, name), 'utf8'), name, cal, newReport());
const index = (series: IndexSeriesId, name: string) => () =>
  loadIndexCloses(series, readFileSync(join(BAD, name), 'utf8'), name, cal, newReport());

describe('bad input files: each error names file, line, field, value and a fix', () => {
  const cases: Array<{
    rule: string;
    run: () => unknown;
    file: string;
    line: number;
    field: string;
    value: string;
    message: RegExp;
  }> = [
    {
      rule: 'missing column',
      run: spx('missing-column.csv'),
      file: 'missing-column.csv',
      line: 1,
      field: 'LOW',
      value: 'Date,Open,High,Close',
      message: /lacks column\(s\) low/,
    },
    {
      rule: 'bad date',
      run: spx('bad-date.csv'),
      file: 'bad-date.csv',
      line: 3,
      field: 'Date',
      value: '2024-13-03',
      message: /not a valid date/,
    },
    {
      rule: 'bad Cboe date (Feb 30)',
      run: index('vix', 'cboe-bad-date.csv'),
      file: 'cboe-bad-date.csv',
      line: 3,
      field: 'DATE',
      value: '02/30/2024',
      message: /not a valid date/,
    },
    {
      rule: 'non-numeric',
      run: spx('non-numeric.csv'),
      file: 'non-numeric.csv',
      line: 3,
      field: 'Close',
      value: 'abc',
      message: /not a number/,
    },
    {
      rule: 'negative price',
      run: spx('negative-price.csv'),
      file: 'negative-price.csv',
      line: 2,
      field: 'Low',
      value: '-4722.67',
      message: /greater than 0/,
    },
    {
      rule: 'zero close',
      run: index('vix', 'zero-close.csv'),
      file: 'zero-close.csv',
      line: 3,
      field: 'VIX',
      value: '0',
      message: /greater than 0/,
    },
    {
      rule: 'High < Low',
      run: spx('high-below-low.csv'),
      file: 'high-below-low.csv',
      line: 4,
      field: 'High',
      value: '4690',
      message: /High 4690 is below Low 4726.78/,
    },
    {
      rule: 'duplicate date',
      run: spx('duplicate-date.csv'),
      file: 'duplicate-date.csv',
      line: 3,
      field: 'Date',
      value: '2024-01-02',
      message: /duplicate date/,
    },
    {
      rule: 'out of order',
      run: spx('out-of-order.csv'),
      file: 'out-of-order.csv',
      line: 4,
      field: 'Date',
      value: '2024-01-03',
      message: /out of order \(after 2024-01-04\)/,
    },
    {
      rule: 'empty file',
      run: spx('empty.csv'),
      file: 'empty.csv',
      line: 1,
      field: 'header',
      value: '',
      message: /the file is empty/,
    },
    {
      rule: 'header without rows',
      run: index('vix', 'header-only.csv'),
      file: 'header-only.csv',
      line: 2,
      field: 'rows',
      value: '',
      message: /no data rows/,
    },
    {
      rule: 'wrong layout',
      run: spx('wrong-layout.csv'),
      file: 'wrong-layout.csv',
      line: 1,
      field: 'header',
      value: 'when,price,volume',
      message: /no date column/,
    },
    {
      rule: 'short row',
      run: index('vix', 'short-row.csv'),
      file: 'short-row.csv',
      line: 3,
      field: 'LOW',
      value: '',
      message: /row has 3 fields, expected 5/,
    },
    {
      rule: 'non-numeric rate',
      run: () =>
        loadDgs3mo(
          readFileSync(join(BAD, 'rate-non-numeric.csv'), 'utf8'),
          'rate-non-numeric.csv',
          cal,
          newReport(),
        ),
      file: 'rate-non-numeric.csv',
      line: 3,
      field: 'DGS3MO',
      value: 'five',
      message: /not a number/,
    },
    {
      rule: 'OHLC file for a rate series (wrong layout)',
      run: () =>
        parseUserSeries(
          'dgs3mo',
          readFileSync(join(BAD, 'bad-date.csv'), 'utf8'),
          'bad-date.csv',
          cal,
          newReport(),
        ),
      file: 'bad-date.csv',
      line: 1,
      field: 'header',
      value: 'Date,Open,High,Low,Close',
      message: /DATE,VALUE layout/,
    },
  ];

  for (const c of cases) {
    it(`${c.rule}: ${c.file}:${c.line} field ${c.field}`, () => {
      const e = errorOf(c.run);
      expect(e.file).toBe(c.file);
      expect(e.line).toBe(c.line);
      expect(e.field).toBe(c.field);
      expect(e.value).toBe(c.value);
      expect(e.message).toMatch(c.message);
      expect(e.message.startsWith(`${c.file}:${c.line}: field '${c.field}'`)).toBe(true);
      expect(e.hint.length).toBeGreaterThan(10);
      expect(e.name).toBe('DataError');
    });
  }
});
