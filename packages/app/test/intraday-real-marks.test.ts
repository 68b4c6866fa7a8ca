import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IsoDate, type OptionChain, strikeIndex } from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import { describe, expect, it } from 'vitest';
import {
  embeddedRealChains,
  intradayBacktestInputs,
  marketData,
  recordedChainPorts,
  renderBacktestHtml,
  runCliBacktest,
  SnapshotOrModelChainSource,
} from '../src/index';

// Issue 16: intraday marks from recorded real quotes where the run's chain source has them, through
// `backtest --source real`'s ports (recordedChainPorts): here the embedded 2019-06-26 15:45 ET chain.
describe('backtest --source real: intraday marks from recorded quotes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vixshield-real-marks-'));
  const cfgFile = join(dir, 'time-exit.json');
  // 14:45 CT = 15:45 ET: the approximation's 15:45 bar close on each expiry day, the snapshot's instant.
  writeFileSync(cfgFile, JSON.stringify({ exits: { intraday: { timeExitCt: '14:45' } } }));
  const window = { from: '2019-06-17', to: '2019-07-03', config: cfgFile, quiet: true };

  it('the 2019-06-26 expiry is closed at 15:45 ET on the real bid/ask; every other mark is modelled and counted', async () => {
    const recorded = await recordedChainPorts(window);
    const run = runCliBacktest({ ...window, ports: recorded.ports, pricesSource: recorded.pricesSource });
    const x = run.result.intraday!;
    // The fallback model's surfaces serve the other marks (before, a recorded-chain run had none: all 'neither').
    expect(x.condorDays.neither).toBe(0);
    expect(x.condorDays.ohlcApproximation).toBeGreaterThan(0);
    const exit = x.exits.find((e) => e.date === '2019-06-26')!;
    expect(exit).toMatchObject({ atEt: '15:45', rule: 'time-exit', quotes: 'real' });
    expect(exit.reason).toContain('real quotes of Cboe DataShop (15:45 ET) stamped 15:45 ET');
    // The mark is the condor's cost from the embedded chain's own bid/ask, leg by leg.
    const trade = run.result.trades.find((t) => t.id === exit.positionId)!;
    const chain = embeddedRealChains().find(
      (c) => c.asOf === '2019-06-26' && c.expiry === '2019-06-26',
    ) as OptionChain;
    const k = trade.strikes;
    const mid = (bid: Float64Array, ask: Float64Array, K: number) =>
      (bid[strikeIndex(chain, K)]! + ask[strikeIndex(chain, K)]!) / 2;
    const realMid =
      mid(chain.putBid, chain.putAsk, k.putShort) -
      mid(chain.putBid, chain.putAsk, k.putLong) +
      mid(chain.callBid, chain.callAsk, k.callShort) -
      mid(chain.callBid, chain.callAsk, k.callLong);
    expect(exit.closeMid).toBeCloseTo(realMid, 10);
    expect(x.marks.real).toBe(1);
    expect(x.marks.modelled).toBe(x.barsEvaluated - x.barsUnpriceable - 1);
    expect(x.exits.filter((e) => e.quotes === 'real')).toHaveLength(1);
    // Every report says it.
    const html = renderBacktestHtml(run.result, run.summary, { title: 't' });
    expect(html).toContain(`Marks from real recorded quotes 1, from the model ${x.marks.modelled}`);
  });

  it('a recorded quote marks a bar only up to the age limit (default 5 minutes, --max-mark-quote-age)', async () => {
    // 14:50 CT = 15:50 ET: the 15:45 ET snapshot is 5 minutes old at that bar close
    const late = join(dir, 'time-exit-1450.json');
    writeFileSync(late, JSON.stringify({ exits: { intraday: { timeExitCt: '14:50' } } }));
    const opts = { ...window, config: late };
    const recorded = await recordedChainPorts(opts);
    const base = { ...opts, ports: recorded.ports, pricesSource: recorded.pricesSource };
    const exitOn = (run: ReturnType<typeof runCliBacktest>) =>
      run.result.intraday!.exits.find((e) => e.date === '2019-06-26')!;
    const lenient = runCliBacktest(base);
    expect(exitOn(lenient)).toMatchObject({ atEt: '15:50', quotes: 'real' });
    expect(exitOn(runCliBacktest({ ...base, realQuoteMaxAgeMinutes: 5 }))).toMatchObject({ quotes: 'real' });
    // the 15:45 and 15:50 ET bar closes are both marked from the snapshot
    expect(lenient.result.intraday!.marks.real).toBe(2);
    const strict = runCliBacktest({ ...base, realQuoteMaxAgeMinutes: 4 });
    expect(exitOn(strict)).toMatchObject({ atEt: '15:50', quotes: 'modelled' });
    // only the 15:45 ET bar close, where the snapshot is 0 minutes old
    expect(strict.result.intraday!.marks.real).toBe(1);
    expect(strict.result.intraday!.notes.join(' ')).toContain('stamped at most 4 min before the bar close');
  });

  it('the modelled backtest has no recorded quotes: every intraday mark is modelled', () => {
    const run = runCliBacktest(window);
    const x = run.result.intraday!;
    expect(x.marks.real).toBe(0);
    expect(x.exits.find((e) => e.date === '2019-06-26')).toMatchObject({ quotes: 'modelled' });
  });

  it('a recorded-chain source gives real chains only, ascending, and its fallback surfaces', () => {
    const md = marketData();
    const model = embeddedPorts(md, { quoteTimeCt: '15:10' }).chains;
    const day = '2019-06-26' as IsoDate;
    const real = embeddedRealChains().filter((c) => c.asOf === day);
    const src = new SnapshotOrModelChainSource(new Map(), model, new Map([[day, real]]));
    expect(src.quotesOn(day, day).map((c) => c.source.kind)).toEqual(['real']);
    expect(src.quotesOn('2019-06-25' as IsoDate, day)).toEqual([]);
    expect(intradayBacktestInputs(src).surface('2019-06-25' as IsoDate)).toBeDefined();
  });
});
