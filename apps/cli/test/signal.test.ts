import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeSignal } from '@vixshield/app';
import {
  embeddedPorts,
  exchangeIsTradingDay,
  loadEmbeddedMarketData,
  type MarketData,
} from '@vixshield/data';
import { openJournal } from '@vixshield/journal';
import { describe, expect, it } from 'vitest';
import {
  type Book,
  INITIAL_ENGINE_STATE,
  type IsoDate,
  type MarketSnapshot,
  ORATS_LIKE_FILL,
  resolveConfig,
  runBacktest,
  type StepResult,
  sessionsFromSnapshots,
  step,
} from '../../../packages/core/src/index';
import { runCli } from '../../../test/support/cli';
import { REPO_ROOT } from '../../../test/support/paths';

const signal = (date: string) => computeSignal({ date, preset: 'vixshield', equity: '100000' });

describe('daily signal: golden days', () => {
  it('2024-08-05 (VIX 38.57): no new condor and no trades', () => {
    const s = signal('2024-08-05');
    expect(s.gate.vix).toBe(38.57);
    expect(s.gate.noTrades).toBe(true);
    expect(s.gate.hold).toBe(true);
    expect(s.skip).toBe(true);
    expect(s.tiers).toEqual([]);
    expect(s.skipReason).toMatch(/VIX 38.57 > 25/);
  });

  it('the seed preset runs: trigger-based hedge (no standing ladder), same entry rules', () => {
    // 2024-07-22: a calm day that trades under surface 1.3.0 and the fill-based Premium Gauge (2024-07-22,
    // used before, now skips: with the far wings quoted 0.05/0.10 its gauge at the fill is 0.28 < 0.30).
    const seed = computeSignal({ date: '2024-07-22', preset: 'seed', equity: '100000' });
    expect(seed.preset).toBe('seed');
    expect(seed.skip).toBe(false);
    expect(seed.hedge).toEqual([]); // no condor in the book yet, so no trigger fired
    // the default ladder stands from the first session, sized by its yearly budget (1.5% of 100k buys
    // one L2 contract at these prices; L1 and L3 say their budget share gives 0 contracts)
    const ladder = signal('2024-07-22');
    expect(ladder.hedge.map((h) => h.layer)).toEqual([2]);
    expect(ladder.hedgeReasons.filter((r) => /gives 0 contracts/.test(r))).toHaveLength(2);
  });

  it('the day before an FOMC decision (2024-06-11) is skipped by default: its condor would be held through it', () => {
    const s = signal('2024-06-11');
    expect(s.skip).toBe(true);
    expect(s.skipReason).toMatch(/held through FOMC 2024-06-12 14:00 ET/);
  });

  it('a calm non-event day with VIX below 15 (2024-07-22) offers all three tiers with strikes outside the EDR band', () => {
    const s = signal('2024-07-22');
    expect(s.gate.vix).toBeLessThan(15);
    expect(s.gate.allowedTiers).toEqual(['conservative', 'balanced', 'aggressive']);
    expect(s.skip).toBe(false);
    expect(s.tiers.map((t) => t.tier)).toEqual(['conservative', 'balanced', 'aggressive']);
    for (const t of s.tiers) {
      expect(t.tradable).toBe(true);
      expect(t.creditMid!).toBeGreaterThanOrEqual(t.targetCredit);
      expect(t.occ!.putShort).toMatch(/^SPXW {2}240723P0\d{7}$/);
      expect(t.maxLossUsd! * t.contracts).toBeLessThanOrEqual(10_000 + 1e-6);
    }
    // The conservative shorts sit at or beyond the EDR band edges (RSAi moves inward only as needed)
    expect(s.tiers[0]!.strikes!.callShort).toBeGreaterThan(s.spx);
    expect(s.pricesSource).toBe('modelled');
    expect(s.expiry).toBe('2024-07-23');
  });

  it('with the real 2018 chain: 2018-02-27 trades the 2018-02-28 SPXW expiry off real quotes', () => {
    // 2018-01-30's condor would expire on the 2018-01-31 FOMC day: skipped by the event rule
    const fomcEve = computeSignal({
      date: '2018-01-30',
      preset: 'vixshield',
      equity: '100000',
      source: 'real',
    });
    expect(fomcEve.skipReason).toMatch(/FOMC 2018-01-31/);
    const s = computeSignal({ date: '2018-02-27', preset: 'vixshield', equity: '100000', source: 'real' });
    expect(s.pricesSource).toBe('real');
    expect(s.pricesDetail).toMatch(/HistoricalOptionData/);
    expect(s.expiry).toBe('2018-02-28');
    expect(s.skip).toBe(false);
    const t = s.tiers.find((x) => x.tier === 'conservative')!;
    expect(t.creditMid!).toBeGreaterThanOrEqual(0.7);
    expect(t.strikes!.putShort % 5).toBe(0);
    // the same day on modelled prices is labelled modelled
    expect(signal('2018-02-27').pricesSource).toBe('modelled');
    expect(() => computeSignal({ date: '2019-03-01', source: 'real' })).toThrow(
      /real quotes are embedded for 2018-01-02..2018-02-28/,
    );
  });

  it('modelled prices say where the one-day vol came from: the published VIX1D close, or the model', () => {
    const real = computeSignal({ date: '2025-02-21', preset: 'vixshield', equity: '100000' });
    expect(real.pricesSource).toBe('modelled');
    expect(real.pricesDetail).toMatch(/one-day vol 18\.16 from the published VIX1D close/);
    const model = computeSignal({ date: '2024-07-22', preset: 'vixshield', equity: '100000' });
    expect(model.pricesDetail).toMatch(/one-day vol \d+\.\d\d from the one-day model on VIX9D/);
  });

  it('bad dates give clear errors, not guesses', () => {
    expect(() => signal('2024-06-08')).toThrow(/not a trading day/);
    expect(() => signal('2031-01-02')).toThrow(/outside the data/);
    expect(() => signal('2024-13-01')).toThrow(/not a date/);
    const run = runCli(['signal', '--date', '2024-12-25']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a trading day/);
  });

  it('the CLI prints the JSON fields the service relies on', () => {
    const run = runCli(['signal', '--date', '2024-06-04', '--json']);
    expect(run.code).toBe(0);
    const s = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const k of [
      'date',
      'preset',
      'skip',
      'skipReason',
      'gate',
      'edr',
      'tiers',
      'hedge',
      'rolls',
      'reasons',
      'pricesSource',
    ]) {
      expect(s).toHaveProperty(k);
    }
  });

  it('the text prints what the JSON has: OCC legs, breakevens, short deltas and Greeks in USD (issue 18)', () => {
    const json = JSON.parse(runCli(['signal', '--date', '2024-07-22', '--json']).stdout) as {
      tiers: Array<{
        tier: string;
        occ: Record<'putLong' | 'putShort' | 'callShort' | 'callLong', string> | null;
        breakevens: { lower: number; upper: number } | null;
        greeks: { delta: number; gamma: number; vega: number; theta: number } | null;
      }>;
    };
    const text = runCli(['signal', '--date', '2024-07-22']).stdout;
    const t = json.tiers.find((x) => x.occ && x.greeks && x.breakevens);
    expect(t).toBeDefined();
    const { occ, breakevens, greeks } = t as {
      occ: Record<'putLong' | 'putShort' | 'callShort' | 'callLong', string>;
      breakevens: { lower: number; upper: number };
      greeks: { delta: number; gamma: number; vega: number; theta: number };
    };
    expect(text).toContain(`${occ.putLong} / ${occ.putShort} / ${occ.callShort} / ${occ.callLong}`);
    expect(text).toContain(`breakevens ${breakevens.lower.toFixed(2)} / ${breakevens.upper.toFixed(2)}`);
    // Package Greeks are index points per condor, vega per 1.00 of vol, theta per year: x100 USD,
    // vega / 100 per vol point, theta / 365 per calendar day.
    const sgn = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
    expect(text).toContain(`vega ${sgn(greeks.vega)} USD/vol pt`);
    expect(text).toContain(`theta ${sgn((greeks.theta * 100) / 365)} USD/day`);
    expect(text).toContain(`delta ${sgn(greeks.delta * 100)} USD/pt`);
    // modelled prices carry the model's measured error, in the JSON and right under the prices line
    const modelError = (
      JSON.parse(runCli(['signal', '--date', '2024-07-22', '--json']).stdout) as { modelError: string }
    ).modelError;
    expect(modelError).toMatch(/^Measured model error in the condor's zone .*\d+\.\d% over \d+ real quotes/);
    expect(text).toMatch(
      /\n[^\n]*prices: modelled \([^\n]*\)\nmodel error: Measured model error in the condor's zone/,
    );
    // Each reason once, even when two rules state the same thing.
    const reasons = text
      .slice(text.indexOf('reasons:'))
      .split('\n')
      .filter((l) => l.startsWith('  - '));
    expect(new Set(reasons).size).toBe(reasons.length);
  });
});

describe('backtest = live and no look-ahead', () => {
  it('the engine decides every session from 2011 to the end of the data (modelled chains)', () => {
    const mdAll = loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay });
    const { sessions } = sessionsFromSnapshots(mdAll.snapshots, { timeCt: '15:10', zLookbackDays: 20 });
    const from2011 = sessions.filter((s) => s.date >= '2011-01-03');
    let decided = 0;
    let opened = 0;
    runBacktest(from2011, embeddedPorts(mdAll), resolveConfig('vixshield'), {
      initialEquity: 100_000,
      fill: ORATS_LIKE_FILL,
      pricesSource: { kind: 'modelled', detail: 'test' },
      onDecision: (_s, res) => {
        decided++;
        if (res.entry.intents.some((i) => i.kind === 'open')) opened++;
        expect(res.reasons.length).toBeGreaterThan(0);
      },
    });
    expect(decided).toBe(from2011.length);
    expect(decided).toBeGreaterThan(3700);
    // 742 entries 2011-2026 with surface 1.2.0, events held through and tiers at the expected fill
    // (1,000+ before): the engine still trades on about one session in five.
    expect(opened).toBeGreaterThan(600);
  });

  const md: MarketData = loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay });
  const cfg = resolveConfig('vixshield');
  const opts = { timeCt: '15:10', zLookbackDays: 20 };

  it('parity: the signal for each day equals the backtest decision on that day (same step, same data)', () => {
    const { sessions } = sessionsFromSnapshots(
      md.snapshots.filter((s) => s.date <= '2024-07-31'),
      opts,
    );
    const window = sessions.filter((s) => s.date >= '2024-06-03');
    const decisions = new Map<IsoDate, { res: StepResult; equity: number; book: Book }>();
    runBacktest(window, embeddedPorts(md), cfg, {
      initialEquity: 100_000,
      fill: ORATS_LIKE_FILL,
      pricesSource: { kind: 'modelled', detail: 'test' },
      onDecision: (s, res, equity, book) => decisions.set(s.date, { res, equity, book }),
    });
    let compared = 0;
    for (const day of [
      '2024-06-04',
      '2024-06-07',
      '2024-06-14',
      '2024-07-22',
      '2024-07-12',
      '2024-07-24',
    ] as IsoDate[]) {
      const bt = decisions.get(day)!;
      // the same book as the backtest: the day's settling condor lowers the equity the entry sizes on
      const live = computeSignal({
        date: day,
        preset: 'vixshield',
        equity: String(bt.equity),
        bookValue: bt.book,
      });
      const btOpen = bt.res.entry.intents[0]!;
      expect(live.skip).toBe(bt.res.entry.skip);
      expect(live.chosenTier).toBe(bt.res.entry.chosenTier);
      if (btOpen.kind === 'open') {
        const t = live.tiers.find((x) => x.tier === btOpen.tier)!;
        expect(t.strikes).toEqual(btOpen.condor.strikes);
        expect(t.creditMid).toBe(btOpen.condor.creditMid);
        expect(t.contracts).toBe(btOpen.quantity);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1);
  });

  it('look-ahead: poisoning every datum after D does not change the decision for D', () => {
    const D = '2020-02-21' as IsoDate;
    const decide = (snaps: readonly MarketSnapshot[]) => {
      const poisonedMd = {
        ...md,
        snapshots: snaps,
        byDate: (d: IsoDate) => snaps.find((s) => s.date === d),
      } as MarketData;
      const { sessions } = sessionsFromSnapshots(snaps, opts);
      const s = sessions.find((x) => x.date === D)!;
      const res = step(
        INITIAL_ENGINE_STATE,
        {
          kind: 'session',
          date: D,
          instantUtcMs: s.instantUtcMs,
          market: s.market,
          book: { condors: [], hedges: [] },
          equity: 100_000,
        },
        embeddedPorts(poisonedMd),
        cfg,
      );
      return JSON.stringify({ intents: res.intents, reasons: res.reasons });
    };
    const poison = md.snapshots.map((s) =>
      s.date <= D
        ? s
        : {
            ...s,
            spx: { ...s.spx, close: 1, open: 1, high: 1, low: 1 },
            vix: 99,
            vix9d: 99,
            vix3m: 99,
            vvix: 300,
            skew: 200,
          },
    );
    const clean = decide(md.snapshots);
    expect(decide(poison)).toBe(clean);
    // the poison is strong enough to change a later day's decision, so the test can fail
    expect(clean.length).toBeGreaterThan(100);
  });
});

describe('signal --book: the documented fills format (docs/book.md)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vixshield-book-cli-'));
  const example = join(REPO_ROOT, 'docs/examples/book.json');

  it('settles the positions past expiry at the official settlement instead of exiting 2', () => {
    const run = runCli(['signal', '--date', '2024-03-21', '--book', example, '--json']);
    expect(run.code).toBe(0);
    const s = JSON.parse(run.stdout) as {
      bookSettlement: { settled: Array<{ positionId: string; settlementPrice: number; pnlUsd: number }> };
    };
    const ids = s.bookSettlement.settled.map((p) => p.positionId);
    expect(ids).toEqual(['ic-2024-03-18', 'vix-2024-03-20-13c']);
    // SPXW PM settlement at the 2024-03-18 close 5,149.42: the 5140/5150 call spread pays 9.42 per condor.
    expect(s.bookSettlement.settled[0]!.settlementPrice).toBe(5149.42);
    expect(s.bookSettlement.settled[0]!.pnlUsd).toBeCloseTo((1.25 - 9.42) * 100 * 2, 6);
    const text = runCli(['signal', '--date', '2024-03-21', '--book', example]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      'ic-2024-03-18 (condor, expiry 2024-03-18, qty 2) settled at 5149.42 (SPXW PM close)',
    );
  });

  it("--book journal: the data dir's journal book, its settlement journaled there once", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vixshield-book-journal-'));
    const j = openJournal(join(dataDir, 'journal.sqlite'));
    j.recordFills(JSON.parse(readFileSync(example, 'utf8')).fills);
    j.close();
    const args = ['signal', '--date', '2024-03-21', '--book', 'journal', '--data-dir', dataDir, '--json'];
    const run = runCli(args);
    expect(run.code, run.stderr).toBe(0);
    const ids = (JSON.parse(run.stdout).bookSettlement.settled as Array<{ positionId: string }>).map(
      (p) => p.positionId,
    );
    expect(ids).toEqual(['ic-2024-03-18', 'vix-2024-03-20-13c']);
    expect(runCli(args).code).toBe(0);
    expect(runCli([...args.slice(0, 2), '2024-03-22', ...args.slice(3)]).code).toBe(0);
    const after = openJournal(join(dataDir, 'journal.sqlite'));
    try {
      expect(after.settlements().map((s) => [s.positionId, s.recordedFor])).toEqual([
        ['ic-2024-03-18', '2024-03-21'],
        ['vix-2024-03-20-13c', '2024-03-21'],
      ]);
    } finally {
      after.close();
    }
    const noDir = runCli(['signal', '--date', '2024-03-21', '--book', 'journal'], {
      env: { VIXSHIELD_DATA_DIR: '' },
    });
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain('--data-dir');
  });

  it('the older {condors, hedges} book with an expired condor settles too', () => {
    const file = join(dir, 'positions.json');
    writeFileSync(
      file,
      JSON.stringify({
        condors: [
          {
            id: 'old',
            tier: 'balanced',
            expiry: '2024-03-18',
            strikes: { putLong: 5040, putShort: 5050, callShort: 5140, callLong: 5150 },
            quantity: 1,
            openedOn: '2024-03-15',
            entryCredit: 1.25,
          },
        ],
      }),
    );
    const run = runCli(['signal', '--date', '2024-03-21', '--book', file, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).bookSettlement.settled[0].positionId).toBe('old');
  });

  it('a nonsense fill exits 2 naming the file, the fill and the field', () => {
    const file = join(dir, 'bad.json');
    const good = JSON.parse(readFileSync(example, 'utf8')).fills;
    writeFileSync(
      file,
      JSON.stringify([
        good[0],
        { ...good[1], layer: 9 },
        { ...good[2], date: '2024-02-30' },
        { ...good[0], id: 'close-x', action: 'close', positionId: 'nope' },
      ]),
    );
    const run = runCli(['signal', '--date', '2024-03-21', '--book', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${file}: fill 1 (id '2024-02-20-vix-open'): field "layer": 9 is not a hedge layer`,
    );
    expect(run.stderr).toContain(
      `${file}: fill 2 (id '2024-03-19-ic-open'): field "date": '2024-02-30' is not a calendar date`,
    );
    expect(run.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    writeFileSync(file, JSON.stringify([{ ...good[0], id: 'close-x', action: 'close', positionId: 'nope' }]));
    const close = runCli(['signal', '--date', '2024-03-21', '--book', file]);
    expect(close.code).not.toBe(0);
    expect(close.stderr).toContain(
      `${file}: fill 0 (id 'close-x'): field "positionId": no open position 'nope' to close`,
    );
  });
});
