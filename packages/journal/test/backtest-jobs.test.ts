import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKTEST_JOBS_FILE, type BacktestJobStore, openBacktestJobStore } from '../src/backtest-jobs';
import { StoredRowError } from '../src/errors';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'vixshield-jobs-')), BACKTEST_JOBS_FILE);
const T0 = '2026-01-05T15:00:00.000Z';
const T1 = '2026-01-05T15:00:01.000Z';
const T2 = '2026-01-05T15:00:03.000Z';

/** Inserts a job and takes it through running to done, with a report naming the job. */
function doneJob(s: BacktestJobStore, id: string): void {
  s.insertQueued({ id, request: { preset: 'vixshield' }, createdAt: T0 });
  s.markRunning(id, T1);
  s.finish(id, {
    status: 'done',
    finishedAt: T2,
    elapsedMs: 812.5,
    summaryJson: '{"trades":3}',
    reportJson: `{"id":"${id}","equity":[{"date":"2024-06-03","equity":100000}]}`,
  });
}

/** The StoredRowError `f` throws (fails the test when it throws anything else or nothing). */
function storedRowError(f: () => unknown): StoredRowError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(StoredRowError);
    return err as StoredRowError;
  }
  throw new Error('expected a StoredRowError');
}

describe('backtest job store', () => {
  it('keeps every step of a job across a reopen: metadata, summary and report text as written', () => {
    const p = tmp();
    const s = openBacktestJobStore(p);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.migrations()).toEqual([1]);
    doneJob(s, 'a');
    s.insertQueued({ id: 'b', request: { from: '2024-01-02' }, createdAt: T1 });
    s.markRunning('b', T2);
    s.finish('b', {
      status: 'failed',
      finishedAt: T2,
      error: { error: 'no data', field: 'to', hint: 'import data' },
    });
    s.close();

    const r = openBacktestJobStore(p);
    expect(r.migrations()).toEqual([1]);
    expect(r.list()).toEqual([
      {
        id: 'a',
        status: 'done',
        request: { preset: 'vixshield' },
        createdAt: T0,
        startedAt: T1,
        finishedAt: T2,
        elapsedMs: 812.5,
      },
      {
        id: 'b',
        status: 'failed',
        request: { from: '2024-01-02' },
        createdAt: T1,
        startedAt: T2,
        finishedAt: T2,
        error: { error: 'no data', field: 'to', hint: 'import data' },
      },
    ]);
    expect(r.results('a')).toEqual({
      summaryJson: '{"trades":3}',
      reportJson: '{"id":"a","equity":[{"date":"2024-06-03","equity":100000}]}',
    });
    expect(r.results('b')).toEqual({ summaryJson: null, reportJson: null });
    expect(r.results('nope')).toBeUndefined();
    expect(r.get('a')?.status).toBe('done');
    r.close();
  });

  it('failUnfinished turns queued and running rows into failed ones, with the error for each', () => {
    const s = openBacktestJobStore(tmp());
    doneJob(s, 'done');
    s.insertQueued({ id: 'running', request: {}, createdAt: T0 });
    s.markRunning('running', T1);
    s.insertQueued({ id: 'queued', request: {}, createdAt: T1 });
    const ids = s.failUnfinished(T2, (status) => ({ error: `was ${status}`, field: null, hint: 'again' }));
    expect(ids).toEqual(['running', 'queued']);
    const byId = new Map(s.list().map((j) => [j.id, j]));
    expect(byId.get('running')).toMatchObject({
      status: 'failed',
      startedAt: T1,
      finishedAt: T2,
      error: { error: 'was running' },
    });
    expect(byId.get('queued')).toMatchObject({
      status: 'failed',
      finishedAt: T2,
      error: { error: 'was queued' },
    });
    expect(byId.get('queued')?.startedAt).toBeUndefined();
    expect(byId.get('done')?.status).toBe('done');
    // Nothing left to fail.
    expect(s.failUnfinished(T2, () => ({ error: 'x', field: null, hint: null }))).toEqual([]);
    s.close();
  });

  it('prune keeps the newest N finished jobs (reports included) and never an unfinished one', () => {
    const s = openBacktestJobStore(tmp());
    for (const id of ['j1', 'j2', 'j3']) doneJob(s, id);
    s.insertQueued({ id: 'waiting', request: {}, createdAt: T0 });
    for (const id of ['j4', 'j5']) doneJob(s, id);
    expect(s.prune(2)).toEqual(['j1', 'j2', 'j3']);
    expect(s.list().map((j) => j.id)).toEqual(['waiting', 'j4', 'j5']);
    expect(s.results('j1')).toBeUndefined();
    expect(s.results('j5')?.reportJson).toContain('"j5"');
    expect(s.prune(2)).toEqual([]);
    expect(s.prune(0)).toEqual(['j4', 'j5']);
    expect(s.count()).toBe(1);
    s.close();
  });

  it('a damaged row is a StoredRowError naming the file, the table, the id and the column', () => {
    const p = tmp();
    const s = openBacktestJobStore(p);
    doneJob(s, 'good');
    doneJob(s, 'bad-report');
    // Damaged by hand (or on disk): the report is cut short.
    s.db.prepare("UPDATE backtest_jobs SET report_json = '{\"equity\":[' WHERE id = 'bad-report'").run();
    const report = storedRowError(() => s.results('bad-report'));
    expect(report).toMatchObject({
      table: 'backtest_jobs',
      id: 'bad-report',
      column: 'report_json',
      file: p,
    });
    expect(report.message).toContain(`${p}: table backtest_jobs, id bad-report, column report_json`);
    expect(report.message).toContain("DELETE FROM backtest_jobs WHERE id = 'bad-report'");
    // The metadata of every row is still readable; so is the good row's report.
    expect(s.list()).toHaveLength(2);
    expect(s.results('good')?.reportJson).toContain('"good"');

    s.db.prepare("UPDATE backtest_jobs SET request_json = '{\"preset\":' WHERE id = 'good'").run();
    const request = storedRowError(() => s.list());
    expect(request).toMatchObject({ id: 'good', column: 'request_json' });
    expect(request.message).toMatch(/column request_json: is not valid JSON \(/);

    s.db.prepare("UPDATE backtest_jobs SET request_json = '{}', error_json = '[1]' WHERE id = 'good'").run();
    expect(storedRowError(() => s.list())).toMatchObject({ id: 'good', column: 'error_json' });

    s.db
      .prepare("UPDATE backtest_jobs SET error_json = NULL, created_at = 'yesterday' WHERE id = 'good'")
      .run();
    expect(storedRowError(() => s.list())).toMatchObject({ id: 'good', column: 'created_at' });

    // The CHECK constraint keeps statuses valid; with checks off the read still catches one.
    s.db.pragma('ignore_check_constraints = ON');
    s.db.prepare("UPDATE backtest_jobs SET created_at = ?, status = 'paused' WHERE id = 'good'").run(T0);
    expect(storedRowError(() => s.list())).toMatchObject({ id: 'good', column: 'status' });
    s.close();
  });

  it('parseRequest checks stored requests; what it throws names the column request_json', () => {
    const p = tmp();
    const s = openBacktestJobStore(p);
    doneJob(s, 'x');
    s.close();
    const strict = openBacktestJobStore<{ from: string }>(p, {
      parseRequest: (v) => {
        const from = (v as { from?: unknown }).from;
        if (typeof from !== 'string') throw new Error('from: required');
        return { from };
      },
    });
    const e = storedRowError(() => strict.list());
    expect(e).toMatchObject({ id: 'x', column: 'request_json' });
    expect(e.message).toContain('is not a backtest request (from: required)');
    strict.close();
  });

  it('an update of a job that is not stored throws instead of passing silently', () => {
    const s = openBacktestJobStore(':memory:');
    expect(() => s.markRunning('ghost', T1)).toThrow(/backtest_jobs has no job ghost/);
    expect(() => s.finish('ghost', { status: 'failed', finishedAt: T2 })).toThrow(/no job ghost/);
    s.close();
  });
});
