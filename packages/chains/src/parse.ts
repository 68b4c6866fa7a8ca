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
import { CHAIN_RULES, type ChainRule } from './validation-rules';

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
  /** Rows with bid > ask, kept flagged `crossed` (only with allowCrossed; refused otherwise). */
  readonly crossed: number;
}

export interface ChainParseOptions {
  /**
   * Keep quotes with bid > ask, flagged QuoteFlag.crossed (never used as fills). Default false: a
   * crossed quote is an issue naming its line and the ask column (decision 0003).
   */
  readonly allowCrossed?: boolean;
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

// ---------------------------------------------------------------------------------------------
// parseChainCsv in named steps: detect the layout of the text (header and data lines), map the
// header to the layout's fields, then for each line parse the row (text -> values), validate it
// (checks across fields, the calendar) and normalise it (vendor conventions -> ChainQuoteRow). Every
// check is a rule of CHAIN_RULES (validation-rules.ts), shared with the provider quote parser.

type IssueSink = (line: number, field: string, value: string, problem: string, fix: string) => void;

/** The file as the layout sees it: its header, its data lines and the layout's reading settings. */
interface DetectedLayout {
  readonly header: readonly string[];
  readonly headerRaw: readonly string[];
  /** `lines[i]` is file line i + 2. */
  readonly lines: readonly string[];
  readonly callCodes: ReadonlySet<string>;
  readonly putCodes: ReadonlySet<string>;
  /** Vendor theta -> per year. */
  readonly thetaScale: number;
}

/** Step 1: the header, the data lines and the layout's codes and scales. */
function detectLayout(text: string, spec: LayoutSpec): DetectedLayout {
  const { header, headerRaw, lines } = splitCsvText(text);
  return {
    header,
    headerRaw,
    lines,
    callCodes: new Set(spec.callCodes.map((c) => c.toLowerCase())),
    putCodes: new Set(spec.putCodes.map((c) => c.toLowerCase())),
    thetaScale: spec.thetaPer === 'day' ? DAYS_PER_YEAR : 1,
  };
}

/** Column positions of the layout's fields, and the names the file gives them. */
interface HeaderMap {
  readonly col: Partial<Record<MappableField, number>>;
  readonly colName: Partial<Record<MappableField, string>>;
}

/**
 * Step 2: each field of the layout to its column (header names trimmed and compared
 * case-insensitively). Every missing column is an issue on line 1.
 */
function mapHeader(layout: DetectedLayout, spec: LayoutSpec, issue: IssueSink): HeaderMap {
  const col: Partial<Record<MappableField, number>> = {};
  const colName: Partial<Record<MappableField, string>> = {};
  for (const [field, name] of Object.entries(spec.columns) as Array<[MappableField, string]>) {
    const idx = layout.header.indexOf(name.trim().toLowerCase());
    colName[field] = name;
    const c = { name, field, layout: spec.layout, found: idx >= 0 };
    if (!CHAIN_RULES.headerColumn.rule(c)) {
      issue(
        1,
        name,
        layout.headerRaw.join(','),
        CHAIN_RULES.headerColumn.message(c),
        CHAIN_RULES.headerColumn.fix(c),
      );
    } else col[field] = idx;
  }
  return { col, colName };
}

/** A row's values as read from its text (undefined / NaN: absent or not readable). */
interface RowValues {
  readonly quoteDate: IsoDate | undefined;
  readonly expiry: IsoDate | undefined;
  /** HH:MM New York, or null for the session close (also when the time is unreadable). */
  readonly quoteTimeEt: string | null;
  readonly quoteTimeText: string | undefined;
  readonly optionSymbol: string | undefined;
  /** What the option symbol encodes, when it is an SPX/SPXW OSI symbol. */
  readonly symbol: { root: OptionRoot; expiry: IsoDate; right: OptionRight; strike: number } | undefined;
  /** The root column, when it names SPX or SPXW (upper-cased). */
  readonly rootColumn: OptionRoot | undefined;
  readonly strike: number;
  readonly right: OptionRight | undefined;
  readonly bid: number;
  readonly ask: number;
  readonly last: number;
  readonly volume: number;
  readonly openInterest: number;
  readonly underlyingPrice: number;
  /** The underlying columns had an issue of their own (no second "no level" issue then). */
  readonly underlyingUnreadable: boolean;
  readonly iv: number;
  readonly delta: number;
  readonly gamma: number;
  /** Per year (the layout's scale applied). */
  readonly theta: number;
  readonly vega: number;
}

/**
 * Where a check stands in a row's report: a row's issues are listed in this order (the order the
 * columns are read and checked in), whichever step found them.
 */
const ROW_CHECK_ORDER = [
  'quoteDate',
  'tradingDay',
  'expiry',
  'quoteTime',
  'close',
  'underlyingSymbol',
  'optionSymbol',
  'root',
  'strike',
  'strikePositive',
  'right',
  'contract',
  'bid',
  'ask',
  'crossed',
  'last',
  'volume',
  'openInterest',
  'underlying',
  'iv',
  'delta',
  'gamma',
  'theta',
  'vega',
] as const;
type RowCheck = (typeof ROW_CHECK_ORDER)[number];
const ROW_CHECK_RANK = new Map<RowCheck, number>(ROW_CHECK_ORDER.map((c, i) => [c, i]));

/**
 * Reads and checks the rows of one file (steps 3-5). Per-row state lives in fields so that no
 * closure is created per row.
 */
class RowReader {
  private f: string[] = [];
  private lineNo = 0;
  /** The current row's issues with their place in ROW_CHECK_ORDER. */
  private rowIssues: Array<{ check: RowCheck; issue: ImportIssue }> = [];
  private check: RowCheck = 'quoteDate';

  constructor(
    private readonly file: string,
    private readonly spec: LayoutSpec,
    private readonly layout: DetectedLayout,
    private readonly map: HeaderMap,
    private readonly allowCrossed: boolean,
  ) {}

  /** Starts a row: its fields and line number. */
  begin(fields: string[], lineNo: number): void {
    this.f = fields;
    this.lineNo = lineNo;
    this.rowIssues = [];
  }

  /** The row's issues in ROW_CHECK_ORDER (stable within one check). */
  issues(): ImportIssue[] {
    if (this.rowIssues.length > 1) {
      this.rowIssues.sort((a, b) => ROW_CHECK_RANK.get(a.check)! - ROW_CHECK_RANK.get(b.check)!);
    }
    return this.rowIssues.map((x) => x.issue);
  }

  private issue(field: string, value: string, problem: string, fix: string): void {
    this.rowIssues.push({
      check: this.check,
      issue: { file: this.file, line: this.lineNo, field, value, problem, fix },
    });
  }

  private fail<C>(r: ChainRule<C>, c: C, field: string, value: string): void {
    this.issue(field, value, r.message(c), r.fix(c));
  }

  private get(k: MappableField): string | undefined {
    const i = this.map.col[k];
    return i === undefined ? undefined : this.f[i]!.trim();
  }

  private name(k: MappableField): string {
    return this.map.colName[k] ?? k;
  }

  /** A number column: required (error when empty), or optional (NaN when empty or unmapped). */
  private num(k: MappableField, required: boolean, min: number | null, integer = false): number {
    this.check = (ROW_CHECK_RANK.has(k as RowCheck) ? k : 'underlying') as RowCheck;
    const text = this.get(k);
    if (text === undefined) return Number.NaN;
    const R = CHAIN_RULES;
    if (!R.numberPresent.rule({ field: k, text })) {
      if (required) this.fail(R.numberPresent, { field: k, text }, this.name(k), text);
      return Number.NaN;
    }
    if (!R.numberSyntax.rule({ field: k, text })) {
      this.fail(R.numberSyntax, { field: k, text }, this.name(k), text);
      return Number.NaN;
    }
    const value = Number(text);
    if (!R.numberFinite.rule({ field: k, value })) {
      this.fail(R.numberFinite, { field: k, value }, this.name(k), text);
      return Number.NaN;
    }
    if (min !== null && !R.numberAtLeast.rule({ field: k, value, min })) {
      this.fail(R.numberAtLeast, { field: k, value, min }, this.name(k), text);
      return Number.NaN;
    }
    if (integer && !R.numberWhole.rule({ field: k, value })) {
      this.fail(R.numberWhole, { field: k, value }, this.name(k), text);
      return Number.NaN;
    }
    return value;
  }

  private date(k: 'quoteDate' | 'expiry'): IsoDate | undefined {
    this.check = k;
    const v = this.get(k) ?? '';
    const c = {
      date: parseVendorDate(v, this.spec.dateFormat, this.spec.dateTimeSuffix),
      format: this.spec.dateFormat,
      suffix: this.spec.dateTimeSuffix,
    };
    if (!CHAIN_RULES.dateSyntax.rule(c)) this.fail(CHAIN_RULES.dateSyntax, c, this.name(k), v);
    return c.date;
  }

  /** Step 3: the row's text to values; what cannot be read is an issue and stays undefined/NaN. */
  parseRow(): RowValues {
    const R = CHAIN_RULES;
    const quoteDate = this.date('quoteDate');
    const expiry = this.date('expiry');

    let quoteTimeEt = this.spec.quoteTimeEt;
    const quoteTimeText = this.get('quoteTime');
    if (quoteTimeText !== undefined) {
      this.check = 'quoteTime';
      const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(quoteTimeText);
      const h = m ? Number(m[1]) : Number.NaN;
      const mi = m ? Number(m[2]) : Number.NaN;
      const c = { valid: m !== null && h <= 23 && mi <= 59 };
      if (!R.quoteTimeSyntax.rule(c)) {
        this.fail(R.quoteTimeSyntax, c, this.name('quoteTime'), quoteTimeText);
        quoteTimeEt = null;
      } else quoteTimeEt = `${pad2(h)}:${pad2(mi)}`;
    }

    const us = this.get('underlyingSymbol');
    if (us !== undefined && !R.underlyingIsSpx.rule({ symbol: us })) {
      this.check = 'underlyingSymbol';
      this.fail(R.underlyingIsSpx, { symbol: us }, this.name('underlyingSymbol'), us);
    }

    let symbol: RowValues['symbol'];
    const optionSymbol = this.get('optionSymbol');
    if (optionSymbol !== undefined) {
      this.check = 'optionSymbol';
      const m = OSI_RE.exec(optionSymbol.replaceAll(' ', ''));
      const c = { parsed: m !== null && (m[1] === 'SPX' || m[1] === 'SPXW') };
      if (!R.optionSymbolSpxOsi.rule(c)) {
        this.fail(R.optionSymbolSpxOsi, c, this.name('optionSymbol'), optionSymbol);
      } else {
        symbol = {
          root: m![1] as OptionRoot,
          expiry: `20${m![2]}-${m![3]}-${m![4]}` as IsoDate,
          right: m![5] === 'C' ? 'call' : 'put',
          strike: Number(m![6]) / 1000,
        };
      }
    }

    let rootColumn: OptionRoot | undefined;
    const rt = this.get('root');
    if (rt !== undefined) {
      this.check = 'root';
      const c = { root: rt.toUpperCase() };
      if (!R.rootIsSpx.rule(c)) this.fail(R.rootIsSpx, c, this.name('root'), rt);
      else rootColumn = c.root as OptionRoot;
    }

    const strike = this.num('strike', true, null);

    this.check = 'right';
    const rv = (this.get('right') ?? '').toLowerCase();
    let right: OptionRight | undefined;
    if (this.layout.callCodes.has(rv)) right = 'call';
    else if (this.layout.putCodes.has(rv)) right = 'put';
    const rc = { known: right !== undefined, codes: [...this.spec.callCodes, ...this.spec.putCodes] };
    if (!R.rightCode.rule(rc)) this.fail(R.rightCode, rc, this.name('right'), this.get('right') ?? '');

    const bid = this.num('bid', false, 0);
    const ask = this.num('ask', false, 0);
    const last = this.num('last', false, 0);
    const volume = this.num('volume', false, 0, true);
    const openInterest = this.num('openInterest', false, 0, true);
    const before = this.rowIssues.length;
    const hasBidAsk = this.map.col.underlyingBid !== undefined;
    let underlyingPrice = this.num('underlyingPrice', !hasBidAsk, 0);
    if (!(underlyingPrice > 0) && hasBidAsk) {
      const ub = this.num('underlyingBid', true, 0);
      const ua = this.num('underlyingAsk', true, 0);
      if (ub > 0 && ua > 0) underlyingPrice = 0.5 * (ub + ua);
    }
    const underlyingUnreadable = this.rowIssues.length > before;

    return {
      quoteDate,
      expiry,
      quoteTimeEt,
      quoteTimeText,
      optionSymbol,
      symbol,
      rootColumn,
      strike,
      right,
      bid,
      ask,
      last,
      volume,
      openInterest,
      underlyingPrice,
      underlyingUnreadable,
      iv: this.num('iv', false, 0),
      delta: this.num('delta', false, null),
      gamma: this.num('gamma', false, null),
      theta: this.num('theta', false, null) * this.layout.thetaScale,
      vega: this.num('vega', false, null),
    };
  }

  /**
   * Step 4: checks across fields and against the calendar: a trading day, a quote time by the close,
   * the root and the option symbol agreeing with the columns, the strike, the expiry (after the quote
   * date, a listed SPX/SPXW expiry) and the underlying level. Returns the row's root.
   */
  validateRow(v: RowValues): OptionRoot | undefined {
    const R = CHAIN_RULES;
    const { quoteDate, expiry } = v;
    if (quoteDate !== undefined) {
      this.check = 'tradingDay';
      const c = { quoteDate, tradingDay: isTradingDaySafe(quoteDate) };
      if (!R.quoteDateTradingDay.rule(c))
        this.fail(R.quoteDateTradingDay, c, this.name('quoteDate'), this.get('quoteDate')!);
    }
    if (quoteDate !== undefined && v.quoteTimeEt !== null && isTradingDaySafe(quoteDate)) {
      this.check = 'close';
      const s = sessionClose(quoteDate);
      const c = {
        quoteDate,
        quoteTimeEt: v.quoteTimeEt,
        quoteUtcMs: zonedTimeToUtcMs(quoteDate, v.quoteTimeEt, 'America/New_York'),
        closeUtcMs: s.closeUtcMs,
        closeEt: s.closeEt,
      };
      if (!R.quoteTimeByClose.rule(c)) {
        const k: MappableField = v.quoteTimeText !== undefined ? 'quoteTime' : 'quoteDate';
        this.fail(R.quoteTimeByClose, c, this.name(k), v.quoteTimeText ?? this.get('quoteDate')!);
      }
    }

    let root = v.symbol?.root;
    if (v.rootColumn !== undefined) {
      this.check = 'root';
      if (root !== undefined && !R.rootMatchesSymbol.rule({ root: v.rootColumn, symbolRoot: root })) {
        const c = { root: v.rootColumn, symbolRoot: root };
        this.fail(R.rootMatchesSymbol, c, this.name('root'), this.get('root')!);
      } else root = v.rootColumn;
    }

    if (!Number.isNaN(v.strike) && !R.strikePositive.rule({ strike: v.strike })) {
      this.check = 'strikePositive';
      this.fail(R.strikePositive, { strike: v.strike }, this.name('strike'), this.get('strike')!);
    }

    this.check = 'contract';
    const sym = v.symbol;
    if (sym !== undefined && expiry !== undefined) {
      const c = { symbolExpiry: sym.expiry, expiry, expiryColumn: this.name('expiry') };
      if (!R.symbolExpiryMatches.rule(c))
        this.fail(R.symbolExpiryMatches, c, this.name('optionSymbol'), v.optionSymbol!);
    }
    if (sym !== undefined && v.right !== undefined) {
      const c = { symbolRight: sym.right, right: v.right, rightColumn: this.name('right') };
      if (!R.symbolRightMatches.rule(c))
        this.fail(R.symbolRightMatches, c, this.name('optionSymbol'), v.optionSymbol!);
    }
    if (sym !== undefined && !Number.isNaN(v.strike)) {
      const c = { symbolStrike: sym.strike, strike: v.strike, strikeColumn: this.name('strike') };
      if (!R.symbolStrikeMatches.rule(c))
        this.fail(R.symbolStrikeMatches, c, this.name('optionSymbol'), v.optionSymbol!);
    }
    if (quoteDate !== undefined && expiry !== undefined) {
      const c = { expiry, quoteDate };
      if (!R.expiryNotBeforeQuoteDate.rule(c))
        this.fail(R.expiryNotBeforeQuoteDate, c, this.name('expiry'), this.get('expiry')!);
    }
    if (expiry !== undefined && root !== undefined) {
      const c = { root, expiry, listed: rootExpiresSafe(root, expiry) };
      if (!R.expiryOnCalendar.rule(c))
        this.fail(R.expiryOnCalendar, c, this.name('expiry'), this.get('expiry')!);
    }

    if (!this.allowCrossed && !R.quoteNotCrossed.rule({ bid: v.bid, ask: v.ask })) {
      this.check = 'crossed';
      this.fail(R.quoteNotCrossed, { bid: v.bid, ask: v.ask }, this.name('ask'), this.get('ask')!);
    }

    if (!v.underlyingUnreadable && !R.underlyingLevel.rule({ level: v.underlyingPrice })) {
      this.check = 'underlying';
      const k: MappableField =
        this.map.col.underlyingPrice !== undefined ? 'underlyingPrice' : 'underlyingBid';
      this.fail(R.underlyingLevel, { level: v.underlyingPrice }, this.name(k), this.get(k) ?? '');
    }
    return root;
  }

  /** The duplicate-key issue of a row (checked after it is normalised: the key is the stored one). */
  duplicate(previousLine: number): ImportIssue {
    const c = { previousLine };
    return {
      file: this.file,
      line: this.lineNo,
      field: this.name('strike'),
      value: this.get('strike')!,
      problem: CHAIN_RULES.uniqueKey.message(c),
      fix: CHAIN_RULES.uniqueKey.fix(c),
    };
  }
}

/**
 * Step 5: a valid row's values in the store's form: the layout's conventions for missing vendor
 * analytics (zeros meaning "none", deep-ITM placeholder IVs), the settlement from the root, the
 * quote flags.
 */
function normaliseRow(
  v: RowValues & { quoteDate: IsoDate; expiry: IsoDate; right: OptionRight },
  root: OptionRoot,
  spec: LayoutSpec,
): ChainQuoteRow {
  let iv = v.iv;
  let theta = v.theta;
  let vDelta = v.delta;
  let vGamma = v.gamma;
  let vVega = v.vega;
  let ivPlaceholder = false;
  if (spec.zeroGreeksMeanMissing) {
    if (iv === 0) iv = Number.NaN;
    if (v.delta === 0 && v.gamma === 0 && v.vega === 0) {
      vDelta = Number.NaN;
      vGamma = Number.NaN;
      vVega = Number.NaN;
      theta = Number.NaN;
    }
  }
  if (spec.dropPlaceholderIv && Math.abs(v.delta) === 1 && v.vega === 0) {
    ivPlaceholder = true;
    iv = Number.NaN;
  }
  return {
    quoteDate: v.quoteDate,
    quoteTimeEt: v.quoteTimeEt,
    underlying: 'SPX',
    root,
    expiry: v.expiry,
    settlement: root === 'SPX' ? 'AM' : 'PM',
    strike: v.strike,
    right: v.right,
    bid: v.bid,
    ask: v.ask,
    last: v.last,
    volume: v.volume,
    openInterest: v.openInterest,
    underlyingPrice: v.underlyingPrice,
    vendorIv: iv,
    vendorDelta: vDelta,
    vendorGamma: vGamma,
    vendorTheta: theta,
    vendorVega: vVega,
    ivPlaceholder,
    flags: quoteFlags(v.bid, v.ask),
  };
}

/**
 * Parses and validates a whole option file in `spec`'s layout. Every bad value of every row is
 * collected; if there is any, a ChainImportError lists them (file, line, field, value, fix) and no
 * row is returned. Rows with bid = ask = 0 are kept and flagged (QuoteFlag.zeroBid | zeroAsk); rows
 * with bid > ask are refused unless `options.allowCrossed` keeps them flagged QuoteFlag.crossed.
 */
export function parseChainCsv(
  text: string,
  file: string,
  spec: LayoutSpec,
  options: ChainParseOptions = {},
): ParsedChainFile {
  const issues: ImportIssue[] = [];
  const issue: IssueSink = (line, field, value, problem, fix) => {
    issues.push({ file, line, field, value, problem, fix });
  };
  const R = CHAIN_RULES;
  const layout = detectLayout(text, spec);
  const map = mapHeader(layout, spec, issue);
  if (issues.length > 0) throw new ChainImportError(issues);
  if (!R.hasDataRows.rule({ lines: layout.lines.length })) {
    issue(1, 'rows', '', R.hasDataRows.message({ lines: 0 }), R.hasDataRows.fix({ lines: 0 }));
    throw new ChainImportError(issues);
  }

  const reader = new RowReader(file, spec, layout, map, options.allowCrossed === true);
  const seen = new Map<string, number>();
  const rows: ChainQuoteRow[] = [];
  const width = layout.header.length;
  let rowsRead = 0;
  let blankLines = 0;
  let crossed = 0;
  for (let li = 0; li < layout.lines.length; li++) {
    const lineNo = li + 2;
    const raw = layout.lines[li]!;
    // Empty lines are not rows (DuckDB's CSV reader skips them too, so both import paths agree); a
    // line of spaces is a one-field row and fails the column count in both.
    if (raw === '') {
      blankLines++;
      continue;
    }
    rowsRead++;
    const fields = splitCsvLine(raw);
    const shape = { fields: fields.length, width };
    if (!R.fieldCount.rule(shape)) {
      const shown = raw.length > 80 ? `${raw.slice(0, 80)}...` : raw;
      issue(lineNo, 'columns', shown, R.fieldCount.message(shape), R.fieldCount.fix(shape));
      continue;
    }
    reader.begin(fields, lineNo);
    const values = reader.parseRow();
    const root = reader.validateRow(values);
    const rowIssues = reader.issues();
    if (rowIssues.length > 0) {
      issues.push(...rowIssues);
      continue;
    }
    const { quoteDate, expiry, right } = values;
    if (quoteDate === undefined || expiry === undefined || root === undefined || right === undefined)
      continue;
    const row = normaliseRow({ ...values, quoteDate, expiry, right }, root, spec);
    const key = rowKey(row);
    const prev = seen.get(key);
    if (!R.uniqueKey.rule({ previousLine: prev })) {
      issues.push(reader.duplicate(prev!));
      continue;
    }
    seen.set(key, lineNo);
    if (row.bid > row.ask) crossed++;
    rows.push(row);
  }
  if (issues.length === 0 && !R.hasNonEmptyRows.rule({ rows: rows.length })) {
    issue(1, 'rows', '', R.hasNonEmptyRows.message({ rows: 0 }), R.hasNonEmptyRows.fix({ rows: 0 }));
  }
  if (issues.length > 0) throw new ChainImportError(issues, rowsRead);
  return { file, layout: spec.layout, vendor: spec.vendor, rows, rowsRead, blankLines, crossed };
}

/** HistoricalOptionData "options EOD" file (see HOD_LAYOUT). */
export function parseHistoricalOptionData(text: string, file: string): ParsedChainFile {
  return parseChainCsv(text, file, HOD_LAYOUT);
}

/** Cboe DataShop Option EOD Summary file (see DATASHOP_LAYOUT). */
export function parseDataShop(text: string, file: string): ParsedChainFile {
  return parseChainCsv(text, file, DATASHOP_LAYOUT);
}
