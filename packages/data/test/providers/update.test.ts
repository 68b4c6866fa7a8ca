import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IsoDate } from '@vixshield/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../../../test/support/fixture-server';
import {
  checkMarketData,
  DAILY_SERIES_IDS,
  exchangeIsTradingDay,
  hostsAt,
  importUserSeries,
  loadEmbeddedMarketData,
  ProviderError,
  readManifest,
  runDataUpdate,
  tradingDaysBetween,
  VX_SETTLEMENT_VENDOR,
} from '../../src/index';
import { dailyRoutes, dirState, fixture, fromDirWithFixtures, tempDataDir } from './helpers';

const cal = exchangeIsTradingDay;
const d = (s: string) => s as IsoDate;
const NOW = Date.UTC(2026, 9, 6, 12); // 2026-10-06 noon UTC (only used when --to is absent)

describe('data update --from-dir (recorded payloads)', () => {
  it('brings SPX and VIX3M to the last recorded day, checks VIX1D against the stored closes, leaves unchanged calendars alone', async () => {
    const dataDir = tempDataDir();
    const r = await runDataUpdate({
      dataDir,
      fromDir: fromDirWithFixtures(),
      to: d('2026-09-14'),
      nowUtcMs: NOW,
      isTradingDay: cal,
    });
    const by = Object.fromEntries(r.series.map((s) => [s.id, s]));
    expect(r.target).toBe('2026-09-14');
    expect(by.spx).toMatchObject({ added: 15, first: '2026-08-24', last: '2026-09-14', use: 'engine' });
    expect(by.vix3m).toMatchObject({ added: 15, first: '2026-08-24', last: '2026-09-14' });
    expect(by.vix3m!.notes.join(' ')).toMatch(/trading days without a row: 2026-07-23/);
    expect(by.vix).toMatchObject({ added: 0, sourceLast: '2026-07-23' });
    // VIX1D is an engine series: the recorded June 2025 closes agree with the embedded training file
    // (else the update would stop), and nothing after it is recorded
    expect(by.vix1d).toMatchObject({ added: 0, use: 'engine', sourceLast: '2025-06-30' });
    expect(by.vix1d!.notes.join(' ')).toMatch(/the source ends 2025-06-30; stored data end 2025-06-30/);
    expect(by.fomc).toMatchObject({ added: 0, notes: ['unchanged'] });
    expect(by.ppi!.skipped).toBe(true);
    expect(by.vxSettle!.skipped).toBe(true); // the recorded settlement is of 2026-10-05, after the target
    expect(r.filesWritten).toBe(2);

    const md = loadEmbeddedMarketData({ dataDir, isTradingDay: cal });
    const last = md.snapshots.at(-1)!;
    expect(last.date).toBe('2026-09-14');
    expect(last.spx).toEqual({
      open: 7611.44,
      high: 7647.99,
      low: 7592.28,
      close: 7619.98,
      closeOnly: false,
    });
    expect(last.vix3m).toBe(19.28);
    expect(last.vix).toBeNull(); // no VIX source past 2026-08-21 in the recordings: null, never carried forward
    expect(md.byDate(d('2026-08-21'))!.spx.close).toBe(7674.37); // embedded days untouched
    // data check: the one new finding is the real hole of the VIX3M source (07-23 .. 08-21)
    const undocumented = checkMarketData(md).findings.filter((f) => !f.documented);
    expect(undocumented.map((f) => [f.series, f.check])).toEqual([['vix3m', 'gap']]);
    expect(undocumented[0]!.dates).toEqual(tradingDaysBetween(d('2026-07-23'), d('2026-08-21'), cal));
  });

  it('a second run adds nothing and writes nothing; successive updates keep one update file per series', async () => {
    const dataDir = tempDataDir();
    const fromDir = fromDirWithFixtures();
    // a user's own import is kept before the update file
    const own = join(fromDir, 'own.csv');
    writeFileSync(own, 'DATE,VIX9D\n08/21/2026,12.60\n');
    importUserSeries({ dataDir, series: 'vix9d', file: own, mode: 'extend', isTradingDay: cal });
    await runDataUpdate({ dataDir, fromDir, to: d('2026-09-01'), nowUtcMs: NOW, isTradingDay: cal });
    expect(readManifest(dataDir).series.spx!.files.map((f) => [f.file, f.rows])).toEqual([['spx.1.csv', 7]]);
    const r = await runDataUpdate({
      dataDir,
      fromDir,
      to: d('2026-09-14'),
      nowUtcMs: NOW,
      isTradingDay: cal,
    });
    expect(r.series.find((s) => s.id === 'spx')).toMatchObject({ added: 8, first: '2026-09-02' });
    const m = readManifest(dataDir);
    expect(m.series.spx!.files.map((f) => [f.file, f.rows, f.first, f.last])).toEqual([
      ['spx.2.csv', 15, '2026-08-24', '2026-09-14'],
    ]);
    expect(existsSync(join(dataDir, 'spx.1.csv'))).toBe(false);
    expect(m.series.vix9d!.files.map((f) => f.importedFrom)).toEqual(['own.csv']);
    const before = dirState(dataDir);
    const again = await runDataUpdate({
      dataDir,
      fromDir,
      to: d('2026-09-14'),
      nowUtcMs: NOW,
      isTradingDay: cal,
    });
    expect(again.filesWritten).toBe(0);
    expect(again.series.every((s) => s.added === 0)).toBe(true);
    expect(dirState(dataDir)).toEqual(before);
  });

  it('a holiday --to updates to the session before it (2026-09-07 Labor Day -> 09-04)', async () => {
    const dataDir = tempDataDir();
    const r = await runDataUpdate({
      dataDir,
      fromDir: fromDirWithFixtures(),
      to: d('2026-09-07'),
      nowUtcMs: NOW,
      isTradingDay: cal,
    });
    expect(r.target).toBe('2026-09-04');
    expect(r.series.find((s) => s.id === 'spx')).toMatchObject({ added: 10, last: '2026-09-04' });
  });

  it('without --to the target is the last completed session at now (close + 30 min)', async () => {
    const dataDir = tempDataDir();
    // 2026-09-14 is a Monday; 19:59 EDT is after 16:30 EDT, 16:10 EDT is not
    const late = await runDataUpdate({
      dataDir,
      fromDir: fromDirWithFixtures(),
      nowUtcMs: Date.UTC(2026, 8, 14, 23, 59),
      isTradingDay: cal,
      only: ['spx'],
    });
    expect(late.target).toBe('2026-09-14');
    const early = await runDataUpdate({
      dataDir: tempDataDir(),
      fromDir: fromDirWithFixtures(),
      nowUtcMs: Date.UTC(2026, 8, 14, 20, 10),
      isTradingDay: cal,
      only: ['spx'],
    });
    expect(early.target).toBe('2026-09-11');
  });

  it.each([
    [
      'a close that disagrees with the stored series',
      (t: string) => t.replace('"close": "7674.370000"', '"close": "7680.370000"'),
      /disagrees with the stored spx series by more than 0\.02 on 2026-08-21: stored 7674\.37, source 7680\.37/,
    ],
    [
      'a row on a Saturday',
      (t: string) => t.replace('"date": "2026-09-14"', '"date": "2026-09-19"'),
      /SPX row on a closed day on 2026-09-19/,
    ],
    ['a truncated file', (t: string) => t.slice(0, t.length / 2), /malformed payload: .*not valid JSON/],
  ])('%s: ProviderError naming the file, nothing written', async (_name, damage, message) => {
    const dataDir = tempDataDir();
    const fromDir = fromDirWithFixtures();
    const f = join(fromDir, 'SPX_historical.json');
    writeFileSync(f, damage(readFileSync(f, 'utf8')));
    const err = await runDataUpdate({
      dataDir,
      fromDir,
      to: d('2026-09-14'),
      nowUtcMs: NOW,
      isTradingDay: cal,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toMatch(message);
    expect((err as ProviderError).location).toBe(f);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('data update over HTTP (loopback fixture server)', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(dailyRoutes());
  });
  afterAll(async () => {
    await server.close();
  });
  // no PPI or payroll calendar is recorded (there is no real one to record): those two are left out
  const only = DAILY_SERIES_IDS.filter((id) => id !== 'ppi' && id !== 'payrolls');
  const run = (dataDir: string, timeoutMs = 5000) =>
    runDataUpdate({
      dataDir,
      to: d('2026-10-05'),
      nowUtcMs: NOW,
      isTradingDay: cal,
      hosts: hostsAt(server.url),
      http: { timeoutMs },
      only,
    });

  it('reads every source from its URL; VX settlements of the target session are stored', async () => {
    const dataDir = tempDataDir();
    const r = await run(dataDir);
    const by = Object.fromEntries(r.series.map((s) => [s.id, s]));
    expect(by.spx).toMatchObject({
      added: 15,
      location: `${server.url}/api/global/delayed_quotes/charts/historical/_SPX.json`,
    });
    expect(by.vix3m).toMatchObject({ added: 30, last: '2026-10-05' });
    expect(by.vxSettle).toMatchObject({ added: 1, first: '2026-10-05', use: 'stored' });
    expect(by.fomc).toMatchObject({ location: `${server.url}/events/fomc-decision-dates.csv`, added: 0 });
    // FRED is asked from 30 days before the stored last day (for the agreement check)
    expect(server.requests.some((q) => q.path === '/graph/fredgraph.csv?id=DFF&cosd=2026-08-10')).toBe(true);
    expect(readFileSync(join(dataDir, readManifest(dataDir).extra!.vxsettle!.file), 'utf8')).toMatch(
      /^date,symbol,expiry,settle\n2026-10-05,VX40\/V6,2026-10-07,17\.4555\n(.*\n)*2026-10-05,VX\/V6,2026-10-21,17\.4555\n/,
    );
    // read back as the real VX curve of that session (the embedded closes end in 2017): M1 = Oct, the
    // calendar's next monthly after 2026-10-05, and so on, each at its settlement
    const md = loadEmbeddedMarketData({ isTradingDay: cal, dataDir });
    expect(md.data.vixFutures.at(-1)).toEqual({
      date: '2026-10-05',
      closes: [17.4555, 18.1393, 18.5508, 19.3327, 19.8344, 20.0151, 20.375, 20.525],
      vendor: VX_SETTLEMENT_VENDOR,
    });
    expect(md.series.find((x) => x.id === 'vixFutures')!.origin).toBe('embedded+user');
  });

  const SPX = '/api/global/delayed_quotes/charts/historical/_SPX.json';
  const VIX3M = '/api/global/us_indices/daily_prices/VIX3M_History.csv';
  it.each([
    ['timeout', SPX, { fault: 'timeout' as const }, /no answer within 0\.3 s/],
    ['HTTP 500', SPX, { status: 500, body: 'oops' }, /HTTP 500/],
    [
      'connection cut mid-body',
      SPX,
      { fault: 'cut-connection' as const, body: fixture('cboe-spx/SPX_historical.json') },
      /cut off|reset|failed/,
    ],
    [
      'truncated JSON',
      SPX,
      { body: fixture('cboe-spx/SPX_historical.json').slice(0, 800) },
      /malformed payload: .*not valid JSON/,
    ],
    [
      'malformed (an HTML error page)',
      SPX,
      { body: '<html><body>Service unavailable</body></html>' },
      /malformed payload/,
    ],
    [
      'truncated CSV',
      VIX3M,
      { body: fixture('cboe-index/VIX3M_History.csv').slice(0, 1000) },
      /malformed payload: .*VIX3M_History\.csv:\d+/,
    ],
  ])(
    '%s: exit-1 error naming source, URL and the --from-dir alternative; nothing written',
    async (_n, path, route, message) => {
      const dataDir = tempDataDir();
      await run(dataDir); // previous data
      const before = dirState(dataDir);
      server.route(path, route);
      try {
        const err = await run(dataDir, 300).catch((e) => e);
        expect(err).toBeInstanceOf(ProviderError);
        const e = err as ProviderError;
        expect(e.message).toMatch(message);
        expect(e.location).toBe(`${server.url}${path}`);
        expect(e.message).toContain(`(${server.url}${path})`);
        expect(e.message).toMatch(/offline: .* --from-dir <folder>/);
        expect(dirState(dataDir)).toEqual(before);
      } finally {
        server.route(path, dailyRoutes()[path]!);
      }
    },
  );

  it('a holiday: no new rows, nothing written, exit 0 (not a fault of the source)', async () => {
    const dataDir = tempDataDir();
    const opts = { dataDir, nowUtcMs: NOW, isTradingDay: cal, hosts: hostsAt(server.url), only };
    await runDataUpdate({ ...opts, to: d('2026-09-04') });
    const before = dirState(dataDir);
    const r = await runDataUpdate({ ...opts, to: d('2026-09-07') }); // Labor Day
    expect(r.target).toBe('2026-09-04');
    expect(r.filesWritten).toBe(0);
    expect(r.series.every((s) => s.added === 0)).toBe(true);
    expect(dirState(dataDir)).toEqual(before);
  });

  it('a source not published yet for the newest session (VX 404) is noted, not an error', async () => {
    const dataDir = tempDataDir();
    const r = await runDataUpdate({
      dataDir,
      to: d('2026-09-14'),
      nowUtcMs: NOW,
      isTradingDay: cal,
      hosts: hostsAt(server.url),
      only,
    });
    expect(r.series.find((s) => s.id === 'vxSettle')!.notes).toContain(
      '2026-09-14: not published yet (HTTP 404)',
    );
  });
});

describe('kill -9 during an update', () => {
  it('leaves the previous data intact (the manifest switches in one rename, after every file is written)', async () => {
    const dataDir = tempDataDir();
    const fromDir = fromDirWithFixtures();
    await runDataUpdate({ dataDir, fromDir, to: d('2026-09-01'), nowUtcMs: NOW, isTradingDay: cal });
    const before = dirState(dataDir);
    const marker = join(fromDir, 'files-written');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./update-killed.child.ts', import.meta.url)),
        dataDir,
        fromDir,
        '2026-09-14',
        marker,
      ],
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
    const after = dirState(dataDir);
    // the new files were written (that is where the child was killed) ...
    expect(Object.keys(after).length).toBeGreaterThan(Object.keys(before).length);
    // ... but every file the previous manifest names is as it was, and the manifest too
    for (const [f, h] of Object.entries(before)) expect({ f, h: after[f] }).toEqual({ f, h });
    const md = loadEmbeddedMarketData({ dataDir, isTradingDay: cal });
    expect(md.snapshots.at(-1)!.date).toBe('2026-09-01');
    // and the next update completes normally
    const r = await runDataUpdate({
      dataDir,
      fromDir,
      to: d('2026-09-14'),
      nowUtcMs: NOW,
      isTradingDay: cal,
    });
    expect(r.series.find((s) => s.id === 'spx')).toMatchObject({ added: 8 });
    expect(loadEmbeddedMarketData({ dataDir, isTradingDay: cal }).snapshots.at(-1)!.date).toBe('2026-09-14');
  });
});
