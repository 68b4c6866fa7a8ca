import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** The Debian chromium the browser tests drive (.ci/run installs it; CHROMIUM_PATH overrides). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium with a fresh profile per run (playwright passes it as --user-data-dir), no
 * sandbox, GPU, network side traffic or first-run UI; the caller removes `userDataDir` when done.
 */
export async function launchHeadlessChromium(viewport: {
  readonly width: number;
  readonly height: number;
}): Promise<{ browser: BrowserContext; userDataDir: string }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'vixshield-chromium-'));
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { ...viewport },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { browser, userDataDir };
}
