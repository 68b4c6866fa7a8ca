import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IsoDate, weekdayOf } from '@vixshield/core';
import { EMBEDDED_DATA_DIR, EMBEDDED_FILES, parseCsv } from '../../src/index';

/**
 * TEST STAND-IN for the core calendar (being written in parallel): weekends plus the NYSE closures
 * derived from the Stooq file (1990-01-01 .. 2025-10-07), plus the published NYSE holidays from
 * 2025-10-08 to 2026-12-31. Replaced by `isTradingDay` from packages/core/src/calendar at merge.
 */
export const LATER_HOLIDAYS = [
  '2025-11-27',
  '2025-12-25',
  '2026-01-01',
  '2026-01-19',
  '2026-02-16',
  '2026-04-03',
  '2026-05-25',
  '2026-06-19',
  '2026-07-03',
  '2026-09-07',
  '2026-11-26',
  '2026-12-25',
];

export function standInIsTradingDay(): (d: IsoDate) => boolean {
  const t = parseCsv(readFileSync(join(EMBEDDED_DATA_DIR, EMBEDDED_FILES.nyseClosures), 'utf8'), 'closures');
  const closed = new Set<string>([...t.rows.map((r) => r.fields[0]!), ...LATER_HOLIDAYS]);
  return (d) => {
    const w = weekdayOf(d);
    return w !== 0 && w !== 6 && !closed.has(d);
  };
}
