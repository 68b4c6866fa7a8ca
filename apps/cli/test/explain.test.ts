import { explainTerm, GLOSSARY } from '@vixshield/app';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../packages/core/src/index';
import { runCli } from '../../../test/support/cli';

const REQUIRED = [
  'ALVH',
  'Temporal Theta Martingale',
  'EDR',
  'RSAi',
  'Premium Gauge',
  'tiers',
  'VIX gate',
  'HOLD',
  'Time-Shifting',
  'Temporal Vega Martingale',
  'rollback',
  'seed preset',
  'event days',
  'Iron Condor Command',
];

describe('vixshield explain', () => {
  it('every methodology term resolves, with parameters read from resolveConfig()', () => {
    const cfg = resolveConfig('vixshield') as unknown as Record<string, Record<string, unknown>>;
    for (const t of REQUIRED) {
      const r = explainTerm(t);
      expect(r.kind, t).toBe('found');
      if (r.kind !== 'found') continue;
      expect(r.entry.definition.length).toBeGreaterThan(40);
      for (const p of r.entry.params) {
        const [a, b] = p.path.split('.');
        if (b && !p.path.split('.')[2]) expect(p.default).toEqual(cfg[a!]![b]);
      }
    }
    expect(explainTerm('VIX gate').kind === 'found' && explainTerm('VIX gate')).toMatchObject({
      entry: {
        params: expect.arrayContaining([{ path: 'gate.holdAbove', default: 20, source: expect.any(String) }]),
      },
    });
  });

  it('every glossary parameter path exists in the config (no drift)', () => {
    for (const t of GLOSSARY) {
      const r = explainTerm(t.key);
      if (r.kind !== 'found') throw new Error(t.key);
      for (const prefix of t.params)
        expect(
          r.entry.params.some(
            (p) => p.path === prefix || p.path.startsWith(prefix.endsWith('.') ? prefix : `${prefix}.`),
          ),
          `${t.key}: ${prefix}`,
        ).toBe(true);
    }
  });

  it('prints a term, and exits 2 with close matches for an unknown one', () => {
    const ok = runCli(['explain', 'vix', 'gate']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('gate.holdAbove = 20');
    const json = runCli(['explain', 'ALVH', '--json']);
    expect(JSON.parse(json.stdout).key).toBe('alvh');
    const bad = runCli(['explain', 'alhv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('did you mean: alvh');
  });
});
