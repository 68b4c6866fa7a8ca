import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKTEST_JOBS_FILE, openBacktestJobStore, openJournal } from '@vixshield/journal';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  type BacktestJobResult,
  type BacktestRequest,
  buildServer,
  INTERRUPTED,
  type ServerOptions,
} from '../src/index';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };
const newDataDir = () => mkdtempSync(join(tmpdir(), 'vixshield-jobs-'));

interface Server {
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** The app on `dataDir`, as a restarted server would build it (its own journal connection). */
async function server(dataDir: string, backtests?: ServerOptions['backtests']): Promise<Server> {
  const journal = openJournal(':memory:');
  try {
    const app = await buildServer({
      journal,
      dataDir,
      token: TOKEN,
      rateLimitPerMinute: 1_000_000,
      ...(backtests ? { backtests } : {}),
    });
    return {
      app,
      close: async () => {
        await app.close();
        journal.close();
      },
    };
  } catch (err) {
    journal.close();
    throw err;
  }
}

/** Answers at once: a run with equity 1 fails, any other is done with a report naming its request. */
async function instantRun(job: { request: BacktestRequest }): Promise<BacktestJobResult> {
  if (job.request.equity === 1)
    return { ok: false, error: { error: 'equity too small', field: 'equity', hint: 'raise it' } };
  return {
    ok: true,
    summary: { trades: 2, preset: job.request.preset ?? null },
    reportJson: JSON.stringify({ request: job.request, equity: [{ date: '2024-06-03', equity: 100000 }] }),
    elapsedMs: 12.5,
  };
}

async function post(app: FastifyInstance, payload: object): Promise<string> {
  const r = await app.inject({ method: 'POST', url: '/api/backtests', payload, headers: auth });
  expect(r.statusCode, r.body).toBe(202);
  return (r.json() as { id: string }).id;
}

/** Polls GET /api/backtests/:id until the run is done or failed; returns the response. */
async function finished(app: FastifyInstance, id: string) {
  for (let i = 0; i < 500; i++) {
    const r = await app.inject(`/api/backtests/${id}`);
    const status = (r.json() as { status: string }).status;
    if (status === 'done' || status === 'failed') return r;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`run ${id} did not finish`);
}

describe('backtest jobs across restarts', () => {
  it('a finished run survives a restart: the new app on the same data dir answers the same record and report', async () => {
    const dir = newDataDir();
    const first = await server(dir, { run: instantRun });
    let done: string;
    let failed: string;
    let doneBody: string;
    let failedBody: string;
    let list: unknown;
    try {
      done = await post(first.app, { preset: 'vixshield', equity: 150000 });
      doneBody = (await finished(first.app, done)).body;
      failed = await post(first.app, { equity: 1 });
      failedBody = (await finished(first.app, failed)).body;
      list = (await first.app.inject('/api/backtests')).json();
    } finally {
      await first.close();
    }
    expect(existsSync(join(dir, BACKTEST_JOBS_FILE))).toBe(true);
    expect(JSON.parse(doneBody)).toMatchObject({
      status: 'done',
      request: { preset: 'vixshield', equity: 150000 },
      elapsedMs: 12.5,
      summary: { trades: 2, preset: 'vixshield' },
      report: { request: { preset: 'vixshield', equity: 150000 }, equity: [{ equity: 100000 }] },
    });

    // No runner injected: the restarted app must not need one to answer for the old runs.
    const second = await server(dir);
    try {
      const d = await second.app.inject(`/api/backtests/${done}`);
      expect(d.statusCode).toBe(200);
      expect(d.body).toBe(doneBody);
      const f = await second.app.inject(`/api/backtests/${failed}`);
      expect(f.body).toBe(failedBody);
      expect(f.json()).toMatchObject({
        status: 'failed',
        error: { error: 'equity too small', field: 'equity' },
      });
      expect((await second.app.inject('/api/backtests')).json()).toEqual(list);
      expect((list as Array<{ id: string }>).map((j) => j.id)).toEqual([failed, done]);
    } finally {
      await second.close();
    }
  });

  it('one server per data dir: a second one is refused while the first runs, and starts once it stopped', async () => {
    const dir = newDataDir();
    const first = await server(dir, { run: instantRun });
    try {
      await expect(server(dir, { run: instantRun })).rejects.toThrow(
        /is used by another vixshield serve \(one server per data directory/,
      );
      // The refused start changed nothing: the first server still answers and stores runs.
      const post = await first.app.inject({
        method: 'POST',
        url: '/api/backtests',
        headers: auth,
        payload: {},
      });
      expect(post.statusCode).toBe(202);
    } finally {
      await first.close();
    }
    const next = await server(dir, { run: instantRun });
    await next.close();
  });

  it('runs in flight when the server is killed (kill -9) come back failed with the message, never re-run', async () => {
    const dir = newDataDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./backtest-crash.child.ts', import.meta.url)), dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const ids = await new Promise<{ running: string; queued: string }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no ids from the child: ${out}`)), 60_000);
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`child exited ${code} before the kill: ${out}`)));
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n') && line) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as { running: string; queued: string });
        }
      });
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    expect(child.signalCode).toBe('SIGKILL');

    let runs = 0;
    const restarted = await server(dir, {
      run: (job) => {
        runs++;
        return instantRun(job);
      },
    });
    try {
      const r = (await restarted.app.inject(`/api/backtests/${ids.running}`)).json();
      expect(r).toMatchObject({
        status: 'failed',
        request: { preset: 'vixshield', equity: 250000 },
        error: INTERRUPTED.running,
      });
      expect(r.error.error).toBe('the server stopped during the run (found unfinished at the next start)');
      expect(r.error.hint).toMatch(/^start it again/);
      expect(typeof r.startedAt).toBe('string');
      expect(typeof r.finishedAt).toBe('string');
      const q = (await restarted.app.inject(`/api/backtests/${ids.queued}`)).json();
      expect(q).toMatchObject({
        status: 'failed',
        request: { from: '2024-06-03' },
        error: INTERRUPTED.queued,
      });
      expect(q.error.error).toMatch(/^the server stopped before the run started/);
      expect(q.startedAt).toBeUndefined();
      const list = (await restarted.app.inject('/api/backtests')).json() as Array<{
        id: string;
        status: string;
      }>;
      expect(list.map((j) => [j.id, j.status])).toEqual([
        [ids.queued, 'failed'],
        [ids.running, 'failed'],
      ]);
      expect((await restarted.app.inject('/api/health')).json().backtests).toMatchObject({
        queued: 0,
        running: 0,
      });
      await new Promise((res) => setTimeout(res, 50));
      expect(runs).toBe(0); // nothing was re-run behind the user's back
      // The queue works as before: a new run goes through.
      const fresh = await post(restarted.app, {});
      expect((await finished(restarted.app, fresh)).json().status).toBe('done');
      expect(runs).toBe(1);
    } finally {
      await restarted.close();
    }
  });

  it('a clean close settles its unfinished runs as shut down, and the next start keeps them so', async () => {
    const dir = newDataDir();
    const first = await server(dir, { threads: 1, run: () => new Promise(() => {}) });
    const running = await post(first.app, {});
    const queued = await post(first.app, {});
    expect((await first.app.inject(`/api/backtests/${running}`)).json().status).toBe('running');
    await first.close();
    const second = await server(dir);
    try {
      expect((await second.app.inject(`/api/backtests/${running}`)).json()).toMatchObject({
        status: 'failed',
        error: { error: 'the server shut down during the run' },
      });
      expect((await second.app.inject(`/api/backtests/${queued}`)).json()).toMatchObject({
        status: 'failed',
        error: { error: 'the server shut down before the run started' },
      });
    } finally {
      await second.close();
    }
  });

  it('retention keeps the newest keepFinished runs, reports included, in the store and the listing', async () => {
    const dir = newDataDir();
    const file = join(dir, BACKTEST_JOBS_FILE);
    const first = await server(dir, { keepFinished: 3, run: instantRun });
    const ids: string[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const id = await post(first.app, { equity: 1000 + i });
        await finished(first.app, id);
        ids.push(id);
      }
      const list = (await first.app.inject('/api/backtests')).json() as Array<{ id: string }>;
      expect(list.map((j) => j.id)).toEqual([ids[4], ids[3], ids[2]]);
      expect((await first.app.inject(`/api/backtests/${ids[0]}`)).statusCode).toBe(404);
      expect((await first.app.inject(`/api/backtests/${ids[1]}`)).statusCode).toBe(404);
      expect((await first.app.inject(`/api/backtests/${ids[2]}`)).json().report.request.equity).toBe(1002);
      // The store itself dropped them (another connection reads it, as an operator would).
      const store = openBacktestJobStore(file);
      try {
        expect(store.count()).toBe(3);
        expect(store.results(ids[0]!)).toBeUndefined();
      } finally {
        store.close();
      }
    } finally {
      await first.close();
    }
    // A smaller bound at the next start prunes at once.
    const second = await server(dir, { keepFinished: 2 });
    try {
      const list = (await second.app.inject('/api/backtests')).json() as Array<{ id: string }>;
      expect(list.map((j) => j.id)).toEqual([ids[4], ids[3]]);
    } finally {
      await second.close();
    }
    const store = openBacktestJobStore(file);
    expect(store.count()).toBe(2);
    store.close();
  });

  it('a damaged stored row: GET answers a 500 naming table, id and column; a damaged request stops the start', async () => {
    const dir = newDataDir();
    const file = join(dir, BACKTEST_JOBS_FILE);
    const first = await server(dir, { run: instantRun });
    let a: string;
    let b: string;
    try {
      a = await post(first.app, { preset: 'vixshield' });
      await finished(first.app, a);
      b = await post(first.app, { preset: 'seed' });
      await finished(first.app, b);
    } finally {
      await first.close();
    }
    const damage = (sql: string, ...params: unknown[]) => {
      const store = openBacktestJobStore(file);
      try {
        store.db.prepare(sql).run(...params);
      } finally {
        store.close();
      }
    };

    damage('UPDATE backtest_jobs SET report_json = \'{"request":{\' WHERE id = ?', a);
    const second = await server(dir);
    try {
      const r = await second.app.inject(`/api/backtests/${a}`);
      expect(r.statusCode).toBe(500);
      const body = r.json() as { error: string; field: unknown; hint: string };
      expect(body.error).toBe(
        `stored data is damaged: backtests.sqlite, table backtest_jobs, id ${a}, column report_json: is not valid JSON text`,
      );
      expect(body.hint).toContain(`DELETE FROM backtest_jobs WHERE id = '${a}'`);
      expect(r.body).not.toContain(dir); // the server's paths stay on the server
      // The other run and the listing still answer.
      expect((await second.app.inject(`/api/backtests/${b}`)).json().report.request.preset).toBe('seed');
      expect((await second.app.inject('/api/backtests')).json()).toHaveLength(2);
    } finally {
      await second.close();
    }

    damage('UPDATE backtest_jobs SET request_json = \'{"preset":\' WHERE id = ?', b);
    await expect(server(dir)).rejects.toThrow(
      `${file}: table backtest_jobs, id ${b}, column request_json: is not valid JSON (`,
    );
    // Valid JSON that is not a POST body the server would take is refused the same way.
    damage('UPDATE backtest_jobs SET request_json = ? WHERE id = ?', '{"equity":-5}', b);
    await expect(server(dir)).rejects.toThrow(
      `${file}: table backtest_jobs, id ${b}, column request_json: is not a backtest request (`,
    );
  });
});
