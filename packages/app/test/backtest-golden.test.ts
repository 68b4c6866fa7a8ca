import { embeddedPorts, type MarketData } from '@vixshield/data';
import { describe, expect, it } from 'vitest';
import {
  type IsoDate,
  type MarketSnapshot,
  ORATS_LIKE_FILL,
  resolveConfig,
  runBacktest,
  sessionsFromSnapshots,
} from '../../core/src/index';
import { marketData, runCliBacktest } from '../src/index';

const cent = (v: number) => Math.round(v * 100) / 100;

describe('VixShield engine backtest: golden summary (2024-06-03 .. 2024-07-31, preset vixshield, orats-like fills)', () => {
  // Regression pin: any change to pricing, rules, fills or the runner that moves these numbers must be
  // deliberate (update them in the same commit and say why).
  it('reproduces final equity to the cent, the trade count and the win count', () => {
    const run = runCliBacktest({
      from: '2024-06-03',
      to: '2024-07-31',
      preset: 'vixshield',
      fill: 'orats-like',
      quiet: true,
    });
    const { result, summary } = run;
    expect(result.equity.length).toBe(41);
    // Moved on purpose by issues 14 and 15 (from 82,033.11 / 39 trades / 32 wins / 7 settled ITM / 2 hedge
    // trades): surface 1.2.0's one-day vol prices 1DTE premiums lower (fewer entries pass the credit
    // rules); events are judged over the holding window (no condor into the 06-12 FOMC, the 06-12/07-11
    // CPI, 06-13/07-12 PPI, 07-05 payrolls); the book cap; tiers at the expected fill; the balanced RSAi;
    // the ALVH ladder budget-sized at 1.5% of equity a year. Surface 1.3.0 (108,492.92 / 18 / 16 before):
    // far wings worth 0.005-0.05 are quoted 0.05 / 0.10 as real 1-2 DTE chains quote them, so a long
    // wing there costs a tick more and one entry no longer reaches its tier. Surface 1.4.0 (106,859.26 /
    // 17 / 15 before): the one-day model refitted with its holiday term moves every modelled one-day vol
    // a little (bNine 1.129 -> 1.138, bCalendar 0.517 -> 0.477), and one more entry reaches its tier.
    // Surface 1.5.0 (108,906.57 / 18 / 16 / 1 settled ITM / 1 hedge trade before): the one-day vol is read
    // in business time, as Cboe quotes VIX1D. 1.4.0 spread a Friday's one-session variance over the three
    // calendar days to Monday as if each were a session (it sold on all 8 Fridays, far out at an inflated
    // vol, and all won) and priced a weekday's next session at 0.83 x its vol (9 of the other 33 days
    // reached a tier). Now every session is priced alike: 34 condors (8 on Fridays, one a roll), sold
    // nearer the money; 26 won, 7 settled in the money.
    expect(cent(summary.finalEquity)).toBe(82757.21);
    expect(summary.trades).toBe(34);
    expect(result.trades.filter((t) => t.pnl > 0).length).toBe(26);
    expect(result.trades.filter((t) => t.exit === 'settled-itm').length).toBe(7);
    expect(result.hedgeTrades.length).toBe(3);
    expect(result.rejected.length).toBe(0);
  });
});

describe('VixShield engine backtest: no look-ahead', () => {
  it('poisoning every snapshot after D leaves every decision, fill and equity point on days <= D unchanged', () => {
    const md = marketData();
    const cfg = resolveConfig('vixshield');
    const from = '2024-06-03' as IsoDate;
    const to = '2024-08-30' as IsoDate;
    const D = '2024-07-15' as IsoDate;
    const replay = (snaps: readonly MarketSnapshot[]) => {
      const byDate = new Map(snaps.map((s) => [s.date, s]));
      const poisonedMd = { ...md, snapshots: snaps, byDate: (d: IsoDate) => byDate.get(d) } as MarketData;
      const { sessions } = sessionsFromSnapshots(
        snaps.filter((s) => s.date <= to),
        { timeCt: cfg.entry.timeCt, zLookbackDays: cfg.hedge.trigger.zLookbackDays },
      );
      const decisions = new Map<IsoDate, string>();
      const result = runBacktest(
        sessions.filter((s) => s.date >= from),
        embeddedPorts(poisonedMd),
        cfg,
        {
          initialEquity: 100_000,
          fill: ORATS_LIKE_FILL,
          pricesSource: { kind: 'modelled', detail: 'test' },
          onDecision: (s, res, equity) =>
            decisions.set(s.date, JSON.stringify({ intents: res.intents, reasons: res.reasons, equity })),
        },
      );
      return { result, decisions };
    };
    const poison = md.snapshots.map((s) =>
      s.date <= D
        ? s
        : {
            ...s,
            spx: {
              ...s.spx,
              close: s.spx.close * 0.8,
              open: s.spx.open === null ? null : s.spx.open * 1.2,
              high: s.spx.high === null ? null : s.spx.high * 1.2,
              low: s.spx.low === null ? null : s.spx.low * 0.8,
            },
            vix: s.vix === null ? null : s.vix * 2.5,
            vix9d: s.vix9d === null ? null : s.vix9d * 3,
            vix3m: s.vix3m === null ? null : s.vix3m * 2,
            vvix: s.vvix === null ? null : s.vvix * 2,
            skew: s.skew === null ? null : s.skew + 20,
            // a later snapshot's release flags too: what is known of a later session's releases is the
            // published calendar, never that session's snapshot (on a live day it does not exist yet)
            events: {
              fomc: s.events.fomc === null ? null : !s.events.fomc,
              cpi: s.events.cpi === null ? null : !s.events.cpi,
              ppi: s.events.ppi === null ? null : !s.events.ppi,
              payrolls: s.events.payrolls === null ? null : !s.events.payrolls,
            },
          },
    );
    const clean = replay(md.snapshots);
    const dirty = replay(poison);
    let compared = 0;
    for (const [date, d] of clean.decisions) {
      if (date > D) continue;
      expect(dirty.decisions.get(date), date).toBe(d);
      compared++;
    }
    expect(compared).toBe(29); // trading days 2024-06-03 .. 07-15 (Juneteenth and July 4 closed)
    const upTo = (r: typeof clean.result) => ({
      equity: r.equity.filter((e) => e.date <= D),
      trades: r.trades.filter((t) => t.closedOn <= D),
      hedges: r.hedgeTrades.filter((h) => h.closedOn <= D),
      rejected: r.rejected.filter((x) => x.date <= D),
    });
    expect(upTo(dirty.result)).toEqual(upTo(clean.result));
    // The poison bites after D, so this test could fail if anything leaked backwards.
    const after = [...clean.decisions].filter(([date, d]) => date > D && dirty.decisions.get(date) !== d);
    expect(after.length).toBeGreaterThan(0);
    expect(dirty.result.equity.at(-1)!.equity).not.toBe(clean.result.equity.at(-1)!.equity);
  });
});
