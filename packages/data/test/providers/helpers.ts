import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Route } from '../../../../test/support/fixture-server';

export const FIX = fileURLToPath(new URL('../fixtures/providers/', import.meta.url));
export const fixture = (p: string): string => readFileSync(join(FIX, p), 'utf8');

/** The daily-series fixtures laid out as a --from-dir folder (the file names data update expects). */
export function fromDirWithFixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vixshield-fromdir-'));
  for (const sub of ['cboe-index', 'cboe-spx', 'fred', 'cfe', 'events']) {
    for (const f of readdirSync(join(FIX, sub))) copyFileSync(join(FIX, sub, f), join(dir, f));
  }
  return dir;
}

export function tempDataDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'vixshield-update-')), 'data');
}

/** sha256 of every file in `dir` (empty when the folder does not exist): "unchanged" is equality. */
export function dirState(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  mkdirSync(dir, { recursive: true });
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

/** Fixture-server routes answering every daily source from the recorded payloads. */
export function dailyRoutes(): Record<string, Route> {
  const idx = (sym: string): [string, Route] => [
    `/api/global/us_indices/daily_prices/${sym}_History.csv`,
    { body: fixture(`cboe-index/${sym}_History.csv`) },
  ];
  return Object.fromEntries([
    [
      '/api/global/delayed_quotes/charts/historical/_SPX.json',
      { body: fixture('cboe-spx/SPX_historical.json') },
    ],
    ...['VIX', 'VIX9D', 'VIX3M', 'VIX6M', 'VIX1Y', 'VVIX', 'SKEW', 'VIX1D'].map(idx),
    ['/graph/fredgraph.csv?id=DFF', { body: fixture('fred/DFF.csv') }],
    ['/graph/fredgraph.csv?id=DGS3MO', { body: fixture('fred/DGS3MO.csv') }],
    [
      '/us/futures/market_statistics/settlement/csv?dt=2026-10-05',
      { body: fixture('cfe/cfe-vx-settlement-2026-10-05.csv') },
    ],
    ['/events/fomc-decision-dates.csv', { body: fixture('events/fomc-decision-dates.csv') }],
    ['/events/cpi-release-dates.csv', { body: fixture('events/cpi-release-dates.csv') }],
  ]);
}
