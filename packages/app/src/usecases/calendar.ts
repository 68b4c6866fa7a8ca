import { type IsoDate, isSpxMonthlyExpiry, isSpxwExpiry, session, tradingDaysBetween } from '@vixshield/core';

/** One trading day with its New York session times and expirations (CLI `calendar`, GET /api/calendar). */
export interface CalendarRow {
  date: IsoDate;
  open: string;
  close: string;
  earlyClose: boolean;
  spxwExpiry: boolean;
  spxMonthlyExpiry: boolean;
}

export function calendarRows(from: IsoDate, to: IsoDate): CalendarRow[] {
  return tradingDaysBetween(from, to).map((d) => {
    const s = session(d);
    return {
      date: d,
      open: s.openEt,
      close: s.closeEt,
      earlyClose: s.earlyClose,
      spxwExpiry: isSpxwExpiry(d),
      spxMonthlyExpiry: isSpxMonthlyExpiry(d),
    };
  });
}
