import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoDate } from '@vixshield/core';
import { loadVixOpens } from '@vixshield/data';
import { type Journal, openJournal } from '@vixshield/journal';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/index';
import { CONDOR_EXPIRING_2024_03_18, TEST_TOKEN } from './support/fills';

const TOKEN = TEST_TOKEN;
const auth = { authorization: `Bearer ${TOKEN}` };

const expiring = CONDOR_EXPIRING_2024_03_18;
/** VIX call of layer 1 expiring 2024-03-20 (the March VIX expiration), settled at the VRO. */
const hedge = {
  id: 'h-320',
  instrument: 'hedge',
  action: 'open',
  positionId: 'vix-320',
  date: '2024-02-20',
  layer: 1,
  expiry: '2024-03-20',
  strike: 13,
  quantity: 3,
  price: 1.1,
} as const;

let app: FastifyInstance;
let journal: Journal;

beforeAll(async () => {
  journal = openJournal(join(mkdtempSync(join(tmpdir(), 'vixshield-book-')), 'journal.sqlite'));
  app = await buildServer({
    journal,
    token: TOKEN,
    rateLimitPerMinute: 1000,
    webDir: join(tmpdir(), 'no-such-web-build'),
  });
});
afterAll(async () => {
  await app.close();
  journal.close();
});

const post = (url: string, payload: unknown) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers: auth });

describe('the book: validation at POST', () => {
  it.each([
    ['date 2024-02-30', { date: '2024-02-30' }, 'fills[0].date', 'not a calendar date'],
    ['expiry before the fill date', { date: '2024-03-19' }, 'fills[0].expiry', 'must be after the fill date'],
    ['an expiry SPXW does not list', { expiry: '2024-03-17' }, 'fills[0].expiry', 'not an SPXW expiration'],
    [
      'inverted strikes',
      { strikes: { putLong: 5050, putShort: 5040, callShort: 5140, callLong: 5150 } },
      'fills[0].strikes',
      'putLong < putShort < callShort < callLong',
    ],
    ['a zero quantity', { quantity: 0 }, 'fills[0].quantity', 'fills[0]'],
  ])('refuses %s naming the fill and the field (400)', async (_what, patch, field, text) => {
    const r = await post('/api/book', [{ ...expiring, id: 'bad', ...patch }]);
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toBe(field);
    expect(r.json().error).toContain(text);
    expect(r.json().error).toContain("(id 'bad')");
  });

  it('refuses hedge layer 9 and a VIX expiry that is not one', async () => {
    const r = await post('/api/book', { fills: [{ ...hedge, id: 'bad-h', layer: 9, expiry: '2024-03-22' }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toContain('9 is not a hedge layer: the config has layers 1..3');
    expect(r.json().error).toContain('2024-03-22 is not a VIX options expiration');
  });

  it('refuses a close of a position that does not exist (409) and records nothing of the batch', async () => {
    const r = await post('/api/book', [
      { ...hedge, id: 'fine' },
      { ...expiring, id: 'c-x', action: 'close', positionId: 'no-such', date: '2024-03-15', price: 0.5 },
    ]);
    expect(r.statusCode).toBe(409);
    expect(r.json().field).toBe('fills[1].positionId');
    expect(r.json().error).toContain("no open position 'no-such' to close");
    expect((await app.inject('/api/book')).json().fills).toEqual([]);
  });

  it('documents the body in OpenAPI', async () => {
    const doc = (await app.inject('/api/docs/json')).json();
    const body = doc.paths['/api/book'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(body)).toContain('positionId');
    expect(doc.paths['/api/book/{id}/void']).toBeDefined();
  });
});

describe('the book: expired positions settle instead of blocking the signal', () => {
  it('POST a fill expiring 2024-03-18, then GET /api/signal of a later day: 200, position settled and journaled', async () => {
    expect((await post('/api/book', [expiring, hedge])).statusCode).toBe(201);
    const r = await app.inject('/api/signal?date=2024-03-21');
    expect(r.statusCode).toBe(200);
    const settled = r.json().signal.bookSettlement.settled as Array<Record<string, unknown>>;
    const condor = settled.find((s) => s.positionId === 'ic-318')!;
    // SPXW settles PM at the 2024-03-18 close, 5,149.42: the 5140/5150 call spread pays 9.42.
    expect(condor).toMatchObject({ settlementBasis: 'SPXW PM close', settlementPrice: 5149.42 });
    expect(condor.valuePts).toBeCloseTo(-9.42, 9);
    expect(condor.pnlUsd).toBeCloseTo((1.25 - 9.42) * 100 * 2, 6);
    // The VIX call settles at the VRO, approximated by the VIX open of the expiry day.
    const vro = loadVixOpens().get(isoDate('2024-03-20'))!;
    const vix = settled.find((s) => s.positionId === 'vix-320')!;
    expect(vix).toMatchObject({ settlementBasis: 'VIX VRO (VIX open)', settlementPrice: vro });
    expect(vix.pnlUsd).toBeCloseTo((Math.max(0, vro - 13) - 1.1) * 100 * 3, 6);
    const book = (await app.inject('/api/book')).json();
    expect(book.open).toEqual([]);
    expect(
      book.settlements.map((s: { positionId: string; recordedFor: string }) => [s.positionId, s.recordedFor]),
    ).toEqual([
      ['ic-318', '2024-03-21'],
      ['vix-320', '2024-03-21'],
    ]);
    // A later day no longer carries them; an earlier day (before the expiry) still sees them open.
    const later = await app.inject('/api/signal?date=2024-03-22');
    expect(later.statusCode).toBe(200);
    expect(later.json().signal.bookSettlement).toBeUndefined();
    const before = await app.inject('/api/signal?date=2024-03-15');
    expect(before.statusCode).toBe(200);
    expect(before.json().signal.bookSettlement).toBeUndefined();
  });

  it('a void keeps the fill listed with its reason and takes it out of the book', async () => {
    const open = {
      ...expiring,
      id: 'o-late',
      positionId: 'ic-late',
      date: '2026-08-19',
      expiry: '2026-08-21',
      strikes: { putLong: 5000, putShort: 5010, callShort: 7000, callLong: 7010 },
    };
    expect((await post('/api/book', [open])).statusCode).toBe(201);
    expect(
      (await app.inject('/api/book')).json().open.map((p: { positionId: string }) => p.positionId),
    ).toEqual(['ic-late']);
    const noReason = await post('/api/book/o-late/void', {});
    expect(noReason.statusCode).toBe(400);
    const unknown = await post('/api/book/nope/void', { reason: 'typo' });
    expect(unknown.statusCode).toBe(404);
    const v = await post('/api/book/o-late/void', { reason: 'typed the wrong strikes' });
    expect(v.statusCode).toBe(201);
    expect(v.json().open).toEqual([]);
    const again = await post('/api/book/o-late/void', { reason: 'typed the wrong strikes' });
    expect(again.statusCode).toBe(200);
    const listed = (await app.inject('/api/book'))
      .json()
      .fills.find((f: { id: string }) => f.id === 'o-late');
    expect(listed.voided.reason).toBe('typed the wrong strikes');
    // A close of the voided position is refused: it no longer counts.
    const close = await post('/api/book', [{ ...open, id: 'c-late', action: 'close', date: '2026-08-20' }]);
    expect(close.statusCode).toBe(409);
  });
});
