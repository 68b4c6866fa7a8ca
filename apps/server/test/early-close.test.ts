import { INITIAL_ENGINE_STATE, type IsoDate, resolveConfig, step, vixOptionsOpenAt } from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import { openJournal } from '@vixshield/journal';
import { describe, expect, it } from 'vitest';
import { marketData, sessionsUpTo } from '../../../packages/app/src/index';
import { runInstantUtcMs, signalFor } from '../src/index';

// 2024-11-29 (the day after Thanksgiving): cash close 13:00 ET, SPX and VIX options close 13:15 ET.
const day = '2024-11-29' as IsoDate;

describe('early-close days (issue 15 case 8)', () => {
  it('early close case 8: the scheduler runs at 12:10 CT and computes the 12:10 CT signal, not a 15:10 one', () => {
    const at = runInstantUtcMs(day);
    expect(new Date(at).toISOString()).toBe('2024-11-29T18:10:00.000Z'); // 12:10 CT
    const journal = openJournal(':memory:');
    try {
      const { signal } = signalFor(journal, { date: day, preset: 'vixshield', book: 'none' });
      expect((signal as { asOf: string }).asOf).toBe('2024-11-29T18:10:00.000Z');
    } finally {
      journal.close();
    }
    // a regular day keeps 15:10 CT
    expect(new Date(runInstantUtcMs('2024-11-27' as IsoDate)).toISOString()).toBe('2024-11-27T21:10:00.000Z');
  });

  it('early close case 8: the session is priced at 12:10 CT (the chain quote time moves with the close)', () => {
    const md = marketData();
    const cfg = resolveConfig('vixshield');
    const { sessions } = sessionsUpTo(md, day, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays);
    const s = sessions.find((x) => x.date === day);
    expect(new Date(s?.instantUtcMs ?? 0).toISOString()).toBe('2024-11-29T18:10:00.000Z');
    const ports = embeddedPorts(md, { quoteTimeCt: cfg.entry.timeCt });
    const chain = ports.chains.chain(day, '2024-12-02' as IsoDate);
    expect(chain).toBeDefined();
    expect(new Date(chain?.quoteTimeUtcMs ?? 0).toISOString()).toBe('2024-11-29T18:10:00.000Z');
  });

  it('early close case 8: no VIX option order at 15:10 CT on an early-close day (VIX options closed at 12:15 CT)', () => {
    expect(vixOptionsOpenAt(day, Date.parse('2024-11-29T18:10:00Z'))).toBe(true);
    expect(vixOptionsOpenAt(day, Date.parse('2024-11-29T21:10:00Z'))).toBe(false);
    const md = marketData();
    const cfg = resolveConfig('vixshield', { hedge: { sizing: 'unit' } });
    const { sessions } = sessionsUpTo(md, day, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays);
    const s = sessions.find((x) => x.date === day);
    if (!s) throw new Error('no session');
    const ports = embeddedPorts(md, { quoteTimeCt: cfg.entry.timeCt });
    const ev = (instantUtcMs: number) => ({
      kind: 'session' as const,
      date: day,
      instantUtcMs,
      market: s.market,
      book: { condors: [], hedges: [] },
      equity: 100_000,
    });
    const open = step(INITIAL_ENGINE_STATE, ev(s.instantUtcMs), ports, cfg);
    expect(open.intents.filter((i) => i.kind === 'hedge').length).toBeGreaterThan(0);
    const late = step(open.state, ev(Date.parse('2024-11-29T21:10:00Z')), ports, cfg);
    expect(late.intents.filter((i) => i.kind === 'hedge')).toEqual([]);
    expect(late.reasons.join('\n')).toMatch(/VIX options are closed at 2024-11-29T21:10:00\.000Z/);
  });
});
