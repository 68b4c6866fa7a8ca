/**
 * The SPX market calendar, 1990-2030: NYSE/Cboe trading days, holidays and early closes, sessions
 * in New York time, hand-written US time-zone rules (no Intl), and SPX/SPXW expirations.
 */
export {
  DEFAULT_LISTING_HORIZON,
  dteCalendarDays,
  dteTradingDays,
  type Expiration,
  type ExpirationKind,
  type ExpirationRoot,
  type ExpiryOnDay,
  expirationsListedOn,
  expirationsListedOnExpiry,
  expirationsOn,
  isSpxMonthlyExpiry,
  isSpxwExpiry,
  type ListingHorizon,
  listedExpiryDatesOn,
  nextSpxwExpiry,
  type SettlementStyle,
  settlementInstantUtcMs,
  spxMonthlyExpiry,
} from './expirations';
export { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, type EarlyCloseEt, easterSunday } from './rules';
export {
  entryInstantUtcMs,
  MINUTES_PER_YEAR,
  REGULAR_CLOSE_ET,
  REGULAR_OPEN_ET,
  REGULAR_SESSION_MINUTES,
  type Session,
  SPX_OPTIONS_CLOSE_AFTER_CASH_MINUTES,
  session,
  sessionFractionRemaining,
  spxOptionsCloseUtcMs,
  VIX_OPTIONS_CLOSE_AFTER_CASH_MINUTES,
  vixOptionsOpenAt,
  yearFraction,
} from './sessions';
export {
  dstTransitionsUtcMs,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  newYorkTimeToUtcMs,
  parseHhmm,
  type TimeZoneId,
  TZ_FIRST_YEAR,
  TZ_LAST_YEAR,
  utcMsToZoned,
  utcOffsetMinutes,
  zonedTimeToUtcMs,
} from './timezones';
export {
  addTradingDays,
  holidayName,
  isEarlyClose,
  isTradingDay,
  nextTradingDay,
  previousTradingDay,
  tradingDayCount,
  tradingDaysBetween,
} from './tradingDays';
export { isVixExpiry, type VixContract, vixContractsAfter, vixExpiry } from './vix-expirations';
