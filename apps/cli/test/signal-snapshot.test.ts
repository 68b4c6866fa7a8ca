import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../../test/support/cli';
import { type FixtureServer, startFixtureServer } from '../../../test/support/fixture-server';

/*
 * Issue 13 item 2 (the signal part): `data update --from-dir <recorded fixtures>`, then the recorded
 * Cboe `_SPX.json` payload stored as a chain snapshot over the loopback server, then `signal` for the
 * snapshot's day prices the condor from those quotes and says so; a stale snapshot is refused; a day
 * without one uses the model and says so. The real bin in a child process; no network.
 *
 * The recorded chain is of 2019-06-26 15:45 ET (= 14:45 CT, 25 minutes before the 15:10 CT entry) and
 * has SPXW expiries 06-26, 06-28 and 07-01 only (2019 had no Thursday SPXW), so the entry here trades
 * 2 trading days out (a config override) and the staleness limit is raised to 30 minutes where the
 * snapshot must price; the default 20 minutes refuses it.
 */

const FIX = fileURLToPath(new URL('../../../packages/data/test/fixtures/providers/', import.meta.url));
const CHAIN_FILE = fileURLToPath(
  new URL(
    '../../../packages/chains/test/fixtures/providers/cboe-chain/_SPX-2019-06-26-1545-reencoded.json',
    import.meta.url,
  ),
);
const CHAIN = '/api/global/delayed_quotes/options/_SPX.json';
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

interface Payload {
  data: { options: Array<{ option: string; bid: number; ask: number }> };
}

/** Mid of one contract straight from the recorded payload (independent of the chain store). */
function payloadMid(symbol: string): number {
  const p = JSON.parse(readFileSync(CHAIN_FILE, 'utf8')) as Payload;
  const o = p.data.options.find((x) => x.option === symbol);
  if (!o) throw new Error(`${symbol} not in the payload`);
  return (o.bid + o.ask) / 2;
}

const osi = (expiry: string, right: 'C' | 'P', strike: number) =>
  `SPXW${expiry.slice(2).replaceAll('-', '')}${right}${String(strike * 1000).padStart(8, '0')}`;

describe('signal from a recorded chain snapshot (real bin)', () => {
  let server: FixtureServer;
  let dataDir: string;
  let config: string;
  beforeAll(async () => {
    server = await startFixtureServer({ [CHAIN]: { body: readFileSync(CHAIN_FILE, 'utf8') } });
    dataDir = join(tmp('vixshield-sigsnap-'), 'd');
    const from = tmp('vixshield-sigsnap-from-');
    for (const sub of ['cboe-index', 'cboe-spx', 'fred', 'cfe', 'events'])
      for (const f of readdirSync(join(FIX, sub))) copyFileSync(join(FIX, sub, f), join(from, f));
    const upd = await runCliAsync([
      'data',
      'update',
      '--from-dir',
      from,
      '--to',
      '2026-09-14',
      '--data-dir',
      dataDir,
    ]);
    expect(upd.code).toBe(0);
    const snap = await runCliAsync(
      ['chain', 'snapshot', '--data-dir', dataDir, '--now', '2019-06-26T20:05:00Z'],
      {
        env: { VIXSHIELD_PROVIDER_BASE_URL: server.url },
      },
    );
    expect(snap.code).toBe(0);
    config = join(tmp('vixshield-sigsnap-cfg-'), 'dte2.yaml');
    writeFileSync(config, 'entry:\n  maxTradingDaysToExpiry: 2\n');
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  it('prices the condor from the snapshot bid/ask and names provider, quote time and delay', async () => {
    const r = await runCliAsync([
      'signal',
      '--date',
      '2019-06-26',
      '--data-dir',
      dataDir,
      '--config',
      config,
      '--max-snapshot-age',
      '30',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as {
      pricesSource: string;
      pricesDetail: string;
      expiry: string;
      chainSnapshot: {
        provider: string;
        quoteTimeEt: string;
        delaySeconds: number;
        ageAtEntryMinutes: number;
      };
      tiers: Array<{
        tier: string;
        creditMid: number;
        strikes: { putLong: number; putShort: number; callShort: number; callLong: number };
      }>;
    };
    expect(s.pricesSource).toBe('real');
    // real quotes: no model error statement (it is for modelled prices)
    expect((s as { modelError?: string }).modelError).toBeUndefined();
    expect(s.chainSnapshot).toMatchObject({
      provider: 'cboe',
      quoteTimeEt: '2019-06-26 15:45 ET',
      delaySeconds: 900,
      ageAtEntryMinutes: 25,
    });
    expect(s.pricesDetail).toMatch(/cboe snapshot .* quoted 2019-06-26 15:45 ET, delay 15 min/);
    expect(s.expiry).toBe('2019-06-28');
    expect(s.tiers.length).toBeGreaterThan(0);
    for (const t of s.tiers) {
      // The credit is the payload's own mids: short legs minus long legs, read here from the JSON.
      const k = t.strikes;
      const byHand =
        payloadMid(osi(s.expiry, 'P', k.putShort)) -
        payloadMid(osi(s.expiry, 'P', k.putLong)) +
        payloadMid(osi(s.expiry, 'C', k.callShort)) -
        payloadMid(osi(s.expiry, 'C', k.callLong));
      expect(t.creditMid).toBeCloseTo(byHand, 9);
    }
    const text = await runCliAsync([
      'signal',
      '--date',
      '2019-06-26',
      '--data-dir',
      dataDir,
      '--config',
      config,
      '--max-snapshot-age',
      '30',
    ]);
    expect(text.stdout).toContain(
      'chain snapshot: provider cboe (Cboe delayed quotes), quote time 2019-06-26 15:45 ET, delay 15 min, 25 min before the entry (limit 30)',
    );
  });

  it('a snapshot older than the default 20-minute limit is refused with a clear message', async () => {
    const r = await runCliAsync(['signal', '--date', '2019-06-26', '--data-dir', dataDir]);
    expect(r.code).toBe(1); // no usable snapshot (not-found: exit 1), not bad input
    expect(r.stderr).toMatch(
      /^vixshield: signal 2019-06-26: the cboe snapshot quoted at 2019-06-26 15:45 ET \(delay 15 min\) is 25 min older than the entry at 2019-06-26 16:10 ET; the staleness limit is 20 min/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a day without a snapshot is priced by the model and says so', async () => {
    const r = await runCliAsync(['signal', '--date', '2019-06-25', '--data-dir', dataDir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as {
      pricesSource: string;
      pricesDetail: string;
      chainSnapshot?: unknown;
      modelError?: string;
    };
    expect(s.pricesSource).toBe('modelled');
    expect(s.modelError).toMatch(/^Measured model error in the condor's zone/);
    expect(s.pricesDetail).toMatch(/no chain snapshot of 2019-06-25 in the chain store, so the model priced/);
    expect(s.chainSnapshot).toBeUndefined();
  });
});
