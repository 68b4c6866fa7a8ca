import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Journal, openJournal } from '@vixshield/journal';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer, dailyServiceHooks, journalBookOfDay, signalFor } from '../src/index';
import { CONDOR_EXPIRING_2024_03_18, TEST_TOKEN } from './support/fills';

/*
 * Settlement at expiry is a step of reading the book (readBookOfDay): every path that serves a signal
 * journals the settlement of an expired position exactly once, whether the signal is computed, found in
 * the journal or served from memory (issue 18).
 */

const TOKEN = TEST_TOKEN;

const condor = CONDOR_EXPIRING_2024_03_18;

const opened: Journal[] = [];
function journalWithFill(): Journal {
  const j = openJournal(join(mkdtempSync(join(tmpdir(), 'vixshield-settle-paths-')), 'journal.sqlite'));
  j.recordFills([condor]);
  opened.push(j);
  return j;
}
afterEach(() => {
  for (const j of opened.splice(0)) j.close();
});

const rows = (j: Journal) =>
  (
    j.db.prepare('SELECT position_id, recorded_for FROM book_settlements').all() as Array<{
      position_id: string;
      recorded_for: string;
    }>
  ).map((r) => [r.position_id, r.recorded_for]);

describe('settlement records on every signal path', () => {
  it('reading the book of a day journals the settlement once; reading it again writes nothing', () => {
    const j = journalWithFill();
    const day = journalBookOfDay(j, '2024-03-21' as never, 'journal');
    expect(day.book.condors).toEqual([]);
    expect(day.bookSettlement?.settled.map((s) => s.positionId)).toEqual(['ic-318']);
    expect(rows(j)).toEqual([['ic-318', '2024-03-21']]);
    const writes = j.localWriteCount;
    journalBookOfDay(j, '2024-03-21' as never, 'journal');
    journalBookOfDay(j, '2024-03-22' as never, 'journal');
    expect(rows(j)).toEqual([['ic-318', '2024-03-21']]);
    expect(j.localWriteCount).toBe(writes);
    // book 'none' reads nothing and journals nothing.
    const k = journalWithFill();
    journalBookOfDay(k, '2024-03-21' as never, 'none');
    expect(rows(k)).toEqual([]);
  });

  it('signalFor (the synchronous path): computed, then found stored: one settlement row', () => {
    const j = journalWithFill();
    const a = signalFor(j, { date: '2024-03-21' });
    expect(a.stored).toBe('inserted');
    expect(rows(j)).toEqual([['ic-318', '2024-03-21']]);
    const b = signalFor(j, { date: '2024-03-21' });
    expect(b.stored).toBe('unchanged');
    expect((b.signal as { bookSettlement: { settled: unknown[] } }).bookSettlement.settled).toHaveLength(1);
    expect(rows(j)).toEqual([['ic-318', '2024-03-21']]);
  });

  it('a signal already stored in the journal (cache) still journals the settlement it lists', () => {
    // Journal A computes the signal (and the settlement); journal B has the same fill and that stored
    // signal but no settlement row (e.g. written by a version that did not journal settlements).
    const a = journalWithFill();
    signalFor(a, { date: '2024-03-21' });
    const stored = a.latestSignal('2024-03-21', 'vixshield')!;
    const b = journalWithFill();
    b.storeSignal('2024-03-21', 'vixshield', stored.inputs, stored.signal);
    expect(rows(b)).toEqual([]);
    const r = signalFor(b, { date: '2024-03-21' });
    expect(r).toMatchObject({ stored: 'unchanged', revision: 1 });
    expect(rows(b)).toEqual([['ic-318', '2024-03-21']]);
  });

  it('GET /api/signal: worker pool on a miss, the stored row, then the memory cache: one row', async () => {
    const a = journalWithFill();
    signalFor(a, { date: '2024-03-21' });
    const stored = a.latestSignal('2024-03-21', 'vixshield')!;
    // The server's journal holds the stored signal but not its settlement.
    const j = journalWithFill();
    j.storeSignal('2024-03-21', 'vixshield', stored.inputs, stored.signal);
    const app = await buildServer({
      journal: j,
      token: TOKEN,
      rateLimitPerMinute: 1000,
      webDir: join(tmpdir(), 'no-such-web-build'),
    });
    try {
      const first = await app.inject('/api/signal?date=2024-03-21');
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ stored: 'unchanged', revision: 1 });
      expect(rows(j)).toEqual([['ic-318', '2024-03-21']]);
      // Served from memory now; another day is computed on the worker thread.
      const again = await app.inject('/api/signal?date=2024-03-21');
      expect(again.json().signal.bookSettlement.settled[0].positionId).toBe('ic-318');
      const later = await app.inject('/api/signal?date=2024-03-20');
      expect(later.statusCode).toBe(200);
      expect(later.json().stored).toBe('inserted');
      expect(later.json().signal.bookSettlement.settled[0].positionId).toBe('ic-318');
      expect(rows(j)).toEqual([['ic-318', '2024-03-21']]);
    } finally {
      await app.close();
    }
  });

  it('GET /api/signal on a fresh journal: the worker-pool path journals it', async () => {
    const j = journalWithFill();
    const app = await buildServer({
      journal: j,
      token: TOKEN,
      rateLimitPerMinute: 1000,
      webDir: join(tmpdir(), 'no-such-web-build'),
    });
    try {
      const r = await app.inject('/api/signal?date=2024-03-19');
      expect(r.json()).toMatchObject({ stored: 'inserted' });
      expect(rows(j)).toEqual([['ic-318', '2024-03-19']]);
      const none = await app.inject('/api/signal?date=2024-03-19&book=none');
      expect(none.json().signal.bookSettlement).toBeUndefined();
      expect(rows(j)).toEqual([['ic-318', '2024-03-19']]);
    } finally {
      await app.close();
    }
  });

  it("the scheduler's compute (daily service, book 'journal') journals it once", async () => {
    const j = journalWithFill();
    const hooks = dailyServiceHooks({
      dataDir: mkdtempSync(join(tmpdir(), 'vixshield-settle-svc-')),
      journal: j,
      book: 'journal',
      session: 'auto',
    });
    const s = (await hooks.compute('2024-03-21' as never, 'vixshield')) as {
      bookSettlement?: { settled: Array<{ positionId: string }> };
    };
    expect(s.bookSettlement?.settled.map((p) => p.positionId)).toEqual(['ic-318']);
    expect(rows(j)).toEqual([['ic-318', '2024-03-21']]);
    await hooks.compute('2024-03-21' as never, 'seed');
    expect(rows(j)).toEqual([['ic-318', '2024-03-21']]);
    expect(j.latestSignal('2024-03-21', 'vixshield')).toBeDefined();
  });
});
