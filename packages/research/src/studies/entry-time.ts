import type { MarketData } from '@vixshield/data';
import { STUDY_PRICES_STATEMENT } from './common';

/**
 * Study `entry-time` (M§6 question 8): does the 15:10 CT entry beat other entry times? It needs intraday
 * SPX and option quotes; the data holds daily bars only, so the study says so instead of guessing.
 */
export interface EntryTimeReport {
  readonly study: 'entry-time';
  readonly question: string;
  readonly answered: false;
  readonly reason: string;
  readonly sample: { readonly from: string; readonly to: string; readonly dailyBars: number };
  readonly whatWouldAnswerIt: string;
  readonly prices: string;
  readonly variantsTried: 0;
}

export function entryTimeReport(md: MarketData): EntryTimeReport {
  const first = md.snapshots[0]?.date ?? '-';
  const last = md.snapshots[md.snapshots.length - 1]?.date ?? '-';
  return {
    study: 'entry-time',
    question: 'Does the 15:10 CT entry beat other entry times?',
    answered: false,
    reason:
      'INTRADAY DATA IS ABSENT: the embedded data holds one daily bar per day (SPX open/high/low/close, VIX-family closes). Every backtest enters at the daily close standing in for 15:10 CT; an entry at any other time cannot be priced without intraday SPX and option quotes, and modelling them from daily bars would only restate the model.',
    sample: { from: first, to: last, dailyBars: md.snapshots.length },
    whatWouldAnswerIt:
      'Intraday SPX (1-minute or 5-minute) and SPXW option quotes at the candidate entry times (e.g. 09:00, 12:00, 14:00, 15:10 CT), imported through the chain import; then the same backtest per entry time with entry.timeCt set.',
    prices: STUDY_PRICES_STATEMENT,
    variantsTried: 0,
  };
}
