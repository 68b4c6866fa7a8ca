import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKTEST_JOBS_FILE, holdExclusiveLock, openBacktestJobStore } from '@vixshield/journal';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli';
import { REPO_ROOT } from '../../../test/support/paths';

describe('vixshield serve', () => {
  it('starts the HTTP server from the CLI and answers /, /api/health and /api/explain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-serve-'));
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'apps/cli/bin/vixshield.js'), 'serve', '--port', '0', '--data-dir', dir],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      let stderr = '';
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listen line: ${stderr}`)), 60_000);
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          const m = /listening on (http:\/\/[^\s)]+)/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      // No deprecation warning on start (issue 18: Fastify's disableRequestLogging warning on every serve).
      expect(stderr).not.toMatch(/Deprecation|Warning/);
      expect((await fetch(`${address}/api/health`)).status).toBe(200);
      // The dashboard was built by the install (or by this first start): / is the page, not a 503.
      const page = await fetch(`${address}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toMatch(/<script[^>]+src="[^"]*assets\/[^"]+\.js"/);
      const e = (await (await fetch(`${address}/api/explain/edr`)).json()) as { key: string };
      expect(e.key).toBe('edr');
      const p = await fetch(`${address}/api/book`, {
        method: 'POST',
        body: '[]',
        headers: { 'content-type': 'application/json' },
      });
      expect(p.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses to start on a damaged backtests.sqlite, naming the table, the row and the column (exit 1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-serve-'));
    const store = openBacktestJobStore(join(dir, BACKTEST_JOBS_FILE));
    store.insertQueued({ id: 'run-1', request: {}, createdAt: '2026-01-05T15:00:00.000Z' });
    store.db.prepare("UPDATE backtest_jobs SET request_json = 'not json' WHERE id = 'run-1'").run();
    store.close();
    const r = runCli(['serve', '--port', '0', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `vixshield: ${join(dir, BACKTEST_JOBS_FILE)}: table backtest_jobs, id run-1, column request_json: is not valid JSON`,
    );
    expect(r.stderr).not.toContain('internal error');
  });

  it('refuses to start on a data dir another server holds (exit 1), and starts once it is free', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-serve-'));
    const held = holdExclusiveLock(join(dir, 'serve.lock'))!; // what a running serve holds
    try {
      const r = runCli(['serve', '--port', '0', '--data-dir', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `vixshield: ${dir} is used by another vixshield serve (one server per data directory`,
      );
    } finally {
      held.release();
    }
    const again = holdExclusiveLock(join(dir, 'serve.lock')); // free again once the holder let go
    expect(again).toBeDefined();
    again!.release();
  });

  it('rejects a bad port, a short token, a bad --at and a bad --rate-limit with exit 2', () => {
    expect(runCli(['serve', '--port', 'x']).code).toBe(2);
    expect(runCli(['serve', '--token', 'short']).stderr).toContain('at least 16');
    expect(runCli(['serve', '--schedule', '--at', '25:00']).code).toBe(2);
    const rl = runCli(['serve', '--rate-limit', '0']);
    expect(rl.code).toBe(2);
    expect(rl.stderr).toContain('--rate-limit');
  });

  it('a port in use: exit 1 naming the address and the fix, no stack trace (issue 18)', async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'vixshield-serve-'));
      const r = runCli(['serve', '--port', String(port), '--data-dir', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`vixshield: listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
      expect(r.stderr).toContain('the port is in use: stop the other server or pass another --port');
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});
