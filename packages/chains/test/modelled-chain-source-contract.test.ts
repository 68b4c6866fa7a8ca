import {
  addTradingDays,
  type IsoDate,
  ModelledChainSource,
  type SurfaceInputs,
  session,
  zonedTimeToUtcMs,
} from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { describeChainSourceContract } from './chain-source-contract';

/*
 * The shared ChainSource contract run against the surface model. The source lives in core; the
 * contract suite lives here (data/test), so the test sits on this side of the dependency arrow.
 *
 * Quote time: the methodology's default 15:10 CT is 16:10 ET, after the 16:00 cash close (SPX options
 * trade until 16:15 ET); the contract's look-ahead rule requires quote <= session close, so the suite
 * runs the model at 15:00 CT (the close). The default is checked separately below.
 */

const INPUTS: Record<string, SurfaceInputs> = {
  // Closes of the day from the embedded files (SPX, VIX family, SKEW); r = DGS3MO as a decimal
  // (approximately continuous); q = 0.0184 (about the Shiller yield of early 2018; 0.03 in Oct 2008).
  // 2008-10-24 has no VIX9D or VIX3M series yet: the fallbacks are exercised.
  '2018-01-16': {
    spot: 2776.42,
    r: 0.0145,
    q: 0.0184,
    vix9d: 11.25,
    vix: 11.66,
    vix3m: 13.23,
    vix6m: 14.99,
    vix1y: 16.27,
    skew: 128.65,
  },
  '2018-02-05': {
    spot: 2648.94,
    r: 0.0151,
    q: 0.0184,
    vix9d: 59.34,
    vix: 37.32,
    vix3m: 28.13,
    vix6m: 24.55,
    vix1y: 22.49,
    skew: 117.33,
  },
  '2008-10-24': { spot: 876.77, r: 0.0089, q: 0.03, vix: 79.13, vix6m: 50.85, vix1y: 45.01, skew: 116.67 },
};
const dates = Object.keys(INPUTS) as IsoDate[];

describeChainSourceContract(
  'ModelledChainSource (vixshield-surface, 15:00 CT quotes)',
  () => ({
    source: new ModelledChainSource({ inputs: (d) => INPUTS[d], quoteTimeCt: '15:00' }),
    asOfDates: dates,
  }),
  { minParityPairs: 50 },
);

describe('ModelledChainSource quote time', () => {
  it('defaults to 15:10 CT (16:10 ET, between the cash close and the 16:15 options close)', () => {
    const src = new ModelledChainSource({ inputs: (d) => INPUTS[d] });
    const d = '2018-01-16' as IsoDate;
    const c = src.chain(d, src.expirations(d)[0]!)!;
    expect(c.quoteTimeUtcMs).toBe(zonedTimeToUtcMs(d, '15:10', 'America/Chicago'));
    expect(c.quoteTimeUtcMs - session(d).closeUtcMs).toBe(10 * 60_000);
  });
  it('is the early-close entry on an early-close day: the options close (close + 15 min) minus 5 min', () => {
    // ADR 0005 item 18 (issue 15 case 8): 15:10 CT is 5 minutes before the 16:15 ET options close, so an
    // early-close day's entry and quotes are at 13:15 - 5 = 13:10 ET.
    const d = '2018-11-23' as IsoDate; // day after Thanksgiving, 13:00 ET close
    const src = new ModelledChainSource({ inputs: () => INPUTS['2018-01-16'] });
    expect(src.quoteInstantUtcMs(d)).toBe(session(d).closeUtcMs + 10 * 60_000);
    expect(src.expirations(addTradingDays(d, 1)).length).toBeGreaterThan(0);
  });
});
