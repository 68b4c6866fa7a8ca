import { describe, expect, it } from 'vitest';
import { syntheticChain } from '../../../../test/support/chains';
import { type CondorPosition, exitDecision, type IsoDate, resolveConfig } from '../../src/index';

const position: CondorPosition = {
  id: 'p1',
  chainId: 'c1',
  tier: 'conservative',
  expiry: '2024-06-10' as IsoDate,
  root: 'SPXW',
  settlement: 'PM',
  strikes: { putLong: 4935, putShort: 4940, callShort: 5060, callLong: 5065 },
  quantity: 10,
  openedOn: '2024-06-04' as IsoDate,
  entryCredit: 0.7,
  rollsInChain: 1,
  chainRealisedPnl: -150,
};
const chainAt = (spot: number, vol: number) => () =>
  syntheticChain({ asOf: '2024-06-05', expiry: '2024-06-10', spot, atmVol: vol, skewSlope: -1 });
const inputs = (spot: number, vol = 0.15) => ({
  date: '2024-06-05' as IsoDate,
  spx: spot,
  r: 0.04,
  q: 0.013,
  chainFor: chainAt(spot, vol),
});

describe('exit rules (M§1, R10-R11)', () => {
  it('hold to expiry never closes early (default)', () => {
    expect(exitDecision(position, inputs(4900), resolveConfig('vixshield').exits)).toBeNull();
  });

  it('exit when a short strike is 50% of the width in the money', () => {
    const exits = resolveConfig('vixshield', { exits: { policy: 'strike-itm' } }).exits;
    expect(exitDecision(position, inputs(4938), exits)).toBeNull(); // 2 pts ITM < 2.5
    const d = exitDecision(position, inputs(4937.5), exits);
    expect(d?.kind).toBe('close');
    expect(d?.cause.rule).toBe('exit-strike-itm');
  });

  it('exit at k x credit: closes when the cost to close reaches 2 x the entry credit', () => {
    const exits = resolveConfig('vixshield', { exits: { policy: 'credit-multiple' } }).exits;
    expect(exitDecision(position, inputs(5000, 0.08), exits)).toBeNull();
    const d = exitDecision(position, inputs(4950, 0.15), exits);
    expect(d?.kind).toBe('close');
    expect(Number(d?.cause.inputs.closeCost)).toBeGreaterThanOrEqual(1.4);
  });

  it('a condor expiring today is left to settle (no exit on expiry day)', () => {
    const exits = resolveConfig('vixshield', { exits: { policy: 'strike-itm' } }).exits;
    expect(exitDecision({ ...position, expiry: '2024-06-05' as IsoDate }, inputs(4900), exits)).toBeNull();
  });
});
