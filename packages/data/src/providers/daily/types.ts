import type { DatedValue, IsoDate } from '@vixshield/core';
import type { IsTradingDay, LoadReport } from '../../load-report';
import type { SpxRow } from '../../loaders';
import type { ProviderHosts } from '../http';

/** Series `vixshield data update` brings up to date. */
export const DAILY_SERIES_IDS = [
  'spx',
  'vix',
  'vix9d',
  'vix3m',
  'vix6m',
  'vix1y',
  'vvix',
  'skew',
  'vix1d',
  'dgs3mo',
  'dff',
  'vxSettle',
  'fomc',
  'cpi',
  'ppi',
  'payrolls',
] as const;
export type DailySeriesId = (typeof DAILY_SERIES_IDS)[number];

/** One CFE settlement row of a VX contract on one session. */
export interface VxSettlement {
  /** The session (trade date) the settlement is for. */
  readonly date: IsoDate;
  /** CFE symbol: `VX/U6` (monthly) or `VX38/U6` (weekly). */
  readonly symbol: string;
  readonly expiry: IsoDate;
  /** Daily settlement price, VIX points. */
  readonly settle: number;
  /** Standard monthly contract (`VX/<month><year>`); weeklies are kept but flagged. */
  readonly monthly: boolean;
}

/** What a provider's payload holds once validated. */
export type DailyRows =
  | { readonly kind: 'spx'; readonly rows: readonly SpxRow[] }
  | { readonly kind: 'values'; readonly rows: readonly DatedValue[] }
  | { readonly kind: 'vx'; readonly rows: readonly VxSettlement[] }
  | {
      readonly kind: 'events';
      readonly dates: readonly IsoDate[];
      /** The validated file, stored as it is (the user's layout is the stored layout). */
      readonly text: string;
    };

export interface ParseContext {
  readonly isTradingDay: IsTradingDay;
  /** Quirks and problems found by the loader rules (the same rules as the embedded files). */
  readonly report: LoadReport;
  /** Human notes on rules applied to series without a loader id (VIX1D, VX, events). */
  readonly notes: string[];
  /**
   * The first date the update may add. Rows before it are only compared with the stored series (their
   * closes), so a defect in old history the engine already has elsewhere cannot block an update;
   * rows from it on are validated in full.
   */
  readonly validateFrom?: IsoDate;
}

/**
 * One source of one daily series: where it is published, how its payload is validated (with the
 * embedded loaders' rules) and how the rows are stored in the user data directory.
 */
export interface DailySeriesProvider {
  readonly id: DailySeriesId;
  /** 'Cboe VIX9D', 'FRED DFF', ... */
  readonly source: string;
  /**
   * `engine`: merged into the market data the engine reads (index series, rates, VIX1D, the event
   * calendars); `stored`: kept (validated) in the data directory, not read by the engine yet (VX
   * settlements).
   */
  readonly use: 'engine' | 'stored';
  /** The file name expected in `--from-dir` (VX: one file per session, see cfe-vx.ts). */
  readonly fileName: string;
  /** The URL of the payload; undefined when the source has no public URL configured. */
  url(hosts: ProviderHosts, since: IsoDate | undefined): string | undefined;
  /** Validates a payload (throws DataError naming the place in it). */
  parse(text: string, label: string, ctx: ParseContext): DailyRows;
}
