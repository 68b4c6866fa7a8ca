import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { backtestWithReports } from '@vixshield/app';
import { renderSweepHtml, runSweep } from '@vixshield/research';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchHeadlessChromium } from './support/chromium';

/**
 * Issue 18, report polish, in headless Debian Chromium: a generated backtest report's trade P&L
 * histogram is full width with readable labels (bin edges in USD, axis titles) that stay inside the
 * chart and apart from each other; the Summary's definitions wrap instead of being cut; a generated
 * sweep report's heatmap labels (long enum values on both axes) stay inside the heatmap and inside
 * their cells. Screenshots go to apps/web/test-screenshots/ (gitignored).
 */
const WEB = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = join(WEB, 'test-screenshots');

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
const inside = (a: Box, outer: Box, slack = 0.5) =>
  a.x >= outer.x - slack &&
  a.y >= outer.y - slack &&
  a.x + a.width <= outer.x + outer.width + slack &&
  a.y + a.height <= outer.y + outer.height + slack;
const overlapX = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width;

/** Screen boxes of the svg and of each of its <text> elements matching `selector`. */
async function textBoxes(page: Page, svg: string, selector = 'text') {
  return page.evaluate(
    ([svgSel, sel]) => {
      const el = document.querySelector(svgSel as string) as SVGSVGElement;
      const r = el.getBoundingClientRect();
      const texts = [...el.querySelectorAll(sel as string)].map((t) => {
        const b = t.getBoundingClientRect();
        return { text: t.textContent ?? '', x: b.x, y: b.y, width: b.width, height: b.height };
      });
      return { svg: { x: r.x, y: r.y, width: r.width, height: r.height }, texts };
    },
    [svg, selector],
  );
}

describe.skipIf(!existsSync(CHROMIUM))('generated reports in headless Chromium at 1280x800', () => {
  let browser: BrowserContext;
  let userDataDir: string;
  let page: Page;
  let dir: string;
  let backtestHtml: string;
  let sweepHtml: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vixshield-reports-browser-'));
    mkdirSync(SHOTS, { recursive: true });
    // A year of the default preset: enough trades for a histogram with losses and wins.
    const out = join(dir, 'backtest');
    const { files } = backtestWithReports({ from: '2022-01-03', to: '2022-12-30', out, quiet: true });
    backtestHtml = files.html!;
    // Two swept parameters with long enum values on both heatmap axes.
    const r = await runSweep({
      params: [
        'entry.tierPolicy=conservative,highest-allowed',
        'roll.rollbackMode=back-to-short,next-weekly',
      ],
      from: '2019-01-02',
      to: '2019-03-29',
      cacheDataDir: join(dir, 'sweep-cache'),
    });
    sweepHtml = join(dir, 'sweep.html');
    writeFileSync(sweepHtml, renderSweepHtml(r));
    ({ browser, userDataDir } = await launchHeadlessChromium({ width: 1280, height: 800 }));
    page = await browser.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the trade P&L histogram is full width, its USD bin labels and axis titles inside the chart and apart', async () => {
    await page.goto(pathToFileURL(backtestHtml).href);
    const card = await page.locator('#pnl-distribution').boundingBox();
    const main = await page.locator('main').boundingBox();
    expect(card && main).toBeTruthy();
    // Full width: the card spans the page column (it used to share a row with the Summary).
    expect(card!.width).toBeGreaterThan(main!.width - 40);
    const { svg, texts } = await textBoxes(page, '#pnl-distribution svg');
    expect(svg.width).toBeGreaterThan(1000);
    const bins = texts.filter((t) => t.text.includes('$') && !t.text.includes('P&L'));
    expect(bins.length).toBeGreaterThanOrEqual(4);
    for (const b of bins) expect(b.text).toMatch(/^-?\$\d{1,3}(,\d{3})*$/);
    for (const t of texts) expect(inside(t, svg), `"${t.text}" leaves the chart`).toBe(true);
    // Readable: rendered at 12 px or more.
    for (const b of bins) expect(b.height).toBeGreaterThanOrEqual(12);
    const sorted = [...bins].sort((a, b) => a.x - b.x);
    for (let i = 1; i < sorted.length; i++)
      expect(overlapX(sorted[i - 1]!, sorted[i]!), `${sorted[i - 1]!.text} / ${sorted[i]!.text}`).toBe(false);
    expect(texts.some((t) => t.text.startsWith('P&L per trade, USD'))).toBe(true);
    expect(texts.some((t) => t.text === 'trades')).toBe(true);
    await page.locator('#pnl-distribution').screenshot({ path: join(SHOTS, 'report-pnl-histogram.png') });
  }, 120_000);

  it('the Summary table: every definition wraps inside its cell, nothing scrolls or is cut', async () => {
    await page.goto(pathToFileURL(backtestHtml).href);
    const defs = page.locator('#summary td.def');
    expect(await defs.count()).toBeGreaterThan(20);
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('#summary td, #summary th, #summary .tw')]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map(
          (el) =>
            `${el.tagName} "${(el.textContent ?? '').slice(0, 40)}" ${el.scrollWidth} > ${el.clientWidth}`,
        ),
    );
    expect(cut).toEqual([]);
    // Each definition is fully inside the table, and the table inside the card.
    const table = await page.locator('#summary table').boundingBox();
    const cardBox = await page.locator('#summary').boundingBox();
    expect(table!.x + table!.width).toBeLessThanOrEqual(cardBox!.x + cardBox!.width + 0.5);
    for (const box of await defs.evaluateAll((els) =>
      els.map((el) => {
        const b = el.getBoundingClientRect();
        return { x: b.x, y: b.y, width: b.width, height: b.height };
      }),
    ))
      expect(inside(box, table!)).toBe(true);
    await page.locator('#summary').screenshot({ path: join(SHOTS, 'report-summary.png') });
    // A narrower window (half a laptop screen): the definitions wrap, still nothing cut.
    await page.setViewportSize({ width: 760, height: 800 });
    try {
      const narrow = await page.evaluate(() =>
        [...document.querySelectorAll('#summary td, #summary .tw')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => (el.textContent ?? '').slice(0, 40)),
      );
      expect(narrow).toEqual([]);
      await page.locator('#summary').screenshot({ path: join(SHOTS, 'report-summary-760px.png') });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  }, 120_000);

  it('the sweep heatmap: axis titles, row and column values and cell values inside the heatmap and their cells', async () => {
    await page.goto(pathToFileURL(sweepHtml).href);
    const { svg, texts } = await textBoxes(page, 'svg.heatmap');
    for (const v of ['highest-allowed', 'conservative', 'back-to-short', 'next-weekly'])
      expect(texts.some((t) => t.text === v)).toBe(true);
    expect(texts.some((t) => t.text === 'columns: entry.tierPolicy')).toBe(true);
    expect(texts.some((t) => t.text === 'rows: roll.rollbackMode')).toBe(true);
    for (const t of texts) expect(inside(t, svg), `"${t.text}" leaves the heatmap`).toBe(true);
    // Column values sit within their column of cells, cell values within their rect.
    const cells = await page.evaluate(() =>
      [...document.querySelectorAll('svg.heatmap rect')].map((r) => {
        const b = r.getBoundingClientRect();
        return { x: b.x, y: b.y, width: b.width, height: b.height };
      }),
    );
    expect(cells.length).toBe(4);
    const cellTexts = await textBoxes(page, 'svg.heatmap', 'text.hm-cell');
    for (const t of cellTexts.texts)
      expect(
        cells.some((c) => inside(t, c)),
        `cell value ${t.text} leaves its cell`,
      ).toBe(true);
    const colLabels = texts.filter((t) => t.text === 'conservative' || t.text === 'highest-allowed');
    for (const l of colLabels)
      expect(cells.some((c) => l.x >= c.x - 1 && l.x + l.width <= c.x + c.width + 3)).toBe(true);
    const rowLabels = texts.filter((t) => t.text === 'back-to-short' || t.text === 'next-weekly');
    const gridLeft = Math.min(...cells.map((c) => c.x));
    for (const l of rowLabels) expect(l.x + l.width).toBeLessThanOrEqual(gridLeft + 0.5);
    await page.locator('svg.heatmap').screenshot({ path: join(SHOTS, 'report-sweep-heatmap.png') });
  }, 120_000);
});
