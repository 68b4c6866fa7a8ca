import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildLiveSession,
  computeLiveSignal,
  computeSignal,
  loadSnapshotChains,
  marketData,
} from '@vixshield/app';
import { type IsoDate, type MarketSnapshot, zonedTimeToUtcMs } from '@vixshield/core';
import type { MarketData } from '@vixshield/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../../test/support/cli';
import { type FixtureServer, startFixtureServer } from '../../../test/support/fixture-server';

/*
 * Issue 13: the 15:10 CT signal of a day without its daily row, from the day's chain snapshot. The
 * recorded Cboe `_SPX.json` payload (2019-06-26 15:45 ET) is stored over the loopback server; the
 * embedded daily data has a row for 2019-06-26, so `--session snapshot` builds the live session as on a
 * live day: every daily row dated 2019-06-26 or later is cut before anything is built (the in-process
 * test below poisons them and checks the decision is unchanged). A day past the data without a
 * snapshot is refused with what to run.
 */

const CHAIN_FILE = fileURLToPath(
  new URL(
    '../../../packages/chains/test/fixtures/providers/cboe-chain/_SPX-2019-06-26-1545-reencoded.json',
    import.meta.url,
  ),
);
const CHAIN = '/api/global/delayed_quotes/options/_SPX.json';
const DAY = '2019-06-26' as IsoDate;
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

interface Payload {
  data: {
    current_price: number;
    options: Array<{ option: string; bid: number; ask: number; open_interest?: number }>;
  };
}

/** The payload's quotes in the Cboe DataShop layout (the `vix --chain` parser, not the chain store). */
function payloadAsDataShopCsv(p: Payload): string {
  const head =
    'underlying_symbol,quote_date,root,expiration,strike,option_type,close,trade_volume,bid_1545,ask_1545,underlying_bid_1545,underlying_ask_1545,active_underlying_price_1545,implied_volatility_1545,delta_1545,gamma_1545,theta_1545,vega_1545,open_interest';
  const lines = [head];
  for (const o of p.data.options) {
    const m = /^(SPXW?)(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/.exec(o.option);
    if (!m) throw new Error(`not an OSI symbol: ${o.option}`);
    const [, root, yy, mm, dd, right, k] = m;
    const expiry = `${Number(mm)}/${Number(dd)}/20${yy}`;
    lines.push(
      [
        '^SPX',
        '6/26/2019',
        root,
        expiry,
        (Number(k) / 1000).toFixed(3),
        right,
        0,
        0,
        o.bid,
        o.ask,
        p.data.current_price,
        p.data.current_price,
        p.data.current_price,
        0,
        0,
        0,
        0,
        0,
        o.open_interest ?? 0,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

interface LiveJson {
  date: string;
  spx: number;
  pricesSource: string;
  pricesDetail: string;
  gate: { vix: number };
  chosenTier: string | null;
  liveSession: {
    lastDailyRow: string;
    quoteTimeEt: string;
    provider: string;
    delaySeconds: number;
    spx: { value: number; source: string };
    vix: { value: number; terms: Array<{ expiry: string }>; note?: string };
    vix9d: { value: number | null; reason?: string };
    oneDayVix: { value: number | null; source: string };
    rate: { r: number; asOf: string };
    dividendYield: { asOf: string };
  };
}

describe('signal from the live session of a chain snapshot (real bin)', () => {
  let server: FixtureServer;
  let dataDir: string;
  let config: string;
  const payload = JSON.parse(readFileSync(CHAIN_FILE, 'utf8')) as Payload;
  beforeAll(async () => {
    server = await startFixtureServer({ [CHAIN]: { body: readFileSync(CHAIN_FILE, 'utf8') } });
    dataDir = join(tmp('vixshield-live-'), 'd');
    const snap = await runCliAsync(
      ['chain', 'snapshot', '--data-dir', dataDir, '--now', '2019-06-26T20:05:00Z'],
      { env: { VIXSHIELD_PROVIDER_BASE_URL: server.url } },
    );
    expect(snap.code).toBe(0);
    // The recorded chain's farthest SPXW expiry is 2 trading days out (2019 had no Thursday SPXW).
    config = join(tmp('vixshield-live-cfg-'), 'dte2.yaml');
    writeFileSync(config, 'entry:\n  maxTradingDaysToExpiry: 2\n');
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  const liveArgs = () => [
    'signal',
    '--date',
    DAY,
    '--session',
    'snapshot',
    '--data-dir',
    dataDir,
    '--config',
    config,
    '--max-snapshot-age',
    '30',
  ];

  it('SPX from the payload, VIX by the Cboe method from its quotes (= vix --chain), stated as intraday', async () => {
    const r = await runCliAsync([...liveArgs(), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as LiveJson;
    const l = s.liveSession;
    expect(s.pricesSource).toBe('real');
    expect(l.lastDailyRow).toBe('2019-06-25');
    expect(l).toMatchObject({ provider: 'cboe', quoteTimeEt: '2019-06-26 15:45 ET', delaySeconds: 900 });
    // SPX: the payload's data.current_price, not the 2019-06-26 close (2913.78).
    expect(l.spx.value).toBe(payload.data.current_price);
    expect(s.spx).toBe(payload.data.current_price);
    expect(l.spx.source).toBe('Cboe _SPX.json data.current_price');
    // Rates as of the previous session, never the day's.
    expect(l.rate.asOf < DAY).toBe(true);
    expect(l.dividendYield.asOf < DAY).toBe(true);

    // VIX: the same quotes through the DataShop parser and `vix --source real --chain` at the same rate.
    const csv = join(tmp('vixshield-live-csv-'), 'spx-2019-06-26.csv');
    writeFileSync(csv, payloadAsDataShopCsv(payload));
    const v = await runCliAsync([
      'vix',
      '--source',
      'real',
      '--chain',
      csv,
      '--layout',
      'datashop',
      '--date',
      DAY,
      '--rate',
      String(l.rate.r),
      '--json',
    ]);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    const ref = JSON.parse(v.stdout) as { vix: number; terms: Array<{ expiry: string }> };
    expect(l.vix.value).toBeCloseTo(ref.vix, 9);
    expect(l.vix.terms.map((t) => t.expiry)).toEqual(ref.terms.map((t) => t.expiry));
    expect(s.gate.vix).toBeCloseTo(ref.vix, 9);
    // The recorded chain has expiries to 07-01 only: no 30-day bracket (said) and no VIX9D (why).
    expect(l.vix.note).toMatch(/none bracketing 30 days/);
    expect(l.vix9d.value).toBeNull();
    expect(l.vix9d.reason).toMatch(/no two expiries bracket 9.00 days/);
    // without a VIX9D the one-day vol falls back to the model on the snapshot's own VIX
    expect(l.oneDayVix.value).toBeGreaterThan(0);
    expect(l.oneDayVix.value!).toBeLessThan(l.vix.value!);
    expect(l.oneDayVix.source).toMatch(
      /on the snapshot VIX \(no VIX9D from the snapshot: no two expiries bracket 9\.00 days/,
    );
    expect(s.pricesDetail).toMatch(
      /SPX 2918\.11 and VIX \d+\.\d\d are intraday values of that snapshot \(Cboe _SPX\.json data\.current_price; VIX by the Cboe method from its quotes\), not closes/,
    );

    const text = await runCliAsync(liveArgs());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /live session: SPX 2918\.11 \(Cboe _SPX\.json data\.current_price\) and VIX \d+\.\d\d \(Cboe VIX method \(30-day\) on the snapshot's SPX\/SPXW quotes at 2019-06-26 15:45 ET\) are intraday values quoted 2019-06-26 15:45 ET by cboe \(delay 15 min\), not closes/,
    );
  });

  it('a day past the daily data without a snapshot is refused with what to run', async () => {
    const r = await runCliAsync(['signal', '--date', '2026-08-24', '--data-dir', dataDir]);
    expect(r.code).toBe(1); // the market data is missing (not-found: exit 1), not bad input
    expect(r.stderr).toContain(
      "vixshield: signal 2026-08-24: 2026-08-24 is after the last daily row (2026-08-21) and the chain store has no snapshot of 2026-08-24, so there is no market for it: run 'vixshield data update'",
    );
    expect(r.stderr).toContain("'vixshield chain snapshot' before the 15:10 CT entry");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('daily data ending the day before: the default signal is the snapshot day, from the live session', async () => {
    // The bin first: the in-process calls below keep the chain store open for a while (one DuckDB writer).
    const bin = await runCliAsync([...liveArgs(), '--json']);
    expect(bin.stderr).toBe('');
    // The daily data as a data dir whose series end 2019-06-25 would give it (embedded rows cut).
    const md = marketData();
    const cut = <T extends { date: IsoDate }>(xs: readonly T[]) => xs.filter((x) => x.date < DAY);
    const snapshots = cut(md.snapshots);
    const byDate = new Map(snapshots.map((s) => [s.date as string, s]));
    const trimmed: MarketData = {
      ...md,
      snapshots,
      byDate: (d) => byDate.get(d),
      data: {
        ...md.data,
        spx: cut(md.data.spx),
        vix: cut(md.data.vix),
        vix9d: cut(md.data.vix9d),
        dgs3mo: cut(md.data.dgs3mo),
        dff: cut(md.data.dff),
      },
    };
    const opts = { dataDir, config, maxSnapshotAge: 30, market: trimmed };
    const s = await computeLiveSignal(opts); // no --date, no --session
    expect(s.date).toBe(DAY);
    expect(s.liveSession?.lastDailyRow).toBe('2019-06-25');
    expect(s.spx).toBe(payload.data.current_price);
    // The same decision as `--session snapshot` on the full data (which ignores the rows of the day on).
    const full = JSON.parse(bin.stdout) as LiveJson & { tiers: unknown; chosenTier: string | null };
    expect(JSON.parse(JSON.stringify(s.liveSession))).toEqual(full.liveSession);
    expect(JSON.parse(JSON.stringify(s.tiers))).toEqual(full.tiers);
    expect(s.chosenTier).toBe(full.chosenTier);
    // Without its snapshot the same day is refused, naming what to run.
    await expect(
      computeLiveSignal({ ...opts, date: DAY, dataDir: tmp('vixshield-live-empty-') }),
    ).rejects.toThrow(
      /2019-06-26 is after the last daily row \(2019-06-25\) and the data dir has no chain store, so there is no market for it: run 'vixshield data update' .* and 'vixshield chain snapshot'/,
    );
  });

  it('intraday marks (issue 16): the snapshot is listed for the day even when too old for the entry', async () => {
    // Default staleness (20 min): the 15:45 ET snapshot is refused for the 16:10 ET entry ...
    const found = await loadSnapshotChains(dataDir, { from: DAY, to: DAY });
    expect(found.used).toEqual([]);
    expect(found.refused.map((r) => r.date)).toEqual([DAY]);
    // ... but its chains, stamped 15:45 ET, are there for the bar closes at or shortly after 15:45.
    const chains = found.intradayByDate.get(DAY) ?? [];
    expect(chains.length).toBeGreaterThan(0);
    const at1545 = zonedTimeToUtcMs(DAY, '15:45', 'America/New_York');
    for (const c of chains) {
      expect(c.source.kind).toBe('real');
      expect(c.asOf).toBe(DAY);
      expect(c.quoteTimeUtcMs).toBe(at1545);
    }
    expect(chains.some((c) => c.expiry === DAY)).toBe(true);
  });

  it('no look-ahead: poisoning every daily value dated the day or later leaves the decision unchanged', async () => {
    const md = marketData();
    const found = await loadSnapshotChains(dataDir, { from: DAY, to: DAY }, { maxAgeMinutes: 30 });
    const used = found.used[0];
    const chains = found.chainsByDate.get(DAY);
    expect(used).toBeDefined();
    if (!used || !chains) return;
    const opts = { timeCt: '15:10', zLookbackDays: 20 };
    const poisonSnap = (s: MarketSnapshot): MarketSnapshot =>
      s.date < DAY
        ? s
        : {
            ...s,
            spx: { ...s.spx, close: s.spx.close * 3 },
            vix: 80,
            vix9d: 90,
            rate: s.rate ? { ...s.rate, r: 0.5 } : null,
            dividendYield: s.dividendYield ? { ...s.dividendYield, q: 0.4 } : null,
          };
    const later = <T extends { date: IsoDate; value: number }>(xs: readonly T[]) =>
      xs.map((x) => (x.date < DAY ? x : { ...x, value: x.value * 7 }));
    const poisonedSnapshots = md.snapshots.map(poisonSnap);
    const byDate = new Map(poisonedSnapshots.map((s) => [s.date as string, s]));
    const poisoned: MarketData = {
      ...md,
      snapshots: poisonedSnapshots,
      byDate: (d) => byDate.get(d),
      data: {
        ...md.data,
        dgs3mo: later(md.data.dgs3mo),
        dff: later(md.data.dff),
        vix: later(md.data.vix),
        vix9d: later(md.data.vix9d),
      },
    };
    // The poison is real: the day's own daily session would differ.
    expect(poisoned.byDate(DAY)?.spx.close).not.toBe(md.byDate(DAY)?.spx.close);
    const clean = buildLiveSession(md, DAY, chains, used, opts);
    const dirty = buildLiveSession(poisoned, DAY, chains, used, opts);
    expect(dirty.session).toEqual(clean.session);
    expect(dirty.info).toEqual(clean.info);
    const chainSource = found.byDate.get(DAY);
    const base = { preset: 'vixshield', config, source: 'model' as const };
    const a = computeSignal({ ...base, ...(chainSource ? { chains: chainSource } : {}), live: clean });
    const b = computeSignal({ ...base, ...(chainSource ? { chains: chainSource } : {}), live: dirty });
    expect(b).toEqual(a);
    expect(a.pricesSource).toBe('real');
    expect(a.spx).toBe(payload.data.current_price);
  });
});
