import { describe, expect, it } from 'vitest';
import {
  CONFIG_RULES,
  type ConfigProblem,
  PRESET_NAMES,
  type PresetName,
  resolveConfig,
  StrategyConfigError,
} from '../../src/strategies/index';

const REFUSED: ReadonlyArray<[unknown, string, string]> = [
  [{ gate: { holdAbove: 12 } }, 'gate.holdAbove', 'allows every tier'],
  [{ gate: { noTradesAbove: 18 } }, 'gate.noTradesAbove', 'before hold'],
  [{ gate: { reopenBelow: 22 } }, 'gate.reopenBelow', 'reopen'],
  [{ gate: { noTradesAbove: 2500 } }, 'gate.noTradesAbove', 'not a VIX level'],
  [{ condor: { tierCredits: { aggressive: 5.5 } } }, 'condor.tierCredits.aggressive', 'whole width'],
  [{ condor: { tierCredits: { balanced: 0.5 } } }, 'condor.tierCredits.balanced', 'must rise'],
  [{ condor: { wingWidth: 7 } }, 'condor.wingWidth', 'multiple of condor.strikeStep'],
  [{ entry: { timeCt: '16:30' } }, 'entry.timeCt', 'outside the SPX options session'],
  [{ entry: { minTradingDaysToExpiry: 3 } }, 'entry.maxTradingDaysToExpiry', 'no expiry could qualify'],
  [{ roll: { forwardMinDte: 9 } }, 'roll.forwardMaxDte', 'no roll target'],
  [{ roll: { rollbackMaxDte: 4 } }, 'roll.rollbackMaxDte', 'nearer expiry'],
  [{ roll: { sizeMultiplier: 2 } }, 'roll.sizeMultiplier', 'sizeMultiplierCap'],
  [{ hedge: { budgetPctOfEquityPerYear: 150 } }, 'hedge.budgetPctOfEquityPerYear', 'a percent'],
  [
    { hedge: { layers: [{ targetDte: 30, ratio: 4, rollAtDte: 30 }] } },
    'hedge.layers',
    'as soon as it is bought',
  ],
  [{ hedge: { layers: [{ targetDte: 30, ratio: 0, rollAtDte: 10 }] } }, 'hedge.layers', 'ratio 0'],
  [{ edr: { multiplier: 12 } }, 'edr.multiplier', 'beyond any reading'],
  [{ condor: { wingWidth: 500 } }, 'condor.wingWidth', 'not a wing width'],
  [{ exits: { creditMultiple: 100 } }, 'exits.creditMultiple', 'beyond any'],
  [{ roll: { seedNextWeeklyMinDte: 9 } }, 'roll.seedNextWeeklyMaxDte', 'below roll.seedNextWeeklyMinDte'],
  [{ roll: { maxRolls: 500 } }, 'roll.maxRolls', 'rolls per chain'],
  [{ edr: { k: 50 } }, 'edr.k', 'expected daily ranges'],
];

function problems(overrides: unknown, preset: PresetName = 'vixshield'): ConfigProblem[] {
  try {
    resolveConfig(preset, overrides);
  } catch (err) {
    if (err instanceof StrategyConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('strategy configuration validation (one for CLI, API, sweeps and studies)', () => {
  it.each(PRESET_NAMES)('preset %s passes every rule', (p) => {
    expect(problems({}, p)).toEqual([]);
  });

  it('names an unknown key with its path and the nearest known key', () => {
    const [p, ...rest] = problems({ gate: { holdAbov: 22 } });
    expect(rest).toEqual([]);
    expect(p?.path).toBe('gate.holdAbov');
    expect(p?.message).toContain('did you mean "holdAbove"');
    expect(p?.allowed).toContain('noTradesAbove');
  });

  it('finds unknown keys at the top level, nested and inside array items', () => {
    const found = problems({
      hedg: {},
      exits: { intraday: { approximation: { barMinutez: 5 } } },
      hedge: { layers: [{ targetDte: 30, ratio: 4, rollAtDte: 10, strike: 20 }] },
    }).map((p) => p.path);
    expect(found).toEqual(['hedg', 'exits.intraday.approximation.barMinutez', 'hedge.layers.0.strike']);
  });

  it('refuses an unknown preset and a non-object configuration', () => {
    expect(problems({}, 'aggresive' as PresetName)[0]).toMatchObject({ path: 'preset' });
    expect(problems([1, 2])[0]?.message).toContain('mapping of fields');
  });

  it('reports schema type errors as problems with their path', () => {
    expect(problems({ edr: { k: 'wide' } })[0]?.path).toBe('edr.k');
  });

  it.each(REFUSED)('refuses %j at %s', (overrides, path, text) => {
    const found = problems(overrides);
    const hit = found.find((p) => p.path === path);
    expect(hit, JSON.stringify(found)).toBeDefined();
    expect(hit?.message).toContain(text);
    expect(hit?.allowed).toBeTruthy();
  });

  it('lists every problem at once, and the message names the source', () => {
    try {
      resolveConfig('vixshield', { gate: { holdAbove: 12, noTradesAbove: 11 } }, 'my.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StrategyConfigError);
      const e = err as StrategyConfigError;
      // reopenBelow 20 now sits above holdAbove 12: also reported.
      expect(e.problems.map((p) => p.path)).toEqual([
        'gate.holdAbove',
        'gate.noTradesAbove',
        'gate.reopenBelow',
      ]);
      expect(e.message).toContain('my.yaml: field "gate.holdAbove"');
      expect(e.message).toContain('(allowed: >= 15)');
    }
  });

  it('every rule in the table is broken by at least one case above (no rule that cannot fail)', () => {
    const refusedPaths = new Set(REFUSED.map(([, path]) => path));
    const untested = CONFIG_RULES.map((r) => r.path).filter((path) => !refusedPaths.has(path));
    // Rules generated per key share a test through one representative key.
    const represented = (path: string) =>
      refusedPaths.has(path) ||
      (path.startsWith('gate.') && refusedPaths.has('gate.noTradesAbove')) ||
      (path.startsWith('condor.tierCredits.') && refusedPaths.has('condor.tierCredits.aggressive'));
    expect(untested.filter((p) => !represented(p))).toEqual([]);
  });
});
