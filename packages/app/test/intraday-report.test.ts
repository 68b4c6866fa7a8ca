import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBacktestHtml, renderBacktestJson, runCliBacktest } from '../src/index';

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

  it('without a rule: no intraday key in the JSON (byte-identical daily report), the HTML says neither', () => {
    expect(plain.result.intraday).toBeUndefined();
    expect('intraday' in renderBacktestJson(plain.result, plain.summary)).toBe(false);
    const html = renderBacktestHtml(plain.result, plain.summary, { title: 't' });
    expect(html).toContain(
      `all ${plain.result.equity.length} sessions used neither intraday bars nor the daily-OHLC approximation`,
    );
  });
});
