import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChain } from '@vixshield/app';
import {
  ChainStore,
  DATA_DIR,
  DATASHOP_LAYOUT,
  EMBEDDED_DATASHOP_FILE,
  sharedChainStoreDirs,
} from '@vixshield/chains';
import { isoDate } from '@vixshield/core';
import { openJournal } from '@vixshield/journal';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/paths';
import {
  type BacktestJobResult,
  buildServer,
  checkBearer,
  type SignalJob,
  type SignalJobResult,
  SignalPool,
  startServer,
} from '../src/index';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };
const fill = {
  id: 'f1',
  instrument: 'condor',
  action: 'open',
  positionId: 'ic-2024-06-03',
  date: '2024-06-03',
  tier: 'conservative',
  expiry: '2024-06-04',
  strikes: { putLong: 5225, putShort: 5230, callShort: 5335, callLong: 5340 },
  quantity: 1,
  price: 0.7,
};

let app: FastifyInstance;
const journalFile = join(mkdtempSync(join(tmpdir(), 'vixshield-server-')), 'journal.sqlite');
const journal = openJournal(journalFile);

beforeAll(async () => {
  app = await buildServer({
    journal,
    token: TOKEN,
    rateLimitPerMinute: 1000,
    webDir: join(tmpdir(), 'no-such-web-build'),
    loadChain: async (a) => {
      if (a.expiry === '2099-01-01') throw new Error('boom with a secret stack');
      return { asOf: a.date, expiry: a.expiry, from: a.source, rows: [] };
    },
  });
});
afterAll(async () => {
  await app.close();
  journal.close();
});

function expectApiError(body: unknown, field: string | null) {
  const b = body as { error: unknown; field: unknown; hint: unknown; stack?: unknown };
  expect(typeof b.error).toBe('string');
  expect(b.field).toBe(field);
  expect(typeof b.hint).toBe('string');
  expect(JSON.stringify(b)).not.toMatch(/\bat .*\.ts:\d+/);
}

describe('HTTP API', () => {
  it('GET /api/health', async () => {
    const r = await app.inject('/api/health');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'ok',
      journal: { migrations: [1, 2, 3] },
      backtests: { queued: 0, running: 0, maxQueued: 8 },
    });
  });

  it('GET /api/signal computes, stores once, and answers the same signal again', async () => {
    const r1 = await app.inject('/api/signal?date=2024-07-22&preset=vixshield&book=none');
    expect(r1.statusCode).toBe(200);
    const b1 = r1.json();
    expect(b1.stored).toBe('inserted');
    expect(b1.signal.date).toBe('2024-07-22');
    expect(b1.signal.tiers.length).toBeGreaterThan(0);
    const r2 = await app.inject('/api/signal?date=2024-07-22&preset=vixshield&book=none');
    expect(r2.json()).toMatchObject({ stored: 'unchanged', revision: 1 });
    expect(r2.json().signal).toEqual(b1.signal);
    expect(journal.signals().filter((s) => s.date === '2024-07-22')).toHaveLength(1);
    // Different inputs for the same key: a new revision, not an overwrite.
    const r3 = await app.inject('/api/signal?date=2024-07-22&preset=vixshield&book=none&equity=250000');
    expect(r3.json()).toMatchObject({ stored: 'revised', revision: 2 });
  });

  it('400 JSON errors name the field and give a hint', async () => {
    const cases: Array<[string, string]> = [
      ['/api/signal?date=2024-13-45', 'date'],
      ['/api/signal?date=June', 'date'],
      ['/api/signal?date=2024-06-08', 'date'], // a Saturday
      ['/api/signal?preset=yolo', 'preset'],
      ['/api/signal?equity=-5', 'equity'],
      ['/api/signal?bogus=1', ''],
      ['/api/edr?date=1980-01-02', 'date'],
      ['/api/calendar?from=2024-01-01', 'to'],
      ['/api/market?from=2026-01-01&to=2025-01-01', 'to'], // an empty answer hid the swapped range
      ['/api/book?preset=vixshield', ''], // the book takes no parameters: an unknown one is refused
      ['/api/chain?date=2024-06-03', 'expiry'],
    ];
    for (const [url, field] of cases) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/json/);
      const b = r.json();
      if (field) expectApiError(b, field);
      else expect(typeof b.hint).toBe('string');
    }
  });

  it('GET /api/edr, /api/calendar, /api/chain', async () => {
    const e = await app.inject('/api/edr?date=2024-06-03');
    expect(e.statusCode).toBe(200);
    expect(e.json().edrPct).toBeGreaterThan(0);
    const c = await app.inject('/api/calendar?from=2024-07-01&to=2024-07-05');
    expect(c.json().map((d: { date: string }) => d.date)).toEqual([
      '2024-07-01',
      '2024-07-02',
      '2024-07-03',
      '2024-07-05',
    ]);
    expect(c.json()[2].earlyClose).toBe(true);
    const ch = await app.inject('/api/chain?date=2024-06-03&expiry=2024-06-04&source=model');
    expect(ch.json()).toMatchObject({ from: 'model', expiry: '2024-06-04' });
  });

  it('an internal error is a JSON 500 without a stack trace', async () => {
    const r = await app.inject('/api/chain?date=2024-06-03&expiry=2099-01-01');
    expect(r.statusCode).toBe(500);
    expectApiError(r.json(), null);
    expect(r.body).not.toContain('boom');
  });

  it('mutating routes need the bearer token (401 JSON otherwise)', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
    ]) {
      const r = await app.inject({ method: 'POST', url: '/api/book', payload: [fill], headers });
      expect(r.statusCode).toBe(401);
      expectApiError(r.json(), 'authorization');
      const b = await app.inject({ method: 'POST', url: '/api/backtests', payload: {}, headers });
      expect(b.statusCode).toBe(401);
    }
    expect(() => checkBearer(`Bearer ${TOKEN}`, TOKEN)).not.toThrow();
  });

  it('POST /api/book records validated fills idempotently; the signal then uses the book', async () => {
    const r1 = await app.inject({ method: 'POST', url: '/api/book', payload: [fill], headers: auth });
    expect(r1.statusCode).toBe(201);
    expect(r1.json()).toMatchObject({ recorded: 1, unchanged: 0 });
    const r2 = await app.inject({
      method: 'POST',
      url: '/api/book',
      payload: { fills: [fill] },
      headers: auth,
    });
    expect(r2.statusCode).toBe(200);
    expect(r2.json()).toMatchObject({ recorded: 0, unchanged: 1 });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/book',
      payload: [{ ...fill, id: 'f2', quantity: 0 }],
      headers: auth,
    });
    expect(bad.statusCode).toBe(400);
    expectApiError(bad.json(), 'fills[0].quantity');
    const changed = await app.inject({
      method: 'POST',
      url: '/api/book',
      payload: [{ ...fill, price: 0.9 }],
      headers: auth,
    });
    expect(changed.statusCode).toBe(409); // a conflict with the stored fill (ADR 0008), no longer a 400
    const book = await app.inject('/api/book');
    expect(book.json().open).toHaveLength(1);
    const s = await app.inject('/api/signal?date=2024-06-03');
    expect(s.statusCode).toBe(200);
  });

  it('GET /api/signal: a fill recorded by another process (another connection) changes the answer', async () => {
    const url = '/api/signal?date=2024-06-04&preset=vixshield';
    const a = (await app.inject(url)).json();
    const b = (await app.inject(url)).json();
    expect(b).toMatchObject({ stored: 'unchanged', revision: a.revision });
    const other = openJournal(journalFile);
    try {
      other.recordFills([{ ...fill, id: 'f-other', positionId: 'ic-other', quantity: 2 }]);
    } finally {
      other.close();
    }
    // Another process's commit is seen within the cache's recheck interval (100 ms).
    await new Promise((res) => setTimeout(res, 150));
    const c = (await app.inject(url)).json();
    expect(c).toMatchObject({ stored: 'revised', revision: a.revision + 1 });
    expect((await app.inject(url)).json()).toMatchObject({ stored: 'unchanged', revision: c.revision });
  });

  it('rejects bodies over the limit with a JSON 413', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/book',
      payload: JSON.stringify([{ ...fill, id: 'x'.repeat(100_000) }]),
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expect(r.statusCode).toBe(413);
    expect(r.json()).toHaveProperty('hint');
  });

  it('POST /api/backtests runs asynchronously; GET returns status, summary and the report', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/backtests',
      payload: { from: 'yesterday' },
      headers: auth,
    });
    expect(bad.statusCode).toBe(400);
    expectApiError(bad.json(), 'from');
    const r = await app.inject({
      method: 'POST',
      url: '/api/backtests',
      payload: { from: '2024-05-01', to: '2024-06-28', preset: 'vixshield' },
      headers: auth,
    });
    expect(r.statusCode).toBe(202);
    const { id } = r.json();
    let job: { status: string; summary?: unknown; report?: unknown } = { status: 'queued' };
    for (let i = 0; i < 600 && (job.status === 'queued' || job.status === 'running'); i++) {
      await new Promise((res) => setTimeout(res, 100));
      job = (await app.inject(`/api/backtests/${id}`)).json();
    }
    expect(job.status).toBe('done');
    expect(job.summary).toBeTruthy();
    expect(job.report).toBeTruthy();
    expect((await app.inject('/api/backtests/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await app.inject('/api/backtests/nope')).statusCode).toBe(400);
  });

  it('GET /api/studies/:name is a clear 404 until studies exist', async () => {
    const r = await app.inject('/api/studies/ttm-recovery');
    expect(r.statusCode).toBe(404);
    expectApiError(r.json(), 'name');
  });

  it('GET /api/explain/:term explains a term with its parameters; unknown terms list close matches', async () => {
    const r = await app.inject('/api/explain/ALVH');
    expect(r.statusCode).toBe(200);
    expect(r.json().params.some((p: { path: string }) => p.path === 'hedge.targetDelta')).toBe(true);
    const u = await app.inject('/api/explain/alhv');
    expect(u.statusCode).toBe(404);
    expect(u.json().hint).toContain('alvh');
  });

  it('serves OpenAPI at /api/docs and explains a missing dashboard build', async () => {
    const d = await app.inject('/api/docs');
    expect(d.json().openapi).toMatch(/^3\./);
    expect(Object.keys(d.json().paths)).toEqual(expect.arrayContaining(['/api/signal', '/api/backtests']));
    const w = await app.inject('/');
    expect(w.statusCode).toBe(503);
    expect(w.body).toContain('npm run build -w apps/web');
    const nf = await app.inject('/api/nothing');
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toHaveProperty('hint');
  });
});

describe('backtest queue', () => {
  it('/api/health answers while a backtest runs on the worker thread', async () => {
    const j = openJournal(':memory:');
    const srv = await buildServer({ journal: j, token: TOKEN, rateLimitPerMinute: 1_000_000 });
    try {
      const r = await srv.inject({
        method: 'POST',
        url: '/api/backtests',
        payload: { from: '2020-01-02' }, // six years to the end of the data: about a second of engine time
        headers: auth,
      });
      expect(r.statusCode).toBe(202);
      const { id } = r.json();
      const status = async () => (await srv.inject(`/api/backtests/${id}`)).json().status as string;
      // Each health check below is answered while the run is still 'running' (checked after it).
      let answeredWhileRunning = 0;
      for (let i = 0; i < 600; i++) {
        const s = await status();
        if (s === 'done' || s === 'failed') break;
        if (s === 'running') {
          const h = await srv.inject('/api/health');
          expect(h.statusCode).toBe(200);
          if ((await status()) === 'running') answeredWhileRunning++;
        }
        await new Promise((res) => setTimeout(res, 20));
      }
      expect(await status()).toBe('done');
      expect(answeredWhileRunning).toBeGreaterThanOrEqual(3);
    } finally {
      await srv.close();
      j.close();
    }
  });

  it('queued -> running -> done in order; a full queue answers 503 JSON; failures keep the error', async () => {
    const release: Array<(r: BacktestJobResult) => void> = [];
    const j = openJournal(':memory:');
    const srv = await buildServer({
      journal: j,
      token: TOKEN,
      backtests: {
        threads: 1,
        maxQueued: 1,
        run: () => new Promise<BacktestJobResult>((res) => release.push(res)),
      },
    });
    try {
      const post = () => srv.inject({ method: 'POST', url: '/api/backtests', payload: {}, headers: auth });
      const get = async (id: string) => (await srv.inject(`/api/backtests/${id}`)).json();
      const a = (await post()).json();
      const b = (await post()).json();
      expect((await get(a.id)).status).toBe('running');
      expect((await get(b.id)).status).toBe('queued');
      const full = await post();
      expect(full.statusCode).toBe(503);
      expectApiError(full.json(), null);
      expect(full.json().error).toMatch(/queue is full/);
      release.shift()!({ ok: true, summary: { trades: 1 }, reportJson: '{"equity":[]}', elapsedMs: 1 });
      await new Promise((res) => setTimeout(res, 10));
      expect(await get(a.id)).toMatchObject({
        status: 'done',
        summary: { trades: 1 },
        report: { equity: [] },
      });
      expect((await get(b.id)).status).toBe('running');
      release.shift()!({ ok: false, error: { error: 'no data', field: 'to', hint: 'import data' } });
      await new Promise((res) => setTimeout(res, 10));
      expect(await get(b.id)).toMatchObject({ status: 'failed', error: { field: 'to' } });
      expect((await post()).statusCode).toBe(202);
      const list = (await srv.inject('/api/backtests')).json() as Array<{ status: string }>;
      expect(list.map((x) => x.status)).toEqual(['running', 'failed', 'done']);
    } finally {
      for (const r of release) r({ ok: false, error: { error: 'closed', field: null, hint: null } });
      await srv.close();
      j.close();
    }
  });

  it('a bad date or fill model is a 400 at POST time, not a failed run', async () => {
    const j = openJournal(':memory:');
    const srv = await buildServer({
      journal: j,
      token: TOKEN,
      backtests: { run: () => new Promise(() => {}) },
    });
    try {
      for (const [payload, field] of [
        [{ from: '2024-06-08' }, 'from'], // a Saturday
        [{ to: '2099-01-02' }, 'to'],
        [{ fill: 'magic' }, 'fill'],
      ] as const) {
        const r = await srv.inject({ method: 'POST', url: '/api/backtests', payload, headers: auth });
        expect(r.statusCode, JSON.stringify(payload)).toBe(400);
        expectApiError(r.json(), field);
      }
    } finally {
      await srv.close();
      j.close();
    }
  });
});

describe('first-time signal computations', () => {
  it('run off the event loop, once for concurrent identical requests; worker errors keep their JSON', async () => {
    let calls = 0;
    const pending: Array<(r: SignalJobResult) => void> = [];
    const pool = new SignalPool({
      run: () => {
        calls++;
        return new Promise<SignalJobResult>((res) => pending.push(res));
      },
    });
    const j = openJournal(':memory:');
    const srv = await buildServer({ journal: j, signalPool: pool });
    try {
      const url = '/api/signal?date=2024-06-05&book=none';
      const a = srv.inject(url);
      const b = srv.inject(url);
      for (let i = 0; i < 500 && calls === 0; i++) await new Promise((res) => setTimeout(res, 10));
      // The computation is pending: the server still answers.
      expect((await srv.inject('/api/health')).statusCode).toBe(200);
      expect(calls).toBe(1);
      pending.shift()!({ ok: true, signal: { date: '2024-06-05', stub: true } });
      const [ra, rb] = await Promise.all([a, b]);
      expect(calls).toBe(1);
      expect([ra.json().stored, rb.json().stored].sort()).toEqual(['inserted', 'unchanged']);
      expect(ra.json().signal).toEqual({ date: '2024-06-05', stub: true });
      expect((await srv.inject(url)).json()).toMatchObject({ stored: 'unchanged', revision: 1 });
      const bad = srv.inject('/api/signal?date=2024-06-06&book=none');
      for (let i = 0; i < 500 && pending.length === 0; i++) await new Promise((res) => setTimeout(res, 10));
      pending.shift()!({ ok: false, status: 400, error: { error: 'no session', field: 'date', hint: 'h' } });
      const rbad = await bad;
      expect(rbad.statusCode).toBe(400);
      expect(rbad.json()).toEqual({ error: 'no session', field: 'date', hint: 'h' });
    } finally {
      await srv.close();
      await pool.close();
      j.close();
    }
  });
});

describe('engine state on the worker path (issue 15 case 9)', () => {
  it('the worker gets the preset state stored before the day and the state after it is stored', async () => {
    const jobs: SignalJob[] = [];
    const next = { gate: { holding: true }, triggeredLayers: 1, chainEntrySpot: { c1: 5300 } };
    const pool = new SignalPool({
      run: async (job) => {
        jobs.push(job);
        return { ok: true, signal: { date: job.date, stub: true }, state: next };
      },
    });
    const j = openJournal(':memory:');
    const before = { gate: { holding: false }, triggeredLayers: 0, chainEntrySpot: {} };
    j.saveEngineState('vixshield', '2024-06-24', before);
    const srv = await buildServer({ journal: j, signalPool: pool });
    try {
      const r = await srv.inject('/api/signal?date=2024-07-22&book=none');
      expect(r.statusCode).toBe(200);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.priorState).toEqual({ date: '2024-06-24', state: before });
      // The next day's signal starts from what this one left.
      expect(j.engineStateBefore('vixshield', '2024-07-23')).toEqual({ date: '2024-07-22', state: next });
    } finally {
      await srv.close();
      await pool.close();
      j.close();
    }
  });
});

describe('GET /api/chain without an injected loader', () => {
  it('answers what the shared use case runChain returns (the CLI prints the same)', async () => {
    const j = openJournal(':memory:');
    const srv = await buildServer({ journal: j });
    try {
      const r = await srv.inject('/api/chain?date=2018-02-05&expiry=2018-02-28');
      expect(r.statusCode).toBe(200);
      const direct = await runChain({
        date: isoDate('2018-02-05'),
        expiry: isoDate('2018-02-28'),
        source: 'real',
        dataDir: join(tmpdir(), 'no-such-vixshield-dir'),
      });
      expect(r.json()).toEqual(JSON.parse(JSON.stringify(direct)));
      expect(r.json().rows).toHaveLength(175);
      const missing = await srv.inject('/api/chain?date=2018-02-05&expiry=2018-02-16');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error).toContain('expiries quoted that day: 2018-02-28');
    } finally {
      await srv.close();
      j.close();
    }
  });
});

describe('GET /api/chain from the chain store (a stored date, shared handle)', () => {
  it('serves the stored chain on every request from one open store, released when the server closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-server-chains-'));
    const store = await ChainStore.open(dir);
    await store.importCsv(join(DATA_DIR, EMBEDDED_DATASHOP_FILE), DATASHOP_LAYOUT);
    store.close();
    const j = openJournal(':memory:');
    const srv = await buildServer({ journal: j, dataDir: dir });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await srv.inject('/api/chain?date=2016-01-04&expiry=2016-01-08');
        expect(r.statusCode).toBe(200);
        expect(r.json()).toMatchObject({ from: 'store', root: 'SPXW', underlying: 2003.82 });
      }
      expect(sharedChainStoreDirs()).toEqual([dir]);
      const missing = await srv.inject('/api/chain?date=2016-01-04&expiry=2016-01-15');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error).toContain('expiries quoted that day: 2016-01-08');
    } finally {
      await srv.close();
      j.close();
    }
    expect(sharedChainStoreDirs()).toEqual([]);
    const again = await ChainStore.open(dir); // the lock is free for an import
    again.close();

    // Another process holding the file (an import): 503 with a hint, then 200 once it lets go.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(join(dir, 'chains.duckdb'))})
           .then((i) => i.connect()).then(() => { process.stdout.write('ready\\n'); setInterval(() => {}, 1000); });`,
      ],
      { cwd: join(REPO_ROOT, 'packages/chains'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const j2 = openJournal(':memory:');
    const srv2 = await buildServer({ journal: j2, dataDir: dir });
    try {
      await new Promise<void>((ok, fail) => {
        holder.stdout!.on('data', (b: Buffer) => b.toString().includes('ready') && ok());
        holder.on('exit', (code) => fail(new Error(`holder exited ${code}`)));
      });
      const busy = await srv2.inject('/api/chain?date=2016-01-04&expiry=2016-01-08');
      expect(busy.statusCode).toBe(503);
      expect(busy.json()).toMatchObject({ field: null, hint: 'retry when the import has finished' });
      expect(busy.json().error).toContain('is open in another process');
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
      const ok = await srv2.inject('/api/chain?date=2016-01-04&expiry=2016-01-08');
      expect(ok.statusCode).toBe(200);
    } finally {
      holder.kill('SIGKILL');
      await srv2.close();
      j2.close();
    }
  });
});

describe('rate limit', () => {
  it('answers 429 JSON past the limit', async () => {
    const j = openJournal(':memory:');
    const small = await buildServer({ journal: j, rateLimitPerMinute: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await small.inject('/api/studies/x')).statusCode);
    expect(codes.slice(0, 3)).toEqual([404, 404, 404]);
    const r = await small.inject('/api/health');
    expect(r.statusCode).toBe(429);
    expect(r.json()).toMatchObject({ field: null });
    expect(r.json().hint).toMatch(/slow down/);
    await small.close();
    j.close();
  });
});

describe('real listen', () => {
  it('startServer listens on a free port and answers over HTTP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-listen-'));
    const { app: live, address } = await startServer({ port: 0, dataDir: dir, token: TOKEN });
    try {
      const h = await fetch(`${address}/api/health`);
      expect(h.status).toBe(200);
      const s = await fetch(`${address}/api/signal?date=2024-06-03`);
      expect(((await s.json()) as { signal: { date: string } }).signal.date).toBe('2024-06-03');
      const p = await fetch(`${address}/api/book`, {
        method: 'POST',
        body: '[]',
        headers: { 'content-type': 'application/json' },
      });
      expect(p.status).toBe(401);
    } finally {
      await live.close();
    }
  });
});
