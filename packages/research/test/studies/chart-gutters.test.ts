import { labelWidthPx } from '@vixshield/app';
import { describe, expect, it } from 'vitest';
import { barChart, intervalChart } from '../../src/studies/html';

/** Issue 18 report polish: a study chart's label gutter is sized from its labels, never fixed. */
const long = 'seed preset, ALVH trigger layers + next-weekly rollback, VIX 17-18 episodes';

describe('study charts size their label gutter from the labels', () => {
  it('barChart: every bar starts right of the longest label', () => {
    const svg = barChart(
      [
        { label: long, value: 0.02 },
        { label: 'condor only', value: -0.01 },
      ],
      (v) => `${(100 * v).toFixed(1)}%`,
    );
    const xs = [...svg.matchAll(/<rect class="bar [a-z]+" x="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(2);
    for (const x of xs) expect(x).toBeGreaterThanOrEqual(4 + labelWidthPx(long, 11));
    const w = Number(/viewBox="0 0 ([\d.]+) /.exec(svg)![1]);
    // the plot keeps its width: the chart grows instead
    expect(w).toBeGreaterThan(4 + labelWidthPx(long, 11) + 430);
  });

  it('intervalChart: the claimed range and the interval start right of the longest label', () => {
    const svg = intervalChart(
      [
        {
          label: long,
          ci: {
            lower: 0.8,
            estimate: 0.83,
            upper: 0.86,
            level: 0.95,
            iterations: 1000,
            seed: 1,
            blockLength: 1,
            n: 100,
            method: 'test',
          },
          low: 0.88,
          high: 0.92,
        },
      ],
      (v) => v.toFixed(2),
    );
    const rectX = Number(/<rect x="([\d.]+)"/.exec(svg)![1]);
    const lineX = Number(/<line x1="([\d.]+)" x2="[\d.]+" y1="20"/.exec(svg)![1]);
    for (const x of [rectX, lineX]) expect(x).toBeGreaterThanOrEqual(4 + labelWidthPx(long, 11));
  });
});
