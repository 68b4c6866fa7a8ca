import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/src/index';
import { condorPayoffPts } from '../src/payoff';
import { CHROMIUM, launchHeadlessChromium } from './support/chromium';

/**
 * The dashboard in headless Debian Chromium (never a downloaded browser): the strikes on the page must
 * equal the API's. Screenshots go to apps/web/test-screenshots/ (gitignored).
 */
const WEB = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = join(WEB, 'test-screenshots');
// A trading day: three tiers priced (2024-06-04 now skips on the Premium Gauge, with no tiers).
const DATE = '2023-06-14';
const TOKEN = 'browser-test-token-0123456789';

describe('payoff', () => {
  it('is the credit between the shorts, minus the width past the longs', () => {
    const k = { putLong: 5200, putShort: 5205, callShort: 5300, callLong: 5305 };
    expect(condorPayoffPts(k, 1.15, 5250)).toBeCloseTo(1.15);
    expect(condorPayoffPts(k, 1.15, 5100)).toBeCloseTo(1.15 - 5);
    expect(condorPayoffPts(k, 1.15, 5400)).toBeCloseTo(1.15 - 5);
    expect(condorPayoffPts(k, 1.15, 5302)).toBeCloseTo(1.15 - 2);
  });
});

// Locally it is skipped without Debian's chromium; .ci/run installs it, so in CI its absence fails.
it.runIf(process.env.CI === 'true')('CI has Debian chromium for the browser test', () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} must be installed by .ci/run`).toBe(true);
});

describe.skipIf(!existsSync(CHROMIUM))('dashboard in headless Chromium', () => {
  let browser: BrowserContext;
  let server: Awaited<ReturnType<typeof startServer>>;
  let userDataDir: string;

  beforeAll(async () => {
    if (!existsSync(join(WEB, 'dist/index.html'))) {
      execFileSync(process.execPath, [join(WEB, '../../node_modules/vite/bin/vite.js'), 'build'], {
        cwd: WEB,
        stdio: 'ignore',
      });
    }
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({
      port: 0,
      token: TOKEN,
      dataDir: mkdtempSync(join(tmpdir(), 'vixshield-web-')),
    });
    ({ browser, userDataDir } = await launchHeadlessChromium({ width: 1280, height: 1100 }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.app.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('shows the signal with the same strikes as the API, the charts and the payoff', async () => {
    const api = (await (await fetch(`${server.address}/api/signal?date=${DATE}`)).json()) as {
      signal: { tiers: Array<{ tier: string; strikes: Record<string, number> | null }> };
    };
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.address}/#/?date=${DATE}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(api.signal.tiers.length).toBeGreaterThan(0);
    for (const t of api.signal.tiers) {
      const shown = await page.textContent(`[data-testid="strikes-${t.tier}"]`);
      const k = t.strikes;
      expect(shown?.trim()).toBe(k ? `${k.putLong}/${k.putShort} ${k.callShort}/${k.callLong}` : '–');
    }
    expect(await page.locator('#spx-chart canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#vix-chart canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#payoff svg path').count()).toBe(2); // at expiry and T+0
    await page.screenshot({ path: join(SHOTS, 'signal.png'), fullPage: true });
    expect(errors).toEqual([]);

    // A finished backtest shows up as the equity chart.
    const post = await fetch(`${server.address}/api/backtests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: '2024-03-01', to: '2024-06-28' }),
    });
    const { id } = (await post.json()) as { id: string };
    for (let i = 0; i < 600; i++) {
      const j = (await (await fetch(`${server.address}/api/backtests/${id}`)).json()) as { status: string };
      if (j.status === 'done' || j.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await page.locator('#bt-chart canvas').count()).toBeGreaterThan(0);
    expect(await page.textContent('#bt-note')).toContain(id);
    await page.screenshot({ path: join(SHOTS, 'signal-with-backtest.png'), fullPage: true });

    await page.goto(`${server.address}/#/glossary`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await page.textContent('#term-alvh')).toContain('ALVH');
    await page.screenshot({ path: join(SHOTS, 'glossary.png'), fullPage: true });
    await page.close();
  });
});
