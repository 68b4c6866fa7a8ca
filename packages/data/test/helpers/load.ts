import { loadEmbeddedMarketData, type MarketData } from '../../src/index';
import { standInIsTradingDay } from './stand-in-calendar';

let cached: MarketData | undefined;

/** Embedded data loaded once per test file with the stand-in calendar. */
export function embedded(): MarketData {
  cached ??= loadEmbeddedMarketData({ isTradingDay: standInIsTradingDay() });
  return cached;
}
