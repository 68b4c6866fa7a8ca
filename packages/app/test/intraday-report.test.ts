import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeBacktestSummary, ORATS_LIKE_FILL, resolveConfig, runBacktest } from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import { describe, expect, it } from 'vitest';
import {
  marketData,
  renderBacktestHtml,
  renderBacktestJson,
  runCliBacktest,
  windowSessions,
} from '../src/index';

// Issue 16: every report says how many sessions used bars, the approximation or neither.
describe('backtest reports: intraday sessions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vixshield-intraday-'));
  const cfgFile = join(dir, 'stop.json');
  writeFileSync(cfgFile, JSON.stringify({ exits: { intraday: { stopCreditMultiple: 1.5 } } }));
  // 2023-08-01 .. 2023-10-31 straddles the first embedded hourly bars (2023-09-15).
  const window = { from: '2023-08-01', to: '2023-10-31', quiet: true };
  const plain = runCliBacktest(window);
  const stop = runCliBacktest({ ...window, config: cfgFile });

  it('with a rule: the JSON and the HTML count sessions on bars, on the approximation and neither', () => {
    const x = stop.result.intraday!;
    expect(x.sessions.bars).toBe(33); // 2023-09-15 .. 2023-10-31
    expect(x.sessions.bars + x.sessions.ohlcApproximation + x.sessions.neither).toBe(
      stop.result.equity.length,
    );
    expect(x.sessions.ohlcApproximation).toBeGreaterThan(0);
    expect(x.exits.length).toBeGreaterThan(0);
    const json = renderBacktestJson(stop.result, stop.summary) as unknown as { intraday: typeof x };
    expect(json.intraday.sessions).toEqual(x.sessions);
    const html = renderBacktestHtml(stop.result, stop.summary, { title: 't' });
    expect(html).toContain('id="intraday-exits"');
    expect(html).toContain(`<td>Sessions</td><td class="r">${x.sessions.bars}</td>`);
  });

  it('without a rule: the JSON, the CLI rows and the HTML still count the sessions (bars fed the TWAP only)', () => {
    const x = plain.result.intraday!;
    expect(x.rulesSet).toBe(false);
    expect(x.sessions).toEqual({ bars: 33, ohlcApproximation: 0, neither: plain.result.equity.length - 33 });
    expect(x.exits).toEqual([]);
    const json = renderBacktestJson(plain.result, plain.summary) as unknown as { intraday: typeof x };
    expect(json.intraday.sessions).toEqual(x.sessions);
    const html = renderBacktestHtml(plain.result, plain.summary, { title: 't' });
    expect(html).toContain(
      'No intraday exit rule set (exits.intraday): nothing was marked or closed intraday',
    );
    expect(html).toContain(`<td>Sessions</td><td class="r">33</td><td class="r">0</td>`);
  });
});

// Issue 16: the counts are in every report, and with no exit rule the default backtest's trades,
// equity curve and metrics are byte for byte those of a run given no intraday inputs at all.
describe('the default backtest with and without the intraday inputs (no exit rule)', () => {
  it('trades, equity, roll chains, hedge trades, rejections and every metric are byte-identical', () => {
    const withBars = runCliBacktest({ quiet: true }); // preset vixshield, 2015-01-02 .. the last day
    const md = marketData();
    const cfg = resolveConfig('vixshield');
    const { from, to } = withBars.result;
    const bare = runBacktest(windowSessions(md, cfg, from, to), embeddedPorts(md), cfg, {
      initialEquity: withBars.result.initialEquity,
      fill: ORATS_LIKE_FILL,
      pricesSource: withBars.result.pricesSource,
    });
    const a = renderBacktestJson(withBars.result, withBars.summary);
    const b = renderBacktestJson(bare, computeBacktestSummary(bare));
    for (const k of [
      'equity',
      'trades',
      'hedgeTrades',
      'chains',
      'rejected',
      'summary',
      'assumptions',
    ] as const)
      expect(JSON.stringify(a[k]), k).toBe(JSON.stringify(b[k]));
    expect(a.trades).not.toEqual([]);
    // What differs is only the counts: the run with bars has 736 bar sessions (their TWAP fed the
    // rollback rule), the bare one none.
    expect((a.intraday as { sessions: unknown }).sessions).toEqual({
      bars: 736,
      ohlcApproximation: 0,
      neither: withBars.result.equity.length - 736,
    });
    expect((b.intraday as { sessions: { bars: number } }).sessions.bars).toBe(0);
  });
});
