import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CALIBRATED_SPREAD_PARAMS,
  ceilToTick,
  expirationsListedOn,
  floorToTick,
  type IsoDate,
  isTradable,
  ModelledChainSource,
  modelledStrikeGrid,
  QuoteFlag,
  quoteAround,
  SURFACE_MODEL_NAME,
  type SurfaceInputs,
  settlementInstantUtcMs,
  spxTick,
  yearFraction,
  zonedTimeToUtcMs,
} from '../../src/index';

const d = (s: string) => s as IsoDate;
const INPUTS: SurfaceInputs = {
  spot: 2700,
  r: 0.015,
  q: 0.018,
  vix9d: 12,
  vix: 13,
  vix3m: 15,
  vix6m: 16,
  skew: 128,
};
const make = (opts: Partial<ConstructorParameters<typeof ModelledChainSource>[0]> = {}) =>
  new ModelledChainSource({ inputs: (asOf) => (asOf < '2018-01-02' ? undefined : INPUTS), ...opts });

describe('SPX ticks and quotes', () => {
  it('ticks: 0.05 below 3.00, 0.10 at or above', () => {
    expect(spxTick(2.95)).toBe(0.05);
    expect(spxTick(3)).toBe(0.1);
    expect(floorToTick(2.97)).toBe(2.95);
    expect(floorToTick(3.07)).toBe(3);
    expect(ceilToTick(2.96)).toBe(3);
    expect(ceilToTick(3.01)).toBe(3.1);
    expect(floorToTick(-1)).toBe(0);
    expect(ceilToTick(0.001)).toBe(0.05);
  });
  it('bid >= 0, ask > bid, both on the tick grid, mid inside, for any price', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 3000, noNaN: true }), (mid) => {
        const out = [0, 0];
        quoteAround(mid, CALIBRATED_SPREAD_PARAMS, out);
        const [bid, ask] = out as [number, number];
        expect(bid).toBeGreaterThanOrEqual(0);
        expect(ask).toBeGreaterThan(bid);
        // The one-tick bid of a far wing may sit above its theoretical value (the market's 0.05 / 0.10).
        expect(bid).toBeLessThanOrEqual(
          Math.max(mid, mid >= CALIBRATED_SPREAD_PARAMS.minBidTheo ? 0.05 : 0) + 1e-9,
        );
        expect(ask).toBeGreaterThanOrEqual(mid - 1e-9);
        for (const p of [bid, ask]) {
          const tick = p < 3 ? 0.05 : 0.1;
          expect(Math.abs(p / tick - Math.round(p / tick))).toBeLessThan(1e-6);
        }
      }),
      { seed: 7 },
    );
  });
  it('a wing worth less than minBidTheo gets bid 0 and ask 0.05', () => {
    const out = [1, 1];
    quoteAround(0.004, CALIBRATED_SPREAD_PARAMS, out);
    expect(out).toEqual([0, 0.05]);
  });
  it('a far wing worth between minBidTheo and one tick is quoted 0.05 / 0.10, as the real 1-2 DTE chains quote it', () => {
    const out = [1, 1];
    for (const theo of [0.005, 0.01, 0.03, 0.049]) {
      quoteAround(theo, CALIBRATED_SPREAD_PARAMS, out);
      expect(out).toEqual([0.05, 0.1]);
    }
    // Just above a tick the spread rule takes over, and the bid stays at least one tick.
    quoteAround(0.06, CALIBRATED_SPREAD_PARAMS, out);
    expect(out[0]).toBe(0.05);
    expect(out[1]!).toBeGreaterThanOrEqual(0.1);
  });
});

describe('strike grid', () => {
  it('5-point strikes near the money, 25-point further out, ascending and unique', () => {
    const ks = modelledStrikeGrid(2700, 0.04);
    for (let i = 1; i < ks.length; i++) expect(ks[i]!).toBeGreaterThan(ks[i - 1]!);
    const near = ks.filter((k) => Math.abs(k - 2700) <= 50);
    expect(near).toContain(2695);
    expect(near).toContain(2705);
    const far = ks.filter((k) => Math.abs(k - 2700) > 0.15 * 2700);
    expect(far.length).toBeGreaterThan(0);
    for (const k of far) expect(k % 25).toBe(0);
    expect(ks[0]!).toBeGreaterThanOrEqual(2700 * 0.5);
    expect(ks.at(-1)!).toBeLessThanOrEqual(2700 * 1.5);
  });
});

describe('ModelledChainSource', () => {
  it('lists the calendar expirations (one per date) and nothing on days without inputs', () => {
    const src = make();
    const asOf = d('2018-01-16');
    const quote = zonedTimeToUtcMs(asOf, '15:10', 'America/Chicago');
    const want = [
      ...new Set(
        expirationsListedOn(asOf)
          .filter((e) => settlementInstantUtcMs(e.expiry, e.settlement) > quote)
          .map((e) => e.expiry),
      ),
    ];
    expect(want).not.toContain(asOf); // SPXW 2018-01-16 (Monday series after MLK day) settled at 16:00 ET
    expect(src.expirations(asOf)).toEqual(want);
    expect(src.expirations(d('2017-12-29'))).toEqual([]);
    expect(src.expirations(d('2018-01-13'))).toEqual([]); // Saturday
    expect(src.chain(d('2017-12-29'), d('2018-01-31'))).toBeUndefined();
    expect(src.chain(asOf, d('2018-01-20'))).toBeUndefined(); // not an expiry
  });

  it('labels every chain as modelled with its model, version and inputs', () => {
    const c = make().chain(d('2018-01-16'), d('2018-01-31'))!;
    expect(c.source.kind).toBe('modelled');
    if (c.source.kind !== 'modelled') return;
    expect(c.source.model).toBe(SURFACE_MODEL_NAME);
    expect(c.source.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(c.source.inputs).toMatchObject({
      spot: 2700,
      vix: 13,
      vix9d: 12,
      vix1y: null,
      skew: 128,
      fallbacks: 'none',
    });
    expect(make().pricesSource).toBe('modelled');
  });

  it("a chain quoted inside a scheduled FOMC decision session reads that day's own intraday variance", () => {
    // Wed 2018-01-31 (a decision day) at 12:00 CT = 13:00 ET, its own 0DTE expiry: 2.5 hours left
    const asOf = d('2018-01-31');
    const short = { ...INPUTS, oneDayVix: 12 };
    const plain = make({ inputs: () => short, quoteTimeCt: '12:00' }).chain(asOf, asOf)!;
    const fomcSrc = make({ inputs: () => ({ ...short, fomcDecisionSessions: [0] }), quoteTimeCt: '12:00' });
    const fomc = fomcSrc.chain(asOf, asOf)!;
    const atmIv = (c: typeof plain) => {
      const i = c.strikes.indexOf(2700);
      return c.putIv[i]!;
    };
    // variance left: 0.759 x (half way from 0.833 to 0.801) against 0.589 x (half way from 0.410 to 0.285)
    const ratio = Math.sqrt((0.759 * 0.817) / (0.589 * 0.3475));
    // (the strike is a few points off the forward, where the smile adds a trace)
    expect(atmIv(fomc) / atmIv(plain)).toBeCloseTo(ratio, 3);
    if (fomc.source.kind === 'modelled') expect(fomc.source.inputs.fomcDecisionSessions).toBe('0');
    // the same inputs at 15:10 CT, after the close, price the later sessions alike: nothing inside a session
    const after = (fomcDecisionSessions?: number[]) =>
      make({ inputs: () => ({ ...short, ...(fomcDecisionSessions ? { fomcDecisionSessions } : {}) }) }).chain(
        asOf,
        d('2018-02-02'),
      )!;
    expect(atmIv(after([0]))).toBe(atmIv(after()));
  });

  it('quotes at 15:10 CT by default (configurable) with T to the PM settlement', () => {
    const asOf = d('2018-01-16');
    const c = make().chain(asOf, d('2018-01-31'))!;
    expect(c.quoteTimeUtcMs).toBe(zonedTimeToUtcMs(asOf, '15:10', 'America/Chicago'));
    expect(c.root).toBe('SPXW');
    expect(c.settlement).toBe('PM');
    const c2 = make({ quoteTimeCt: '09:00' }).chain(asOf, d('2018-01-31'))!;
    expect(c2.quoteTimeUtcMs).toBe(zonedTimeToUtcMs(asOf, '09:00', 'America/Chicago'));
    const t = yearFraction(c.quoteTimeUtcMs, settlementInstantUtcMs(d('2018-01-31'), 'PM'));
    expect(t).toBeGreaterThan(14 / 365);
    expect(t).toBeLessThan(16 / 365);
  });

  it('quotes are sane: bid >= 0, ask > bid, ticks, put-call parity on mids within the spread, IVs filled', () => {
    const src = make();
    for (const e of src.expirations(d('2018-01-16')).slice(0, 12)) {
      const c = src.chain(d('2018-01-16'), e)!;
      const n = c.strikes.length;
      for (let i = 0; i < n; i++) {
        for (const [b, a, f] of [
          [c.callBid[i]!, c.callAsk[i]!, c.callFlags[i]!],
          [c.putBid[i]!, c.putAsk[i]!, c.putFlags[i]!],
        ] as const) {
          expect(b).toBeGreaterThanOrEqual(0);
          expect(a).toBeGreaterThan(b);
          expect(isTradable(f)).toBe(true);
          expect((f & QuoteFlag.zeroBid) !== 0).toBe(b === 0);
        }
        expect(c.callIv[i]!).toBeGreaterThan(0);
        expect(c.putIv[i]!).toBe(c.callIv[i]!);
      }
      // call mid decreasing in strike (no monotonicity break in tradable prices beyond the spread)
      for (let i = 1; i < n; i++) expect(c.callAsk[i]!).toBeLessThanOrEqual(c.callAsk[i - 1]! + 1e-9);
    }
  });

  it('far wings carry a zero bid, flagged', () => {
    const c = make().chain(d('2018-01-16'), d('2018-01-19'))!;
    const last = c.strikes.length - 1;
    expect(c.callBid[last]).toBe(0);
    expect(c.callAsk[last]).toBe(0.05);
    expect(c.callFlags[last]! & QuoteFlag.zeroBid).toBe(QuoteFlag.zeroBid);
  });

  it('is deterministic and cached per (asOf, expiry)', () => {
    const a = make();
    const b = make();
    const c1 = a.chain(d('2018-01-16'), d('2018-02-16'))!;
    expect(a.chain(d('2018-01-16'), d('2018-02-16'))).toBe(c1);
    const c2 = b.chain(d('2018-01-16'), d('2018-02-16'))!;
    expect(Array.from(c2.callBid)).toEqual(Array.from(c1.callBid));
    expect(Array.from(c2.putAsk)).toEqual(Array.from(c1.putAsk));
  });

  it('records fallbacks in the source inputs when series are missing', () => {
    const src = new ModelledChainSource({ inputs: () => ({ spot: 1200, r: 0.05, q: 0.02, vix: 25 }) });
    const c = src.chain(d('2008-03-03'), src.expirations(d('2008-03-03'))[0]!)!;
    expect(c.source.kind === 'modelled' && c.source.inputs.fallbacks).toBe('vix9d,vix3m,vix6m');
    expect(c.root).toBe('SPX'); // 2008: only the AM monthly
    expect(c.settlement).toBe('AM');
  });

  it('speed: chains per second (measured, not asserted)', () => {
    const src = make({ cacheSize: 100_000 });
    let n = 0;
    const t0 = performance.now();
    for (const asOf of ['2018-01-16', '2018-01-17', '2018-01-18', '2018-01-19', '2018-01-22'].map(d)) {
      for (const e of src.expirations(asOf)) if (src.chain(asOf, e)) n++;
    }
    const ms = performance.now() - t0;
    console.log(
      `ModelledChainSource: ${n} chains in ${ms.toFixed(0)} ms = ${((n / ms) * 1000).toFixed(0)} chains/s`,
    );
    expect(n).toBeGreaterThan(0);
  });
});
