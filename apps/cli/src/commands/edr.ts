import {
  computeEdr,
  DEFAULT_EDR_MODE,
  EDR_MODES,
  type EdrMode,
  type EdrResult,
  HV_PERIOD,
  hv20,
  InvalidInputError,
  type IsoDate,
  isoDate,
  lastOf,
  UnavailableError,
} from '@vixshield/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { optionError } from '../errors';

/**
 * `vixshield edr`: the Expected Daily Range for one day, from explicit levels (--vix/--spx ...) or
 * from the embedded market data for a date (--date, through an injected loader).
 */

/** One day's market data, as known at that day's entry time. Vols in vol points, SPX in points. */
export interface MarketDay {
  readonly spx: number;
  readonly vix: number;
  readonly vix9d?: number | null;
  /** SPX daily closes, oldest first, ending with this day's close (HV20 needs at least 21). */
  readonly closes: ArrayLike<number>;
}

/** Returns the data for `date`, or undefined when the data set has no such trading day. */
export type MarketDayLoader = (date: IsoDate) => MarketDay | undefined | Promise<MarketDay | undefined>;

export interface EdrCommandDeps {
  /** Market data for --date; when absent, --date fails with MARKET_DATA_UNAVAILABLE. */
  readonly loadMarketDay?: MarketDayLoader;
  /** Where output goes (default: stdout). */
  readonly out?: (text: string) => void;
}

/** Parsed command-line options. */
export interface EdrArgs {
  readonly date?: IsoDate;
  readonly vix?: number;
  readonly vix9d?: number;
  readonly hv20?: number;
  readonly spx?: number;
  readonly mode?: EdrMode;
  readonly json?: boolean;
}

/** What the command prints: the core result, plus the as-of date when --date was used. */
export interface EdrOutput extends EdrResult {
  readonly date?: IsoDate;
}

export const MARKET_DATA_UNAVAILABLE = 'market data not available in this build';

/** Option flag for each core input field, so a core validation error names what the user typed. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  spx: '--spx',
  vix: '--vix',
  vix9d: '--vix9d',
  hv20: '--hv20',
  date: '--date',
  mode: '--mode',
};

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** Strict positive-number parser for an option (rejects '', '0x10', 'abc', 0, negatives). */
export function parsePositive(name: string): (text: string) => number {
  return (text: string) => {
    const value = NUMBER_RE.test(text.trim()) ? Number(text) : Number.NaN;
    if (!Number.isFinite(value) || value <= 0) {
      throw new InvalidArgumentError(`${name} must be a positive number, got '${text}'.`);
    }
    return value;
  };
}

function parseDate(text: string): IsoDate {
  try {
    return isoDate(text, 'date');
  } catch {
    throw new InvalidArgumentError(`--date must be a calendar date YYYY-MM-DD, got '${text}'.`);
  }
}

function modeNeedsHv(mode: EdrMode): boolean {
  return mode === 'high' || mode === 'glossary-literal';
}

/** Computes the EDR for the parsed options. Throws an InvalidInputError (exit 2) for bad or missing options. */
export async function runEdr(args: EdrArgs, deps: EdrCommandDeps = {}): Promise<EdrOutput> {
  const mode = args.mode ?? DEFAULT_EDR_MODE;
  const explicit =
    args.vix !== undefined || args.spx !== undefined || args.vix9d !== undefined || args.hv20 !== undefined;
  if (args.date !== undefined && explicit) {
    throw optionError('--date cannot be combined with --vix, --vix9d, --hv20 or --spx', 'date');
  }
  try {
    if (args.date !== undefined) return await edrForDate(args.date, mode, deps);
    if (args.vix === undefined && args.spx === undefined) {
      throw optionError(
        'pass either --date YYYY-MM-DD, or --vix X --spx S (with optional --vix9d, --hv20)',
        'date',
      );
    }
    if (args.vix === undefined) throw optionError('--vix is required with --spx', 'vix');
    if (args.spx === undefined) throw optionError('--spx is required with --vix', 'spx');
    if (modeNeedsHv(mode) && args.hv20 === undefined) {
      throw optionError(
        `--hv20 is required with --mode ${mode} (20-day historical vol in vol points, e.g. 14.2)`,
        'hv20',
      );
    }
    return computeEdr(
      { spx: args.spx, vix: args.vix, vix9d: args.vix9d ?? null, hv20: args.hv20 ?? null },
      { mode },
    );
  } catch (err) {
    // A core error (e.g. from computeEdr) gets the option prefix; the command's own errors already name it.
    if (err instanceof InvalidInputError && !err.hintInMessage && err.field in OPTION_OF_FIELD) {
      throw optionError(`${OPTION_OF_FIELD[err.field]}: ${err.message} (${err.hint})`, err.field);
    }
    throw err;
  }
}

async function edrForDate(date: IsoDate, mode: EdrMode, deps: EdrCommandDeps): Promise<EdrOutput> {
  if (deps.loadMarketDay === undefined) {
    throw new UnavailableError(
      `${MARKET_DATA_UNAVAILABLE}: --date needs the embedded data set; pass --vix and --spx instead`,
      'date',
      'pass --vix and --spx instead',
      { hintInMessage: true },
    );
  }
  const day = await deps.loadMarketDay(date);
  if (day === undefined) {
    throw optionError(
      `--date: no market data for ${date} (not a trading day, or outside the data set)`,
      'date',
    );
  }
  const hv = lastOf(hv20(day.closes));
  if (modeNeedsHv(mode) && hv === null) {
    throw optionError(
      `--date: not enough SPX history up to ${date} for HV20 (need ${HV_PERIOD + 1} closes, have ${day.closes.length}); use --mode low or medium`,
      'date',
    );
  }
  const result = computeEdr({ spx: day.spx, vix: day.vix, vix9d: day.vix9d ?? null, hv20: hv }, { mode });
  return { date, ...result };
}

function fmt(value: number | null, digits: number): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

/** A short human-readable block. */
export function formatEdrText(r: EdrOutput): string {
  const i = r.inputs;
  const lines = [
    `EDR ${fmt(r.edrPct, 3)}% = ${fmt(r.edrPts, 2)} pts  (mode ${r.mode}${r.date ? `, ${r.date}` : ''})`,
    `  SPX ${fmt(i.spx, 2)}  range ${fmt(r.lower, 2)} .. ${fmt(r.upper, 2)}`,
    `  VIX ${fmt(i.vix, 2)}  VIX9D ${fmt(i.vix9d, 2)}  HV20 ${fmt(i.hv20, 2)}`,
    `  blend vol ${fmt(i.blendVol, 4)}  bias ${fmt(i.bias, 6)}  m ${i.multiplier}`,
    `  formula: ${i.formula}`,
  ];
  for (const f of i.fallbacks) lines.push(`  note: ${f.reason}`);
  if (i.unverified) {
    lines.push('  note: UNVERIFIED glossary formula, printed as-is; not consistent with the 1.16% anchor');
  }
  return `${lines.join('\n')}\n`;
}

export function formatEdr(result: EdrOutput, json: boolean): string {
  return json ? `${JSON.stringify(result, null, 2)}\n` : formatEdrText(result);
}

export function registerEdr(program: Command, deps: EdrCommandDeps = {}): void {
  program
    .command('edr')
    .description(
      'Expected Daily Range: edrPct = m * bias * blendVol / sqrt(252), points and SPX bounds. ' +
        'Either --date D (embedded data) or --vix X --spx S [--vix9d Y] [--hv20 Z].',
    )
    .addOption(
      new Option('--date <date>', 'as-of trading date YYYY-MM-DD (embedded market data)').argParser(
        parseDate,
      ),
    )
    .addOption(
      new Option('--vix <number>', 'VIX (30-day) close, vol points, e.g. 17.95').argParser(
        parsePositive('--vix'),
      ),
    )
    .addOption(new Option('--vix9d <number>', 'VIX9D close, vol points').argParser(parsePositive('--vix9d')))
    .addOption(
      new Option('--hv20 <number>', 'SPX 20-day historical vol, vol points').argParser(
        parsePositive('--hv20'),
      ),
    )
    .addOption(
      new Option('--spx <number>', 'SPX level, index points, e.g. 7140').argParser(parsePositive('--spx')),
    )
    .addOption(new Option('--mode <mode>', 'EDR mode').choices(EDR_MODES).default(DEFAULT_EDR_MODE))
    .option('--json', 'print JSON instead of text', false)
    .action(async (opts: EdrArgs) => {
      const result = await runEdr(opts, deps);
      const out = deps.out ?? ((text: string) => process.stdout.write(text));
      out(formatEdr(result, opts.json === true));
    });
}
