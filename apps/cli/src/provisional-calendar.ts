import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IsoDate, weekdayOf } from '@vixshield/core';
import { EMBEDDED_DATA_DIR, EMBEDDED_FILES, parseCsv } from '@vixshield/data';

/**
 * PROVISIONAL trading calendar for the CLI until packages/core/src/calendar lands (being written in
 * parallel): weekends, the NYSE closures derived from the embedded SPX file (1990 .. 2025-10-07) and
 * the published NYSE holidays after that. Replace with the core calendar's `isTradingDay` at merge.
 */
const LATER_HOLIDAYS = [
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

export function provisionalIsTradingDay(): (d: IsoDate) => boolean {
  const file = EMBEDDED_FILES.nyseClosures;
  const t = parseCsv(readFileSync(join(EMBEDDED_DATA_DIR, file), 'utf8'), file);
  const closed = new Set<string>([...t.rows.map((r) => r.fields[0] ?? ''), ...LATER_HOLIDAYS]);
  return (d) => {
    const w = weekdayOf(d);
    return w !== 0 && w !== 6 && !closed.has(d);
  };
}
