import type { Book, IsoDate } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { computeSignal } from '../src/index';

// A conservative condor sold on 2024-08-02 (SPX close 5346.56) expiring 2024-08-06; on 2024-08-05 SPX
// closed 3.0% lower. The layer's size is a target in USD per 1% SPX from the live condors' gamma, and a
// deep in-the-money put spread has little of it (41 USD per 1% for 8 condors on surface 1.5.0): 20
// condors make the target worth at least one VIX call, so the test is about the trigger, not the size.
const book: Book = {
  condors: [
    {
      id: 'p1',
      chainId: 'c1',
      tier: 'conservative',
      expiry: '2024-08-06' as IsoDate,
      root: 'SPXW',
      settlement: 'PM',
      strikes: { putLong: 5280, putShort: 5285, callShort: 5400, callLong: 5405 },
      quantity: 20,
      openedOn: '2024-08-02' as IsoDate,
      entryCredit: 0.7,
      rollsInChain: 0,
      chainRealisedPnl: 0,
    },
  ],
  hedges: [],
};

describe('seed hedge triggers in the live signal (issue 15 case 5)', () => {
  it('seed case 5: the live signal keeps entry spots, so a 3% decline since the entry fires layer 1 with its reason', () => {
    const s = computeSignal({ date: '2024-08-05', preset: 'seed', bookValue: book });
    expect(s.hedgeReasons.join('\n')).toMatch(/SPX decline from chain entry 3\.\d\d%/);
    expect(s.hedge.length).toBe(1);
    expect(s.hedge[0]?.reason).toMatch(/seed ALVH layer 1: SPX declined 3\.\d\d% from the entry of c1/);
  });

  it('seed case 5: with an empty book the signal says why no layer is bought', () => {
    const s = computeSignal({ date: '2024-08-05', preset: 'seed' });
    expect(s.hedge).toEqual([]);
    expect(s.hedgeReasons.join('\n')).toMatch(/SPX decline from chain entry 0\.00%/);
  });
});
