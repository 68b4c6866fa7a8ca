import type { IsoDate } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  describeEpisodeRule,
  detectEpisodes,
  SEED_EPISODE_RULE,
  seedVariants,
} from '../../src/studies/index';

/** Consecutive fake trading dates (the detector only needs ascending order). */
function series(values: number[]): Array<{ date: IsoDate; vix: number }> {
  return values.map((vix, i) => {
    const d = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    return { date: d as IsoDate, vix };
  });
}

describe('VIX 17-18 episode detection', () => {
  const rule = SEED_EPISODE_RULE;
  it('starts after 5 calm days and ends on the first close below 16', () => {
    const s = series([14, 14, 15, 15, 16, 17.5, 19, 18, 15.9, 14]);
    const eps = detectEpisodes(s, rule);
    expect(eps).toHaveLength(1);
    expect(eps[0]).toMatchObject({
      start: s[5]!.date,
      end: s[8]!.date,
      days: 4,
      endReason: 'vix-below-end',
      startVix: 17.5,
      peakVix: 19,
    });
  });
  it('needs the calm run: 4 calm days are not enough', () => {
    expect(detectEpisodes(series([14, 14, 15, 15, 17.5, 15]), rule)).toEqual([]);
    // A close of exactly 17 or 18 is inside the band; 18.01 is not.
    expect(detectEpisodes(series([14, 14, 14, 14, 14, 18.01, 15]), rule)).toEqual([]);
    expect(detectEpisodes(series([14, 14, 14, 14, 14, 18, 15]), rule)).toHaveLength(1);
    expect(detectEpisodes(series([14, 14, 14, 14, 14, 17, 15]), rule)).toHaveLength(1);
  });
  it('a jump from calm straight above 18 is not an episode, and resets the calm count', () => {
    expect(detectEpisodes(series([14, 14, 14, 14, 14, 22, 17.5, 15]), rule)).toEqual([]);
  });
  it('caps an episode at maxDays and marks an episode cut by the data end', () => {
    const long = series([14, 14, 14, 14, 14, ...Array.from({ length: 30 }, () => 17.5)]);
    const eps = detectEpisodes(long, rule);
    expect(eps[0]).toMatchObject({ days: 20, endReason: 'max-days' });
    // After the capped episode VIX stays in the band with no calm run, so no second episode starts.
    expect(eps).toHaveLength(1);
    const cut = detectEpisodes(series([14, 14, 14, 14, 14, 17.5, 17.2]), rule);
    expect(cut[0]).toMatchObject({ days: 2, endReason: 'data-end' });
  });
  it('finds two separate episodes with calm in between', () => {
    const s = series([14, 14, 14, 14, 14, 17.5, 15, 14, 14, 14, 14, 17.9, 15.5]);
    const eps = detectEpisodes(s, rule);
    expect(eps.map((e) => e.start)).toEqual([s[5]!.date, s[11]!.date]);
  });
  it('prints the rule with its numbers, and builds 4 variants per preset', () => {
    const text = describeEpisodeRule(rule);
    expect(text).toContain('[17, 18]');
    expect(text).toContain('below 16');
    expect(text).toContain('20th trading day');
    const v = seedVariants();
    expect(v).toHaveLength(8);
    expect(
      v.filter((x) => x.preset === 'seed').every((x) => JSON.stringify(x.overrides).includes('next-weekly')),
    ).toBe(true);
  });
});

describe('study vix-spikes on a short window', () => {
  it('slices the same 8 runs by every regime, with the 2020 window as one fixed episode', async () => {
    const { runVixSpikesStudy, formatVixSpikes } = await import('../../src/studies');
    const r = runVixSpikesStudy({ from: '2020-01-02', to: '2020-04-30', iterations: 200 });
    expect(r.regimes.map((g) => g.regime)).toEqual([
      'VIX 17-18 (seed)',
      'VIX 18 -> 25',
      'VIX above 25',
      '2020 crash (fixed window)',
    ]);
    const crash = r.regimes[3]!;
    expect(crash.episodes).toHaveLength(1);
    expect(crash.episodes[0]!.start).toBe('2020-02-20');
    expect(crash.variants).toHaveLength(8);
    expect(crash.variants.every((v) => v.episodes === 1)).toBe(true);
    expect(r.header.variantsTried).toBe(8);
    expect(formatVixSpikes(r)).toContain('MODELLED');
  }, 120_000);
});
