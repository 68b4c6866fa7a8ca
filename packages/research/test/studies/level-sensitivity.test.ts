import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../test/support/cli';
import {
  formatEntryTimeStudy,
  formatHeader,
  runEntryTimeStudy,
  runVariant,
  STUDY_PRICES_STATEMENT,
  studyHeader,
  studyWindow,
} from '../../src/studies/index';

// ADR 0010: the studies can replay at another one-day vol level (the bounds real chains traded at),
// so a verdict can be read against the model's error.
describe('studies at another one-day vol level', () => {
  const window = { from: '2024-06-03', to: '2024-07-31' };
  const variant = { label: 'vixshield', preset: 'vixshield' as const, overrides: {} };

  it('every variant of the window is priced at that level, and the header says so', () => {
    const model = studyWindow(window);
    const high = studyWindow({ ...window, oneDayLevelScale: 1.15 });
    expect(model.oneDayLevelScale).toBeUndefined();
    expect(high.oneDayLevelScale).toBe(1.15);
    const a = runVariant(model, variant);
    const b = runVariant(high, variant);
    expect(a.summary.finalEquity).toBeCloseTo(82_757.21, 2); // the golden window, at the model's level
    // at 1.15x the condors are sold farther out: their short strikes sit wider apart
    const width = (r: typeof a) =>
      r.result.trades.reduce((s, t) => s + t.strikes.callShort - t.strikes.putShort, 0) /
      r.result.trades.length;
    expect(width(b)).toBeGreaterThan(width(a) + 10);
    expect(b.result.pricesSource.detail).toContain("1.15 x the model's one-day vol level");
    const header = (w: typeof model) => formatHeader(studyHeader(w, 'x', 'q', {}, 1));
    expect(header(model)).toContain(STUDY_PRICES_STATEMENT);
    expect(header(model)).not.toContain('sensitivity run');
    expect(header(high)).toContain(
      "This is a sensitivity run: 0-2 session expiries at 1.15 x the model's one-day vol level.",
    );
  });

  it('entry-time prices its condors on the scaled regime too: a richer level, a richer credit at every time', () => {
    const opts = { from: '2026-05-19', to: '2026-06-30', iterations: 200 };
    const base = runEntryTimeStudy(opts);
    const high = runEntryTimeStudy({ ...opts, oneDayLevelScale: 1.23 });
    expect(high.days.length).toBe(base.days.length);
    for (let k = 0; k < base.rows.length; k++)
      expect(high.rows[k]!.meanCreditPts!).toBeGreaterThan(1.2 * base.rows[k]!.meanCreditPts!);
    expect(formatEntryTimeStudy(high)).toContain("1.23 x the model's one-day vol level");
  });

  it('a scale that is not a positive multiple is refused before any run, naming the option', () => {
    expect(() => studyWindow({ ...window, oneDayLevelScale: 0 })).toThrow(/must be a multiple in \(0, 10\)/);
    const r = runCli(['study', 'claims', '--one-day-level-scale', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--one-day-level-scale 'abc' must be a number, e.g. 1.15");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
