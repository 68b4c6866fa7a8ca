import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonText } from '../../src/domain/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth, so key order does not change the text', () => {
    const a = { b: 1, a: { d: [2, { z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [2, { y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJsonText(a)).toBe('{"a":{"c":"x","d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJsonText(b)).toBe(canonicalJsonText(a));
  });

  it('drops undefined members and functions, writes non-finite numbers as null', () => {
    const fill = { name: 'mid', price: () => 0 };
    expect(canonicalJson({ x: undefined, fill, n: Number.NaN, i: -Infinity, arr: [undefined] })).toEqual({
      arr: [null],
      fill: { name: 'mid' },
      i: null,
      n: null,
    });
  });

  it('agrees with JSON.stringify on plain data once keys are sorted', () => {
    const v = { k: [1, 2.5, 'é', true, null], n: { m: 0 } };
    expect(canonicalJsonText(v)).toBe(JSON.stringify(v));
  });
});
