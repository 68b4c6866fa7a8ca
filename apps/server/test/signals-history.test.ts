import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '@vixshield/journal';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/index';

/** GET /api/signals: the journal's signal history the dashboard lists, newest first. */
let app: FastifyInstance;
const journal = openJournal(join(mkdtempSync(join(tmpdir(), 'vixshield-signals-')), 'journal.sqlite'));

beforeAll(async () => {
  app = await buildServer({ journal, rateLimitPerMinute: 1000, webDir: join(tmpdir(), 'no-such-web-build') });
});
afterAll(async () => {
  await app.close();
  journal.close();
});

describe('GET /api/signals', () => {
  it('is empty before any signal, then lists the stored ones newest first with their summary', async () => {
    const empty = await app.inject('/api/signals');
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual([]);

    const a = (await app.inject('/api/signal?date=2024-06-03&book=none')).json().signal;
    const b = (await app.inject('/api/signal?date=2024-06-04&book=none&equity=250000')).json().signal;
    await app.inject('/api/signal?date=2024-06-04&preset=conservative&book=none');

    const all = (await app.inject('/api/signals')).json() as Array<Record<string, unknown>>;
    expect(all.map((s) => [s.date, s.preset])).toEqual([
      ['2024-06-04', 'conservative'],
      ['2024-06-04', 'vixshield'],
      ['2024-06-03', 'vixshield'],
    ]);
    const vix = (await app.inject('/api/signals?preset=vixshield&limit=5')).json() as Array<
      Record<string, unknown>
    >;
    expect(vix.map((s) => s.date)).toEqual(['2024-06-04', '2024-06-03']);
    const chosen = b.tiers.find((t: { tier: string }) => t.tier === b.chosenTier);
    expect(vix[0]).toMatchObject({
      preset: 'vixshield',
      revision: 1,
      equity: 250_000,
      vix: b.gate.vix,
      skip: b.skip,
      chosenTier: b.chosenTier,
      contracts: chosen?.contracts ?? null,
      creditFill: chosen?.creditFill ?? null,
      hedgeActions: b.hedge.length,
    });
    expect(vix[1]).toMatchObject({ equity: a.equity, vix: a.gate.vix });
    expect(((await app.inject('/api/signals?limit=1')).json() as unknown[]).length).toBe(1);
  }, 120_000);

  it('refuses a bad preset, limit or key with 400 naming the field', async () => {
    for (const [url, field] of [
      ['/api/signals?preset=yolo', 'preset'],
      ['/api/signals?limit=0', 'limit'],
      ['/api/signals?limit=501', 'limit'],
      ['/api/signals?limit=x', 'limit'],
    ] as const) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json().field, url).toBe(field);
    }
    expect((await app.inject('/api/signals?bogus=1')).statusCode).toBe(400);
  });
});
