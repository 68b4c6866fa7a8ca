import { resolve } from 'node:path';
import { fillModel, maxSnapshotAgeOption } from '@vixshield/app';
import type { Command } from 'commander';
import { ensureDashboard, WEB_APP_DIR } from '../dashboard';
import { optionError } from '../errors';
import { defaultDataDir } from './chains';
import { providerHosts } from './provider-env';

export interface ServeArgs {
  port?: string;
  host?: string;
  token?: string;
  dataDir?: string;
  schedule?: boolean;
  webhook?: string[];
  at?: string;
  presets?: string;
  requestLog?: boolean;
  rateLimit?: string;
  provider?: string;
  maxSnapshotAge?: string;
  paperFill?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'HTTP API and dashboard: /api/health, /api/signal, /api/edr, /api/chain, /api/calendar, /api/backtests, /api/book, /api/explain, OpenAPI at /api/docs',
    )
    .option('--port <port>', 'TCP port', '8787')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--token <token>', 'bearer token for mutating routes (default: $VIXSHIELD_TOKEN)')
    .option('--data-dir <dir>', 'data directory (journal.sqlite, backtests.sqlite, imports)')
    .option(
      '--schedule',
      'compute, store and POST the signal every trading day (15:10 CT; early close + 10 min)',
    )
    .option('--webhook <url...>', 'webhook URL(s) the scheduler POSTs each signal to')
    .option('--at <HH:MM>', 'scheduler time on regular days, America/Chicago', '15:10')
    .option('--presets <names>', 'comma-separated presets the scheduler computes', 'vixshield')
    .option(
      '--provider <p>',
      'chain snapshot before the entry: cboe (delayed 15 min, no key) or tradier (real time, $TRADIER_TOKEN)',
      'cboe',
    )
    .option(
      '--max-snapshot-age <minutes>',
      'the signal refuses a snapshot quoted more than this before the entry',
      '20',
    )
    .option('--paper-fill <model>', 'fill model of the paper book beside mid', 'orats-like')
    .option('--rate-limit <n>', 'requests per minute per client IP', '600')
    .option(
      '--no-request-log',
      'do not log a line per request (start-up, errors and the scheduler still log)',
    )
    .action(async (opts: ServeArgs) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw optionError(`--port '${opts.port}' must be an integer 0-65535`, 'port');
      const rateLimit = Number(opts.rateLimit ?? '600');
      if (!Number.isInteger(rateLimit) || rateLimit < 1)
        throw optionError(
          `--rate-limit '${opts.rateLimit}' must be a positive integer (requests per minute)`,
          'rateLimit',
        );
      const token = opts.token ?? process.env.VIXSHIELD_TOKEN;
      if (token !== undefined && token.length < 16)
        throw optionError('--token must be at least 16 characters (e.g. openssl rand -hex 24)', 'token');
      if (opts.at !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(opts.at))
        throw optionError(`--at '${opts.at}' must be HH:MM (24h, America/Chicago)`, 'at');
      if (opts.provider !== undefined && opts.provider !== 'cboe' && opts.provider !== 'tradier')
        throw optionError(`--provider '${opts.provider}' must be cboe or tradier`, 'provider');
      for (const u of opts.webhook ?? []) {
        if (!/^https?:\/\//.test(u)) throw optionError(`--webhook '${u}' must be an http(s) URL`, 'webhook');
      }
      const dataDir = resolve(opts.dataDir ?? defaultDataDir());
      // The install builds the dashboard; a clone installed without scripts gets it built here once.
      const dashboard = ensureDashboard(WEB_APP_DIR, () =>
        process.stderr.write('vixshield serve: building the dashboard (first start, a few seconds)\n'),
      );
      if (dashboard.kind === 'unavailable')
        process.stderr.write(
          `vixshield serve: the dashboard is not built (${dashboard.reason}); ${dashboard.hint}. The API works without it.\n`,
        );
      // Imported here so the rest of the CLI does not load fastify.
      const { startServer } = await import('@vixshield/server');
      const { app, address } = await startServer({
        port,
        host: opts.host ?? '127.0.0.1',
        dataDir,
        ...(token ? { token } : {}),
        ...(opts.schedule
          ? {
              schedule: {
                webhooks: opts.webhook ?? [],
                presets: (opts.presets ?? 'vixshield').split(',').map((x) => x.trim()),
                timeCt: opts.at ?? '15:10',
                provider: opts.provider === 'tradier' ? 'tradier' : 'cboe',
                hosts: providerHosts(),
                maxSnapshotAgeMinutes: maxSnapshotAgeOption(opts.maxSnapshotAge),
                paperFill:
                  fillModel(opts.paperFill).name === 'fraction'
                    ? (opts.paperFill as string)
                    : fillModel(opts.paperFill).name,
              },
            }
          : {}),
        logger: true,
        requestLog: opts.requestLog !== false,
        rateLimitPerMinute: rateLimit,
      });
      process.stderr.write(
        `vixshield serve: listening on ${address} (journal ${dataDir}/journal.sqlite)${token ? '' : '; no --token: mutating routes answer 401'}\n`,
      );
      // Run until SIGINT/SIGTERM, then close gracefully (stops the scheduler, closes the journal).
      await new Promise<void>((done) => {
        const stop = () => {
          void app.close().finally(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
