import {
  expirationsOn,
  type IsoDate,
  isTradingDay,
  type OptionRight,
  type OptionRoot,
  quoteFlags,
  session,
  zonedTimeToUtcMs,
} from '@vixshield/core';
import { splitCsvLine, splitCsvText } from './csv';
import { ChainImportError, type ImportIssue } from './errors';
import { DATASHOP_LAYOUT, type DateFormat, HOD_LAYOUT, type LayoutSpec, type MappableField } from './layouts';
import { type ChainQuoteRow, rowKey } from './row';

/** Result of parsing a whole file: every row, in file order. */
export interface ParsedChainFile {
  readonly file: string;
  readonly layout: string;
  readonly vendor: string;
  readonly rows: ChainQuoteRow[];
  /** Data rows read (non-empty lines after the header): all of them are in `rows`. */
  readonly rowsRead: number;
  /** Empty lines skipped. */
  readonly blankLines: number;
}

const DAYS_PER_YEAR = 365;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

const DATE_RES: Record<DateFormat, RegExp> = {
  'MM/DD/YYYY': /^(\d{2})\/(\d{2})\/(\d{4})$/,
  'M/D/YYYY': /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/,
  'YYYY-MM-DD': /^(\d{4})-(\d{2})-(\d{2})$/,
  YYYYMMDD: /^(\d{4})(\d{2})(\d{2})$/,
};
const MIDNIGHT_SUFFIX = /\s+0?0:00(:00)?$/;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const OSI_RE = /^([A-Z]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

/** Parses a date in `format` to an IsoDate, or undefined. Validates the day of month. */
export function parseVendorDate(
  text: string,
  format: DateFormat,
  allowMidnight: boolean,
): IsoDate | undefined {
  let t = text.trim();
  if (allowMidnight) t = t.replace(MIDNIGHT_SUFFIX, '');
  const m = DATE_RES[format].exec(t);
  if (!m) return undefined;
  let y: number;
  let mo: number;
  let d: number;
  if (format === 'YYYY-MM-DD' || format === 'YYYYMMDD') {
    y = Number(m[1]);
    mo = Number(m[2]);
    d = Number(m[3]);
  } else {
    mo = Number(m[1]);
    d = Number(m[2]);
    y = Number(m[3]);
  }
  if (mo < 1 || mo > 12 || d < 1) return undefined;
  const dim =
    mo === 2
      ? (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
        ? 29
        : 28
      : [4, 6, 9, 11].includes(mo)
        ? 30
        : 31;
  if (d > dim) return undefined;
  return `${y}-${pad2(mo)}-${pad2(d)}` as IsoDate;
}

/** Trading-calendar checks that throw outside 1990-2030 are turned into "false". */
const tradingDayMemo = new Map<string, boolean>();
export function isTradingDaySafe(d: IsoDate): boolean {
  let v = tradingDayMemo.get(d);
  if (v === undefined) {
    try {
      v = isTradingDay(d);
    } catch {
      v = false;
    }
    tradingDayMemo.set(d, v);
  }
  return v;
}

const expiresMemo = new Map<string, boolean>();
/** True when a `root` series expires on `expiry` by the SPX/SPXW calendar (false outside it). */
export function rootExpiresSafe(root: OptionRoot, expiry: IsoDate): boolean {
  const k = `${root}|${expiry}`;
  let v = expiresMemo.get(k);
  if (v === undefined) {
    try {
      v = expirationsOn(expiry).some((e) => e.root === root);
    } catch {
      v = false;
    }
    expiresMemo.set(k, v);
  }
  return v;
}

const closeMemo = new Map<string, { closeUtcMs: number; closeEt: string }>();
function sessionClose(d: IsoDate): { closeUtcMs: number; closeEt: string } {
  let v = closeMemo.get(d);
  if (v === undefined) {
    const s = session(d);
    v = { closeUtcMs: s.closeUtcMs, closeEt: s.closeEt };
    closeMemo.set(d, v);
  }
  return v;
}

/** The quote instant of a row (UTC ms): its time, or the close of its session when the time is null. */
export function quoteInstantUtcMs(quoteDate: IsoDate, quoteTimeEt: string | null): number {
  return quoteTimeEt === null
    ? session(quoteDate).closeUtcMs
    : zonedTimeToUtcMs(quoteDate, quoteTimeEt, 'America/New_York');
}

function dateHint(format: DateFormat, suffix: boolean): string {
  const ex: Record<DateFormat, string> = {
    'MM/DD/YYYY': '02/05/2018',
    'M/D/YYYY': '2/5/2018',
    'YYYY-MM-DD': '2018-02-05',
    YYYYMMDD: '20180205',
  };
  return `write a real date as ${format}, e.g. ${ex[format]}${suffix ? ' (an optional " 0:00:00" may follow)' : ''}`;
}

/**
 * Parses and validates a whole option file in `spec`'s layout. Every bad value of every row is
 * collected; if there is any, a ChainImportError lists them (file, line, field, value, fix) and no
 * row is returned. Rows with bid = ask = 0 are kept and flagged (QuoteFlag.zeroBid | zeroAsk).
 */
export function parseChainCsv(text: string, file: string, spec: LayoutSpec): ParsedChainFile {
  const { header, headerRaw, lines } = splitCsvText(text);
  const issues: ImportIssue[] = [];
  const issue = (line: number, field: string, value: string, problem: string, fix: string): void => {
    issues.push({ file, line, field, value, problem, fix });
  };

  // Column positions (header names trimmed and compared case-insensitively).
  const col: Partial<Record<MappableField, number>> = {};
  const colName: Partial<Record<MappableField, string>> = {};
  for (const [field, name] of Object.entries(spec.columns) as Array<[MappableField, string]>) {
    const idx = header.indexOf(name.trim().toLowerCase());
    colName[field] = name;
    if (idx < 0) {
      issue(
        1,
        name,
        headerRaw.join(','),
        `the header has no column '${name}' (needed for ${field} in the ${spec.layout} layout)`,
        `check that the file is in the ${spec.layout} layout${spec.layout === 'map' ? ', or fix the column map' : ''}`,
      );
    } else col[field] = idx;
  }
  if (issues.length > 0) throw new ChainImportError(issues);
  if (lines.length === 0) {
    issue(
      1,
      'rows',
      '',
      'the file has a header but no data rows',
      'export the file again with its quote rows',
    );
    throw new ChainImportError(issues);
  }

  const callCodes = new Set(spec.callCodes.map((c) => c.toLowerCase()));
  const putCodes = new Set(spec.putCodes.map((c) => c.toLowerCase()));
  const thetaScale = spec.thetaPer === 'day' ? DAYS_PER_YEAR : 1;
  const seen = new Map<string, number>();
  const rows: ChainQuoteRow[] = [];
  const width = header.length;
  const quoteTimeFixed = spec.quoteTimeEt;
  let rowsRead = 0;
  let blankLines = 0;

  // Per-row state read by the helpers below (declared once: no closures are created per row).
  let lineNo = 0;
  let f: string[] = [];
  const get = (k: MappableField): string | undefined => {
    const i = col[k];
    return i === undefined ? undefined : f[i]!.trim();
  };
  const name = (k: MappableField): string => colName[k] ?? k;
  /** A number column: required (error when empty), or optional (NaN when empty or unmapped). */
  const num = (k: MappableField, required: boolean, min: number | null, integer = false): number => {
    const v = get(k);
    if (v === undefined) return Number.NaN;
    if (v === '') {
      if (required) issue(lineNo, name(k), v, 'is empty', `write the ${k} as a number`);
      return Number.NaN;
    }
    if (!NUMBER_RE.test(v)) {
      issue(lineNo, name(k), v, 'is not a number', `write the ${k} as a plain decimal number, e.g. 12.5`);
      return Number.NaN;
    }
    const x = Number(v);
    if (!Number.isFinite(x)) {
      issue(
        lineNo,
        name(k),
        v,
        'is not a finite number',
        `write the ${k} as a plain decimal number, e.g. 12.5`,
      );
      return Number.NaN;
    }
    if (min !== null && !(x >= min)) {
      issue(lineNo, name(k), v, `is below ${min}`, `a ${k} cannot be negative; check the column`);
      return Number.NaN;
    }
    if (integer && !Number.isInteger(x)) {
      issue(lineNo, name(k), v, 'is not a whole number', `write the ${k} as a whole number of contracts`);
      return Number.NaN;
    }
    return x;
  };
  const date = (k: 'quoteDate' | 'expiry'): IsoDate | undefined => {
    const v = get(k) ?? '';
    const d = parseVendorDate(v, spec.dateFormat, spec.dateTimeSuffix);
    if (d === undefined)
      issue(lineNo, name(k), v, 'is not a date', dateHint(spec.dateFormat, spec.dateTimeSuffix));
    return d;
  };

  for (let li = 0; li < lines.length; li++) {
    lineNo = li + 2;
    const raw = lines[li]!;
    // Empty lines are not rows (DuckDB's CSV reader skips them too, so both import paths agree); a
    // line of spaces is a one-field row and fails the column count in both.
    if (raw === '') {
      blankLines++;
      continue;
    }
    rowsRead++;
    f = splitCsvLine(raw);
    if (f.length !== width) {
      issue(
        lineNo,
        'columns',
        raw.length > 80 ? `${raw.slice(0, 80)}...` : raw,
        `has ${f.length} fields, the header has ${width}`,
        'remove the extra or add the missing commas (quote a value that contains a comma)',
      );
      continue;
    }
    const before = issues.length;

    // Dates and the quote time.
    const quoteDate = date('quoteDate');
    if (quoteDate !== undefined && !isTradingDaySafe(quoteDate)) {
      issue(
        lineNo,
        name('quoteDate'),
        get('quoteDate')!,
        `${quoteDate} is not an NYSE/Cboe trading day (1990-2030)`,
        'check the date: quotes exist only on trading days',
      );
    }
    const expiry = date('expiry');
    let quoteTimeEt = quoteTimeFixed;
    const qt = get('quoteTime');
    if (qt !== undefined) {
      const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(qt);
      const h = m ? Number(m[1]) : Number.NaN;
      const mi = m ? Number(m[2]) : Number.NaN;
      if (!m || h > 23 || mi > 59) {
        issue(
          lineNo,
          name('quoteTime'),
          qt,
          'is not a time',
          'write the New York quote time as HH:MM or HH:MM:SS, e.g. 15:45',
        );
        quoteTimeEt = null;
      } else quoteTimeEt = `${pad2(h)}:${pad2(mi)}`;
    }
    if (quoteDate !== undefined && quoteTimeEt !== null && isTradingDaySafe(quoteDate)) {
      const s = sessionClose(quoteDate);
      const t = zonedTimeToUtcMs(quoteDate, quoteTimeEt, 'America/New_York');
      if (t > s.closeUtcMs) {
        issue(
          lineNo,
          name(qt !== undefined ? 'quoteTime' : 'quoteDate'),
          qt ?? get('quoteDate')!,
          `the quote time ${quoteTimeEt} ET is after the ${s.closeEt} close of ${quoteDate} (an early close)`,
          'quotes after the close would be look-ahead: drop these rows or give their real snapshot time',
        );
      }
    }

    // Underlying and root.
    const us = get('underlyingSymbol');
    if (us !== undefined) {
      const u = us.replace(/^[$^]/, '').toUpperCase();
      if (u !== 'SPX' && u !== 'SPXW' && u !== 'SPX.X') {
        issue(
          lineNo,
          name('underlyingSymbol'),
          us,
          'is not the SPX index',
          'import SPX/SPXW options only (underlying SPX, ^SPX or SPXW)',
        );
      }
    }
    let root: OptionRoot | undefined;
    let symRight: OptionRight | undefined;
    let symStrike: number | undefined;
    let symExpiry: IsoDate | undefined;
    const sym = get('optionSymbol');
    if (sym !== undefined) {
      const m = OSI_RE.exec(sym.replaceAll(' ', ''));
      if (!m || (m[1] !== 'SPX' && m[1] !== 'SPXW')) {
        issue(
          lineNo,
          name('optionSymbol'),
          sym,
          'is not an SPX or SPXW OSI option symbol',
          'write it as ROOT YYMMDD C|P strike*1000 in 8 digits, e.g. SPXW180131C01200000',
        );
      } else {
        root = m[1] as OptionRoot;
        symExpiry = `20${m[2]}-${m[3]}-${m[4]}` as IsoDate;
        symRight = m[5] === 'C' ? 'call' : 'put';
        symStrike = Number(m[6]) / 1000;
      }
    }
    const rt = get('root');
    if (rt !== undefined) {
      const r = rt.toUpperCase();
      if (r !== 'SPX' && r !== 'SPXW') {
        issue(
          lineNo,
          name('root'),
          rt,
          'is not an SPX option root',
          'use SPX (AM-settled monthlies) or SPXW (PM-settled)',
        );
      } else if (root !== undefined && root !== r) {
        issue(
          lineNo,
          name('root'),
          rt,
          `disagrees with the option symbol's root ${root}`,
          'fix the root or the symbol',
        );
      } else root = r;
    }

    // Contract terms.
    const strike = num('strike', true, null);
    if (!Number.isNaN(strike) && !(strike > 0)) {
      issue(
        lineNo,
        name('strike'),
        get('strike')!,
        'is not above 0',
        'write the strike in index points, e.g. 2700',
      );
    }
    const rv = (get('right') ?? '').toLowerCase();
    let right: OptionRight | undefined;
    if (callCodes.has(rv)) right = 'call';
    else if (putCodes.has(rv)) right = 'put';
    else {
      issue(
        lineNo,
        name('right'),
        get('right') ?? '',
        'is not a call or put code',
        `use ${[...spec.callCodes, ...spec.putCodes].map((c) => `'${c}'`).join(' or ')}`,
      );
    }
    if (symExpiry !== undefined && expiry !== undefined && symExpiry !== expiry) {
      issue(
        lineNo,
        name('optionSymbol'),
        sym!,
        `encodes expiry ${symExpiry} but ${name('expiry')} is ${expiry}`,
        'fix the symbol or the expiration column',
      );
    }
    if (symRight !== undefined && right !== undefined && symRight !== right) {
      issue(
        lineNo,
        name('optionSymbol'),
        sym!,
        `encodes a ${symRight} but ${name('right')} says ${right}`,
        'fix the symbol or the type column',
      );
    }
    if (symStrike !== undefined && !Number.isNaN(strike) && symStrike !== strike) {
      issue(
        lineNo,
        name('optionSymbol'),
        sym!,
        `encodes strike ${symStrike} but ${name('strike')} is ${strike}`,
        'fix the symbol or the strike column',
      );
    }
    if (quoteDate !== undefined && expiry !== undefined && expiry < quoteDate) {
      issue(
        lineNo,
        name('expiry'),
        get('expiry')!,
        `${expiry} is before the quote date ${quoteDate}`,
        'an expired option has no quote: fix the date or drop the row',
      );
    }
    if (expiry !== undefined && root !== undefined && !rootExpiresSafe(root, expiry)) {
      issue(
        lineNo,
        name('expiry'),
        get('expiry')!,
        `no ${root} series expires on ${expiry} by the SPX/SPXW calendar`,
        root === 'SPX'
          ? 'SPX (AM) expires on the third Friday: check the date, or use root SPXW for PM-settled expiries'
          : 'check the date (SPXW expiries: Mon-Fri weeklies/dailies, month-end, third Friday)',
      );
    }

    // Quotes.
    const bid = num('bid', false, 0);
    const ask = num('ask', false, 0);
    const last = num('last', false, 0);
    const volume = num('volume', false, 0, true);
    const openInterest = num('openInterest', false, 0, true);
    const beforeUnderlying = issues.length;
    let underlyingPrice = num('underlyingPrice', col.underlyingBid === undefined, 0);
    if (!(underlyingPrice > 0) && col.underlyingBid !== undefined) {
      const ub = num('underlyingBid', true, 0);
      const ua = num('underlyingAsk', true, 0);
      if (ub > 0 && ua > 0) underlyingPrice = 0.5 * (ub + ua);
    }
    if (!(underlyingPrice > 0) && issues.length === beforeUnderlying) {
      const k: MappableField = col.underlyingPrice !== undefined ? 'underlyingPrice' : 'underlyingBid';
      issue(
        lineNo,
        name(k),
        get(k) ?? '',
        'gives no underlying level above 0',
        'the SPX level at the quote time is required',
      );
    }

    // Vendor analytics.
    let iv = num('iv', false, 0);
    const delta = num('delta', false, null);
    const gamma = num('gamma', false, null);
    let theta = num('theta', false, null) * thetaScale;
    const vega = num('vega', false, null);
    let ivPlaceholder = false;
    let vDelta = delta;
    let vGamma = gamma;
    let vVega = vega;
    if (spec.zeroGreeksMeanMissing) {
      if (iv === 0) iv = Number.NaN;
      if (delta === 0 && gamma === 0 && vega === 0) {
        vDelta = Number.NaN;
        vGamma = Number.NaN;
        vVega = Number.NaN;
        theta = Number.NaN;
      }
    }
    if (spec.dropPlaceholderIv && Math.abs(delta) === 1 && vega === 0) {
      ivPlaceholder = true;
      iv = Number.NaN;
    }

    if (
      issues.length > before ||
      quoteDate === undefined ||
      expiry === undefined ||
      root === undefined ||
      right === undefined
    ) {
      continue;
    }
    const row: ChainQuoteRow = {
      quoteDate,
      quoteTimeEt,
      underlying: 'SPX',
      root,
      expiry,
      settlement: root === 'SPX' ? 'AM' : 'PM',
      strike,
      right,
      bid,
      ask,
      last,
      volume,
      openInterest,
      underlyingPrice,
      vendorIv: iv,
      vendorDelta: vDelta,
      vendorGamma: vGamma,
      vendorTheta: theta,
      vendorVega: vVega,
      ivPlaceholder,
      flags: quoteFlags(bid, ask),
    };
    const key = rowKey(row);
    const prev = seen.get(key);
    if (prev !== undefined) {
      issue(
        lineNo,
        name('strike'),
        get('strike')!,
        `duplicates line ${prev} (same quote date, root, expiry, strike and right)`,
        'keep one quote per contract and day',
      );
      continue;
    }
    seen.set(key, lineNo);
    rows.push(row);
  }
  if (issues.length === 0 && rows.length === 0) {
    issue(
      1,
      'rows',
      '',
      'the file has only empty lines after the header',
      'export the file again with its quote rows',
    );
  }
  if (issues.length > 0) throw new ChainImportError(issues, rowsRead);
  return { file, layout: spec.layout, vendor: spec.vendor, rows, rowsRead, blankLines };
}

/** HistoricalOptionData "options EOD" file (see HOD_LAYOUT). */
export function parseHistoricalOptionData(text: string, file: string): ParsedChainFile {
  return parseChainCsv(text, file, HOD_LAYOUT);
}

/** Cboe DataShop Option EOD Summary file (see DATASHOP_LAYOUT). */
export function parseDataShop(text: string, file: string): ParsedChainFile {
  return parseChainCsv(text, file, DATASHOP_LAYOUT);
}
