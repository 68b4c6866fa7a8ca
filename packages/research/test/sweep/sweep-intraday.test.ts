import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marketData, runCliBacktest } from '@vixshield/app';
import { importIntradayBars } from '@vixshield/data';
import { afterAll, describe, expect, it } from 'vitest';
import { runSweep } from '../../src/index';

/*
 * Issue 16: a sweep over an exit-rule parameter runs each cell with the intraday inputs the backtest
 * uses (the one window use case): the embedded hourly bars plus the data dir's imported ones. Each
 * cell equals the single backtest of its configuration; the imported bars are read by both.
 */
describe('sweep over an intraday exit parameter = the single backtests', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vs-sweep-intraday-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const src = join(dir, 'bars');
  mkdirSync(src);
  // Hourly bars for the 10 sessions before the embedded ones start (2023-09-15), open -> close in a
  // straight line through the day's high and low (any path will do: both runs must read the same).
  const md = marketData();
  const imported = md.snapshots.filter((s) => s.date >= '2023-09-01' && s.date < '2023-09-15');
  for (const s of imported) {
    const { open, high, low, close } = s.spx as { open: number; high: number; low: number; close: number };
    const path = [open, low, (low + high) / 2, high, (high + close) / 2, close, close];
    const rows = path.map((c, i) => {
      const o = i === 0 ? open : (path[i - 1] as number);
      return `${String(9 + i).padStart(2, '0')}:30,${o},${Math.max(o, c)},${Math.min(o, c)},${c}`;
    });
    writeFileSync(join(src, `${s.date}.csv`), `time,open,high,low,close\n${rows.join('\n')}\n`);
  }
  importIntradayBars({ dataDir, path: src, symbol: 'spx', resolutionMinutes: 60 });
  const window = { from: '2023-08-01', to: '2023-10-31' };

  it('each cell: the same trades, returns, Sharpe, drawdown and intraday counts as backtest --data-dir', async () => {
    const rep = await runSweep({
      params: ['exits.intraday.stopCreditMultiple=1.5,3'],
      ...window,
      dataDir,
    });
    expect(rep.rows).toHaveLength(2);
    const totals = new Set<number | null>();
    for (const row of rep.rows) {
      const k = row.values[0]?.[1] as number;
      const cfg = join(dir, `stop-${k}.json`);
      writeFileSync(cfg, JSON.stringify({ exits: { intraday: { stopCreditMultiple: k } } }));
      const single = runCliBacktest({ ...window, config: cfg, dataDir, quiet: true });
      const s = single.summary;
      const cell = row.inSample;
      expect(cell.trades).toBe(s.trades);
      expect(cell.totalReturn).toBe(s.totalReturn);
      expect(cell.cagr).toBe(s.cagr);
      expect(cell.sharpe).toBe(s.sharpe);
      expect(cell.maxDrawdown).toBe(s.maxDrawdown?.depth ?? null);
      expect(cell.winRate).toBe(s.winRate);
      const x = single.result.intraday!;
      expect(cell.intraday).toEqual({ sessions: x.sessions, exits: x.exits.length });
      // The imported days are bar sessions: 33 embedded (2023-09-15 .. 10-31) + the imported ones.
      expect(x.sessions.bars).toBe(33 + imported.length);
      totals.add(cell.totalReturn);
    }
    // The parameter matters (the sweep is not evaluating one thing twice).
    expect(totals.size).toBe(2);
  });
});
