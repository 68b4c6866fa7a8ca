import { describe, expect, it } from 'vitest';
import { syntheticChain } from '../../../../test/support/chains';
import {
  type CondorPosition,
  forwardTrigger,
  type IsoDate,
  isThreatened,
  type OptionChain,
  type RollInputs,
  resolveConfig,
  temporalThetaMartingale,
} from '../../src/index';

const cfg = resolveConfig('vixshield');
const today = '2024-06-05' as IsoDate; // a Wednesday
const expiries = [
  '2024-06-05',
  '2024-06-06',
  '2024-06-07',
  '2024-06-10',
  '2024-06-11',
  '2024-06-12',
  '2024-06-13',
  '2024-06-14',
] as IsoDate[];

function chains(spot: number, vol: number): (e: IsoDate) => OptionChain | undefined {
  const cache = new Map<string, OptionChain>();
  return (e) => {
    if (e <= today) return undefined;
    if (!cache.has(e))
      cache.set(
        e,
        syntheticChain({ asOf: today, expiry: e, spot, atmVol: vol, skewSlope: -1, halfWidth: 120 }),
      );
    return cache.get(e);
  };
}

const position: CondorPosition = {
  id: 'p1',
  chainId: 'c1',
  tier: 'conservative',
  expiry: today,
  root: 'SPXW',
  settlement: 'PM',
  strikes: { putLong: 4935, putShort: 4940, callShort: 5060, callLong: 5065 },
  quantity: 10,
  openedOn: '2024-06-04' as IsoDate,
  entryCredit: 0.7,
  rollsInChain: 0,
  chainRealisedPnl: 0,
};

function inputs(over: Partial<RollInputs>): RollInputs {
  return {
    date: today,
    spx: 4938,
    vwapApprox: 4950,
    edrPct: 1.0,
    edrPts: 49.4,
    vix: 17,
    noTrades: false,
    r: 0.04,
    q: 0.013,
    expirations: expiries,
    chainFor: chains(4938, 0.18),
    ...over,
  };
}

describe('Temporal Theta Martingale (M§2)', () => {
  it('threatened test: at or beyond a short strike, or a short |delta| >= 0.30', () => {
    expect(isThreatened(position, 4940, null, 0.3)).toBe(true);
    expect(isThreatened(position, 5060, null, 0.3)).toBe(true);
    expect(isThreatened(position, 5000, null, 0.3)).toBe(false);
    expect(isThreatened(position, 5000, { put: -0.31, call: 0.05 }, 0.3)).toBe(true);
  });

  it('forward trigger is EDR > 0.94% OR VIX > 16 by default, AND when configured', () => {
    expect(forwardTrigger(0.9, 16.5, cfg.roll)).toBe(true);
    expect(forwardTrigger(0.95, 15, cfg.roll)).toBe(true);
    expect(forwardTrigger(0.9, 15, cfg.roll)).toBe(false);
    expect(forwardTrigger(0.95, 15, { ...cfg.roll, combine: 'and' })).toBe(false);
  });

  it('TTM forward-rolls a threatened expiring condor to 1-7 DTE at the same quantity with a net credit >= 0 (M§2 as published: no debit)', () => {
    const asPublished = resolveConfig('vixshield', { roll: { maxNetRollDebit: 0 } });
    const d = temporalThetaMartingale(position, 0.7, inputs({}), asPublished);
    expect(d.intents).toHaveLength(1);
    const roll = d.intents[0]!;
    expect(roll.kind).toBe('roll');
    if (roll.kind !== 'roll') return;
    expect(roll.direction).toBe('forward');
    expect(roll.quantity).toBe(10);
    expect(roll.rollCredit).toBeGreaterThanOrEqual(0);
    expect(roll.to.expiry > today).toBe(true);
    expect(roll.to.expiry <= '2024-06-14').toBe(true);
    // closing debit = settlement value of the 4935/4940 put spread at 4938
    expect(roll.cause.inputs.closeDebit).toBe(2);
    expect(roll.to.creditMid).toBeGreaterThanOrEqual(2);
  });

  it('TTM lets a threatened condor settle when EDR <= 0.94% and VIX <= 16', () => {
    const d = temporalThetaMartingale(position, 0.7, inputs({ edrPct: 0.9, vix: 15.5 }), cfg);
    expect(d.intents).toEqual([]);
    expect(d.reasons[0]).toMatch(/settles/);
  });

  it('TTM does not roll an untouched condor', () => {
    expect(temporalThetaMartingale(position, 0.7, inputs({ spx: 5000 }), cfg).intents).toEqual([]);
  });

  it('TTM stops after the roll limit (3 per chain)', () => {
    const d = temporalThetaMartingale({ ...position, rollsInChain: 3 }, 0.7, inputs({}), cfg);
    expect(d.intents).toEqual([]);
    expect(d.reasons[0]).toMatch(/used its 3 rolls/);
  });

  it('TTM makes no roll when the VIX gate says no trades (VIX > 25)', () => {
    const d = temporalThetaMartingale(position, 0.7, inputs({ vix: 27, noTrades: true }), cfg);
    expect(d.intents).toEqual([]);
    expect(d.reasons[0]).toMatch(/no trades/);
  });

  it('TTM rolls back a 3+ DTE chain to 0-2 DTE when EDR < 0.94% and SPX is below VWAP', () => {
    const far = { ...position, expiry: '2024-06-10' as IsoDate, rollsInChain: 1 };
    const calm = inputs({
      spx: 5000,
      vwapApprox: 5005,
      edrPct: 0.8,
      edrPts: 40,
      vix: 13,
      chainFor: chains(5000, 0.12),
    });
    const d = temporalThetaMartingale(far, 0.7, calm, cfg);
    expect(d.intents).toHaveLength(1);
    const roll = d.intents[0]!;
    if (roll.kind !== 'roll') throw new Error('expected a roll');
    expect(roll.direction).toBe('rollback');
    expect(['2024-06-06', '2024-06-07']).toContain(roll.to.expiry);
    // above VWAP: no rollback
    expect(temporalThetaMartingale(far, 0.7, { ...calm, vwapApprox: 4990 }, cfg).intents).toEqual([]);
  });

  it('seed rollback moves an expiring condor near its break-even into the next weekly cycle', () => {
    const seed = resolveConfig('seed');
    const nearBe = inputs({ spx: 4945, edrPct: 0.8, vix: 14, edrPts: 40, chainFor: chains(4945, 0.14) });
    const d = temporalThetaMartingale(position, 0.7, nearBe, seed);
    expect(d.intents).toHaveLength(1);
    const roll = d.intents[0]!;
    if (roll.kind !== 'roll') throw new Error('expected a roll');
    expect(roll.cause.rule).toBe('seed-rollback-next-weekly');
    expect(roll.to.expiry >= '2024-06-12').toBe(true);
    // the default preset would let it expire (not threatened, calm)
    expect(temporalThetaMartingale(position, 0.7, nearBe, cfg).intents).toEqual([]);
  });

  it('seed case 10: SPX already 40 pts past the lower break-even is not "within 10 pts of a break-even"', () => {
    const seed = resolveConfig('seed');
    // lower break-even 4940 - 0.70 = 4939.30; near = 0.25 x 40 = 10 pts; SPX 4899 is 40.3 pts past it
    const pastBe = inputs({ spx: 4899, edrPct: 0.8, vix: 14, edrPts: 40, chainFor: chains(4899, 0.14) });
    const d = temporalThetaMartingale(position, 0.7, pastBe, seed);
    expect(
      d.intents.filter((i) => i.kind === 'roll' && i.cause.rule === 'seed-rollback-next-weekly'),
    ).toEqual([]);
    const text = d.reasons.join('\n');
    expect(text).not.toMatch(/within 10\.0 pts/);
    expect(text).toMatch(/40\.3 pts below the lower break-even 4939\.30 \(past it\)/);
    // 5 pts past it is still near (within 10 pts on either side), and the reason says which side
    const justPast = inputs({ spx: 4934, edrPct: 0.8, vix: 14, edrPts: 40, chainFor: chains(4934, 0.14) });
    expect(temporalThetaMartingale(position, 0.7, justPast, seed).reasons.join('\n')).toMatch(
      /5\.3 pts below the lower break-even 4939\.30 \(past it\), within 10\.0 pts/,
    );
  });
});
