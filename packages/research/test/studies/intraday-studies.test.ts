import { modelErrorStatement } from '@vixshield/app';
import { describe, expect, it } from 'vitest';
import { formatEntryTimeStudy, formatExitsStudy, runEntryTimeStudy, runExitsStudy } from '../../src/index';

// Issue 16: the studies on intraday bars. A window that straddles the start of the hourly bars
// (2023-09-15), so every rule has rows on the bars and on the approximation.
describe('study exits', () => {
  const r = runExitsStudy({ from: '2023-08-01', to: '2023-11-30', iterations: 200 });

  it('reports each rule on the bar window, on the approximation and on the bar window with bars hidden', () => {
    expect(r.barWindow.from).toBe('2023-09-15');
    const labels = [...new Set(r.rows.map((x) => x.label))];
    expect(labels).toHaveLength(6);
    for (const l of labels) {
      expect(r.rows.filter((x) => x.label === l).map((x) => x.segment)).toEqual([
        'bars',
        'ohlc-approximation',
        'bars-window-approximated',
      ]);
    }
    const bars = r.rows.find((x) => x.segment === 'bars')!;
    const approx = r.rows.find((x) => x.segment === 'ohlc-approximation')!;
    expect(bars.sessions + approx.sessions).toBe(r.header.sample.tradingDays);
  });

  it('gives different, explained results per rule', () => {
    const onBars = r.rows.filter((x) => x.segment === 'bars');
    const hold = onBars.find((x) => x.verdictBeatsHold === 'baseline')!;
    expect(Object.keys(hold.exitsByRule)).toHaveLength(0);
    // Every rule fires at least once on the bars, each by its own name, and changes the P&L.
    const names = [
      'stop-credit-multiple',
      'stop-credit-multiple',
      'profit-take',
      'time-exit',
      'short-strike-touch',
    ];
    onBars
      .filter((x) => x !== hold)
      .forEach((x, i) => {
        expect(x.exitsByRule[names[i]!]).toBeGreaterThan(0);
        expect(x.pnlUsd).not.toBeCloseTo(hold.pnlUsd, 0);
        expect(x.explanation).toMatch(/intraday exits/);
        expect(x.vsHold).not.toBeNull();
      });
    // A tighter stop fires at least as often as a looser one.
    const n = (label: string) =>
      onBars.find((x) => x.label === label)!.exitsByRule['stop-credit-multiple'] ?? 0;
    expect(n('stop at 1.5 x credit')).toBeGreaterThanOrEqual(n('stop at 2 x credit'));
    // Distinct results across rules.
    expect(new Set(onBars.map((x) => x.pnlUsd.toFixed(0))).size).toBe(onBars.length);
    expect(formatExitsStudy(r)).toContain('beats hold');
  });
});

describe('study entry-time', () => {
  it('compares 15:10 CT with earlier entries on the 5-minute days, labelled as a small sample', () => {
    const r = runEntryTimeStudy({ iterations: 200 });
    expect(r.answered).toBe(true);
    expect(r.smallSample).toMatch(/^SMALL SAMPLE: \d+ sessions with complete 5-minute SPX bars/);
    expect(r.days.length).toBeGreaterThan(30);
    expect(r.days.length).toBeLessThanOrEqual(66);
    expect(r.rows.map((x) => x.entryTimeCt)).toEqual(['09:00', '11:00', '13:00', '14:30', '15:10']);
    for (const x of r.rows) expect(x.days).toBe(r.days.length);
    expect(r.rows[4]!.verdictBeats1510).toBe('baseline');
    // More time left at an earlier entry: more credit for the same rule (same information).
    expect(r.rows[0]!.meanCreditPts!).toBeGreaterThan(r.rows[4]!.meanCreditPts!);
    expect(formatEntryTimeStudy(r)).toContain('SMALL SAMPLE');
    // its prices line says they are modelled and how far the model was measured from real quotes
    expect(formatEntryTimeStudy(r)).toContain('Option prices are MODELLED');
    expect(formatEntryTimeStudy(r)).toContain(modelErrorStatement());
    // A window without 5-minute bars says so.
    const none = runEntryTimeStudy({ from: '2019-01-02', to: '2019-03-29', iterations: 200 });
    expect(none.answered).toBe(false);
    expect(none.notes.join(' ')).toMatch(/No session in the window has 5-minute bars/);
  });
});
