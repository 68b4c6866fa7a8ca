import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChainImportError,
  ChainStore,
  DATA_DIR,
  EMBEDDED_HOD_FILE,
  HOD_LAYOUT,
  LAYOUTS,
  parseChainCsv,
} from '../src/index';

/**
 * The bad-file corpus: one rule broken per file (fixtures/chains-bad/cases.json gives the expected
 * line, field and value). Both import paths must reject each file naming exactly that, and the
 * store must be unchanged afterwards.
 */
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/chains-bad');
interface Case {
  file: string;
  layout: 'hod' | 'datashop';
  line: number;
  field: string;
  value: string;
}
const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as Case[];

function issuesOf(f: () => unknown): ChainImportError {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainImportError) return e;
    throw e;
  }
  throw new Error('expected a ChainImportError');
}

describe('bad-file corpus: row parser', () => {
  it('has a case for each rule', () => {
    expect(cases.length).toBe(21);
  });
  for (const c of cases) {
    it(`${c.file}: line ${c.line}, field ${c.field}`, () => {
      const err = issuesOf(() =>
        parseChainCsv(readFileSync(join(dir, c.file), 'utf8'), c.file, LAYOUTS[c.layout]),
      );
      expect(err.issues.length).toBe(1);
      const i = err.issues[0]!;
      expect({ file: i.file, line: i.line, field: i.field, value: i.value }).toEqual({
        file: c.file,
        line: c.line,
        field: c.field,
        value: c.value,
      });
      expect(i.fix.length).toBeGreaterThan(10);
      expect(err.message).toContain(`${c.file}:${c.line}: ${c.field} = '${c.value}'`);
      expect(err.message).toContain('nothing was imported');
    });
  }
});

describe('bad-file corpus: DuckDB bulk import', () => {
  let store: ChainStore;
  beforeAll(async () => {
    store = await ChainStore.open(':memory:');
    await store.importCsv(join(DATA_DIR, EMBEDDED_HOD_FILE), HOD_LAYOUT);
  });
  afterAll(() => store.close());
  for (const c of cases) {
    it(`${c.file}: rejected with line ${c.line}, field ${c.field}; store unchanged`, async () => {
      const err = await store.importCsv(join(dir, c.file), LAYOUTS[c.layout]).then(
        () => {
          throw new Error('expected a ChainImportError');
        },
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ChainImportError);
      const i = (err as ChainImportError).issues[0]!;
      expect({ file: i.file, line: i.line, field: i.field, value: i.value }).toEqual({
        file: c.file,
        line: c.line,
        field: c.field,
        value: c.value,
      });
      expect(await store.count()).toBe(14_438);
    });
  }
});

describe('blank lines', () => {
  it('empty lines are skipped by both paths; a line of spaces is a bad row in both', async () => {
    const lines = readFileSync(join(DATA_DIR, EMBEDDED_HOD_FILE), 'utf8').split('\r\n').slice(0, 4);
    const text = [lines[0], lines[1], '', lines[2], lines[3], ''].join('\r\n');
    const spaces = [lines[0], lines[1], '  ', lines[2]].join('\r\n');
    expect(issuesOf(() => parseChainCsv(spaces, 's.csv', HOD_LAYOUT)).issues[0]).toMatchObject({
      line: 3,
      field: 'columns',
    });
    expect(parseChainCsv(text, 'blank.csv', HOD_LAYOUT).rows.length).toBe(3);
    const dir2 = mkdtempSync(join(tmpdir(), 'vixshield-blank-'));
    try {
      writeFileSync(join(dir2, 'blank.csv'), text);
      const store = await ChainStore.open(':memory:');
      try {
        expect((await store.importCsv(join(dir2, 'blank.csv'), HOD_LAYOUT)).rows).toBe(3);
        writeFileSync(join(dir2, 's.csv'), spaces);
        const err = await store.importCsv(join(dir2, 's.csv'), HOD_LAYOUT).catch((e: unknown) => e);
        expect((err as ChainImportError).issues[0]).toMatchObject({
          file: 's.csv',
          line: 3,
          field: 'columns',
        });
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});

describe('multiple problems are all reported', () => {
  it('lists every bad value of every row, in file order', () => {
    const text = readFileSync(join(DATA_DIR, EMBEDDED_HOD_FILE), 'utf8')
      .split('\r\n')
      .slice(0, 4)
      .map((l, i) => (i === 1 ? l.replace(',call,', ',cal,') : i === 3 ? l.replace(',1400,', ',-5,') : l))
      .join('\r\n');
    const err = issuesOf(() => parseChainCsv(text, 'two.csv', HOD_LAYOUT));
    expect(err.issues.map((i) => [i.line, i.field])).toEqual([
      [2, 'type'],
      [4, 'strike'],
      [4, 'optionroot'],
    ]);
  });
});
