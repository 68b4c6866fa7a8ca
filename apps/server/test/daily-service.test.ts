import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marketData, recordedChainPorts, runCliBacktest } from '@vixshield/app';
import { type IsoDate, previousTradingDay, session } from '@vixshield/core';
import { embeddedPorts, hostsAt } from '@vixshield/data';
import { openJournal } from '@vixshield/journal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyRoutes } from '../../../packages/data/test/providers/helpers';
import { type FixtureServer, startFixtureServer } from '../../../test/support/fixture-server';
import { buildServer } from '../src/app';
import { dailyServiceHooks, withPaperBooks } from '../src/daily-service';
import { storedPaperRecord } from '../src/paper';
import { Scheduler, type SchedulerClock } from '../src/scheduler';

/*
 * `serve --schedule` end to end on an injected clock (issue 13 item 3): the week of 2019-07-01, with
 * the early close of Wednesday 07-03 (13:00 ET) and the Independence Day holiday on Thursday 07-04.
 * Every source is the loopback fixture server: the recorded daily payloads, and per day one Cboe
 * `_SPX.json` chain payload published at the prepare instant.
 *
 * Those chain payloads are SYNTHETIC: no real SPXW chain of that week is stored in the repository, so
 * each day's payload is the vixshield-surface model's own SPXW chain of the day (bid/ask per strike)
 * written in the `_SPX.json` layout. They test the machinery (timing, storage, staleness, signal,
 * journal, webhooks, paper book, settlement, parity with the backtest), not the model's accuracy; the
 * real recorded payload is exercised by apps/cli/test/signal-snapshot.test.ts.
 */

class FakeClock implements SchedulerClock {
  private timers: Array<{ atMs: number; fn: () => void }> = [];
  constructor(private t: number) {}
  now() {
    return this.t;
  }
  at(atMs: number, fn: () => void) {
    const timer = { atMs, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }
  async sleep(ms: number) {
    this.t += ms;
  }
  advanceTo(ms: number) {
    for (;;) {
      const due = this.timers.filter((x) => x.atMs <= ms).sort((a, b) => a.atMs - b.atMs)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.atMs);
      due.fn();
    }
    this.t = Math.max(this.t, ms);
  }
}

const CHAIN = '/api/global/delayed_quotes/options/_SPX.json';
const utc = (s: string) => Date.parse(s);
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The model's SPXW chains of `date` (expiries within 10 days) in Cboe's `_SPX.json` layout. */
function syntheticCboePayload(date: IsoDate, publishedUtcMs: number): string {
  const chains = embeddedPorts(marketData()).chains;
  const options: Array<Record<string, unknown>> = [];
  let underlying = 0;
  for (const expiry of chains.expirations(date)) {
    if (Date.parse(expiry) - Date.parse(date) > 10 * 86_400_000) continue;
    const c = chains.chain(date, expiry);
    if (c === undefined || c.root !== 'SPXW') continue;
    underlying = c.underlying;
    const ymd = expiry.slice(2).replaceAll('-', '');
    c.strikes.forEach((k, i) => {
      if (Math.abs(k / c.underlying - 1) > 0.06) return;
      const osi = (r: 'C' | 'P') => `SPXW${ymd}${r}${String(Math.round(k * 1000)).padStart(8, '0')}`;
      const r2 = (v: number) => Math.round(v * 100) / 100;
      if (Number.isFinite(c.callBid[i]!) && Number.isFinite(c.callAsk[i]!))
        options.push({ option: osi('C'), bid: r2(c.callBid[i]!), ask: r2(c.callAsk[i]!), open_interest: 0 });
      if (Number.isFinite(c.putBid[i]!) && Number.isFinite(c.putAsk[i]!))
        options.push({ option: osi('P'), bid: r2(c.putBid[i]!), ask: r2(c.putAsk[i]!), open_interest: 0 });
    });
  }
  return JSON.stringify({
    timestamp: stamp(publishedUtcMs),
    data: { symbol: '_SPX', current_price: Math.round(underlying * 100) / 100, options },
  });
}

describe('serve --schedule end to end: a simulated week with a half day and a holiday', () => {
  let fixtures: FixtureServer;
  let hook: Server;
  let hookUrl: string;
  const received: Array<{
    key: string;
    body: { date: string; preset: string; signal: Record<string, unknown> };
  }> = [];
  beforeAll(async () => {
    fixtures = await startFixtureServer(dailyRoutes());
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        received.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(body) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await fixtures.close();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('updates, snapshots, signals, journals, delivers, settles; the paper trades equal the backtest', async () => {
    expect(session('2019-07-03' as IsoDate).earlyClose).toBe(true);
    const dataDir = join(mkdtempSync(join(tmpdir(), 'vixshield-week-')), 'd');
    const journal = openJournal(join(dataDir, 'journal.sqlite'));
    const clock = new FakeClock(utc('2019-07-01T12:00:00Z'));
    const service = { dataDir, journal, hosts: hostsAt(fixtures.url) };
    const hooks = withPaperBooks(dailyServiceHooks(service), service, ['vixshield']);
    const logs: string[] = [];
    const s = new Scheduler({
      journal,
      webhooks: [hookUrl],
      presets: ['vixshield'],
      clock,
      ...hooks,
      log: (m) => logs.push(m),
    });
    s.start();
    const end = utc('2019-07-06T00:00:00Z');
    const fired: Array<{ date: string; phase: string; atMs: number }> = [];
    for (;;) {
      const ev = s.nextEvent();
      if (ev.atMs > end) break;
      if (ev.phase === 'prepare') fixtures.route(CHAIN, { body: syntheticCboePayload(ev.date, ev.atMs) });
      clock.advanceTo(ev.atMs);
      await s.running;
      await new Promise((r) => setImmediate(r)); // the scheduler re-arms after the run
      fired.push(ev);
    }
    s.stop();

    // Timing: four trading days (the holiday has no step); the half day's entry is the 13:00 ET close
    // + 10 min = 12:10 CT, its snapshot 2 minutes before; regular days 15:08 / 15:10 CT.
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    expect(fired.map((e) => `${e.date} ${e.phase} ${iso(e.atMs)}`)).toEqual([
      '2019-07-01 prepare 2019-07-01T20:08',
      '2019-07-01 entry 2019-07-01T20:10',
      '2019-07-01 after-close 2019-07-01T21:00',
      '2019-07-02 prepare 2019-07-02T20:08',
      '2019-07-02 entry 2019-07-02T20:10',
      '2019-07-02 after-close 2019-07-02T21:00',
      '2019-07-03 prepare 2019-07-03T17:08',
      '2019-07-03 entry 2019-07-03T17:10',
      '2019-07-03 after-close 2019-07-03T18:00',
      '2019-07-05 prepare 2019-07-05T20:08',
      '2019-07-05 entry 2019-07-05T20:10',
      '2019-07-05 after-close 2019-07-05T21:00',
    ]);

    // Each prepare updated the data and stored a snapshot quoted 15 minutes before it was taken.
    const prep = s.reports.filter((r) => r.phase === 'prepare');
    for (const r of prep) {
      expect(r.notes!.some((n) => /^data update/.test(n))).toBe(true);
      expect(r.notes!.find((n) => n.startsWith('chain snapshot'))).toMatch(
        /^chain snapshot cboe: \d+ quotes at /,
      );
    }

    // Signals: priced from the day's snapshot (17 minutes before the entry), journalled, delivered once.
    expect(received.map((r) => r.key)).toEqual([
      '2019-07-01:vixshield',
      '2019-07-02:vixshield',
      '2019-07-03:vixshield',
      '2019-07-05:vixshield',
    ]);
    for (const r of received) {
      expect(r.body.signal.pricesSource).toBe('real');
      expect(r.body.signal.chainSnapshot).toMatchObject({
        provider: 'cboe',
        delaySeconds: 900,
        ageAtEntryMinutes: 17,
      });
      expect(journal.latestSignal(r.body.date, 'vixshield')).toBeTruthy();
      // The entry's session is the live one: SPX and VIX from the snapshot, the rest from the day before.
      const live = r.body.signal.liveSession as {
        lastDailyRow: string;
        spx: { value: number; source: string };
        vix: { value: number };
      };
      const payload = JSON.parse(syntheticCboePayload(r.body.date as IsoDate, 0)) as {
        data: { current_price: number };
      };
      expect(live.lastDailyRow).toBe(previousTradingDay(r.body.date as IsoDate));
      expect(live.spx).toEqual({
        value: payload.data.current_price,
        source: 'Cboe _SPX.json data.current_price',
      });
      expect(r.body.signal.spx).toBe(payload.data.current_price);
      expect((r.body.signal.gate as { vix: number }).vix).toBe(live.vix.value);
    }

    // The paper book: started on the first snapshot day, every day real, stored in the journal.
    const paper = storedPaperRecord(journal, 'vixshield');
    expect(paper.startedOn).toBe('2019-07-01');
    expect(paper.through).toBe('2019-07-05');
    expect(paper.days.map((d) => [d.date, d.prices])).toEqual([
      ['2019-07-01', 'real'],
      ['2019-07-02', 'real'],
      ['2019-07-03', 'real'],
      ['2019-07-05', 'real'],
    ]);
    const orats = paper.fills.find((f) => f.fill === 'orats-like')!;
    const mid = paper.fills.find((f) => f.fill === 'mid')!;
    expect(orats.trades.length).toBeGreaterThan(0);
    // Settled after the next close: the condors opened 07-02 and 07-03 expire 07-03 and 07-05.
    expect(orats.trades.map((t) => [t.openedOn, t.expiry, t.closedOn])).toEqual(
      orats.trades.map((t) => [t.openedOn, t.expiry, t.expiry]),
    );
    // Synthetic chains are the model's, so the model's error for the same strikes is 0 here.
    expect(paper.modelError.entries).toBeGreaterThan(0);
    expect(paper.modelError.meanAbsPts).toBeLessThan(0.01);

    // Parity: `backtest --source real` over the same days gives the same trades and equity.
    for (const [fill, rec] of [
      ['orats-like', orats],
      ['mid', mid],
    ] as const) {
      const recorded = await recordedChainPorts({ from: '2019-07-01', to: '2019-07-05', dataDir });
      const bt = runCliBacktest({
        from: '2019-07-01',
        to: '2019-07-05',
        dataDir,
        fill,
        quiet: true,
        ports: recorded.ports,
        pricesSource: recorded.pricesSource,
      });
      expect(recorded.realDays.map((d) => d.date)).toEqual([
        '2019-07-01',
        '2019-07-02',
        '2019-07-03',
        '2019-07-05',
      ]);
      expect(bt.result.trades).toEqual(rec.trades);
      expect(bt.result.equity.at(-1)!.equity).toBe(rec.finalEquity);
    }

    // GET /api/paper answers the stored record.
    const app = await buildServer({ journal });
    const res = await app.inject({ method: 'GET', url: '/api/paper?preset=vixshield' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { startedOn: string; fills: Array<{ trades: unknown[] }>; books: string[] };
    expect(body.startedOn).toBe('2019-07-01');
    expect(body.books).toEqual(['vixshield']);
    expect(body.fills[1]!.trades).toEqual(JSON.parse(JSON.stringify(orats.trades)));
    await app.close();
    journal.close();
  }, 300_000);

  it('the entry without a snapshot reports the refusal and what to run, never a modelled guess', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'vixshield-nosnap-')), 'd');
    const journal = openJournal(join(dataDir, 'journal.sqlite'));
    const hooks = dailyServiceHooks({ dataDir, journal, hosts: hostsAt(fixtures.url) });
    await expect(hooks.compute('2019-07-02' as IsoDate, 'vixshield')).rejects.toThrow(
      /^signal 2019-07-02: the live session \(built from the day's chain snapshot, not its close\) needs a snapshot, and the data dir has no chain store: run 'vixshield data update' .* and 'vixshield chain snapshot' before the 15:10 CT entry/,
    );
    expect(journal.latestSignal('2019-07-02', 'vixshield')).toBeFalsy();
    journal.close();
  });
});
