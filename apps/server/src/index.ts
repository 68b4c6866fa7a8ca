import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openJournal } from '@vixshield/data';
import { buildServer, type ServerOptions } from './app';

export * from './app';
export * from './auth';
export * from './errors';

/** apps/web/dist relative to this package (the dashboard build output). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface StartOptions extends Omit<ServerOptions, 'journal'> {
  readonly port?: number;
  readonly host?: string;
  /** Data directory: the journal lives at <dataDir>/journal.sqlite. */
  readonly dataDir?: string;
}

/** Opens the journal, builds the app and listens; resolves with the bound address. */
export async function startServer(opts: StartOptions) {
  const dataDir = resolve(opts.dataDir ?? '.vixshield');
  const journal = openJournal(resolve(dataDir, 'journal.sqlite'));
  const app = await buildServer({ webDir: DEFAULT_WEB_DIR, ...opts, dataDir, journal });
  app.addHook('onClose', async () => journal.close());
  const address = await app.listen({ port: opts.port ?? 8787, host: opts.host ?? '127.0.0.1' });
  return { app, address, journal };
}
