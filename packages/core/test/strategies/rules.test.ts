import { describe, expect, it } from 'vitest';
import { syntheticChain } from '../../../../test/support/chains';
import {
  chainContext,
  condorSettlementValue,
  condorsForEquity,
  entryExpiry,
  eventFilter,
  type HeldThrough,
  INITIAL_GATE_STATE,
  type IsoDate,
  ironCondorCommand,
  NOTHING_HELD,
  newYorkTimeToUtcMs,
  premiumGauge,
  resolveConfig,
  rsaiSearch,
  vixGate,
} from '../../src/index';

const cfg = resolveConfig('vixshield');
/** A condor entered 2024-06-04 15:10 CT and expiring 2024-06-05 holds through these releases. */
const holding = (kind: 'fomc' | 'cpi', unknownKinds: Array<'ppi' | 'payrolls'> = []): HeldThrough => ({
  releases: [
    {
      kind,
      date: '2024-06-05' as IsoDate,
      releaseUtcMs: newYorkTimeToUtcMs('2024-06-05' as IsoDate, kind === 'fomc' ? '14:00' : '08:30'),
    },
  ],
  unknown: unknownKinds.map((k) => ({ kind: k, date: '2024-06-05' as IsoDate })),
});
const unknownOnly: HeldThrough = {
  releases: [],
  unknown: [
    { kind: 'ppi', date: '2024-06-05' as IsoDate },
    { kind: 'payrolls', date: '2024-06-05' as IsoDate },
  ],
};

describe('VIX gate (M§1, R14)', () => {
  it('VIX gate allows all three tiers at VIX 14', () => {
    expect(vixGate(14, cfg.gate).allowedTiers).toEqual(['conservative', 'balanced', 'aggressive']);
  });
  it('VIX gate blocks Aggressive at VIX 17', () => {
    const g = vixGate(17, cfg.gate);
    expect(g.allowedTiers).toEqual(['conservative', 'balanced']);
    expect(g.hold).toBe(false);
  });
  it('VIX gate keeps Conservative and Balanced at exactly 15 and 20', () => {
    expect(vixGate(15, cfg.gate).allowedTiers).toEqual(['conservative', 'balanced']);
    expect(vixGate(20, cfg.gate).allowedTiers).toEqual(['conservative', 'balanced']);
  });
  it('VIX gate HOLDs above 20: no new condors, trades still allowed', () => {
    const g = vixGate(20.01, cfg.gate);
    expect(g.hold).toBe(true);
    expect(g.noTrades).toBe(false);
    expect(g.allowedTiers).toEqual([]);
  });
  it('VIX gate stops all trades above 25', () => {
    const g = vixGate(25.5, cfg.gate);
    expect(g.noTrades).toBe(true);
    expect(g.hold).toBe(true);
  });
  it('VIX gate hysteresis: stays in HOLD until VIX drops below reopenBelow', () => {
    const gate = { ...cfg.gate, reopenBelow: 18 };
    const spike = vixGate(22, gate);
    const after = vixGate(19, gate, spike.state);
    expect(after.hold).toBe(true);
    const reopened = vixGate(17.5, gate, after.state);
    expect(reopened.hold).toBe(false);
    expect(reopened.allowedTiers).toEqual(['conservative', 'balanced']);
  });
  it('VIX gate size multiplier 0.5 above 28 only when enabled', () => {
    expect(vixGate(30, cfg.gate).sizeMultiplier).toBe(1);
    expect(vixGate(30, { ...cfg.gate, sizeScaleEnabled: true }).sizeMultiplier).toBe(0.5);
  });
});

describe('event filter (M§1, R32)', () => {
  it('event filter skips an entry whose condor is held through an FOMC release by default', () => {
    const d = eventFilter(holding('fomc'), cfg.events);
    expect(d.action).toBe('skip');
    expect(d.reason).toContain('FOMC');
  });
  it('event filter reports kinds without data as unknown, never as absent', () => {
    const d = eventFilter(unknownOnly, cfg.events);
    expect(d.action).toBe('trade');
    expect(d.unknownKinds).toEqual(['ppi', 'payrolls']);
    expect(d.reason).toMatch(/unknown/);
    expect(d.reason).not.toMatch(/^no release held through/);
  });
  it('event filter half-size-wider variant', () => {
    const d = eventFilter(holding('cpi'), { ...cfg.events, policy: 'half-size-wider' });
    expect(d.action).toBe('half-size-wider');
  });
});

// A calm day: SPX 5000, ATM vol 12%, put skew; expiry the next trading day.
const calm = syntheticChain({
  asOf: '2024-06-04',
  expiry: '2024-06-05',
  spot: 5000,
  atmVol: 0.12,
  skewSlope: -1.2,
});

describe('RSAi strike search (M§1, R6)', () => {
  const ctx = chainContext(calm, 0.05, 0.013);
  it('RSAi starts outside the EDR band and moves the lower-|delta| short inward until the target; the richer-skew put stays further out', () => {
    const res = rsaiSearch(ctx, {
      targetCredit: 0.7,
      wingWidth: 5,
      strikeStep: 5,
      maxShortDelta: 0.3,
      startDistancePts: 60,
    });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.quote.creditMid).toBeGreaterThanOrEqual(0.7);
    expect(res.steps.length).toBeGreaterThan(0);
    expect(res.steps[0]!.putIvAtDelta).toBeGreaterThan(res.steps[0]!.callIvAtDelta);
    // the put (richer IV at equal |delta|) sits at least as far from spot as the call
    expect(5000 - res.quote.strikes.putShort).toBeGreaterThanOrEqual(res.quote.strikes.callShort - 5000);
    // wings keep the configured width
    expect(res.quote.strikes.putShort - res.quote.strikes.putLong).toBe(5);
    expect(res.quote.strikes.callLong - res.quote.strikes.callShort).toBe(5);
    // one step fewer would have been below target
    const prev = res.steps.length > 1 ? res.steps[res.steps.length - 2]!.creditMid : Number.NEGATIVE_INFINITY;
    expect(prev).toBeLessThan(0.7);
  });
  it('RSAi alternates sides when skew is flat (ties)', () => {
    const flat = chainContext(
      syntheticChain({
        asOf: '2024-06-04',
        expiry: '2024-06-05',
        spot: 5000,
        atmVol: 0.12,
        halfSpread: 1e-6,
      }),
      0.04,
      0.013,
    );
    const res = rsaiSearch(flat, {
      targetCredit: 1.15,
      wingWidth: 5,
      strikeStep: 5,
      maxShortDelta: 0.3,
      startDistancePts: 60,
    });
    const sides = res.steps.map((s) => s.side);
    expect(sides.length).toBeGreaterThan(1);
    expect(new Set(sides).size).toBe(2);
  });
  it('RSAi returns no trade when the |delta| guard is hit before the target', () => {
    const res = rsaiSearch(ctx, {
      targetCredit: 4.5,
      wingWidth: 5,
      strikeStep: 5,
      maxShortDelta: 0.2,
      startDistancePts: 60,
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.reason).toMatch(/guard/);
    expect(Math.abs(res.best!.shortPutDelta)).toBeLessThanOrEqual(0.2);
  });
});

describe('Premium Gauge, sizing and settlement (M§1)', () => {
  it('Premium Gauge prices the 5-wide condor at the EDR-boundary strikes', () => {
    const ctx = chainContext(calm, 0.05, 0.013);
    const g = premiumGauge(ctx, 60, 5)!;
    expect(g.strikes.putShort).toBe(4940);
    expect(g.strikes.callShort).toBe(5060);
    expect(g.creditMid).toBeGreaterThan(0);
  });
  it('sizing keeps max loss at or below 10% of equity', () => {
    expect(condorsForEquity(100_000, 4.3, 0.1)).toBe(23); // 23 x 430 = 9,890 <= 10,000
    expect(condorsForEquity(100_000, 4.3, 0.1) * 430).toBeLessThanOrEqual(10_000);
    expect(condorsForEquity(3_000, 4.3, 0.1)).toBe(0);
  });
  it('a short condor settles for minus the in-the-money spread, capped at the width', () => {
    const s = { putLong: 4935, putShort: 4940, callShort: 5060, callLong: 5065 };
    expect(condorSettlementValue(s, 5000)).toBe(-0);
    expect(condorSettlementValue(s, 4938)).toBe(-2);
    expect(condorSettlementValue(s, 4900)).toBe(-5);
    expect(condorSettlementValue(s, 5070)).toBe(-5);
  });
});

describe('Iron Condor Command pipeline (M§1)', () => {
  const base = {
    date: '2024-06-04' as IsoDate,
    spx: 5000,
    vix: 12.5,
    vix9d: 11.8,
    hv20: 10,
    held: NOTHING_HELD,
    r: 0.05,
    q: 0.013,
    equity: 100_000,
    // mid fills, no fees, no other condor open: the rules as in M§1 alone
    execution: { fillShare: 0.5, feesPerCondorUsd: 0 },
    book: { capUsd: 10_000, committedUsd: 0, note: '' },
  };
  it('trades the Conservative tier by default, and the highest allowed tier under that policy', () => {
    const byDefault = ironCondorCommand(base, calm, '2024-06-05' as IsoDate, cfg, INITIAL_GATE_STATE);
    expect(byDefault.chosenTier).toBe('conservative');
    const highest = resolveConfig('vixshield', { entry: { tierPolicy: 'highest-allowed' } });
    const d = ironCondorCommand(base, calm, '2024-06-05' as IsoDate, highest, INITIAL_GATE_STATE);
    expect(d.skip).toBe(false);
    expect(d.tiers.map((t) => t.tier)).toEqual(['conservative', 'balanced', 'aggressive']);
    expect(d.chosenTier).toBe('aggressive');
    const open = d.intents[0]!;
    expect(open.kind).toBe('open');
    if (open.kind !== 'open') return;
    expect(open.condor.creditMid).toBeGreaterThanOrEqual(1.6);
    expect(open.quantity * open.condor.maxLossMid * 100).toBeLessThanOrEqual(10_000);
    // shorts start outside the EDR band: the Premium Gauge condor sits at the band
    expect(d.premiumGauge).not.toBeNull();
  });
  it('skips an entry held through an FOMC release with the reason', () => {
    const d = ironCondorCommand(
      { ...base, held: holding('fomc') },
      calm,
      '2024-06-05' as IsoDate,
      cfg,
      INITIAL_GATE_STATE,
    );
    expect(d.skip).toBe(true);
    expect(d.skipReason).toContain('FOMC');
  });
  it('no trade when the Premium Gauge is below 0.30', () => {
    const thin = syntheticChain({
      asOf: '2024-06-04',
      expiry: '2024-06-05',
      spot: 5000,
      atmVol: 0.05,
      halfSpread: 0.025,
    });
    const d = ironCondorCommand(
      { ...base, vix: 12.5, vix9d: 18 },
      thin,
      '2024-06-05' as IsoDate,
      cfg,
      INITIAL_GATE_STATE,
    );
    expect(d.skip).toBe(true);
    expect(d.skipReason).toMatch(/Premium Gauge .* < 0.30/);
  });
  it('HOLD above VIX 20 gives a hold intent, not an open', () => {
    const d = ironCondorCommand({ ...base, vix: 22 }, calm, '2024-06-05' as IsoDate, cfg, INITIAL_GATE_STATE);
    expect(d.intents[0]!.kind).toBe('hold');
  });
  it('strict 1DTE: no entry expiry before the SPXW Monday-Wednesday dailies existed (2015-06-03 is a Wednesday)', () => {
    expect(entryExpiry('2015-06-03' as IsoDate, cfg.entry)).toBeNull();
    expect(entryExpiry('2015-06-04' as IsoDate, cfg.entry)).toBe('2015-06-05');
    expect(entryExpiry('2024-06-04' as IsoDate, cfg.entry)).toBe('2024-06-05');
  });
});

describe('event variants', () => {
  it('post-announcement 0DTE variant skips with the reason on daily data (no intraday quotes)', () => {
    const d = eventFilter(holding('fomc'), { ...cfg.events, policy: 'post-announcement' });
    expect(d.action).toBe('skip');
    expect(d.reason).toMatch(/intraday/);
  });
});
