import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeBacktestSummary } from '@vixshield/core';
import { afterAll, describe, expect, it } from 'vitest';
import { fromReturns } from '../../../core/test/metrics/fixtures';
import { stringifyBacktestJson, writeBacktestReport } from '../../src/report/write-report';

const dir = mkdtempSync(join(tmpdir(), 'vixshield-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeBacktestReport', () => {
  it('writes the HTML and JSON files, and the JSON text is byte-identical across runs', () => {
    const run = fromReturns(100000, [0.01, -0.02, 0.005, 0.003]);
    const summary = computeBacktestSummary(run);
    const paths = writeBacktestReport(join(dir, 'nested'), run, summary, { title: 'tiny', basename: 'tiny' });
    expect(paths.html.endsWith('tiny.html')).toBe(true);
    const html = readFileSync(paths.html, 'utf8');
    const json = readFileSync(paths.json, 'utf8');
    expect(html).toContain('Option prices: modelled');
    expect(json).toBe(stringifyBacktestJson(run, summary));
    expect(json.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(json);
    expect(parsed.summary.trades).toBe(0);
    expect(parsed.equity).toHaveLength(4);
    expect(parsed.summary.maxDrawdown).toBeCloseTo(0.02, 12);
  });
});
