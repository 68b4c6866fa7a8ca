import { describe, expect, it } from 'vitest';
import {
  type CondorPosition,
  type CondorQuote,
  type EnginePorts,
  type Intent,
  type IsoDate,
  liveCondorsAfterSession,
  type SessionEvent,
} from '../../src/index';

const date = '2024-08-05' as IsoDate;
const expiring: CondorPosition = {
  id: 'p1',
  chainId: 'c1',
  tier: 'conservative',
  expiry: date,
  root: 'SPXW',
  settlement: 'PM',
  strikes: { putLong: 5300, putShort: 5305, callShort: 5420, callLong: 5425 },
  quantity: 8,
  openedOn: '2024-08-02' as IsoDate,
  entryCredit: 0.7,
  rollsInChain: 0,
  chainRealisedPnl: 0,
};
const ev: SessionEvent = {
  kind: 'session',
  date,
  instantUtcMs: 0,
  market: {
    spx: 5186,
    vwapApprox: null,
    vix: 38,
    vix9d: null,
    hv20: null,
    vix5dAverage: null,
    vixZScore: 3,
    events: {
      fomc: false,
      cpi: false,
      ppi: null,
      payrolls: null,
    } as unknown as SessionEvent['market']['events'],
    r: 0.05,
    q: 0.013,
  },
  book: { condors: [expiring], hedges: [] },
  equity: 100_000,
};
// No chain is read: the expiring condor has settled and the roll target carries its own Greeks.
const ports = {} as EnginePorts;
const target = {
  expiry: '2024-08-12',
  greeks: { delta: 0, gamma: -0.004, vega: 0, theta: 0 },
} as unknown as CondorQuote;

describe('seed exposure live after the session (issue 15 case 5)', () => {
  it('seed case 5: a condor rolled today is live after the session and carries its new gamma', () => {
    const roll: Intent = {
      kind: 'roll',
      positionId: 'p1',
      direction: 'forward',
      to: target,
      quantity: 8,
      rollCredit: 0,
      closeDebitMid: 5,
      reason: 'test',
      cause: { rule: 'test', inputs: {} },
    };
    const live = liveCondorsAfterSession(ev, ports, [roll]);
    expect(live.count).toBe(1);
    // 0.5 x 0.004 x (51.86)^2 x 100 x 8
    expect(live.dollarGamma1PctUsd).toBeCloseTo(0.5 * 0.004 * 51.86 ** 2 * 100 * 8, 6);
    // without the roll the expiring condor has settled: nothing is live
    expect(liveCondorsAfterSession(ev, ports, [])).toEqual({ count: 0, dollarGamma1PctUsd: 0 });
  });
});
