import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../../test/support/cli';
import { type FixtureServer, startFixtureServer } from '../../../test/support/fixture-server';

/*
 * `vixshield data update` and `vixshield chain snapshot` as a user runs them (the real bin in a child
 * process), against recorded payloads: from a folder, and from a loopback fixture server standing in
 * for Cboe and FRED (VIXSHIELD_PROVIDER_BASE_URL). No test touches the internet.
 */

const FIX = fileURLToPath(new URL('../../../packages/data/test/fixtures/providers/', import.meta.url));
const CHAIN_FIX = fileURLToPath(
  new URL('../../../packages/chains/test/fixtures/providers/', import.meta.url),
);
const CHAIN = '/api/global/delayed_quotes/options/_SPX.json';
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at |internal error/);

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function fromDir(): string {
  const dir = tmp('vixshield-cli-fromdir-');
  for (const sub of ['cboe-index', 'cboe-spx', 'fred', 'cfe', 'events']) {
    for (const f of readdirSync(join(FIX, sub))) copyFileSync(join(FIX, sub, f), join(dir, f));
  }
  return dir;
}

describe('vixshield data update (real bin)', () => {
  it('--from-dir: prints what was added per series; the signal data then reach the recorded last day', async () => {
    const dataDir = join(tmp('vixshield-cli-upd-'), 'd');
    const dir = fromDir();
    const r = await runCliAsync([
      'data',
      'update',
      '--from-dir',
      dir,
      '--to',
      '2026-09-14',
      '--data-dir',
      dataDir,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^data update to 2026-09-14 from /);
    expect(r.stdout).toMatch(/\n {2}spx +\+15 rows 2026-08-24 \.\. 2026-09-14 +Cboe SPX \(chart history\)\n/);
    expect(r.stdout).toMatch(
      /\n {2}vix +no new rows +Cboe VIX\n.*\n.*the source ends 2026-07-23; stored data end 2026-08-21/,
    );
    expect(r.stdout).toMatch(/\n {2}vix1d +no new rows +Cboe VIX1D\n/);
    expect(r.stdout).toMatch(/wrote 2 series; .*manifest\.json switched to them in one step/);
    const info = await runCliAsync(['data', 'info', '--json', '--data-dir', dataDir]);
    const j = JSON.parse(info.stdout) as {
      last: string;
      series: Array<{ id: string; last: string; origin: string }>;
    };
    expect(j.last).toBe('2026-09-14');
    expect(j.series.find((s) => s.id === 'spx')).toMatchObject({
      last: '2026-09-14',
      origin: 'embedded+user',
    });
  });

  it('offline: exit 1 naming the source, the URL and --from-dir; no stack trace; nothing written', async () => {
    const dataDir = join(tmp('vixshield-cli-off-'), 'd');
    // a loopback port nobody listens on: connection refused, as with no network
    const port = await closedPort();
    const r = await runCliAsync(['data', 'update', '--to', '2026-09-14', '--data-dir', dataDir], {
      env: { VIXSHIELD_PROVIDER_BASE_URL: `http://127.0.0.1:${port}` },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `(http://127.0.0.1:${port}/api/global/delayed_quotes/charts/historical/_SPX.json)`,
    );
    expect(r.stderr).toMatch(
      /^vixshield: Cboe SPX \(chart history\): connection refused \(http:\/\/127\.0\.0\.1:\d+\/api\/global\/delayed_quotes\/charts\/historical\/_SPX\.json\); offline: download it by hand, save it as SPX_historical\.json in a folder and run 'vixshield data update --from-dir <folder>'; nothing was written\n$/,
    );
    noStack(r.stderr);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('vixshield chain snapshot (real bin, loopback fixture server)', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer({
      [CHAIN]: { body: readFileSync(`${CHAIN_FIX}cboe-chain/_SPX-2019-06-26-1545-reencoded.json`, 'utf8') },
    });
  });
  afterAll(async () => {
    await server.close();
  });
  const env = () => ({ VIXSHIELD_PROVIDER_BASE_URL: server.url });

  it('stores the Cboe chain and says what it stored: provider, quote time, delay', async () => {
    const dataDir = tmp('vixshield-cli-chain-');
    const r = await runCliAsync(
      ['chain', 'snapshot', '--data-dir', dataDir, '--now', '2019-06-26T20:05:00Z'],
      { env: env() },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^stored 486 quotes \(SPX 0, SPXW 486; 3 expiries 2019-06-26 \.\. 2019-07-01\)\n/,
    );
    expect(r.stdout).toMatch(
      /provider cboe \(Cboe delayed quotes\), quote time 2019-06-26 15:45 ET, delay 15 min, published 2019-06-26 16:00 ET/,
    );
    const info = await runCliAsync(['chains', 'info', '--data-dir', dataDir]);
    expect(info.stdout).toMatch(/Cboe delayed quotes \/ cboe 2019-06-26 15:45 ET: 486 rows/);
  });

  it('stale: exit 1 with the reason, nothing stored', async () => {
    const dataDir = tmp('vixshield-cli-stale-');
    const r = await runCliAsync(
      ['chain', 'snapshot', '--data-dir', dataDir, '--now', '2019-06-26T21:00:00Z'],
      { env: env() },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^vixshield: Cboe delayed quotes: stale: the quotes are from 2019-06-26 15:45 ET, 75 minutes ago/,
    );
    expect(r.stderr).toMatch(/--provider cboe --file <it>'; nothing was stored\n$/);
    noStack(r.stderr);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('Tradier without TRADIER_TOKEN: exit 1 saying what to set; chain without --expiry still needs it', async () => {
    const r = await runCliAsync(
      ['chain', 'snapshot', '--provider', 'tradier', '--data-dir', tmp('vixshield-cli-tr-')],
      {
        env: { ...env(), TRADIER_TOKEN: '' },
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Tradier: no API token: set TRADIER_TOKEN/);
    const c = await runCliAsync(['chain', '--date', '2018-01-02']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/required option '--expiry <date>' not specified/);
  });
});
