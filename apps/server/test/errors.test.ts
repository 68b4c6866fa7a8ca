import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, UnavailableError } from '@vixshield/core';
import { openJournal } from '@vixshield/journal';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, HTTP_STATUS_OF_KIND } from '../src/index';

// One error shape for every error the API answers (docs/decisions/0008-errors.md).
function expectErrorShape(body: unknown): { error: string; field: string | null; hint: string } {
  const b = body as Record<string, unknown>;
  expect(Object.keys(b).sort()).toEqual(['error', 'field', 'hint']);
  expect(typeof b.error).toBe('string');
  expect(typeof b.hint).toBe('string');
  expect(JSON.stringify(b)).not.toMatch(/\bat .*\.[jt]s:\d+|node:internal|\n\s+at /);
  return b as { error: string; field: string | null; hint: string };
}

const TOKEN = 'test-token-0123456789abcdef';
const journal = openJournal(':memory:');
const webDir = mkdtempSync(join(tmpdir(), 'vixshield-web-'));
let app: FastifyInstance;

beforeAll(async () => {
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>VixShield</title>');
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, 'assets', 'app.js'), 'console.log(1)');
  app = await buildServer({
    journal,
    token: TOKEN,
    rateLimitPerMinute: 1000,
    webDir,
    loadChain: async (a) => {
      if (a.expiry === '2099-01-01') {
        const err = new TypeError("Cannot read properties of undefined (reading 'rows')");
        err.stack = `${err.message}\n    at loadChain (/srv/vixshield/secret.ts:12:3)`;
        throw err;
      }
      if (a.expiry === '2099-01-02')
        throw new UnavailableError(
          'the chain store is open in another process',
          'dataDir',
          'use another --data-dir',
          {
            serviceHint: 'retry when the import has finished',
          },
        );
      if (a.expiry === '2099-01-03')
        throw new NotFoundError(
          'no chain for {date} 2024-06-03 {expiry} 2099-01-03',
          'expiry',
          'ask for a quoted expiry',
          {
            fieldRefs: true,
            hintInMessage: true,
          },
        );
      return { rows: [] };
    },
  });
});
afterAll(async () => {
  await app.close();
  journal.close();
});

describe('API errors: one shape, one status per kind', () => {
  it('the kind table: invalid 400, not found 404, conflict 409, unavailable 503, damaged 500', () => {
    expect(HTTP_STATUS_OF_KIND).toEqual({
      invalid: 400,
      'not-found': 404,
      conflict: 409,
      unavailable: 503,
      damaged: 500,
    });
  });

  it('an unexpected exception is a 500 with the shape and no stack trace, message or path', async () => {
    const r = await app.inject('/api/chain?date=2024-06-03&expiry=2099-01-01');
    expect(r.statusCode).toBe(500);
    expect(expectErrorShape(r.json())).toEqual({
      error: 'internal error',
      field: null,
      hint: 'this is a bug; the server log has the details',
    });
    expect(r.body).not.toContain('secret');
    expect(r.body).not.toContain('reading');
  });

  it('an environment error is a 503 with the message and the fix a client can apply', async () => {
    const r = await app.inject('/api/chain?date=2024-06-03&expiry=2099-01-02');
    expect(r.statusCode).toBe(503);
    expect(expectErrorShape(r.json())).toEqual({
      error: 'the chain store is open in another process',
      field: null,
      hint: 'retry when the import has finished',
    });
  });

  it('a missing thing is a 404 naming the API fields (query names), never CLI options', async () => {
    const r = await app.inject('/api/chain?date=2024-06-03&expiry=2099-01-03');
    expect(r.statusCode).toBe(404);
    const b = expectErrorShape(r.json());
    expect(b).toMatchObject({ error: 'no chain for date 2024-06-03 expiry 2099-01-03', field: 'expiry' });
    for (const url of [
      '/api/signal?date=2024-06-08',
      '/api/signal?date=2099-01-02',
      '/api/signal?preset=yolo',
      '/api/edr?date=1980-01-02',
    ]) {
      const e = await app.inject(url);
      expect(e.statusCode, url).toBe(400);
      expect(expectErrorShape(e.json()).error, url).not.toMatch(/--[a-z]/);
    }
    const bt = await app.inject({
      method: 'POST',
      url: '/api/backtests',
      payload: { fill: 'magic' },
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bt.statusCode).toBe(400);
    expect(expectErrorShape(bt.json())).toMatchObject({ field: 'fill' });
    expect(bt.json().error).toMatch(/^fill 'magic' is not a fill model/);
  });

  it('a fill id reused with different content is a 409 conflict naming the field', async () => {
    const fill = {
      id: 'conflict-1',
      instrument: 'condor',
      action: 'open',
      positionId: 'ic-conflict',
      date: '2024-06-03',
      tier: 'conservative',
      expiry: '2024-06-04',
      strikes: { putLong: 5225, putShort: 5230, callShort: 5335, callLong: 5340 },
      quantity: 1,
      price: 0.7,
    };
    const headers = { authorization: `Bearer ${TOKEN}` };
    const first = await app.inject({ method: 'POST', url: '/api/book', payload: [fill], headers });
    expect(first.statusCode).toBe(201);
    const again = await app.inject({
      method: 'POST',
      url: '/api/book',
      payload: [{ ...fill, price: 0.9 }],
      headers,
    });
    expect(again.statusCode).toBe(409);
    expect(expectErrorShape(again.json())).toMatchObject({ field: 'id' });
    expect(again.json().error).toMatch(/fill 'conflict-1' is already recorded with different content/);
  });

  it('a wrong method on an existing route is a 405 with an Allow header', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/signal?date=2024-06-03' });
    expect(r.statusCode).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
    expect(expectErrorShape(r.json()).error).toBe('method POST is not allowed on /api/signal');
    const d = await app.inject({
      method: 'DELETE',
      url: '/api/backtests/00000000-0000-4000-8000-000000000000',
    });
    expect(d.statusCode).toBe(405);
    expect(d.headers.allow).toBe('GET, HEAD');
    const b = await app.inject({ method: 'PUT', url: '/api/book' });
    expect(b.statusCode).toBe(405);
    expect(b.headers.allow).toBe('GET, HEAD, POST');
    // An unknown path stays a 404, whatever the method.
    const n = await app.inject({ method: 'POST', url: '/api/nothing' });
    expect(n.statusCode).toBe(404);
    expectErrorShape(n.json());
  });

  it('a missing static asset is a 404, not the dashboard; a dashboard route is index.html', async () => {
    for (const url of ['/favicon.ico', '/assets/x.js', '/../etc/passwd.txt']) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(404);
      expectErrorShape(r.json());
    }
    const js = await app.inject('/assets/app.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    const spa = await app.inject('/backtests/latest');
    expect(spa.statusCode).toBe(200);
    expect(spa.body).toContain('<title>VixShield</title>');
  });

  it('the auth scheme is case-insensitive; a wrong token is still a 401 in the shape', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/backtests',
        payload: { fill: 'magic' },
        headers: { authorization: `${scheme} ${TOKEN}` },
      });
      expect(r.statusCode, scheme).toBe(400); // past the auth check, refused for the bad fill model
    }
    const w = await app.inject({
      method: 'POST',
      url: '/api/backtests',
      payload: {},
      headers: { authorization: `bearer ${TOKEN}x` },
    });
    expect(w.statusCode).toBe(401);
    expect(expectErrorShape(w.json()).field).toBe('authorization');
  });

  it('429 and the framework errors (413, 415) use the shape and say what happened', async () => {
    const j = openJournal(':memory:');
    const small = await buildServer({ journal: j, rateLimitPerMinute: 1, bodyLimit: 16, token: TOKEN });
    try {
      await small.inject('/api/health');
      const r = await small.inject('/api/health');
      expect(r.statusCode).toBe(429);
      expect(expectErrorShape(r.json()).error).toMatch(/^rate limit exceeded: 1 requests per/);
    } finally {
      await small.close();
      j.close();
    }
    const big = await app.inject({
      method: 'POST',
      url: '/api/book',
      payload: JSON.stringify({ fills: 'x'.repeat(100_000) }),
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });
    expect(big.statusCode).toBe(413);
    expectErrorShape(big.json());
    const txt = await app.inject({
      method: 'POST',
      url: '/api/book',
      payload: 'fills',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
    });
    expect(txt.statusCode).toBe(415);
    expectErrorShape(txt.json());
  });

  it('431 (headers too large, refused by the HTTP parser) uses the shape too', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const res = await new Promise<{ status: number; body: string }>((ok, fail) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/api/health', headers: { 'x-big': 'a'.repeat(40_000) } },
        (r) => {
          let body = '';
          r.on('data', (c: Buffer) => {
            body += c.toString();
          });
          r.on('end', () => ok({ status: r.statusCode ?? 0, body }));
        },
      );
      req.on('error', fail);
      req.end();
    });
    expect(res.status).toBe(431);
    expect(expectErrorShape(JSON.parse(res.body)).error).toBe('request header fields too large');
  });
});

describe('the dashboard not built', () => {
  it('is a 503 in the shape, with the command that builds it', async () => {
    const j = openJournal(':memory:');
    const bare = await buildServer({ journal: j, webDir: join(tmpdir(), 'no-such-web-build') });
    try {
      const r = await bare.inject('/');
      expect(r.statusCode).toBe(503);
      expect(expectErrorShape(r.json()).hint).toContain('npm run build -w apps/web');
    } finally {
      await bare.close();
      j.close();
    }
  });
});
