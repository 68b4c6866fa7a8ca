import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The embedded data directory (repo root `data/`). */
export const EMBEDDED_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../data');

/** File names of the embedded data set. */
export const EMBEDDED_FILES = {
  spxStooq: 'spx-daily-stooq.csv',
  spxFred: 'fred-SP500-daily-close.csv',
  vix: 'vix-daily.csv',
  /** VIX1D closes 2024-09-30 .. 2025-06-30 (the one-day model's training file). */
  vix1d: 'vix1d-close-2024-09-30-to-2025-06-30.csv',
  vix9d: 'VIX9D_History.csv',
  vix3m: 'VIX3M_History.csv',
  vix6m: 'VIX6M_History.csv',
  vix1y: 'VIX1Y_History.csv',
  vvix: 'VVIX_History.csv',
  skew: 'SKEW_History.csv',
  bxm: 'cboe-BXM_History.csv',
  vixFutures: 'vix-futures-M1-M8-2004-2017.csv',
  dgs3mo: 'fred-DGS3MO-daily.csv',
  dff: 'fred-DFF-fed-funds-daily.csv',
  shiller: 'sp500-monthly-shiller.csv',
  fomcDecisions: 'fomc-decision-dates-2015-2026.csv',
  /** The Fed's tentative 2027 schedule and the January 2028 meeting (its 2025-09-05 release). */
  fomcDecisionsNext: 'fomc-decision-dates-2027-tentative.csv',
  fomcMeetings: 'fomc-meeting-dates-1936-2021.csv',
  cpi: 'cpi-release-dates-2021-2026.csv',
  cpiEarly: 'cpi-release-dates-2014-2021.csv',
  ppi: 'ppi-release-dates-2018-2026.csv',
  /** PPI reference months 2014-12 .. 2017-11 (October 2015 missing: unknown, data/PROVENANCE.md). */
  ppiEarly: 'ppi-release-dates-2015-2017.csv',
  payrolls: 'payrolls-release-dates-2014-2026.csv',
  nyseClosures: 'nyse-closures-derived-1990-2025.csv',
  /** Extensions after the end of the files above (data/PROVENANCE.md, "Extensions to 2026-08-21"). */
  spxYahoo: 'yahoo-spx-daily-2024-08-22-to-2026-08-21.csv',
  vixYahoo: 'yahoo-vix-daily-2024-08-22-to-2026-08-21.csv',
  vix9dYahoo: 'yahoo-vix9d-daily-2024-08-22-to-2026-08-21.csv',
  dffExcerpt: 'fred-DFF-2026-07-01-to-2026-09-09.csv',
} as const;
