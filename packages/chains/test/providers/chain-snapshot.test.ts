import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { IsoDate } from '@vixshield/core';
import { EMBEDDED_DATA_DIR, hostsAt, ProviderError } from '@vixshield/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../../../test/support/fixture-server';
import {
  CHAIN_DB_FILE,
  ChainStore,
  cboeChainProvider,
  DATASHOP_LAYOUT,
  fileChainProvider,
  HOD_LAYOUT,
  storeSnapshot,
  tradierProvider,
} from '../../src/index';
import { QUOTE_ROWS_TABLE_SQL, QUOTES_VIEW_SQL, SOURCES_TABLE_SQL } from '../../src/schema';
import { fixture } from './helpers';

const CHAIN = '/api/global/delayed_quotes/options/_SPX.json';
const NOW = Date.UTC(2019, 5, 26, 20, 5); // 16:05 EDT: the 20:00 UTC publication is 5 minutes old
const day = (s: string) => s as IsoDate;
const storeDir = () => mkdtempSync(join(tmpdir(), 'vixshield-chain-'));

const payload = (over: { timestamp?: string; options?: unknown[]; current_price?: number } = {}) => {
  const p = JSON.parse(fixture('cboe-chain/_SPX-2019-06-26-1545-reencoded.json')) as {
    timestamp: string;
    data: { current_price: number; options: unknown[] };
  };
  if (over.timestamp) p.timestamp = over.timestamp;
  if (over.options) p.data.options = over.options;
  if (over.current_price !== undefined) p.data.current_price = over.current_price;
  return JSON.stringify(p);
};

describe('chain snapshots from Cboe delayed quotes (loopback fixture server)', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer({
      [CHAIN]: { body: fixture('cboe-chain/_SPX-2019-06-26-1545-reencoded.json') },
    });
  });
  afterAll(async () => {
    await server.close();
  });
  const provider = (timeoutMs = 5000) =>
    cboeChainProvider({ hosts: hostsAt(server.url), http: { timeoutMs }, maxAgeMinutes: 30 });

  it('stores the chain with provider, quote time and delay; the store answers from it', async () => {
    const dir = storeDir();
    const s = await provider().snapshot(NOW);
    const store = await ChainStore.open(dir);
    try {
      const r = await storeSnapshot(store, s, NOW);
      expect(r.label).toBe('cboe 2019-06-26 15:45 ET');
      expect(r.import).toMatchObject({ rowsStored: 486, replaced: 0 });
      const [m] = await store.snapshots(day('2019-06-26'));
      expect(m).toEqual({
        vendor: 'Cboe delayed quotes',
        sourceFile: 'cboe 2019-06-26 15:45 ET',
        provider: 'cboe',
        quoteDate: '2019-06-26',
        quoteUtcMs: Date.UTC(2019, 5, 26, 19, 45),
        delaySeconds: 900,
        publishedUtcMs: Date.UTC(2019, 5, 26, 20, 0),
        takenUtcMs: NOW,
        sourceUrl: `${server.url}${CHAIN}`,
        underlyingPrice: 2918.11,
        rows: 486,
        liveRows: 486,
      });
      const q = await store.quoteByStrike(day('2019-06-26'), day('2019-06-28'), 2900, 'put');
      expect(q).toMatchObject({
        bid: 5.5,
        ask: 5.7,
        quoteTimeEt: '15:45',
        vendor: 'Cboe delayed quotes',
        underlyingPrice: 2918.11,
      });
      expect((await store.chain(day('2019-06-26'), day('2019-06-28')))!.source).toEqual({
        kind: 'real',
        vendor: 'Cboe delayed quotes',
        file: 'cboe 2019-06-26 15:45 ET',
      });
    } finally {
      store.close();
    }
  });

  it('a later snapshot of the same day replaces the rows; the first one is then listed with no live rows', async () => {
    const dir = storeDir();
    const store = await ChainStore.open(dir);
    try {
      await storeSnapshot(store, await provider().snapshot(NOW), NOW);
      server.route(CHAIN, { body: payload({ timestamp: '2019-06-26 20:10:00' }) }); // quotes of 15:55 ET
      const later = await provider().snapshot(Date.UTC(2019, 5, 26, 20, 12));
      const r = await storeSnapshot(store, later, Date.UTC(2019, 5, 26, 20, 12));
      expect(r.import.replaced).toBe(486);
      expect((await store.snapshots()).map((m) => [m.sourceFile, m.liveRows])).toEqual([
        ['cboe 2019-06-26 15:45 ET', 0],
        ['cboe 2019-06-26 15:55 ET', 486],
      ]);
      expect(await store.count()).toBe(486);
    } finally {
      store.close();
      server.route(CHAIN, { body: fixture('cboe-chain/_SPX-2019-06-26-1545-reencoded.json') });
    }
  });

  it.each([
    [
      'stale (the CDN serves an old file)',
      { body: payload() },
      Date.UTC(2019, 5, 26, 21, 0),
      /stale: the quotes are from 2019-06-26 15:45 ET, 75 minutes ago/,
    ],
    [
      'a chain without SPXW',
      { body: payload({ options: [{ option: 'SPX190719C02900000', bid: 30.1, ask: 31.2 }] }) },
      NOW,
      /no SPXW options \(the 0-1DTE contracts are SPXW\)/,
    ],
    [
      'a holiday',
      {
        body: payload({
          timestamp: '2019-07-04 18:00:00',
          options: [{ option: 'SPXW190705C02900000', bid: 30.1, ask: 31.2 }],
        }),
      },
      Date.UTC(2019, 6, 4, 18, 5),
      /2019-07-04 13:45 ET is not on a trading day/,
    ],
    [
      'after the close',
      { body: payload({ timestamp: '2019-06-26 20:30:00' }) },
      Date.UTC(2019, 5, 26, 20, 31),
      /16:15 ET is outside the regular session/,
    ],
    ['a timeout', { fault: 'timeout' as const }, NOW, /no answer within 0\.3 s/],
    ['HTTP 500', { status: 500, body: 'x' }, NOW, /HTTP 500/],
    ['truncated JSON', { body: payload().slice(0, 3000) }, NOW, /malformed payload: not valid JSON/],
    [
      'malformed (no options)',
      { body: '{"timestamp": "2019-06-26 20:00:00", "data": {}}' },
      NOW,
      /no "data\.options" array/,
    ],
  ])(
    '%s: refused with the provider, the URL and the offline alternative',
    async (_n, route, now, message) => {
      server.route(CHAIN, route);
      try {
        const err = await provider(300)
          .snapshot(now)
          .catch((e) => e);
        expect(err).toBeInstanceOf(ProviderError);
        expect((err as Error).message).toMatch(message);
        expect((err as Error).message).toContain(`(${server.url}${CHAIN})`);
        expect((err as Error).message).toMatch(/offline: save .* --provider cboe --file/);
      } finally {
        server.route(CHAIN, { body: fixture('cboe-chain/_SPX-2019-06-26-1545-reencoded.json') });
      }
    },
  );
});

describe('chain snapshots from Tradier (documented layout, loopback)', () => {
  let server: FixtureServer;
  const TOKEN = 'test-token-9f2c41d7';
  beforeAll(async () => {
    server = await startFixtureServer({
      '/v1/markets/options/expirations?symbol=SPX': { body: fixture('tradier/expirations-SPX.json') },
      '/v1/markets/quotes?symbols=SPX': { body: fixture('tradier/quotes-SPX.json') },
      ...Object.fromEntries(
        ['2019-06-26', '2019-06-28', '2019-07-01'].map((e) => [
          `/v1/markets/options/chains?symbol=SPX&expiration=${e}`,
          { body: fixture(`tradier/chains-SPX-${e}.json`) },
        ]),
      ),
    });
  });
  afterAll(async () => {
    await server.close();
  });
  const provider = (token: string | undefined) =>
    tradierProvider({ hosts: hostsAt(server.url), token, maxAgeMinutes: 30, maxDteDays: 5 });

  it('reads expirations, the SPX quote and one chain per expiration, with the Bearer token in a header only', async () => {
    const s = await provider(TOKEN).snapshot(Date.UTC(2019, 5, 26, 19, 50));
    expect(s.rows.length).toBe(186);
    expect(s.quoteTimeUtcMs).toBe(Date.UTC(2019, 5, 26, 19, 45)); // the latest bid/ask time
    expect(s.delaySeconds).toBe(0);
    expect(s.underlyingPrice).toBe(2918.11);
    const p = s.rows.find((r) => r.expiry === '2019-06-28' && r.strike === 2900 && r.right === 'put')!;
    expect([p.bid, p.ask, p.openInterest]).toEqual([5.5, 5.7, 26433]);
    const chainCalls = server.requests.filter((q) => q.path.startsWith('/v1/markets/options/chains'));
    expect(chainCalls.map((q) => q.path)).toEqual([
      '/v1/markets/options/chains?symbol=SPX&expiration=2019-06-26&greeks=true',
      '/v1/markets/options/chains?symbol=SPX&expiration=2019-06-28&greeks=true',
      '/v1/markets/options/chains?symbol=SPX&expiration=2019-07-01&greeks=true',
    ]);
    for (const q of server.requests) {
      expect(q.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(q.headers.accept).toBe('application/json');
      expect(q.path).not.toContain(TOKEN);
    }
  });

  it('no token: a clear refusal; an HTTP error never shows the token', async () => {
    await expect(provider(undefined).snapshot(Date.UTC(2019, 5, 26, 19, 50))).rejects.toThrow(
      /no API token: set TRADIER_TOKEN/,
    );
    server.route('/v1/markets/quotes?symbols=SPX', { status: 401, body: `invalid token ${TOKEN}` });
    const err = (await provider(TOKEN)
      .snapshot(Date.UTC(2019, 5, 26, 19, 50))
      .catch((e) => e)) as Error;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/Tradier: HTTP 401 .*\/v1\/markets\/quotes\?symbols=SPX/);
    expect(err.message).not.toContain(TOKEN);
    server.route('/v1/markets/quotes?symbols=SPX', { body: fixture('tradier/quotes-SPX.json') });
  });
});

describe('chain snapshots from a file, old stores, kill -9', () => {
  /** The first two rows of the embedded DataShop sample: one quote instant (2016-01-04 15:45 ET). */
  const oneInstantFile = () => {
    const lines = readFileSync(
      join(EMBEDDED_DATA_DIR, 'spx-options-cboe-datashop-format-sample.csv'),
      'utf8',
    ).split('\n');
    const f = join(storeDir(), 'datashop-2016-01-04.csv');
    writeFileSync(f, `${lines.slice(0, 3).join('\n')}\n`);
    return f;
  };

  it('a one-instant file in an importer layout is a snapshot; a multi-day file is refused', async () => {
    const ds = await fileChainProvider({ file: oneInstantFile(), spec: DATASHOP_LAYOUT }).snapshot(
      Date.UTC(2026, 0, 1),
    );
    expect(ds).toMatchObject({
      provider: 'file',
      vendor: 'Cboe DataShop',
      delaySeconds: 0,
      underlyingPrice: 2003.82,
    });
    expect(ds.rows.length).toBe(2);
    expect(ds.quoteTimeUtcMs).toBe(Date.UTC(2016, 0, 4, 20, 45)); // 15:45 EST
    await expect(
      fileChainProvider({
        file: join(EMBEDDED_DATA_DIR, 'spx-options-cboe-datashop-format-sample.csv'),
        spec: DATASHOP_LAYOUT,
      }).snapshot(Date.UTC(2026, 0, 1)),
    ).rejects.toThrow(/holds 3 quote instants .*import it with 'vixshield chains import'/);
    await expect(
      fileChainProvider({
        file: join(EMBEDDED_DATA_DIR, 'spx-options-eod-2018-01-02_historicaloptiondata-format.csv'),
        spec: HOD_LAYOUT,
      }).snapshot(Date.UTC(2026, 0, 1)),
    ).rejects.toThrow(/holds \d+ quote instants/);
  });

  it('a store written before the snapshot table opens, reads and takes snapshots', async () => {
    const dir = storeDir();
    mkdirSync(dir, { recursive: true });
    const inst = await DuckDBInstance.create(join(dir, CHAIN_DB_FILE));
    const conn = await inst.connect();
    for (const sql of [SOURCES_TABLE_SQL, QUOTE_ROWS_TABLE_SQL, QUOTES_VIEW_SQL]) await conn.run(sql);
    conn.closeSync();
    inst.closeSync();
    const store = await ChainStore.open(dir);
    try {
      expect(await store.snapshots()).toEqual([]);
      const s = await fileChainProvider({ file: oneInstantFile(), spec: DATASHOP_LAYOUT }).snapshot(
        Date.UTC(2026, 0, 1),
      );
      await storeSnapshot(store, s, Date.UTC(2026, 0, 1));
      expect((await store.snapshots()).map((m) => [m.provider, m.liveRows])).toEqual([['file', 2]]);
      expect((await store.info()).rows).toBe(2);
    } finally {
      store.close();
    }
  });

  it('kill -9 at a moment inside the import transaction: all of the snapshot rows or none', async () => {
    const dir = storeDir();
    const marker = join(dir, 'import-started');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./snapshot-killed.child.ts', import.meta.url)),
        dir,
        marker,
        'run',
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (existsSync(marker)) {
          clearInterval(t);
          setTimeout(() => child.kill('SIGKILL'), 60); // inside the import (it takes > 80 ms here)
        }
      }, 5);
      child.on('error', reject);
      child.on('exit', () => {
        clearInterval(t);
        resolve();
      });
    });
    const store = await ChainStore.open(dir);
    try {
      expect([0, 486]).toContain(await store.count());
      const live = (await store.snapshots()).map((m) => m.liveRows);
      expect(live.every((n) => n === 0 || n === 486)).toBe(true);
    } finally {
      store.close();
    }
  });

  it('kill -9 after the metadata, before the rows: no rows, the snapshot listed with 0 live rows; the next one stores', async () => {
    const dir = storeDir();
    const marker = join(dir, 'metadata-written');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./snapshot-killed.child.ts', import.meta.url)), dir, marker],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (existsSync(marker)) {
          clearInterval(t);
          child.kill('SIGKILL');
        }
      }, 20);
      child.on('error', reject);
      child.on('exit', () => {
        clearInterval(t);
        resolve();
      });
    });
    expect(child.signalCode).toBe('SIGKILL');
    const store = await ChainStore.open(dir);
    try {
      expect(await store.count()).toBe(0);
      expect((await store.snapshots()).map((m) => [m.sourceFile, m.liveRows])).toEqual([
        ['cboe 2019-06-26 15:45 ET', 0],
      ]);
      const { parseCboeChain } = await import('../../src/index');
      const s = parseCboeChain(fixture('cboe-chain/_SPX-2019-06-26-1545-reencoded.json'), 'f', 'h');
      await storeSnapshot(store, s, NOW);
      expect((await store.snapshots()).map((m) => m.liveRows)).toEqual([486]);
    } finally {
      store.close();
    }
  });
});
