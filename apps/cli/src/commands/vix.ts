import { readFileSync } from 'node:fs';
import type { ModelledVixResult } from '@vixshield/app';
import { groupIntoChains, parseDataShop, parseHistoricalOptionData } from '@vixshield/chains';
import {
  chooseVixTerms,
  InvalidInputError,
  type IsoDate,
  isoDate,
  type OptionChain,
  type VixIndexResult,
  type VixTermInput,
  vixFromChains,
} from '@vixshield/core';
import { exchangeIsTradingDay, loadEmbeddedMarketData, type MarketData } from '@vixshield/data';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { optionError } from '../errors';

/**
 * `vixshield vix`: the VIX index computed from an SPX option file (Cboe's method, core
 * `vixFromChains`) for one quote date. The rate is --rate, or the embedded risk-free rate of that
 * date (DGS3MO/DFF, continuous) through an injected loader.
 */

export interface VixArgs {
  /** Required with --source real (the default). */
  readonly chain?: string;
  /** 'real' (an option file, --chain) or 'model' (the modelled chains of the embedded data). */
  readonly source?: 'real' | 'model';
  /** With --source model: a data directory whose imports and updates (VIX1D among them) are read. */
  readonly dataDir?: string;
  /** Constant maturity with --source model: 1 (the VIX1D calculation) or 30 (the VIX). */
  readonly days?: 1 | 30;
  readonly date: IsoDate;
  readonly near?: IsoDate;
  readonly next?: IsoDate;
  readonly rate?: number;
  readonly layout?: 'hod' | 'datashop';
  readonly json?: boolean;
}

export interface VixCommandDeps {
  /** The VIX method on the modelled chains of `date` (app modelledVix over the embedded data). */
  readonly modelledVix?: (date: IsoDate, days: 1 | 30, dataDir?: string) => ModelledVixResult;
  /** Risk-free rate (continuous, decimal) known on `date`; used when --rate is absent. */
  readonly rateOn?: (date: IsoDate) => { r: number; source: string } | undefined;
  readonly out?: (text: string) => void;
}

export interface VixOutput {
  readonly date: IsoDate;
  readonly vix: number;
  readonly terms: VixIndexResult['terms'];
  readonly forward: number;
  readonly k0: number;
  readonly rate: number;
  readonly rateSource: string;
  readonly note?: string;
}

function parseDateOpt(name: string): (text: string) => IsoDate {
  return (text) => {
    try {
      return isoDate(text, name);
    } catch {
      throw new InvalidArgumentError(`${name} must be a calendar date YYYY-MM-DD, got '${text}'.`);
    }
  };
}

function parseDays(text: string): 1 | 30 {
  if (text.trim() === '1') return 1;
  if (text.trim() === '30') return 30;
  throw new InvalidArgumentError(`--days must be 1 (the VIX1D calculation) or 30 (the VIX), got '${text}'.`);
}

/** `vix --source model`: the VIX method on the modelled chains at 15:10 CT. */
export function runModelledVix(args: VixArgs, deps: VixCommandDeps): ModelledVixResult {
  if (args.chain !== undefined) throw optionError('--chain cannot be used with --source model', 'chain');
  if (args.near !== undefined || args.next !== undefined || args.rate !== undefined) {
    throw optionError('--near, --next and --rate apply to --source real only', 'near');
  }
  if (!deps.modelledVix)
    throw optionError('--source model: no market data is built into this program', 'source');
  return deps.modelledVix(args.date, args.days ?? 30, args.dataDir);
}

export function formatModelledVixText(o: ModelledVixResult): string {
  const name = o.days === 1 ? 'VIX1D' : 'VIX';

  const lines = [
    `${name} ${o.date} from modelled chains at 15:10 CT: ${o.vix.toFixed(2)}` +
      (o.published !== null ? `  (published ${name} close ${o.published.toFixed(2)})` : ''),
    `  terms: ${o.terms.map((x) => `${x.expiry} ${(x.minutesToExpiry / 1440).toFixed(3)} days`).join(', ')}; rate ${(o.rate * 100).toFixed(3)}%`,
  ];
  if (o.oneDayVix)
    lines.push(
      `  one-day vol of the short-dated regime: ${o.oneDayVix.value.toFixed(2)} (${o.oneDayVix.source})`,
    );
  if (o.note) lines.push(`  note: ${o.note}`);
  return lines.join('\n');
}

function parseRate(text: string): number {
  const v = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(v) || Math.abs(v) > 1) {
    throw new InvalidArgumentError(`--rate must be a decimal rate such as 0.015, got '${text}'.`);
  }
  return v;
}

export function readChains(path: string, layout: 'hod' | 'datashop' | undefined): OptionChain[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw optionError(
      `--chain: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      'chain',
    );
  }
  const parsed =
    layout === 'datashop'
      ? parseDataShop(text, path)
      : layout === 'hod'
        ? parseHistoricalOptionData(text, path)
        : sniff(text, path);
  return groupIntoChains(parsed.rows, { kind: 'real', vendor: parsed.vendor, file: parsed.file });
}

function sniff(text: string, path: string) {
  const head = text.slice(0, 400).toLowerCase();
  return head.includes('quote_date') ? parseDataShop(text, path) : parseHistoricalOptionData(text, path);
}

/** The risk-free rate of `date` from the embedded market data (loaded once, on first use). */
export function embeddedRateOn(): (date: IsoDate) => { r: number; source: string } | undefined {
  let md: MarketData | undefined;
  return (date) => {
    md ??= loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay });
    const s = md.byDate(date);
    return s?.rate
      ? { r: s.rate.r, source: `${s.rate.source} ${s.rate.quotedPct}% of ${s.rate.asOf}` }
      : undefined;
  };
}

/** Computes the VIX for the parsed options. Throws an InvalidInputError for bad or missing input. */
export function runVix(args: VixArgs, deps: VixCommandDeps = {}): VixOutput {
  if (args.chain === undefined) throw optionError('--chain <file> is required with --source real', 'chain');
  const all = readChains(args.chain, args.layout).filter((c) => c.asOf === args.date);
  if (all.length === 0) throw optionError(`--date: ${args.chain} has no quotes on ${args.date}`, 'date');
  const byExpiry = (e: IsoDate, opt: string) => {
    const c = all.filter((x) => x.expiry === e);
    if (c.length === 0) {
      throw optionError(
        `${opt}: no ${e} chain on ${args.date}; expiries: ${[...new Set(all.map((x) => x.expiry))].join(', ')}`,
        opt.replace(/^--/, ''),
      );
    }
    // Prefer the AM-settled standard chain when both roots expire that day.
    return c.find((x) => x.root === 'SPX') ?? c[0]!;
  };
  let rate = args.rate;
  let rateSource = '--rate';
  if (rate === undefined) {
    const r = deps.rateOn?.(args.date);
    if (r === undefined)
      throw optionError('--rate: no risk-free rate known for this date; pass --rate 0.015', 'rate');
    rate = r.r;
    rateSource = r.source;
  }
  const quoteTime = all[0]!.quoteTimeUtcMs;
  let near: OptionChain;
  let next: OptionChain | undefined;
  let chooseNote: string | undefined;
  if (args.near !== undefined) {
    near = byExpiry(args.near, '--near');
    next = args.next !== undefined ? byExpiry(args.next, '--next') : undefined;
  } else {
    if (args.next !== undefined) throw optionError('--next needs --near', 'next');
    const choice = chooseVixTerms(all, quoteTime);
    near = choice.near;
    next = choice.next;
    chooseNote = choice.note;
  }
  const term = (c: OptionChain): VixTermInput => ({ chain: c, rate: rate as number });
  try {
    const res = vixFromChains(term(near), next ? term(next) : undefined);
    const note = [chooseNote, res.note].filter((x): x is string => x !== undefined).join('; ');
    return {
      date: args.date,
      vix: res.vix,
      terms: res.terms,
      forward: res.forward,
      k0: res.k0,
      rate,
      rateSource,
      ...(note ? { note } : {}),
    };
  } catch (err) {
    if (err instanceof InvalidInputError && !err.hintInMessage)
      throw optionError(`${err.message} (${err.hint})`, err.field);
    throw err;
  }
}

export function formatVixText(o: VixOutput): string {
  const lines = [
    `VIX ${o.date}: ${o.vix.toFixed(2)}  (forward ${o.forward.toFixed(2)}, K0 ${o.k0}, rate ${(o.rate * 100).toFixed(3)}% ${o.rateSource})`,
  ];
  for (const t of o.terms) {
    lines.push(
      `  term ${t.expiry} ${t.settlement}: ${(t.minutesToExpiry / 1440).toFixed(3)} days, F ${t.forward.toFixed(2)}, K0 ${t.k0}, ` +
        `sigma ${(100 * Math.sqrt(Math.max(t.variance, 0))).toFixed(2)}, ${t.strikesUsed} strikes ${t.lowestStrike}-${t.highestStrike}`,
    );
  }
  if (o.note) lines.push(`  note: ${o.note}`);
  return lines.join('\n');
}

export function registerVix(program: Command, deps: VixCommandDeps = {}): void {
  program
    .command('vix')
    .description(
      "VIX index by Cboe's VIX method: from an SPX option file (--chain), or from the modelled chains of an embedded day (--source model --days 1|30)",
    )
    .option('--chain <file>', 'option file (HistoricalOptionData or Cboe DataShop layout); --source real')
    .addOption(
      new Option('--source <source>', 'real: the option file; model: the modelled chains at 15:10 CT')
        .choices(['real', 'model'])
        .default('real'),
    )
    .option('--days <n>', 'constant maturity with --source model: 1 (VIX1D) or 30 (VIX)', parseDays)
    .option(
      '--data-dir <dir>',
      'with --source model: also read this data directory (imports, `data update`: a VIX1D close there is the one-day vol; default $VIXSHIELD_DATA_DIR)',
    )
    .requiredOption('--date <YYYY-MM-DD>', 'quote date', parseDateOpt('--date'))
    .option(
      '--near <YYYY-MM-DD>',
      'near-term expiry (default: chosen by the 23-37 day rule)',
      parseDateOpt('--near'),
    )
    .option('--next <YYYY-MM-DD>', 'next-term expiry', parseDateOpt('--next'))
    .option(
      '--rate <r>',
      'risk-free rate, continuous decimal (default: embedded DGS3MO/DFF of the date)',
      parseRate,
    )
    .addOption(new Option('--layout <layout>', 'file layout (default: detect)').choices(['hod', 'datashop']))
    .option('--json', 'print JSON')
    .action((opts: VixArgs) => {
      const print = deps.out ?? ((t: string) => process.stdout.write(`${t}\n`));
      if (opts.source === 'model') {
        const dataDir = opts.dataDir ?? process.env.VIXSHIELD_DATA_DIR;
        const m = runModelledVix({ ...opts, ...(dataDir !== undefined ? { dataDir } : {}) }, deps);
        print(opts.json ? JSON.stringify(m, null, 2) : formatModelledVixText(m));
        return;
      }
      if (opts.days !== undefined) throw optionError('--days applies to --source model only', 'days');
      if (opts.dataDir !== undefined)
        throw optionError('--data-dir applies to --source model only', 'data-dir');
      const out = runVix(opts, deps);
      const text = opts.json
        ? JSON.stringify(
            {
              vix: out.vix,
              terms: out.terms,
              forward: out.forward,
              k0: out.k0,
              rate: out.rate,
              rateSource: out.rateSource,
              ...(out.note ? { note: out.note } : {}),
            },
            null,
            2,
          )
        : formatVixText(out);
      print(text);
    });
}
