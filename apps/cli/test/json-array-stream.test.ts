import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonArrayError, jsonArrayElements } from '../src/json-array-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'vixshield-json-array-'));
let n = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `case-${n++}.json`);
  writeFileSync(path, content);
  return path;
}

async function elements(path: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const text of jsonArrayElements(path)) out.push(JSON.parse(text));
  return out;
}

/** A deterministic generator of awkward JSON values (strings with brackets, escapes, unicode). */
function awkwardValues(count: number): unknown[] {
  const values: unknown[] = [];
  const strings = ['[', ']', '{', '}', ',', '"', '\\', '\\"', 'a\\]b', 'é€😀', '\n\t', ''];
  for (let i = 0; i < count; i++) {
    const s = strings[i % strings.length] as string;
    switch (i % 6) {
      case 0:
        values.push({ K: 4000 + i, note: s, nested: { list: [s, i, [s]] } });
        break;
      case 1:
        values.push([s, { s }, []]);
        break;
      case 2:
        values.push(s);
        break;
      case 3:
        values.push(i * 1.5e-3);
        break;
      case 4:
        values.push(null);
        break;
      default:
        values.push({ deep: [[[{ x: s }]]], empty: {} });
    }
  }
  return values;
}

describe('jsonArrayElements', () => {
  it('yields exactly the elements JSON.parse sees, across 1 MB chunk boundaries', async () => {
    // About 3 MB: several elements straddle the reader's 1 MB chunks, some inside strings and escapes.
    const values = awkwardValues(120_000);
    const text = JSON.stringify(values, null, 1);
    expect(text.length).toBeGreaterThan(2 << 20);
    expect(await elements(file(text))).toEqual(JSON.parse(text));
  });

  it('keeps a multi-byte character split by a chunk boundary intact', async () => {
    // A 4-byte emoji at bytes 2^20-2 .. 2^20+1: split between the first and second chunk.
    const prefix = `[${JSON.stringify('x'.repeat((1 << 20) - 8))}, "`;
    const text = `${prefix}😀"]`;
    expect(Buffer.byteLength(prefix)).toBeLessThan(1 << 20);
    expect(Buffer.byteLength(prefix) + 4).toBeGreaterThan(1 << 20);
    expect(await elements(file(text))).toEqual(JSON.parse(text));
  });

  it('accepts a BOM, whitespace around and an empty array', async () => {
    expect(
      await elements(file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(' [1, 2]\n')]))),
    ).toEqual([1, 2]);
    expect(await elements(file('\n[ ]\n'))).toEqual([]);
    expect(await elements(file('[{"a":"]"} , "x"]'))).toEqual([{ a: ']' }, 'x']);
  });

  it.each([
    ['', 'the file is empty'],
    ['{"a": 1}', 'the top level is not an array'],
    ['[1, 2', 'the array is not closed'],
    ['[{"a": "]"}', 'the array is not closed'],
    ['[1, 2,]', 'a trailing comma'],
    ['[1,, 2]', 'an empty element'],
    ['[, 1]', 'an empty element'],
    ['[1] x', 'unexpected text after'],
    ['[1}', 'a } closes the top-level array'],
  ])('refuses %j: %s', async (content, message) => {
    const err = await elements(file(content)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JsonArrayError);
    expect((err as Error).message).toContain(message);
  });

  it('leaves element syntax to JSON.parse (a bad element is handed over, not guessed)', async () => {
    const texts: string[] = [];
    for await (const t of jsonArrayElements(file('[{"a": 1,}, 2]'))) texts.push(t);
    expect(texts).toEqual(['{"a": 1,}', '2']);
    expect(() => JSON.parse(texts[0] as string)).toThrow();
  });
});
