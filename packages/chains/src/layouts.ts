import { InvalidInputError } from '@vixshield/core';
import { z } from 'zod';

/*
 * Vendor layouts as data: which source column feeds which normalised field, how dates and rights are
 * written, and the layout's conventions. The HistoricalOptionData and Cboe DataShop layouts are two
 * fixed instances; a user's own file is described by a column map (JSON, validated by zod).
 */

/** Normalised fields a column can feed. */
export const MAPPABLE_FIELDS = [
  'quoteDate',
  'quoteTime',
  'underlyingSymbol',
  'root',
  'optionSymbol',
  'expiry',
  'strike',
  'right',
  'bid',
  'ask',
  'last',
  'volume',
  'openInterest',
  'underlyingPrice',
  'underlyingBid',
  'underlyingAsk',
  'iv',
  'delta',
  'gamma',
  'theta',
  'vega',
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/**
 * Date formats: `MM/DD/YYYY` (two-digit month and day), `M/D/YYYY` (one or two digits),
 * `YYYY-MM-DD`, `YYYYMMDD`. `dateTimeSuffix` also accepts a midnight time after the date
 * (`1/4/2016 0:00:00`, as Cboe DataShop writes).
 */
export const DATE_FORMATS = ['MM/DD/YYYY', 'M/D/YYYY', 'YYYY-MM-DD', 'YYYYMMDD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a New York time HH:MM, e.g. 15:45');

export const LayoutSpecSchema = z
  .object({
    /** Name used in messages ('hod', 'datashop', 'map'). */
    layout: z.string().min(1).default('map'),
    /** Vendor name stored with every quote (PriceSource.vendor). */
    vendor: z.string().min(1),
    /** Normalised field -> column name in the file's header (matched trimmed, case-insensitively). */
    columns: z.partialRecord(z.enum(MAPPABLE_FIELDS), z.string().min(1)),
    dateFormat: z.enum(DATE_FORMATS),
    dateTimeSuffix: z.boolean().default(false),
    /**
     * Quote time when the file has no quoteTime column: 'HH:MM' New York time, or null for an
     * end-of-day snapshot (read as the session close).
     */
    quoteTimeEt: hhmm.nullable().default(null),
    /** Codes of the right column (compared case-insensitively). */
    callCodes: z.array(z.string().min(1)).min(1).default(['c', 'call']),
    putCodes: z.array(z.string().min(1)).min(1).default(['p', 'put']),
    /** Scale of the vendor theta column: converted to per year on import. */
    thetaPer: z.enum(['year', 'day']).default('year'),
    /** The vendor writes 0 for "no value" in iv/delta/gamma/theta/vega (Cboe DataShop does). */
    zeroGreeksMeanMissing: z.boolean().default(false),
    /**
     * Deep-ITM placeholder IVs (delta = +/-1 with vega = 0) are dropped to NaN and flagged
     * (HistoricalOptionData does this).
     */
    dropPlaceholderIv: z.boolean().default(false),
  })
  .strict()
  .superRefine((s, ctx) => {
    const need: MappableField[] = ['quoteDate', 'expiry', 'strike', 'right', 'bid', 'ask'];
    for (const f of need) {
      if (s.columns[f] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['columns', f], message: `columns.${f} is required` });
      }
    }
    if (s.columns.root === undefined && s.columns.optionSymbol === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns', 'root'],
        message:
          'columns.root (SPX|SPXW) or columns.optionSymbol (OSI symbol like SPXW180131C01200000) is required',
      });
    }
    if (
      s.columns.underlyingPrice === undefined &&
      (s.columns.underlyingBid === undefined || s.columns.underlyingAsk === undefined)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns', 'underlyingPrice'],
        message: 'columns.underlyingPrice (or both underlyingBid and underlyingAsk) is required',
      });
    }
  });
export type LayoutSpec = z.output<typeof LayoutSpecSchema>;
export type LayoutSpecInput = z.input<typeof LayoutSpecSchema>;

/**
 * HistoricalOptionData.com "options EOD" layout (the embedded 2018 SPXW file). The file has no quote
 * time: its snapshot is taken close to 16:00 ET (underlying_last is 2648.98 against the official
 * 2648.94 close on 2018-02-05), so quotes are stamped at the session close. `underlying` holds the
 * root's name (SPXW); the root is read from the OSI symbol in `optionroot`, which is also checked
 * against the expiration, type and strike columns. Theta is per year; deep-ITM rows carry
 * placeholder IVs.
 */
export const HOD_LAYOUT: LayoutSpec = LayoutSpecSchema.parse({
  layout: 'hod',
  vendor: 'HistoricalOptionData',
  columns: {
    underlyingSymbol: 'underlying',
    underlyingPrice: 'underlying_last',
    optionSymbol: 'optionroot',
    right: 'type',
    expiry: 'expiration',
    quoteDate: 'quotedate',
    strike: 'strike',
    last: 'last',
    bid: 'bid',
    ask: 'ask',
    volume: 'volume',
    openInterest: 'openinterest',
    iv: 'impliedvol',
    delta: 'delta',
    gamma: 'gamma',
    theta: 'theta',
    vega: 'vega',
  },
  dateFormat: 'MM/DD/YYYY',
  quoteTimeEt: null,
  callCodes: ['call'],
  putCodes: ['put'],
  thetaPer: 'year',
  dropPlaceholderIv: true,
});

/**
 * Cboe DataShop "Option EOD Summary": the `_1545` bid/ask and Greeks are a snapshot at 15:45 ET
 * (on an early-close day we still stamp 15:45 only if it is before the close; otherwise the import
 * fails naming quote_date, since the snapshot time is then unknown). Underlying = active_underlying_price_1545,
 * or the mid of underlying_bid/ask_1545 when that is 0. Vendor Greeks of 0 mean "not computed".
 * Cboe's theta is per calendar day (converted to per year).
 */
export const DATASHOP_LAYOUT: LayoutSpec = LayoutSpecSchema.parse({
  layout: 'datashop',
  vendor: 'Cboe DataShop',
  columns: {
    underlyingSymbol: 'underlying_symbol',
    quoteDate: 'quote_date',
    root: 'root',
    expiry: 'expiration',
    strike: 'strike',
    right: 'option_type',
    last: 'close',
    volume: 'trade_volume',
    bid: 'bid_1545',
    ask: 'ask_1545',
    underlyingBid: 'underlying_bid_1545',
    underlyingAsk: 'underlying_ask_1545',
    underlyingPrice: 'active_underlying_price_1545',
    iv: 'implied_volatility_1545',
    delta: 'delta_1545',
    gamma: 'gamma_1545',
    theta: 'theta_1545',
    vega: 'vega_1545',
    openInterest: 'open_interest',
  },
  dateFormat: 'M/D/YYYY',
  dateTimeSuffix: true,
  quoteTimeEt: '15:45',
  callCodes: ['c'],
  putCodes: ['p'],
  thetaPer: 'day',
  zeroGreeksMeanMissing: true,
});

export const LAYOUTS = { hod: HOD_LAYOUT, datashop: DATASHOP_LAYOUT } as const;
export type LayoutName = keyof typeof LAYOUTS | 'map';

/**
 * A user's column map (parsed JSON) -> LayoutSpec, validated by LayoutSpecSchema. Throws an
 * InvalidInputError naming the map file and the first bad key, listing every problem.
 */
export function columnMapFromJson(json: unknown, file = 'column map'): LayoutSpec {
  const r = LayoutSpecSchema.safeParse(
    json !== null && typeof json === 'object' && !('layout' in json) ? { ...json, layout: 'map' } : json,
  );
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const first = r.error.issues[0]!;
  throw new InvalidInputError(
    `${file}: invalid column map\n  ${problems.join('\n  ')}`,
    first.path.join('.') || 'map',
    `a JSON object like {"vendor": "MyVendor", "dateFormat": "YYYY-MM-DD", "columns": {"quoteDate": "date", "expiry": "exp", "strike": "k", "right": "cp", "bid": "bid", "ask": "ask", "root": "root", "underlyingPrice": "spot"}}; fields: ${MAPPABLE_FIELDS.join(', ')}`,
  );
}
