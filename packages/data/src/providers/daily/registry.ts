import { CBOE_INDEX_PROVIDERS } from './cboe-index';
import { CBOE_SPX_PROVIDER } from './cboe-spx';
import { CFE_VX_PROVIDER } from './cfe-vx';
import { EVENT_PROVIDERS } from './events';
import { FRED_PROVIDERS } from './fred';
import type { DailySeriesId, DailySeriesProvider } from './types';

/** Every daily series source, in the order `data update` reads and prints them. */
export const DAILY_PROVIDERS: readonly DailySeriesProvider[] = [
  CBOE_SPX_PROVIDER,
  ...CBOE_INDEX_PROVIDERS,
  ...FRED_PROVIDERS,
  CFE_VX_PROVIDER,
  ...EVENT_PROVIDERS,
];

export function dailyProvider(id: DailySeriesId): DailySeriesProvider {
  const p = DAILY_PROVIDERS.find((x) => x.id === id);
  if (!p) throw new Error(`no provider for ${id}`);
  return p;
}
