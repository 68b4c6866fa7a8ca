import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChainStore, cboeChainProvider, storeSnapshot } from '@vixshield/chains';
import { DEFAULT_HOSTS } from '@vixshield/data';
import { openJournal } from '@vixshield/journal';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/src/index';
import { updateStoredPaperBook } from '../../server/src/paper';
import { CHROMIUM, launchHeadlessChromium } from './support/chromium';

/**
 * The dashboard's paper panel in headless Debian Chromium: the record the journal holds (built here from
 * the recorded Cboe 2019-06-26 15:45 ET payload) is shown trade by trade with the same numbers as
 * GET /api/paper, and the real credit beside the model's for the same strikes.
 */
const WEB = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = join(WEB, 'test-screenshots');
const CHAIN_FILE = fileURLToPath(
  new URL(
    '../../../packages/chains/test/fixtures/providers/cboe-chain/_SPX-2019-06-26-1545-reencoded.json',
    import.meta.url,
  ),
);

describe.skipIf(!existsSync(CHROMIUM))('paper panel in headless Chromium', () => {
  let browser: BrowserContext;
  let server: Awaited<ReturnType<typeof startServer>>;
  let userDataDir: string;

  beforeAll(async () => {
    const dist = join(WEB, 'dist/index.html');
    // Rebuild when the page source is newer than the build (the panel is new).
    if (!existsSync(dist) || statSync(dist).mtimeMs < statSync(join(WEB, 'src/main.ts')).mtimeMs) {
      execFileSync(process.execPath, [join(WEB, '../../node_modules/vite/bin/vite.js'), 'build'], {
        cwd: WEB,
        stdio: 'ignore',
      });
    }
    mkdirSync(SHOTS, { recursive: true });
    const dataDir = mkdtempSync(join(tmpdir(), 'vixshield-web-paper-'));
    const snap = await cboeChainProvider({
      hosts: DEFAULT_HOSTS,
      file: CHAIN_FILE,
      maxAgeMinutes: 30,
    }).snapshot(Date.parse('2019-06-26T20:05:00Z'));
    const store = await ChainStore.open(dataDir);
    await storeSnapshot(store, snap, Date.parse('2019-06-26T20:05:00Z'));
    store.close();
    // 2019 had no Thursday SPXW: the entry trades 2 trading days out; the 15:45 ET quote is 25 min old.
    const config = join(dataDir, 'dte2.yaml');
    writeFileSync(config, 'entry:\n  maxTradingDaysToExpiry: 2\n');
    const journal = openJournal(join(dataDir, 'journal.sqlite'));
    await updateStoredPaperBook(journal, {
      preset: 'vixshield',
      config,
      dataDir,
      to: '2019-07-05',
      maxSnapshotAgeMinutes: 30,
    });
    journal.close();
    server = await startServer({ port: 0, dataDir });
    ({ browser, userDataDir } = await launchHeadlessChromium({ width: 1280, height: 1400 }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.app.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('shows the record trade by trade with the API numbers, and real beside model credit', async () => {
    const api = (await (await fetch(`${server.address}/api/paper?preset=vixshield`)).json()) as {
      startedOn: string;
      fills: Array<{ fill: string; pnlUsd: number; trades: Array<{ id: string; pnl: number }> }>;
      days: Array<{
        date: string;
        prices: string;
        entries: Array<{ creditMid: number; modelCreditMid: number }>;
      }>;
    };
    expect(api.startedOn).toBe('2019-06-26');
    const main = api.fills[api.fills.length - 1]!;
    expect(main.trades.length).toBeGreaterThan(0);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.address}/#/paper`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await page.locator('#paper-trades tbody tr').count()).toBe(main.trades.length);
    const usd = (x: number) => `${x < 0 ? '−' : ''}$${Math.abs(x).toFixed(0)}`;
    for (const t of main.trades) {
      expect((await page.textContent(`tr[data-trade="${t.id}"] [data-testid="trade-pnl"]`))?.trim()).toBe(
        usd(t.pnl),
      );
    }
    for (const f of api.fills)
      expect((await page.textContent(`[data-testid="pnl-${f.fill}"]`))?.trim()).toBe(usd(f.pnlUsd));
    const real = api.days.find((d) => d.prices === 'real')!;
    expect(real.date).toBe('2019-06-26');
    expect((await page.textContent('[data-testid="real-2019-06-26"]'))?.trim()).toBe(
      real.entries[0]!.creditMid.toFixed(2),
    );
    expect((await page.textContent('[data-testid="model-2019-06-26"]'))?.trim()).toBe(
      real.entries[0]!.modelCreditMid.toFixed(2),
    );
    expect(await page.locator('#paper-chart canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'paper.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);
});
