import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { resolveConfig } from '@vixshield/core';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueAndCollect, parseRedisUrl, type SweepJob, type SweepJobResult } from '../../src/index';

/**
 * Two `vixshield worker` child processes, 50 tiny jobs, one worker SIGKILLed mid-run: every result is
 * collected exactly once. Needs a Redis: .ci/run starts one on loopback and sets VIXSHIELD_TEST_REDIS_URL.
 */
const url = process.env.VIXSHIELD_TEST_REDIS_URL;
const root = join(import.meta.dirname, '..', '..', '..', '..');

// Locally it is skipped without a Redis; in CI (.ci/run starts one) a missing URL is a failure, not a skip.
it.runIf(process.env.CI === 'true')('CI provides a Redis for the distributed-sweep test', () => {
  expect(url, 'VIXSHIELD_TEST_REDIS_URL must be set by .ci/run').toMatch(/^redis:\/\//);
});

describe.skipIf(!url)('distributed sweep on BullMQ (needs VIXSHIELD_TEST_REDIS_URL)', () => {
  const queueName = `vs-test-${process.pid}-${Date.now()}`;
  const children: ChildProcess[] = [];
  const startWorker = (): { child: ChildProcess; done: () => number } => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'apps/cli/bin/vixshield.js'),
        'worker',
        '--queue',
        url as string,
        '--queue-name',
        queueName,
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let done = 0;
    child.stderr?.on('data', (b: Buffer) => {
      done += (b.toString().match(/^done /gm) ?? []).length;
    });
    children.push(child);
    return { child, done: () => done };
  };
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    const q = new Queue(queueName, {
      connection: { ...parseRedisUrl(url as string), maxRetriesPerRequest: null },
    });
    await q.obliterate({ force: true });
    await q.close();
  });

  it('50 jobs, two workers, one killed with SIGKILL: all 50 results, each exactly once', async () => {
    const jobs: SweepJob[] = Array.from({ length: 50 }, (_, i) => ({
      config: resolveConfig('vixshield', { sizing: { maxLossFractionOfEquity: (i + 1) / 100 } }),
      from: '2019-01-02' as SweepJob['from'],
      to: '2019-01-18' as SweepJob['to'],
    }));
    const workers = [startWorker(), startWorker()];
    const seen: SweepJobResult[] = [];
    let killed = false;
    const collecting = enqueueAndCollect(jobs, {
      url: url as string,
      queueName,
      pollMs: 200,
      timeoutMs: 150_000,
      onResult: (r) => {
        seen.push(r);
      },
    });
    // Kill the first worker to finish a few jobs (it is then mid-way through the queue). Whichever it
    // is: on a loaded machine one worker may start seconds after the other and never reach three.
    const t0 = Date.now();
    let survivor: (typeof workers)[number] | undefined;
    while (!killed && Date.now() - t0 < 120_000) {
      const first = workers.find((w) => w.done() >= 3);
      if (first) {
        first.child.kill('SIGKILL');
        killed = true;
        survivor = workers.find((w) => w !== first);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(killed).toBe(true);
    const results = await collecting;
    expect(results).toHaveLength(50);
    const keys = results.map((r) => r.key);
    expect(new Set(keys).size).toBe(50);
    // onResult fired once per job id: collected exactly once.
    expect(seen).toHaveLength(50);
    expect(new Set(seen.map((r) => r.key)).size).toBe(50);
    expect(survivor!.done()).toBeGreaterThan(0);
    // Re-enqueueing the same configurations is a no-op (job id = config hash): same results, no new runs.
    const again = await enqueueAndCollect(jobs, {
      url: url as string,
      queueName,
      pollMs: 100,
      timeoutMs: 20_000,
    });
    expect(again.map((r) => r.key)).toEqual(keys);
    const q = new Queue(queueName, {
      connection: { ...parseRedisUrl(url as string), maxRetriesPerRequest: null },
    });
    expect(await q.getCompletedCount()).toBe(50);
    await q.close();
  }, 180_000);
});
