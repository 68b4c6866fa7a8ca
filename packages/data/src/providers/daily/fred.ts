import type { IsoDate } from '@vixshield/core';
import { loadDff, loadDgs3mo } from '../../loaders';
import type { ProviderHosts } from '../http';
import type { DailyRows, DailySeriesProvider } from './types';

/**
 * FRED's graph CSV, `https://fred.stlouisfed.org/graph/fredgraph.csv?id=<SERIES>[&cosd=YYYY-MM-DD]`:
 * `observation_date,<SERIES>` (older downloads: `DATE,<SERIES>`), ISO dates, percent per year, an
 * empty value (older: ".") on holidays. `cosd` (observation start) limits the download to the
 * recent past. Validated by the embedded loaders (`fred-empty-is-holiday`: empty values skipped).
 * FRED publishes a day's value on the next business day, and the snapshots use a rate dated strictly
 * before the snapshot date.
 */
export function fredUrl(hosts: ProviderHosts, id: string, since: IsoDate | undefined): string {
  return `${hosts.fred}/graph/fredgraph.csv?id=${id}${since ? `&cosd=${since}` : ''}`;
}

export const FRED_PROVIDERS: readonly DailySeriesProvider[] = [
  {
    id: 'dgs3mo',
    source: 'FRED DGS3MO',
    use: 'engine',
    fileName: 'DGS3MO.csv',
    url: (hosts, since) => fredUrl(hosts, 'DGS3MO', since),
    parse: (text, label, ctx): DailyRows => ({
      kind: 'values',
      rows: loadDgs3mo(text, label, ctx.isTradingDay, ctx.report),
    }),
  },
  {
    id: 'dff',
    source: 'FRED DFF',
    use: 'engine',
    fileName: 'DFF.csv',
    url: (hosts, since) => fredUrl(hosts, 'DFF', since),
    parse: (text, label, ctx): DailyRows => ({
      kind: 'values',
      rows: loadDff(text, label, ctx.isTradingDay, ctx.report),
    }),
  },
];
