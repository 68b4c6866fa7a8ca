import { describe, expect, it } from 'vitest';
import { formatEdrStudy, runEdrStudy } from '../../src/studies/index';

describe('study edr on the embedded data (a short window)', () => {
  it('reports every mode x multiple, containment rising with the multiple, and its sample', () => {
    const r = runEdrStudy({ from: '2019-01-02', to: '2019-12-31', iterations: 200 });
    expect(r.cells).toHaveLength(16);
    expect(r.header.variantsTried).toBe(16);
    const medium = r.cells.filter((c) => c.mode === 'medium').map((c) => c.closeInside!.estimate);
    for (let i = 1; i < medium.length; i++) expect(medium[i]!).toBeGreaterThanOrEqual(medium[i - 1]!);
    const text = formatEdrStudy(r);
    expect(text).toContain('2019-01-02 .. 2019-12-31');
    // Index data only: the header says no option is priced (issue 18: it claimed MODELLED option prices).
    expect(text).toContain('No option prices are used');
    expect(text).not.toContain('MODELLED');
    // Same seed, same numbers.
    expect(runEdrStudy({ from: '2019-01-02', to: '2019-12-31', iterations: 200 }).cells).toEqual(r.cells);
  });
});
