import { describe, expect, it } from 'vitest';
import { syntheticChain } from '../../../../test/support/chains';
import { flatVixOptions } from '../../../../test/support/vix-options';
import {
  addDays,
  bsmPrice,
  type ChainSource,
  DEFAULT_FEES,
  type EnginePorts,
  feesUsd,
  formatUtcIso,
  INITIAL_ENGINE_STATE,
  type IsoDate,
  LEGS_PER_CONDOR,
  type OptionChain,
  ORATS_LIKE_FILL,
  occSymbol,
  resolveConfig,
  type SessionEvent,
  step,
  toDailySignal,
  zonedTimeToUtcMs,
} from '../../src/index';

function chainSource(spot: number, vol: number): ChainSource {
  const cache = new Map<string, OptionChain>();
  return {
    pricesSource: 'modelled',
    expirations: (asOf) => [1, 2, 3, 6, 7, 8].map((d) => addDays(asOf, d)),
    chain: (asOf, expiry) => {
      const key = `${asOf}|${expiry}`;
      if (!cache.has(key))
        cache.set(key, syntheticChain({ asOf, expiry, spot, atmVol: vol, skewSlope: -1.2 }));
      return cache.get(key);
    },
  };
}

const vixOptions = flatVixOptions({
  expirations: (asOf) => Array.from({ length: 10 }, (_, k) => addDays(asOf, 14 + 28 * k)),
  strike: 16,
  bid: 1.9,
  ask: 2.1,
});

const date = '2024-06-04' as IsoDate;
const ports: EnginePorts = { chains: chainSource(5000, 0.12), vixOptions };
const event = (vix: number): SessionEvent => ({
  kind: 'session',
  date,
  instantUtcMs: zonedTimeToUtcMs(date, '15:10', 'America/Chicago'),
  market: {
    spx: 5000,
    vwapApprox: 5001,
    vix,
    vix9d: vix - 0.5,
    hv20: 10,
    vix5dAverage: vix,
    vixZScore: 0,
    events: { fomc: false, cpi: false, ppi: null, payrolls: null },
    r: 0.04,
    q: 0.013,
  },
  book: { condors: [], hedges: [] },
  equity: 100_000,
});

describe('engine step', () => {
  it('a calm day opens the chosen tier and the ALVH ladder, with reasons', () => {
    const cfg = resolveConfig('vixshield', { hedge: { sizing: 'unit' } });
    const res = step(INITIAL_ENGINE_STATE, event(13), ports, cfg);
    const kinds = res.intents.map((i) => (i.kind === 'hedge' ? `hedge-${i.action}` : i.kind));
    expect(kinds).toEqual(['open', 'hedge-open', 'hedge-open', 'hedge-open']);
    expect(res.reasons.some((r) => r.startsWith('EDR'))).toBe(true);
    expect(res.state.gate.holding).toBe(false);
  });

  it('is pure: the same state and event give the same result, and the input state is untouched', () => {
    const cfg = resolveConfig('vixshield');
    const before = JSON.stringify(INITIAL_ENGINE_STATE);
    const a = step(INITIAL_ENGINE_STATE, event(17), ports, cfg);
    const b = step(INITIAL_ENGINE_STATE, event(17), ports, cfg);
    expect(JSON.stringify(a.intents)).toBe(JSON.stringify(b.intents));
    expect(JSON.stringify(INITIAL_ENGINE_STATE)).toBe(before);
  });

  it('the daily signal carries the required fields, OCC symbols and the price source', () => {
    const cfg = resolveConfig('vixshield', { hedge: { sizing: 'unit' } });
    const ev = event(14);
    const res = step(INITIAL_ENGINE_STATE, ev, ports, cfg);
    const s = toDailySignal(
      res,
      {
        date,
        preset: 'vixshield',
        instantUtcMs: ev.instantUtcMs,
        spx: 5000,
        equity: 100_000,
        fill: ORATS_LIKE_FILL,
      },
      ports,
    );
    expect(s.skip).toBe(false);
    expect(s.gate.allowedTiers).toEqual(['conservative', 'balanced', 'aggressive']);
    expect(s.tiers).toHaveLength(3);
    const t = s.tiers[0]!;
    expect(t.occ?.putShort).toBe(occSymbol('SPXW', '2024-06-05' as IsoDate, 'put', t.strikes!.putShort));
    expect(t.creditFill!).toBeLessThan(t.creditMid!);
    expect(t.creditFill!).toBeGreaterThan(t.creditNatural!);
    expect(s.pricesSource).toBe('modelled');
    expect(s.asOf).toBe('2024-06-04T20:10:00.000Z');
    expect(s.hedge).toHaveLength(3);
  });

  it('carries the Black-Scholes inputs of each tier: revalued at the spot they give back the mid credit', () => {
    const cfg = resolveConfig('vixshield');
    const ev = event(14);
    const res = step(INITIAL_ENGINE_STATE, ev, ports, cfg);
    const ctx = {
      date,
      preset: 'vixshield' as const,
      instantUtcMs: ev.instantUtcMs,
      spx: 5000,
      equity: 100_000,
    };
    const s = toDailySignal(res, { ...ctx, fill: ORATS_LIKE_FILL }, ports);
    const priced = s.tiers.filter((t) => t.strikes && t.pricing);
    expect(priced.length).toBe(3);
    for (const t of priced) {
      const { legIvs, yearsToSettlement: T, rate: r, dividendYield: q } = t.pricing!;
      const k = t.strikes!;
      // 2024-06-04 15:10 CT to the next day's 16:00 ET close: about one day in years.
      expect(T).toBeGreaterThan(0.5 / 365);
      expect(T).toBeLessThan(2 / 365);
      for (const iv of Object.values(legIvs)) expect(iv).toBeGreaterThan(0);
      const leg = (isCall: boolean, strike: number, vol: number) =>
        bsmPrice({ isCall, spot: s.spx, strike, yearsToExpiry: T, riskFreeRate: r, dividendYield: q, vol });
      const value =
        leg(false, k.putShort, legIvs.putShort) -
        leg(false, k.putLong, legIvs.putLong) +
        leg(true, k.callShort, legIvs.callShort) -
        leg(true, k.callLong, legIvs.callLong);
      expect(value).toBeCloseTo(t.creditMid!, 3);
      // The max loss the sizing used: (widest wing - expected fill) x 100 plus the fees, above the mid's.
      const width = Math.max(k.putShort - k.putLong, k.callLong - k.callShort);
      expect(t.maxLossFillUsd!).toBeCloseTo(
        (width - t.creditFill!) * 100 + feesUsd(LEGS_PER_CONDOR, DEFAULT_FEES),
        6,
      );
      expect(t.maxLossFillUsd!).toBeGreaterThan(t.maxLossUsd!);
    }
  });
});

describe('formatting helpers', () => {
  it('occSymbol follows the OSI layout', () => {
    expect(occSymbol('SPXW', '2024-06-05' as IsoDate, 'put', 4940)).toBe('SPXW  240605P04940000');
    expect(occSymbol('SPX', '2018-02-16' as IsoDate, 'call', 2712.5)).toBe('SPX   180216C02712500');
  });
  it('formatUtcIso equals Date#toISOString', () => {
    for (const ms of [0, 1_717_531_800_000, 951_782_400_123, -86_400_001])
      expect(formatUtcIso(ms)).toBe(new Date(ms).toISOString());
  });
});
