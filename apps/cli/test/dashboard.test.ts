import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDashboard, WEB_APP_DIR } from '../src/dashboard';

describe('the dashboard build on first start', () => {
  it('builds a dashboard whose dist/ is missing, once, and then finds it built', () => {
    // A copy of apps/web without dist/, inside apps/web/node_modules (git-ignored) so that its
    // imports (vite, lightweight-charts) resolve as in the real folder.
    mkdirSync(join(WEB_APP_DIR, 'node_modules'), { recursive: true });
    const copy = mkdtempSync(join(WEB_APP_DIR, 'node_modules', '.dashboard-test-'));
    try {
      for (const f of ['index.html', 'package.json', 'vite.config.ts', 'tsconfig.json', 'src'])
        cpSync(join(WEB_APP_DIR, f), join(copy, f), { recursive: true });
      expect(existsSync(join(copy, 'dist'))).toBe(false);
      let started = 0;
      const first = ensureDashboard(copy, () => started++);
      expect(first.kind).toBe('built-now');
      expect(started).toBe(1);
      expect(existsSync(join(copy, 'dist', 'index.html'))).toBe(true);
      const second = ensureDashboard(copy, () => started++);
      expect(second).toEqual({ kind: 'built', dir: join(copy, 'dist') });
      expect(started).toBe(1);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('says why and how when there is nothing to build, instead of throwing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'vixshield-no-web-'));
    const r = ensureDashboard(empty);
    expect(r.kind).toBe('unavailable');
    if (r.kind === 'unavailable') {
      expect(r.reason).toContain(empty);
      expect(r.hint).toContain('npm run build:web');
    }
  });
});
