import { describe, expect, it } from 'vitest';
import { partitionPoint } from '../../src/math/index';
import { mulberry32 } from '../../src/metrics/stats';

describe('partitionPoint: the first index where a false-then-true predicate holds', () => {
  const xs = [1, 3, 3, 3, 7, 9];
  const atOrAbove = (x: number) => partitionPoint(0, xs.length, (i) => xs[i]! >= x);
  const above = (x: number) => partitionPoint(0, xs.length, (i) => xs[i]! > x);

  it('lower and upper bounds by hand, ties included', () => {
    expect(atOrAbove(3)).toBe(1); // the first 3
    expect(above(3)).toBe(4); // past the last 3
    expect(atOrAbove(4)).toBe(4);
    expect(atOrAbove(0)).toBe(0); // true everywhere: the start
    expect(atOrAbove(10)).toBe(6); // true nowhere: the end
    expect(above(9)).toBe(6);
  });

  it('on a sub-range, an empty range and a typed array', () => {
    expect(partitionPoint(2, 5, (i) => xs[i]! >= 3)).toBe(2);
    expect(partitionPoint(2, 5, (i) => xs[i]! >= 8)).toBe(5);
    expect(partitionPoint(3, 3, () => true)).toBe(3);
    const days = Int32Array.from([10, 20, 30]);
    expect(partitionPoint(0, days.length, (i) => days[i]! >= 21)).toBe(2);
  });

  it('agrees with a linear scan on random sorted arrays', () => {
    const uniform = mulberry32(7);
    const rand = () => uniform() * 20;
    for (let trial = 0; trial < 200; trial++) {
      const a = Array.from({ length: trial % 13 }, () => Math.floor(rand())).sort((x, y) => x - y);
      const x = Math.floor(rand());
      const linear = a.findIndex((v) => v >= x);
      expect(partitionPoint(0, a.length, (i) => a[i]! >= x)).toBe(linear < 0 ? a.length : linear);
    }
  });

  it('asks the predicate O(log n) times', () => {
    let calls = 0;
    partitionPoint(0, 1024, (i) => {
      calls++;
      return i >= 700;
    });
    expect(calls).toBeLessThanOrEqual(11);
  });
});
