import { describe, expect, it } from 'vitest';
import { runChainsBench } from '../../../bench/chains';

/** Keeps bench/chains.ts runnable (a benchmark is not a test: no timing is asserted). */
describe('chains benchmark smoke run', () => {
  it('generates, imports, re-imports and queries a small synthetic HOD file', async () => {
    const r = await runChainsBench({ rows: 4000, queries: 10, print: false });
    expect(r.rows).toBe(4000);
    expect(r.csvBytes).toBeGreaterThan(4000 * 100);
    expect(r.importRowsPerSecond).toBeGreaterThan(0);
    expect(r.importReader).toBe('bytes');
    for (const s of [
      r.rawReadSeconds,
      r.parseOnlySeconds,
      r.insertOnlySeconds,
      r.bareLoadSeconds,
      r.storageFloorSeconds,
      r.importCpuSeconds,
      r.parseOnlyCpuSeconds,
      r.insertOnlyCpuSeconds,
    ])
      expect(s).toBeGreaterThan(0);
    expect(r.latency.map((l) => l.query)).toEqual([
      'chain by (date, expiry), first touch after import',
      'chain by (date, expiry), cold',
      'quote by (date, expiry, strike), cold',
      'quote by (date, expiry, delta), cold',
      'chain by (date, expiry), cached',
      'quote by (date, expiry, delta), cached',
      'RealChainSource.chain (preloaded)',
      'control: SELECT count(*) round trip',
    ]);
    for (const l of r.latency) expect(l.p50Ms).toBeLessThanOrEqual(l.p99Ms);
  });
});
