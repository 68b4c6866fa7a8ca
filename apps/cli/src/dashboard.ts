import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dashboard's sources (apps/web), relative to this file (apps/cli/src/dashboard.ts). */
export const WEB_APP_DIR = fileURLToPath(new URL('../../web', import.meta.url));

export type DashboardState =
  | { readonly kind: 'built'; readonly dir: string }
  | { readonly kind: 'built-now'; readonly dir: string; readonly elapsedMs: number }
  | { readonly kind: 'unavailable'; readonly reason: string; readonly hint: string };

const BUILD_HINT = 'run `npm run build:web` at the repository root (after `npm ci`)';

/** The Vite command line script installed for apps/web, or undefined when Vite is not installed. */
function viteBin(): string | undefined {
  try {
    const require = createRequire(join(WEB_APP_DIR, 'package.json'));
    const manifest = require.resolve('vite/package.json');
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> };
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.vite;
    return bin ? join(dirname(manifest), bin) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure the dashboard is built: `npm ci` builds it (the root postinstall), and this builds it on
 * `vixshield serve`'s first start when <webAppDir>/dist/index.html is missing (a clone installed with
 * --ignore-scripts, a deleted dist/). Never throws: when it cannot build, it says why and how, and the
 * server answers `/` with the same hint while the API works.
 */
export function ensureDashboard(webAppDir: string = WEB_APP_DIR, onBuildStart?: () => void): DashboardState {
  const dist = join(webAppDir, 'dist');
  if (existsSync(join(dist, 'index.html'))) return { kind: 'built', dir: dist };
  if (!existsSync(join(webAppDir, 'index.html')))
    return { kind: 'unavailable', reason: `no dashboard sources in ${webAppDir}`, hint: BUILD_HINT };
  const vite = viteBin();
  if (!vite)
    return {
      kind: 'unavailable',
      reason: 'Vite is not installed',
      hint: `run \`npm ci\`, then ${BUILD_HINT}`,
    };
  onBuildStart?.();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: webAppDir,
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(join(dist, 'index.html'))) {
    const detail = `${r.stderr ?? ''}${r.error ? String(r.error) : ''}`
      .trim()
      .split('\n')
      .slice(-3)
      .join(' ');
    return {
      kind: 'unavailable',
      reason: `the Vite build failed${detail ? `: ${detail}` : ''}`,
      hint: BUILD_HINT,
    };
  }
  return { kind: 'built-now', dir: dist, elapsedMs: performance.now() - t0 };
}
