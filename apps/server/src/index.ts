import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marketData } from '@vixshield/app';
import type { ProviderHosts } from '@vixshield/data';
import { openJournal } from '@vixshield/journal';
import { buildServer, type ServerOptions } from './app';
import { dailyServiceHooks, withPaperBooks } from './daily-service';
import { SignalPool } from './jobs/signal-pool';
import { Scheduler } from './scheduler';

export * from './app';
export * from './auth';
export * from './daily-service';
export * from './errors';
export * from './jobs/backtest';
export * from './jobs/backtest-queue';
export * from './jobs/signal';
export * from './jobs/signal-pool';
export * from './paper';
export * from './signal-cache';

/** apps/web/dist relative to this package (the dashboard build output). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface StartOptions extends Omit<ServerOptions, 'journal'> {
  readonly port?: number;
  readonly host?: string;
  /** Data directory: the journal is <dataDir>/journal.sqlite, the backtest runs <dataDir>/backtests.sqlite. */
  readonly dataDir?: string;
  /** Starts the daily scheduler (compute, store, POST to the webhooks). */
  readonly schedule?: {
    webhooks: readonly string[];
    presets?: readonly string[];
    timeCt?: string;
    /** The daily service's chain provider, hosts (a mirror) and limits (see daily-service.ts). */
    provider?: 'cboe' | 'tradier';
    hosts?: ProviderHosts;
    maxSnapshotAgeMinutes?: number;
    paperFill?: string;
  };
}

function pick(sc: NonNullable<StartOptions['schedule']>) {
  return {
    ...(sc.provider ? { provider: sc.provider } : {}),
    ...(sc.hosts ? { hosts: sc.hosts } : {}),
    ...(sc.maxSnapshotAgeMinutes !== undefined ? { maxSnapshotAgeMinutes: sc.maxSnapshotAgeMinutes } : {}),
    ...(sc.paperFill ? { paperFill: sc.paperFill } : {}),
  };
}

/** Opens the journal, builds the app and listens; resolves with the bound address. */
export async function startServer(opts: StartOptions) {
  const dataDir = resolve(opts.dataDir ?? '.vixshield');
  const journal = openJournal(resolve(dataDir, 'journal.sqlite'));
  // Load the market data before listening, so no request pays for it (it is cached per process).
  marketData(dataDir);
  // The worker thread of first-time signal computations is ready before the server listens.
  const signalPool = new SignalPool();
  await signalPool.warm(dataDir);
  let app: Awaited<ReturnType<typeof buildServer>>;
  try {
    app = await buildServer({ webDir: DEFAULT_WEB_DIR, ...opts, dataDir, journal, signalPool });
  } catch (err) {
    // E.g. a damaged backtests.sqlite: release the worker thread and the journal, so the caller's
    // process can report the error and exit.
    await signalPool.close();
    journal.close();
    throw err;
  }
  let scheduler: Scheduler | undefined;
  if (opts.schedule) {
    const sc = opts.schedule;
    const presets = sc.presets ?? ['vixshield'];
    const service = { dataDir, journal, book: 'journal' as const, ...pick(sc) };
    const hooks = withPaperBooks(dailyServiceHooks(service), service, presets);
    scheduler = new Scheduler({
      journal,
      webhooks: sc.webhooks,
      presets,
      ...(sc.timeCt ? { timeCt: sc.timeCt } : {}),
      prepare: hooks.prepare,
      compute: hooks.compute,
      afterClose: hooks.afterClose,
      log: (m) => app.log.info(m),
    });
  }
  app.addHook('onClose', async () => {
    scheduler?.stop();
    await scheduler?.running?.catch(() => undefined);
    await signalPool.close();
    journal.close();
  });
  let address: string;
  try {
    address = await app.listen({ port: opts.port ?? 8787, host: opts.host ?? '127.0.0.1' });
  } catch (err) {
    await app.close(); // e.g. the port is taken: release the data dir, the threads and the journal
    throw err;
  }
  scheduler?.start();
  return { app, address, journal, scheduler };
}
export * from './scheduler';
