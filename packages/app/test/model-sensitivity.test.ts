import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALIBRATED_SHORT_DATED_PARAMS, type IsoDate } from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import { describe, expect, it } from 'vitest';
import {
  backtestWithReports,
  embeddedRealChains,
  intradayBacktestInputs,
  MODELLED_PRICES_DETAIL,
  marketData,
  ONE_DAY_LEVEL_SENSITIVITY_SCALES,
  oneDayLevelCheck,
  oneDayLevelPorts,
  runCliBacktest,
} from '../src/index';

// How much a result owes to the model's one-day vol level: the same run with 1DTE options at the
// bounds of the level error measured on real chains (MODEL_MEASURED_ERROR; docs/calibration.md).
describe('model sensitivity: the one-day vol level at the bounds of its measured error', () => {
  const window = { from: '2024-06-03', to: '2024-07-31', quiet: true };
  const out = mkdtempSync(join(tmpdir(), 'vixshield-model-sensitivity-'));

  it('the scaled run prices 1DTE options at that multiple of the ATM vol; longer expiries as before', () => {
    const md = marketData();
    const at = (scale: number) =>
      embeddedPorts(md, {
        shortDated: {
          ...CALIBRATED_SHORT_DATED_PARAMS,
          atmPerOneDayVix: CALIBRATED_SHORT_DATED_PARAMS.atmPerOneDayVix * scale,
        },
      }).chains;
    const atmIv = (scale: number, expiry: string) => {
      const c = at(scale).chain('2024-06-13' as IsoDate, expiry as IsoDate)!;
      let best = 0;
      for (let i = 1; i < c.strikes.length; i++)
        if (Math.abs(c.strikes[i]! - c.underlying) < Math.abs(c.strikes[best]! - c.underlying)) best = i;
      return c.putIv[best]!;
    };
    // Thursday -> Friday: one session. The smile is a shape in standardised moneyness, so the strike
    // nearest the spot moves with the ATM up to the smile's slope over a few points.
    expect(atmIv(1.15, '2024-06-14') / atmIv(1, '2024-06-14')).toBeCloseTo(1.15, 2);
    expect(atmIv(0.85, '2024-06-14') / atmIv(1, '2024-06-14')).toBeCloseTo(0.85, 2);
    expect(atmIv(1.15, '2024-07-19')).toBe(atmIv(1, '2024-07-19')); // a month out: the long regime
  });

  it('backtestWithReports runs the bounds, the model in the middle, and says what each run priced', () => {
    // the bounds are what model check measures on the real 1-2 session chains
    const ratios = oneDayLevelCheck(marketData(), embeddedRealChains()).map((r) => r.chainOverModel);
    expect(ratios).toHaveLength(5);
    const round2 = (x: number) => Math.round(100 * x) / 100;
    expect(ONE_DAY_LEVEL_SENSITIVITY_SCALES).toEqual([
      round2(Math.min(...ratios)),
      round2(Math.max(...ratios)),
    ]);
    const { run, modelSensitivity } = backtestWithReports({
      ...window,
      modelSensitivity: true,
      json: join(out, 'r.json'),
    });
    expect(modelSensitivity!.map((p) => p.oneDayLevelScale)).toEqual([0.88, 1, 1.23]);
    expect(modelSensitivity![1]!.summary).toBe(run.summary);
    const high = runCliBacktest({ ...window, oneDayLevelScale: 1.23 });
    expect(modelSensitivity![2]!.summary.finalEquity).toBe(high.summary.finalEquity);
    expect(high.result.pricesSource.detail).toBe(
      `${MODELLED_PRICES_DETAIL}; a sensitivity run: 0-2 session expiries at 1.23 x the model's one-day vol level`,
    );
    // richer 1DTE premiums: the same rules find their credit tiers farther out (short strikes 100.8
    // points apart on average against 86.3); poorer ones: fewer days reach a tier (18 condors, not 34)
    const width = (r: typeof run) =>
      r.result.trades.reduce((a, t) => a + t.strikes.callShort - t.strikes.putShort, 0) /
      r.result.trades.length;
    expect(width(high)).toBeGreaterThan(width(run) + 10);
    expect(modelSensitivity![0]!.summary.trades).toBeLessThan(run.summary.trades);
  });

  it("a scaled run's intraday marks read the scaled regime that priced its entries", () => {
    const md = marketData();
    const scaled = intradayBacktestInputs(oneDayLevelPorts(md, '15:10', 1.15).chains);
    expect(scaled.shortDated!.atmPerOneDayVix).toBeCloseTo(
      CALIBRATED_SHORT_DATED_PARAMS.atmPerOneDayVix * 1.15,
      12,
    );
    expect(intradayBacktestInputs(embeddedPorts(md).chains).shortDated).toBe(CALIBRATED_SHORT_DATED_PARAMS);
  });

  it('a run on given ports (recorded quotes) has no model sensitivity; a nonsense scale is refused', () => {
    const md = marketData();
    const r = backtestWithReports({
      ...window,
      modelSensitivity: true,
      ports: embeddedPorts(md),
      json: join(out, 'r.json'),
    });
    expect(r.modelSensitivity).toBeUndefined();
    expect(() => runCliBacktest({ ...window, oneDayLevelScale: 0 })).toThrow(
      /oneDayLevelScale 0 must be a multiple in/,
    );
  });
});
