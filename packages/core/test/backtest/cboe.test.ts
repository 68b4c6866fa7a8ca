import { describe, expect, it } from 'vitest';
import {
  type CboeDay,
  type ChainSource,
  cboeStrike,
  compareIndexSeries,
  type IsoDate,
  interpolatedMid,
  isSpxMonthlyExpiry,
  MID_FILL,
  monthlySeries,
  nextSpxMonthlyExpiry,
  type OptionChain,
  runCboeReplication,
  tradingDaysBetween,
} from '../../src/index';

const D = (s: string) => s as IsoDate;

/**
 * A fake chain: 5-point strikes around `spot`, every option worth its intrinsic value plus `extrinsic`
 * (bid = ask, so every fill model gives the same price), AM settlement, implied vol 0.2.
 */
function flatChain(asOf: IsoDate, expiry: IsoDate, spot: number, extrinsic: number): OptionChain {
  const strikes = Float64Array.from({ length: 81 }, (_, i) => Math.round(spot / 5) * 5 - 200 + 5 * i);
  const call = strikes.map((k) => Math.max(0, spot - k) + extrinsic);
  const put = strikes.map((k) => Math.max(0, k - spot) + extrinsic);
  const n = strikes.length;
  return {
    asOf,
    quoteTimeUtcMs: Date.UTC(
      Number(asOf.slice(0, 4)),
      Number(asOf.slice(5, 7)) - 1,
      Number(asOf.slice(8)),
      20,
    ),
    expiry,
    root: 'SPX',
    settlement: 'AM',
    underlying: spot,
    strikes,
    callBid: call,
    callAsk: call.slice(),
    putBid: put,
    putAsk: put.slice(),
    callFlags: new Uint8Array(n),
    putFlags: new Uint8Array(n),
    callIv: new Float64Array(n).fill(0.2),
    putIv: new Float64Array(n).fill(0.2),
    source: { kind: 'modelled', model: 'test', version: '0', inputs: {} },
  };
}

/** Chains whose underlying is the day's close (the test path), extrinsic value 10 points. */
function source(path: Map<IsoDate, number>, extrinsic = 10): ChainSource {
  return {
    pricesSource: 'modelled',
    expirations: () => [],
    chain: (asOf, expiry) => {
      const s = path.get(asOf);
      return s === undefined || expiry <= asOf ? undefined : flatChain(asOf, expiry, s, extrinsic);
    },
  };
}

function run(strategy: 'cboe-bxm' | 'cboe-put', days: CboeDay[], opts: { extrinsic?: number } = {}) {
  const path = new Map(days.map((d) => [d.date, d.close]));
  const chains = source(path, opts.extrinsic ?? 10);
  return runCboeReplication(days, {
    strategy,
    rollChains: chains,
    markChains: chains,
    fill: MID_FILL,
    baseLevel: 1000,
  });
}

/** Trading days from 2024-02-16 (a roll) to 2024-03-15 (the next roll): flat at 5000, then `expiryOpen`. */
function month(expiryOpen: number, expiryClose: number, r = 0, q = 0): CboeDay[] {
  return tradingDaysBetween(D('2024-02-16'), D('2024-03-15')).map((date) => {
    const last = date === '2024-03-15';
    return { date, open: last ? expiryOpen : 5000, close: last ? expiryClose : 5000, r, q };
  });
}

describe('Cboe roll dates', () => {
  it('rolls on the AM-settled SPX monthly expiry (third Friday; Thursday before a Good Friday)', () => {
    expect(nextSpxMonthlyExpiry(D('2024-03-14'))).toBe('2024-03-15');
    expect(nextSpxMonthlyExpiry(D('2024-03-15'))).toBe('2024-04-19');
    expect(nextSpxMonthlyExpiry(D('2025-03-21'))).toBe('2025-04-17'); // 2025-04-18 is Good Friday
    expect(nextSpxMonthlyExpiry(D('2024-12-20'))).toBe('2025-01-17');
  });

  it('every roll after the first happens on an SPX monthly expiry and sells the next one', () => {
    const days = tradingDaysBetween(D('2024-01-02'), D('2024-12-31')).map((date, i) => ({
      date,
      open: 4700 + 3 * i,
      close: 4700 + 3 * i + 2,
      r: 0.05,
      q: 0.015,
    }));
    const res = run('cboe-bxm', days);
    expect(res.rolls.length).toBe(13); // the first sale on 2024-01-02, then 12 monthly rolls
    expect(res.rolls[0]!.date).toBe('2024-01-02');
    for (const r of res.rolls.slice(1)) {
      expect(isSpxMonthlyExpiry(r.date)).toBe(true);
      expect(r.settlementLevel).not.toBeNull();
    }
    for (const r of res.rolls) expect(r.expiry).toBe(nextSpxMonthlyExpiry(r.date));
    expect(res.levels.length).toBe(days.length);
    expect(res.levels[0]!.level).toBe(1000);
    expect(res.notes).toEqual([]);
  });
});

describe('Cboe strike rule', () => {
  const ks = [4165, 4170, 4175, 4180, 4185];
  it('BXM sells the lowest strike at or above the reference level (at or just out of the money)', () => {
    expect(cboeStrike(ks, 4178.75, true)).toBe(4180);
    expect(cboeStrike(ks, 4175, true)).toBe(4175);
    expect(cboeStrike(ks, 4190, true)).toBeUndefined();
  });
  it('PUT sells the highest strike at or below the reference level (Cboe roll 2021-04-26: 4178.75 -> 4175)', () => {
    expect(cboeStrike(ks, 4178.75, false)).toBe(4175);
    expect(cboeStrike(ks, 4175, false)).toBe(4175);
    expect(cboeStrike(ks, 4160, false)).toBeUndefined();
  });
  it('the replication picks the strike from the roll chain underlying', () => {
    const days = month(5000, 5000).map((d, i) => (i === 0 ? { ...d, close: 5002.5 } : d));
    expect(run('cboe-bxm', days).rolls[0]!.strike).toBe(5005);
    expect(run('cboe-put', days).rolls[0]!.strike).toBe(5000);
  });
});

describe('Cboe settlement arithmetic on a constructed path', () => {
  it('BXM called away: level ratio = K / (S0 - C) (the premium bought the index below S0), settled at the expiry-day open', () => {
    const res = run('cboe-bxm', month(5100, 5100));
    const roll = res.rolls[1]!;
    expect(roll.date).toBe('2024-03-15');
    expect(roll.settlementLevel).toBe(5100);
    expect(roll.settlementPayoff).toBe(100);
    const last = res.levels[res.levels.length - 1]!.level;
    expect(last / 1000).toBeCloseTo(5000 / 4990, 12);
  });

  it('BXM below the strike keeps the index move plus the premium: S_T / (S0 - C)', () => {
    const res = run('cboe-bxm', month(4900, 4900));
    expect(res.rolls[1]!.settlementPayoff).toBe(0);
    expect(res.levels.at(-1)!.level / 1000).toBeCloseTo(4900 / 4990, 12);
  });

  it('BXM: the move between the open (settlement) and the sale is the index move; the close marks the new call', () => {
    // open 5100 settles the old call; the roll chain (underlying = close 5050) sells the 5050 call for 10.
    const res = run('cboe-bxm', month(5100, 5050));
    const v = (5000 / 4990) * (5100 - 100); // value at the settlement
    const atSale = (v * 5050) / 5100; // held in the index to the sale
    expect(res.levels.at(-1)!.level / 1000).toBeCloseTo(atSale / 5000, 12);
  });

  it('BXM total return: the dividend yield accrues daily', () => {
    const q = 0.02;
    const days = month(4900, 4900, 0, q);
    const res = run('cboe-bxm', days);
    const calDays = 28; // 2024-02-16 .. 2024-03-15
    expect(res.levels.at(-1)!.level / 1000).toBeCloseTo((4900 / 4990) * Math.exp((q * calDays) / 365), 12);
  });

  it('PUT: fully collateralised, settlement paid from the T-bill account', () => {
    const res = run('cboe-put', month(4900, 4900));
    expect(res.rolls[1]!.settlementPayoff).toBe(100);
    // account 1 + N x 10 with N = 1 / (5000 - 10); after paying N x 100: (5000 - 100) / 4990
    expect(res.levels.at(-1)!.level / 1000).toBeCloseTo(4900 / 4990, 12);
    const up = run('cboe-put', month(5100, 5100));
    expect(up.rolls[1]!.settlementPayoff).toBe(0);
    expect(up.levels.at(-1)!.level / 1000).toBeCloseTo(5000 / 4990, 12);
  });

  it('PUT with interest: the account at expiry equals N x K', () => {
    const r = 0.05;
    const res = run('cboe-put', month(5100, 5100, r));
    const first = res.rolls[0]!;
    const g = Math.exp((r * 28) / 365);
    const n = first.optionsPerUnit; // puts per point of the account before the premium (account = 1)
    expect((1 + n * first.premium) * g).toBeCloseTo(n * first.strike, 12);
  });

  it('a strike off the chain grid is marked by BSM at the interpolated vol', () => {
    const c = flatChain(D('2024-02-16'), D('2024-03-15'), 5000, 10);
    const mid = interpolatedMid(c, 5002.5, true, 0.05, 0.01)!;
    expect(mid).toBeGreaterThan(0);
    expect(mid).toBeLessThan(5000);
  });
});

describe('compareIndexSeries', () => {
  it('identical series: correlation 1, no tracking error, no difference', () => {
    const days = tradingDaysBetween(D('2023-01-03'), D('2024-12-31'));
    const a = days.map((date, i) => ({ date, level: 100 * (1 + 0.01 * Math.sin(i / 7)) * (1 + i / 2000) }));
    const c = compareIndexSeries(a, a);
    expect(c.monthlyCorrelation).toBeCloseTo(1, 12);
    expect(c.trackingError).toBeCloseTo(0, 12);
    expect(c.annualisedDifference).toBeCloseTo(0, 12);
    expect(c.years.map((y) => y.year)).toEqual([2023, 2024]);
    expect(c.months).toBe(24);
  });
  it('monthlySeries: last level of each calendar month and the return since the previous month end', () => {
    const lv = [
      { date: D('2024-01-30'), level: 100 },
      { date: D('2024-01-31'), level: 101 },
      { date: D('2024-02-01'), level: 99 },
      { date: D('2024-02-29'), level: 110 },
      { date: D('2024-03-01'), level: 99 },
    ];
    expect(monthlySeries(lv)).toEqual([
      { month: '2024-01', date: '2024-01-31', level: 101, return: null },
      { month: '2024-02', date: '2024-02-29', level: 110, return: 110 / 101 - 1 },
      { month: '2024-03', date: '2024-03-01', level: 99, return: 99 / 110 - 1 },
    ]);
    expect(monthlySeries([])).toEqual([]);
  });
  it('compares only the common days (missing days in the reference are skipped)', () => {
    const days = tradingDaysBetween(D('2024-01-02'), D('2024-03-28'));
    const a = days.map((date, i) => ({ date, level: 100 + i }));
    const b = a.filter((_, i) => i % 5 !== 3);
    expect(compareIndexSeries(a, b).commonDays).toBe(b.length);
  });
});
