/**
 * `npm run bench -- service [--rate 500] [--duration 20] [--connections 50]`: GET /api/signal under a
 * fixed request rate (autocannon overallRate), against a real `startServer` listening on a free port
 * with a fresh journal. The first request computes and stores the signal; the rest hit the journal's
 * (date, preset, inputs hash) fast path, which is what a dashboard or a bot polling the signal sees.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startServer } from '../apps/server/src/index.ts';

function arg(args: readonly string[], name: string, def: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
}

export async function runServiceBench(args: readonly string[]): Promise<void> {
  const rate = arg(args, 'rate', 500);
  const duration = arg(args, 'duration', 20);
  const connections = arg(args, 'connections', 50);
  const date = '2024-06-04';
  const { app, address } = await startServer({
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'vixshield-bench-')),
    rateLimitPerMinute: 10_000_000,
  });
  try {
    const url = `${address}/api/signal?date=${date}&preset=vixshield`;
    const t0 = performance.now();
    const first = await fetch(url);
    const coldMs = performance.now() - t0;
    if (first.status !== 200) throw new Error(`warm-up request answered ${first.status}`);
    const result = await autocannon({ url, connections, duration, overallRate: rate });
    const lat = result.latency;
    const line = (k: string, v: string) => `${k.padEnd(28)} ${v}`;
    const out = [
      `GET /api/signal?date=${date} at ${rate} req/s target, ${connections} connections, ${duration} s`,
      line('first request (compute+store)', `${coldMs.toFixed(0)} ms`),
      line('requests', `${result.requests.total} (${result.requests.average.toFixed(0)} req/s average)`),
      line('non-2xx / errors / timeouts', `${result.non2xx} / ${result.errors} / ${result.timeouts}`),
      line('latency p50 / p90 / p99', `${lat.p50} / ${lat.p90} / ${lat.p99} ms`),
      line('latency max', `${lat.max} ms`),
    ].join('\n');
    process.stdout.write(`${out}\n`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      'bench/results/service-latest.json',
      `${JSON.stringify({ rate, connections, duration, coldMs, requests: result.requests, latency: lat, non2xx: result.non2xx, errors: result.errors }, null, 2)}\n`,
    );
  } finally {
    await app.close();
  }
}
