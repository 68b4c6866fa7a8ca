import { describe, expect, it } from 'vitest';
import { COMPARISON_STUDIES, configOf, formatComparison, runComparisonStudy } from '../../src/index';

describe('comparison studies', () => {
  it('every registered variant resolves to a valid configuration', () => {
    for (const def of Object.values(COMPARISON_STUDIES)) {
      expect(def.variants.length).toBeGreaterThan(1);
      for (const v of def.variants) expect(() => configOf(v)).not.toThrow();
    }
  });
  it('an invalid variant names the field', () => {
    expect(() =>
      configOf({ label: 'bad', preset: 'vixshield', overrides: { hedge: { unitContracts: -1 } } }),
    ).toThrow(/hedge\.unitContracts/);
  });
  it('runs over a short window, reports sample, variants, halves and modelled prices, deterministically', () => {
    const def = COMPARISON_STUDIES.ttm!;
    const small = { ...def, variants: def.variants.slice(0, 2) };
    const r = runComparisonStudy(small, { from: '2019-01-02', to: '2019-03-29', iterations: 200 });
    expect(r.rows).toHaveLength(2);
    expect(r.header.variantsTried).toBe(2);
    expect(r.header.sample).toMatchObject({ from: '2019-01-02', to: '2019-03-29' });
    const text = formatComparison(r);
    expect(text).toContain('MODELLED');
    expect(text).toContain('in-sample return');
    const again = runComparisonStudy(small, { from: '2019-01-02', to: '2019-03-29', iterations: 200 });
    expect(again.rows).toEqual(r.rows);
  });
});
