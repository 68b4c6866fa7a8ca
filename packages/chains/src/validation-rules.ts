import type { IsoDate, OptionRoot } from '@vixshield/core';

/*
 * The chain parsers' validation rules, in one table: the CSV row parser (parse.ts, every vendor
 * layout) and the provider quote parser (providers/validate.ts, Cboe and Tradier JSON) check a quote
 * with these. Each rule names the field it checks, the rule itself (a predicate that holds for a good
 * value), the message when it does not hold and the fix. The CSV parser reports (file, line, column,
 * value, message, fix); a provider reports one reason per quote, worded by `providerMessage` where the
 * provider's wording names the contract instead of a column.
 */

/** One rule: `rule(c)` holds for a good value; otherwise `message(c)` says what is wrong, `fix(c)` what to do. */
export interface ChainRule<C> {
  /** The normalised field checked ('columns' and 'rows' are about the file's shape). */
  readonly field: string;
  readonly rule: (c: C) => boolean;
  readonly message: (c: C) => string;
  readonly fix: (c: C) => string;
  /** The provider parser's reason (it names the contract `symbol`, not a column). */
  readonly providerMessage?: (c: C & { readonly symbol: string }) => string;
}

const rule = <C>(r: ChainRule<C>): ChainRule<C> => r;

const DATE_EXAMPLES = {
  'MM/DD/YYYY': '02/05/2018',
  'M/D/YYYY': '2/5/2018',
  'YYYY-MM-DD': '2018-02-05',
  YYYYMMDD: '20180205',
} as const;

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export const CHAIN_RULES = {
  // The file's shape.
  headerColumn: rule<{ name: string; field: string; layout: string; found: boolean }>({
    field: 'columns',
    rule: (c) => c.found,
    message: (c) => `the header has no column '${c.name}' (needed for ${c.field} in the ${c.layout} layout)`,
    fix: (c) =>
      `check that the file is in the ${c.layout} layout${c.layout === 'map' ? ', or fix the column map' : ''}`,
  }),
  hasDataRows: rule<{ lines: number }>({
    field: 'rows',
    rule: (c) => c.lines > 0,
    message: () => 'the file has a header but no data rows',
    fix: () => 'export the file again with its quote rows',
  }),
  hasNonEmptyRows: rule<{ rows: number }>({
    field: 'rows',
    rule: (c) => c.rows > 0,
    message: () => 'the file has only empty lines after the header',
    fix: () => 'export the file again with its quote rows',
  }),
  fieldCount: rule<{ fields: number; width: number }>({
    field: 'columns',
    rule: (c) => c.fields === c.width,
    message: (c) => `has ${c.fields} fields, the header has ${c.width}`,
    fix: () => 'remove the extra or add the missing commas (quote a value that contains a comma)',
  }),

  // Numbers (`field` is the normalised field name, e.g. 'bid').
  numberPresent: rule<{ field: string; text: string }>({
    field: 'number',
    rule: (c) => c.text !== '',
    message: () => 'is empty',
    fix: (c) => `write the ${c.field} as a number`,
  }),
  numberSyntax: rule<{ field: string; text: string }>({
    field: 'number',
    rule: (c) => NUMBER_RE.test(c.text),
    message: () => 'is not a number',
    fix: (c) => `write the ${c.field} as a plain decimal number, e.g. 12.5`,
  }),
  numberFinite: rule<{ field: string; value: number }>({
    field: 'number',
    rule: (c) => Number.isFinite(c.value),
    message: () => 'is not a finite number',
    fix: (c) => `write the ${c.field} as a plain decimal number, e.g. 12.5`,
  }),
  numberAtLeast: rule<{ field: string; value: number; min: number }>({
    field: 'number',
    rule: (c) => c.value >= c.min,
    message: (c) => `is below ${c.min}`,
    fix: (c) => `a ${c.field} cannot be negative; check the column`,
    providerMessage: (c) => `${c.symbol}: ${c.field} '${c.value}' is not a price >= ${c.min}`,
  }),
  numberWhole: rule<{ field: string; value: number }>({
    field: 'number',
    rule: (c) => Number.isInteger(c.value),
    message: () => 'is not a whole number',
    fix: (c) => `write the ${c.field} as a whole number of contracts`,
  }),

  // Dates and times.
  dateSyntax: rule<{ date: IsoDate | undefined; format: keyof typeof DATE_EXAMPLES; suffix: boolean }>({
    field: 'date',
    rule: (c) => c.date !== undefined,
    message: () => 'is not a date',
    fix: (c) =>
      `write a real date as ${c.format}, e.g. ${DATE_EXAMPLES[c.format]}${c.suffix ? ' (an optional " 0:00:00" may follow)' : ''}`,
  }),
  quoteDateTradingDay: rule<{ quoteDate: IsoDate; tradingDay: boolean }>({
    field: 'quoteDate',
    rule: (c) => c.tradingDay,
    message: (c) => `${c.quoteDate} is not an NYSE/Cboe trading day (1990-2030)`,
    fix: () => 'check the date: quotes exist only on trading days',
  }),
  quoteTimeSyntax: rule<{ valid: boolean }>({
    field: 'quoteTime',
    rule: (c) => c.valid,
    message: () => 'is not a time',
    fix: () => 'write the New York quote time as HH:MM or HH:MM:SS, e.g. 15:45',
  }),
  quoteTimeByClose: rule<{
    quoteDate: IsoDate;
    quoteTimeEt: string;
    quoteUtcMs: number;
    closeUtcMs: number;
    closeEt: string;
  }>({
    field: 'quoteTime',
    rule: (c) => c.quoteUtcMs <= c.closeUtcMs,
    message: (c) =>
      `the quote time ${c.quoteTimeEt} ET is after the ${c.closeEt} close of ${c.quoteDate} (an early close)`,
    fix: () => 'quotes after the close would be look-ahead: drop these rows or give their real snapshot time',
  }),

  // The contract.
  underlyingIsSpx: rule<{ symbol: string }>({
    field: 'underlyingSymbol',
    rule: (c) => ['SPX', 'SPXW', 'SPX.X'].includes(c.symbol.replace(/^[$^]/, '').toUpperCase()),
    message: () => 'is not the SPX index',
    fix: () => 'import SPX/SPXW options only (underlying SPX, ^SPX or SPXW)',
  }),
  optionSymbolSpxOsi: rule<{ parsed: boolean }>({
    field: 'optionSymbol',
    rule: (c) => c.parsed,
    message: () => 'is not an SPX or SPXW OSI option symbol',
    fix: () => 'write it as ROOT YYMMDD C|P strike*1000 in 8 digits, e.g. SPXW180131C01200000',
    providerMessage: (c) => `'${c.symbol}' is not an SPX or SPXW option symbol`,
  }),
  rootIsSpx: rule<{ root: string }>({
    field: 'root',
    rule: (c) => c.root === 'SPX' || c.root === 'SPXW',
    message: () => 'is not an SPX option root',
    fix: () => 'use SPX (AM-settled monthlies) or SPXW (PM-settled)',
  }),
  rootMatchesSymbol: rule<{ root: string; symbolRoot: OptionRoot }>({
    field: 'root',
    rule: (c) => c.root === c.symbolRoot,
    message: (c) => `disagrees with the option symbol's root ${c.symbolRoot}`,
    fix: () => 'fix the root or the symbol',
  }),
  strikePositive: rule<{ strike: number }>({
    field: 'strike',
    rule: (c) => c.strike > 0,
    message: () => 'is not above 0',
    fix: () => 'write the strike in index points, e.g. 2700',
  }),
  rightCode: rule<{ known: boolean; codes: readonly string[] }>({
    field: 'right',
    rule: (c) => c.known,
    message: () => 'is not a call or put code',
    fix: (c) => `use ${c.codes.map((x) => `'${x}'`).join(' or ')}`,
  }),
  symbolExpiryMatches: rule<{ symbolExpiry: IsoDate; expiry: IsoDate; expiryColumn: string }>({
    field: 'optionSymbol',
    rule: (c) => c.symbolExpiry === c.expiry,
    message: (c) => `encodes expiry ${c.symbolExpiry} but ${c.expiryColumn} is ${c.expiry}`,
    fix: () => 'fix the symbol or the expiration column',
  }),
  symbolRightMatches: rule<{ symbolRight: string; right: string; rightColumn: string }>({
    field: 'optionSymbol',
    rule: (c) => c.symbolRight === c.right,
    message: (c) => `encodes a ${c.symbolRight} but ${c.rightColumn} says ${c.right}`,
    fix: () => 'fix the symbol or the type column',
  }),
  symbolStrikeMatches: rule<{ symbolStrike: number; strike: number; strikeColumn: string }>({
    field: 'optionSymbol',
    rule: (c) => c.symbolStrike === c.strike,
    message: (c) => `encodes strike ${c.symbolStrike} but ${c.strikeColumn} is ${c.strike}`,
    fix: () => 'fix the symbol or the strike column',
  }),
  expiryNotBeforeQuoteDate: rule<{ expiry: IsoDate; quoteDate: IsoDate }>({
    field: 'expiry',
    rule: (c) => !(c.expiry < c.quoteDate),
    message: (c) => `${c.expiry} is before the quote date ${c.quoteDate}`,
    fix: () => 'an expired option has no quote: fix the date or drop the row',
    providerMessage: (c) => `${c.symbol} expired before the quote date ${c.quoteDate}`,
  }),
  expiryOnCalendar: rule<{ root: OptionRoot; expiry: IsoDate; listed: boolean }>({
    field: 'expiry',
    rule: (c) => c.listed,
    message: (c) => `no ${c.root} series expires on ${c.expiry} by the SPX/SPXW calendar`,
    fix: (c) =>
      c.root === 'SPX'
        ? 'SPX (AM) expires on the third Friday: check the date, or use root SPXW for PM-settled expiries'
        : 'check the date (SPXW expiries: Mon-Fri weeklies/dailies, month-end, third Friday)',
    providerMessage: (c) =>
      `${c.symbol}: no ${c.root} series expires on ${c.expiry} by the SPX/SPXW calendar`,
  }),
  quoteNotCrossed: rule<{ bid: number; ask: number }>({
    field: 'ask',
    rule: (c) => !(c.bid > c.ask),
    message: (c) => `is below the bid ${c.bid}: a crossed quote (bid > ask)`,
    fix: () =>
      'check the bid and ask columns; to keep crossed quotes (stored flagged `crossed`, never used as fills or in implied vols) import with --allow-crossed',
  }),
  underlyingLevel: rule<{ level: number }>({
    field: 'underlyingPrice',
    rule: (c) => c.level > 0,
    message: () => 'gives no underlying level above 0',
    fix: () => 'the SPX level at the quote time is required',
  }),
  uniqueKey: rule<{ previousLine: number | undefined }>({
    field: 'strike',
    rule: (c) => c.previousLine === undefined,
    message: (c) => `duplicates line ${c.previousLine} (same quote date, root, expiry, strike and right)`,
    fix: () => 'keep one quote per contract and day',
  }),
} as const;

export type ChainRuleName = keyof typeof CHAIN_RULES;
