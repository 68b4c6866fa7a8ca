import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/src/index';
import { exchangeIsTradingDay, loadEmbeddedMarketData, ModelledVixOptionSource } from '../src/index';

const md = loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay });
const source = () =>
  new ModelledVixOptionSource(
    (d) => md.byDate(d),
    () => undefined,
  );
const D = (s: string) => s as IsoDate;

describe('ModelledVixOptionSource memo (quotes by day, expiry and strike or delta)', () => {
  it('answers a repeated question with the same quote, equal to a fresh source', () => {
    const a = source();
    const asOf = D('2020-03-16');
    const [e1, e2] = a.expirations(asOf);
    expect(e1).toBeDefined();
    const q = a.callNearDelta(asOf, e2!, 0.5);
    expect(q).toBeDefined();
    expect(a.callNearDelta(asOf, e2!, 0.5)).toBe(q);
    // The delta quote is the strike quote of its strike (one memo entry each).
    expect(a.call(asOf, e2!, q!.strike)).toBe(q);
    expect(source().callNearDelta(asOf, e2!, 0.5)).toEqual(q);
    // Other days, expiries, strikes and deltas are other questions.
    expect(a.call(asOf, e1!, q!.strike)).not.toEqual(q);
    expect(a.callNearDelta(asOf, e2!, 0.3)!.strike).toBeGreaterThan(q!.strike);
    expect(a.call(D('2020-03-17'), e2!, q!.strike)).not.toEqual(q);
    // A day without a curve, or a strike <= 0, has no quote, and says so again when asked again.
    expect(a.expirations(D('2020-03-15'))).toEqual([]);
    expect(a.call(asOf, e2!, 0)).toBeUndefined();
    expect(a.call(asOf, e2!, 0)).toBeUndefined();
  });

  it('keeps answering right after the memo is cleared (200,000 quotes)', () => {
    const a = source();
    const fresh = source();
    const asOf = D('2019-06-26');
    const [e] = a.expirations(asOf);
    const first = a.callNearDelta(asOf, e!, 0.5);
    for (let i = 0; i < 200_001; i++) a.call(asOf, e!, 10 + i * 1e-4);
    expect(a.callNearDelta(asOf, e!, 0.5)).toEqual(first);
    expect(a.call(asOf, e!, 10.5)).toEqual(fresh.call(asOf, e!, 10.5));
    expect(a.callNearDelta(asOf, e!, 0.25)).toEqual(fresh.callNearDelta(asOf, e!, 0.25));
  });
});
