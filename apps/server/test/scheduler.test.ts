import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IsoDate } from '@vixshield/core';
import { openJournal } from '@vixshield/journal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextRun, runInstantUtcMs, Scheduler, type SchedulerClock, signalFor } from '../src/index';

/** A fake clock: timers fire only when the test advances time; sleeps are recorded and advance it. */
class FakeClock implements SchedulerClock {
  private timers: Array<{ atMs: number; fn: () => void }> = [];
  readonly sleeps: number[] = [];
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
    this.sleeps.push(ms);
    this.t += ms;
  }
  /** Moves time to `ms`, firing due timers in order. */
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

const utc = (s: string) => Date.parse(s);

describe('scheduler timing', () => {
  it('runs at 15:10 CT on a regular day (CDT and CST)', () => {
    expect(new Date(runInstantUtcMs('2024-07-02' as IsoDate)).toISOString()).toBe('2024-07-02T20:10:00.000Z');
    expect(new Date(runInstantUtcMs('2024-01-09' as IsoDate)).toISOString()).toBe('2024-01-09T21:10:00.000Z');
    expect(new Date(runInstantUtcMs('2024-07-02' as IsoDate, '14:45')).toISOString()).toBe(
      '2024-07-02T19:45:00.000Z',
    );
  });

  it('runs at the early close + 10 min (12:10 CT) on an early-close day', () => {
    expect(new Date(runInstantUtcMs('2024-07-03' as IsoDate)).toISOString()).toBe('2024-07-03T17:10:00.000Z');
    expect(new Date(runInstantUtcMs('2024-11-29' as IsoDate)).toISOString()).toBe('2024-11-29T18:10:00.000Z');
  });

  it('skips holidays and weekends', () => {
    // After the 2024-07-03 run: 07-04 is a holiday, so the next run is Friday 07-05.
    expect(nextRun(utc('2024-07-03T17:11:00Z')).date).toBe('2024-07-05');
    // Friday after the run -> Monday.
    expect(nextRun(utc('2024-07-05T21:00:00Z')).date).toBe('2024-07-08');
    // Before today's run: today.
    expect(nextRun(utc('2024-07-08T15:00:00Z'))).toEqual({
      date: '2024-07-08',
      atMs: utc('2024-07-08T20:10:00Z'),
    });
    // Late on a Saturday in UTC that is still Saturday in Chicago.
    expect(nextRun(utc('2024-07-06T23:00:00Z')).date).toBe('2024-07-08');
  });
});

describe('scheduler delivery', () => {
  let server: Server;
  let url: string;
  const received: Array<{
    key: string | undefined;
    body: { date: string; preset: string; signal: unknown };
  }> = [];
  let failNext = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        received.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(data) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('computes, stores and POSTs on each trading day, retries with backoff, never duplicates', async () => {
    const journal = openJournal(':memory:');
    const clock = new FakeClock(utc('2024-07-02T12:00:00Z'));
    const s = new Scheduler({
      journal,
      webhooks: [url],
      presets: ['vixshield'],
      clock,
      retryBaseMs: 1000,
      maxAttempts: 4,
      compute: (date, preset) => signalFor(journal, { date, preset, book: 'none' }).signal,
    });
    s.start();
    expect(s.next.date).toBe('2024-07-02');

    failNext = 2; // the receiver is down for the first two attempts
    clock.advanceTo(utc('2024-07-02T20:10:00Z'));
    const r1 = await s.running!;
    expect(r1.results[0]!.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(received).toHaveLength(1);
    expect(received[0]!.key).toBe('2024-07-02:vixshield');
    expect(received[0]!.body.date).toBe('2024-07-02');
    expect(journal.latestSignal('2024-07-02', 'vixshield')).toBeTruthy();
    expect(journal.delivery('2024-07-02', 'vixshield', url)).toMatchObject({
      status: 'delivered',
      attempts: 3,
    });

    // Re-running the same day (e.g. a restart) delivers nothing twice.
    const again = await s.runDay('2024-07-02' as IsoDate);
    expect(again.results[0]!.deliveries[0]!.status).toBe('skipped');
    expect(received).toHaveLength(1);

    // The early-close day 2024-07-03 runs at 12:10 CT; the holiday 07-04 is skipped.
    await new Promise((r) => setImmediate(r));
    expect(new Date(s.next.atMs).toISOString()).toBe('2024-07-03T17:10:00.000Z');
    clock.advanceTo(utc('2024-07-03T17:10:00Z'));
    await s.running;
    expect(received.map((r) => r.body.date)).toEqual(['2024-07-02', '2024-07-03']);
    await new Promise((r) => setImmediate(r));
    expect(s.next.date).toBe('2024-07-05');
    s.stop();
    journal.close();
  });

  it('gives up after maxAttempts and records the failure; a day without data is reported, not thrown', async () => {
    const journal = openJournal(':memory:');
    const clock = new FakeClock(utc('2024-07-02T12:00:00Z'));
    const s = new Scheduler({
      journal,
      webhooks: ['http://127.0.0.1:9/unreachable'],
      clock,
      retryBaseMs: 10,
      maxAttempts: 3,
      compute: (date) => {
        if (date === '2030-01-02') throw new Error('no data');
        return { date };
      },
    });
    const r = await s.runDay('2024-07-02' as IsoDate);
    expect(r.results[0]!.deliveries[0]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(clock.sleeps).toEqual([10, 20]);
    expect(journal.delivery('2024-07-02', 'vixshield', 'http://127.0.0.1:9/unreachable')).toMatchObject({
      status: 'failed',
      attempts: 3,
    });
    const none = await s.runDay('2030-01-02' as IsoDate);
    expect(none.results[0]).toMatchObject({ stored: false, error: 'no data' });
    journal.close();
  });
});
