import { describe, expect, it } from 'vitest';
import {
  adverseExtremeForCondor,
  bsmPrice,
  type CondorCloseQuote,
  type CondorPricer,
  DEFAULT_OHLC_APPROXIMATION,
  DEFAULT_SOURCES,
  evaluateIntradayExits,
  evaluateIntradayExitsOnDailyOhlc,
  formatEt,
  hasIntradayExitRule,
  type IntradayBar,
  type IntradayDay,
  type IntradayExitPosition,
  type IntradayExitRules,
  type IsoDate,
  MID_FILL,
  MINUTES_PER_YEAR,
  modelCondorPricer,
  mulberry32,
  NO_INTRADAY_EXIT_RULES,
  ORATS_LIKE_FILL,
  ohlcApproximationDay,
  ohlcApproximationOptions,
  PRESET_NAMES,
  resolveConfig,
} from '../../src/index';

const EXPIRY = '2024-06-05' as IsoDate; // Wednesday, SPXW PM expiry, regular session
const position: IntradayExitPosition = {
  strikes: { putLong: 5245, putShort: 5250, callShort: 5450, callLong: 5455 },
  entryCredit: 0.7,
  expiry: EXPIRY,
  settlement: 'PM',
};

/** Hourly bars of the expiry day from their closes (open = previous close; high/low = the two). */
function hourly(
  closes: readonly number[],
  opts: { lows?: Record<number, number>; date?: IsoDate } = {},
): IntradayDay {
  const bars: IntradayBar[] = closes.map((c, i) => {
    const o = i === 0 ? c : (closes[i - 1] as number);
    return {
      startEt: 570 + 60 * i,
      open: o,
      high: Math.max(o, c),
      low: opts.lows?.[i] ?? Math.min(o, c),
      close: c,
    };
  });
  return {
    date: opts.date ?? EXPIRY,
    symbol: 'spx',
    source: 'bars',
    resolutionMinutes: 60,
    windowOpenEt: 570,
    windowCloseEt: 960,
    bars,
    closingPrint: null,
    missingStartsEt: [],
  };
}

/**
 * A hand pricer, independent of time: the condor costs 0.70 at 5300 and 0.10 more per point below
 * (floor 0.05); the natural debit is 0.30 above the mid. Every call is logged.
 */
function handPricer(log: number[] = []): CondorPricer {
  return (spot) => {
    log.push(spot);
    const mid = Math.max(0.05, 0.7 + 0.1 * (5300 - spot));
    return { mid, natural: mid + 0.3 };
  };
}

const rules = (r: Partial<IntradayExitRules>): IntradayExitRules => ({ ...NO_INTRADAY_EXIT_RULES, ...r });
const ORATS = ORATS_LIKE_FILL;

describe('intraday exit rules: a hand-built day', () => {
  it('a 2 x credit stop triggers at the 11:30 bar close (12:30 ET) and fills at a known price', () => {
    const log: number[] = [];
    // closes: 09:30 5310 (mid 0.05), 10:30 5298 (0.90), 11:30 5290 (1.70 >= 1.40) ...
    const day = hourly([5310, 5298, 5290, 5280, 5285, 5300, 5305]);
    const r = evaluateIntradayExits({
      day,
      position,
      rules: rules({ stopCreditMultiple: 2 }),
      pricer: handPricer(log),
      fill: ORATS,
    });
    expect(log).toEqual([5310, 5298, 5290]);
    expect(r.barsEvaluated).toBe(3);
    const x = r.exit!;
    expect(x.rule).toBe('stop-credit-multiple');
    expect(formatEt(x.atEt)).toBe('12:30');
    expect(formatEt(x.barStartEt)).toBe('11:30');
    expect(x.spot).toBe(5290);
    expect(x.minutesToExpiry).toBe(210); // 12:30 -> 16:00 ET
    expect(x.closeMid).toBeCloseTo(1.7, 12);
    expect(x.closeNatural).toBeCloseTo(2.0, 12);
    // orats-like, 4 legs: 53% of the package spread from the best price: best = 2 x 1.70 - 2.00 = 1.40,
    // fill = 1.40 + 0.53 x (2.00 - 1.40) = 1.718
    expect(x.fillDebit).toBeCloseTo(1.718, 12);
    expect(x.pnlPoints).toBeCloseTo(0.7 - 1.718, 12);
    expect(x.source).toBe('bars');
    expect(x.reason).toContain('2024-06-05 12:30 ET');
    // at mid the fill is the mid
    expect(
      evaluateIntradayExits({
        day,
        position,
        rules: rules({ stopCreditMultiple: 2 }),
        pricer: handPricer(),
        fill: MID_FILL,
      }).exit!.fillDebit,
    ).toBeCloseTo(1.7, 12);
  });

  it('a poisoned later bar does not change an earlier exit (and is never read)', () => {
    const clean = hourly([5310, 5298, 5290, 5280, 5285, 5300, 5305]);
    const poisoned: IntradayDay = {
      ...clean,
      bars: clean.bars.map((b, i) =>
        i > 2 ? { ...b, open: Number.NaN, high: 1e12, low: -1, close: Number.POSITIVE_INFINITY } : b,
      ),
    };
    const input = { position, rules: rules({ stopCreditMultiple: 2, shortStrikeTouch: true }), fill: ORATS };
    const log: number[] = [];
    const a = evaluateIntradayExits({ ...input, day: clean, pricer: handPricer() });
    const b = evaluateIntradayExits({ ...input, day: poisoned, pricer: handPricer(log) });
    expect(b).toEqual(a);
    expect(log).toEqual([5310, 5298, 5290]);
  });

  it('property: a decision never depends on later bars (every prefix of 300 seeded random days agrees)', () => {
    const rnd = mulberry32(16);
    for (let n = 0; n < 300; n++) {
      const closes: number[] = [];
      let s = 5300 + (rnd() - 0.5) * 40;
      for (let i = 0; i < 7; i++) {
        s += (rnd() - 0.5) * 30;
        closes.push(Math.round(s * 100) / 100);
      }
      const day = hourly(closes);
      const r = rules({
        stopCreditMultiple: rnd() < 0.7 ? 1.5 + rnd() * 2 : null,
        profitTakePct: rnd() < 0.5 ? 20 + rnd() * 70 : null,
        timeExitCt: rnd() < 0.3 ? '12:00' : null,
        shortStrikeTouch: rnd() < 0.3,
      });
      const pricer: CondorPricer = (spot, m) => ({
        mid: Math.max(0.05, 0.7 + 0.1 * (5300 - spot) - m / 2000),
        natural: Math.max(0.05, 0.7 + 0.1 * (5300 - spot) - m / 2000) + 0.2,
      });
      const full = evaluateIntradayExits({ day, position, rules: r, pricer, fill: ORATS });
      const exitIndex = full.exit ? day.bars.findIndex((b) => b.startEt === full.exit!.barStartEt) : 99;
      for (let k = 1; k <= 7; k++) {
        const prefix = evaluateIntradayExits({
          day: { ...day, bars: day.bars.slice(0, k) },
          position,
          rules: r,
          pricer,
          fill: ORATS,
        });
        if (exitIndex < k) expect(prefix.exit).toEqual(full.exit);
        else expect(prefix.exit).toBeNull();
      }
    }
  });

  it('profit take at 50% of the credit: the first close where the mid is <= 0.35', () => {
    // mids: 5302 -> 0.50, 5305 -> 0.20
    const r = evaluateIntradayExits({
      day: hourly([5302, 5305, 5310, 5290, 5280, 5270, 5260]),
      position,
      rules: rules({ profitTakePct: 50, stopCreditMultiple: 2 }),
      pricer: handPricer(),
      fill: MID_FILL,
    });
    expect(r.exit).toMatchObject({ rule: 'profit-take', spot: 5305, barStartEt: 630 });
    expect(r.exit!.pnlPoints).toBeCloseTo(0.5, 12);
  });

  it('short strike touched: the bar range reaching 5250 closes the condor at that bar close', () => {
    const r = evaluateIntradayExits({
      day: hourly([5300, 5296, 5297, 5299, 5300, 5301, 5302], { lows: { 2: 5250 } }),
      position,
      rules: rules({ shortStrikeTouch: true, stopCreditMultiple: 3 }),
      pricer: handPricer(),
      fill: MID_FILL,
    });
    expect(r.exit).toMatchObject({
      rule: 'short-strike-touch',
      triggered: ['short-strike-touch'],
      spot: 5297,
    });
    expect(formatEt(r.exit!.atEt)).toBe('12:30');
  });

  it('when several rules fire at one close the stop comes first and all are listed', () => {
    const r = evaluateIntradayExits({
      day: hourly([5300, 5249]),
      position,
      rules: rules({ shortStrikeTouch: true, stopCreditMultiple: 2, timeExitCt: '08:00' }),
      pricer: handPricer(),
      fill: MID_FILL,
    });
    // 09:30 bar: time exit (08:00 CT = 09:00 ET) fires first at 10:30
    expect(r.exit).toMatchObject({ rule: 'time-exit', atEt: 630 });
    const s = evaluateIntradayExits({
      day: hourly([5300, 5249]),
      position,
      rules: rules({ shortStrikeTouch: true, stopCreditMultiple: 2 }),
      pricer: handPricer(),
      fill: MID_FILL,
    });
    expect(s.exit).toMatchObject({
      rule: 'stop-credit-multiple',
      triggered: ['stop-credit-multiple', 'short-strike-touch'],
    });
  });

  it('time exit 12:00 CT on the expiry day: hourly bars close it at 13:30 ET (first close at or after 13:00 ET), 5-minute bars at 13:00', () => {
    const flat = [5300, 5300, 5300, 5300, 5300, 5300, 5300];
    const r = evaluateIntradayExits({
      day: hourly(flat),
      position,
      rules: rules({ timeExitCt: '12:00' }),
      pricer: handPricer(),
      fill: MID_FILL,
    });
    expect(formatEt(r.exit!.atEt)).toBe('13:30');
    const five: IntradayDay = {
      ...hourly(flat),
      resolutionMinutes: 5,
      bars: Array.from({ length: 78 }, (_, i) => ({
        startEt: 570 + 5 * i,
        open: 5300,
        high: 5300,
        low: 5300,
        close: 5300,
      })),
    };
    const f = evaluateIntradayExits({
      day: five,
      position,
      rules: rules({ timeExitCt: '12:00' }),
      pricer: handPricer(),
      fill: MID_FILL,
    });
    expect(formatEt(f.exit!.atEt)).toBe('13:00');
    // not the expiry day: no time exit
    const before = evaluateIntradayExits({
      day: hourly(flat, { date: '2024-06-04' as IsoDate }),
      position,
      rules: rules({ timeExitCt: '12:00' }),
      pricer: handPricer(),
      fill: MID_FILL,
    });
    expect(before.exit).toBeNull();
    expect(before.barsEvaluated).toBe(7); // the 16:00 close of the day before expiry is evaluated
  });

  it('no rule set: no exit and no pricing (hold to expiry, today behaviour)', () => {
    const log: number[] = [];
    const r = evaluateIntradayExits({
      day: hourly([5000, 4000]),
      position,
      rules: NO_INTRADAY_EXIT_RULES,
      pricer: handPricer(log),
      fill: ORATS,
    });
    expect(r.exit).toBeNull();
    expect(log).toEqual([]);
    expect(hasIntradayExitRule(NO_INTRADAY_EXIT_RULES)).toBe(false);
  });

  it('a PM condor is not evaluated at its 16:00 settlement; bars before the entry are skipped; unpriceable bars counted', () => {
    const day = hourly([5300, 5300, 5300, 5300, 5300, 5300, 5200]);
    const r = evaluateIntradayExits({
      day,
      position,
      rules: rules({ stopCreditMultiple: 2 }),
      pricer: handPricer(),
      fill: ORATS,
    });
    expect(r.barsEvaluated).toBe(6);
    expect(r.exit).toBeNull(); // the 15:30-16:00 bar closes at the settlement: the condor settles
    const later = evaluateIntradayExits({
      day,
      position,
      rules: rules({ stopCreditMultiple: 2 }),
      pricer: handPricer(),
      fill: ORATS,
      afterEt: 750,
    });
    expect(later.barsEvaluated).toBe(3); // 12:30, 13:30, 14:30 starts
    const none = evaluateIntradayExits({
      day,
      position,
      rules: rules({ stopCreditMultiple: 2 }),
      pricer: () => null,
      fill: ORATS,
      recordMarks: true,
    });
    expect(none).toMatchObject({ exit: null, barsEvaluated: 6, barsUnpriceable: 6 });
    expect(none.marks).toHaveLength(6);
    expect(() =>
      evaluateIntradayExits({
        day,
        position,
        rules: rules({ profitTakePct: 150 }),
        pricer: handPricer(),
        fill: ORATS,
      }),
    ).toThrow(/profitTakePct/);
    expect(() =>
      evaluateIntradayExits({
        day,
        position: { ...position, entryCredit: 0 },
        rules: rules({ stopCreditMultiple: 2 }),
        pricer: handPricer(),
        fill: ORATS,
      }),
    ).toThrow(/entryCredit/);
  });
});

describe('intraday exits on the daily-OHLC approximation (days without bars)', () => {
  // low 5255 costs 0.70 + 4.5 = 5.20 (a stop); high 5320 costs 0.05 (a profit take)
  const ohlc = { open: 5300, high: 5320, low: 5255, close: 5310 };
  const both = rules({ stopCreditMultiple: 2, profitTakePct: 50 });

  it('the adverse extreme (here the low) comes first, so the stop fires before the profit take could', () => {
    const r = evaluateIntradayExitsOnDailyOhlc({
      date: EXPIRY,
      ohlc,
      position,
      rules: both,
      pricer: handPricer(),
      fill: MID_FILL,
    });
    expect(r.adverse).toBe('low');
    expect(r.source).toBe('ohlc-approximation');
    // the path falls 45 points in 130 minutes; the stop (mid >= 1.40, spot <= 5293: 7 points down) is
    // first met at the 5th 5-minute close, 09:55 ET, spot 5300 - 45 x 25/130 = 5291.35
    expect(r.exit!.rule).toBe('stop-credit-multiple');
    expect(formatEt(r.exit!.atEt)).toBe('09:55');
    expect(r.exit!.spot).toBeCloseTo(5300 - (45 * 25) / 130, 9);
    expect(r.exit!.reason).toContain('daily-OHLC approximation');
    // the favourable order would have taken profit instead: the ordering rule matters
    const favourableFirst = evaluateIntradayExits({
      day: ohlcApproximationDay(EXPIRY, ohlc, 'high'),
      position,
      rules: both,
      pricer: handPricer(),
      fill: MID_FILL,
    });
    expect(favourableFirst.exit!.rule).toBe('profit-take');
  });

  it('mirror: a day that threatens the calls takes the high first', () => {
    const callPricer: CondorPricer = (spot) => {
      const mid = Math.max(0.05, 0.7 + 0.1 * (spot - 5400));
      return { mid, natural: mid + 0.3 };
    };
    const up = { open: 5400, high: 5445, low: 5380, close: 5410 };
    const r = evaluateIntradayExitsOnDailyOhlc({
      date: EXPIRY,
      ohlc: up,
      position,
      rules: both,
      pricer: callPricer,
      fill: MID_FILL,
    });
    expect(r.adverse).toBe('high');
    expect(r.exit!.rule).toBe('stop-credit-multiple');
  });

  it('ordering rule without a usable price: the extreme with the smaller margin to its short strike; ties go to the low', () => {
    const k = position.strikes; // 5250 / 5450
    expect(adverseExtremeForCondor({ open: 5300, high: 5320, low: 5255, close: 5310 }, k)).toBe('low'); // 5 vs 130
    expect(adverseExtremeForCondor({ open: 5400, high: 5440, low: 5300, close: 5410 }, k)).toBe('high'); // 50 vs 10
    expect(adverseExtremeForCondor({ open: 5350, high: 5400, low: 5300, close: 5350 }, k)).toBe('low'); // 50 vs 50
    // the price decides when it can: a cost higher at the high wins even with the smaller low margin
    expect(
      adverseExtremeForCondor({ open: 5300, high: 5320, low: 5255, close: 5310 }, k, (s) =>
        s > 5300 ? 9 : 1,
      ),
    ).toBe('high');
    expect(adverseExtremeForCondor({ open: 5300, high: 5320, low: 5255, close: 5310 }, k, () => null)).toBe(
      'low',
    );
  });
});

describe('modelCondorPricer (modelled prices: BSM legs, calibrated spread)', () => {
  const strikes = { putLong: 5245, putShort: 5250, callShort: 5450, callLong: 5455 };
  const pricer = modelCondorPricer({ strikes, r: 0.05, q: 0.013, vol: 0.2 });

  it('mid = short legs - long legs at BSM; natural >= mid; a wider vol costs more', () => {
    const m = 300;
    const T = m / MINUTES_PER_YEAR;
    const bs = (isCall: boolean, strike: number) =>
      bsmPrice({
        isCall,
        spot: 5300,
        strike,
        yearsToExpiry: T,
        riskFreeRate: 0.05,
        dividendYield: 0.013,
        vol: 0.2,
      });
    const q = pricer(5300, m) as CondorCloseQuote;
    expect(q.mid).toBeCloseTo(bs(false, 5250) - bs(false, 5245) + bs(true, 5450) - bs(true, 5455), 12);
    expect(q.natural).toBeGreaterThanOrEqual(q.mid);
    const wide = modelCondorPricer({ strikes, r: 0.05, q: 0.013, vol: 0.4 })(5300, m) as CondorCloseQuote;
    expect(wide.mid).toBeGreaterThan(q.mid);
  });

  it('at expiry the intrinsic value; near a short strike it approaches it; deep OTM the natural is two ask ticks', () => {
    expect(pricer(5248, 0)).toEqual({ mid: 2, natural: 2 });
    expect(pricer(5100, 0)).toEqual({ mid: 5, natural: 5 });
    expect(pricer(5300, 0)).toEqual({ mid: 0, natural: 0 });
    const near = pricer(5248, 1) as CondorCloseQuote;
    expect(near.mid).toBeGreaterThan(1.5);
    expect(near.mid).toBeLessThan(2.5);
    const far = pricer(5350, 5) as CondorCloseQuote;
    expect(far.mid).toBeLessThan(1e-6);
    expect(far.natural).toBeCloseTo(0.1, 12); // shorts bought at 0.05 each, longs sold at 0
    expect(() =>
      modelCondorPricer({ strikes: { ...strikes, putShort: 5240 }, r: 0, q: 0, vol: 0.2 }),
    ).toThrow(/strikes/);
  });
});

describe('exit parameters in the config schema', () => {
  it('every preset leaves every intraday exit rule off (no rule set = the daily behaviour)', () => {
    for (const p of PRESET_NAMES) {
      const cfg = resolveConfig(p);
      expect(hasIntradayExitRule(cfg.exits.intraday)).toBe(false);
      expect(cfg.exits.policy).toBe('hold');
    }
    expect(resolveConfig('vixshield').exits.intraday).toEqual({
      stopCreditMultiple: null,
      profitTakePct: null,
      timeExitCt: null,
      shortStrikeTouch: false,
      daysWithoutBars: 'ohlc-approximation',
      approximation: { firstExtremeAt: 1 / 3, secondExtremeAt: 2 / 3, barMinutes: 5 },
    });
  });

  it('the approximation parameters map onto the approximation defaults', () => {
    expect(ohlcApproximationOptions(resolveConfig('vixshield').exits.intraday.approximation)).toEqual(
      DEFAULT_OHLC_APPROXIMATION,
    );
  });

  it('rules parse and validate; the config value is the evaluator input', () => {
    const cfg = resolveConfig('vixshield', {
      exits: {
        intraday: { stopCreditMultiple: 2, profitTakePct: 50, timeExitCt: '12:00', shortStrikeTouch: true },
      },
    });
    expect(hasIntradayExitRule(cfg.exits.intraday)).toBe(true);
    const r = evaluateIntradayExits({
      day: hourly([5302, 5305]),
      position,
      rules: cfg.exits.intraday,
      pricer: handPricer(),
      fill: MID_FILL,
    });
    expect(r.exit!.rule).toBe('profit-take');
    for (const bad of [
      { stopCreditMultiple: -1 },
      { profitTakePct: 101 },
      { timeExitCt: '12:60' },
      { timeExitCt: '1200' },
      { approximation: { firstExtremeAt: 0.7, secondExtremeAt: 0.6 } },
    ]) {
      expect(() => resolveConfig('vixshield', { exits: { intraday: bad } }), JSON.stringify(bad)).toThrow();
    }
  });

  it('every resolved parameter, the new ones included, has a documented source for config show', () => {
    const paths: string[] = [];
    const flat = (v: unknown, p: string) => {
      if (v && typeof v === 'object' && !Array.isArray(v))
        for (const [k, x] of Object.entries(v)) flat(x, p ? `${p}.${k}` : k);
      else paths.push(p);
    };
    flat(resolveConfig('vixshield'), '');
    expect(paths.filter((p) => p.startsWith('exits.intraday.'))).toHaveLength(8);
    const missing = paths.filter(
      (p) => !Object.keys(DEFAULT_SOURCES).some((k) => p === k || p.startsWith(`${k}.`)),
    );
    expect(missing).toEqual([]);
    for (const p of paths.filter((x) => x.startsWith('exits.intraday.')))
      expect(DEFAULT_SOURCES[p]).toBeTruthy();
  });
});
