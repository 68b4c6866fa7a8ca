import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import {
  bsmGreeks,
  type IsoDate,
  impliedVolBsm,
  isoDate,
  midPrice,
  type OptionChain,
  type OptionRoot,
  settlementInstantUtcMs,
  yearFraction,
} from '@vixshield/core';
import {
  CHAIN_DB_FILE,
  ChainImportError,
  ChainStore,
  columnMapFromJson,
  EMBEDDED_HOD_FIRST,
  EMBEDDED_HOD_LAST,
  embeddedPorts,
  type ImportReport,
  LAYOUTS,
  type LayoutSpec,
  marketData,
  RealChainSource,
} from '@vixshield/data';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../errors';

/**
 * `vixshield chains import|export` (the DuckDB chain store) and `vixshield chain` (one chain with our
 * implied vols and Greeks). The data directory is --data-dir, else $VIXSHIELD_DATA_DIR, else
 * ~/.vixshield/data; the store is <data dir>/chains.duckdb.
 */

/**
 * Rate and dividend yield used until the market-data loader lands (continuously compounded, per
 * year). 2% is a round T-bill-like rate; 1.8% is close to the S&P 500 dividend yield of 2015-2019.
 * Every output says whether these defaults or user values were used.
 */
export const DEFAULT_RATE = 0.02;
export const DEFAULT_DIVIDEND_YIELD = 0.018;

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.VIXSHIELD_DATA_DIR;
  return fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : join(homedir(), '.vixshield', 'data');
}

function parseDate(flag: string): (text: string) => IsoDate {
  return (text: string) => {
    try {
      return isoDate(text, flag);
    } catch {
      throw new InvalidArgumentError(`${flag} must be a calendar date YYYY-MM-DD, got '${text}'.`);
    }
  };
}

function parseRate(flag: string): (text: string) => number {
  return (text: string) => {
    const v = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : Number.NaN;
    if (!Number.isFinite(v) || Math.abs(v) > 1) {
      throw new InvalidArgumentError(
        `${flag} must be a decimal per year between -1 and 1 (e.g. 0.05 for 5%), got '${text}'.`,
      );
    }
    return v;
  };
}

// ---------------------------------------------------------------------------------------------
// chains import / export

export interface ImportArgs {
  readonly layout: 'hod' | 'datashop' | 'map';
  readonly map?: string;
  readonly dataDir: string;
  readonly json?: boolean;
}

function layoutOf(args: ImportArgs): LayoutSpec {
  if (args.layout === 'map') {
    if (args.map === undefined) throw new CliError('--layout map needs --map <file.json> (the column map)');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(args.map, 'utf8'));
    } catch (err) {
      throw new CliError(`--map ${args.map}: cannot read it as JSON (${(err as Error).message})`);
    }
    try {
      return columnMapFromJson(json, args.map);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  }
  if (args.map !== undefined)
    throw new CliError(`--map is only used with --layout map (got --layout ${args.layout})`);
  return LAYOUTS[args.layout];
}

export async function runChainsImport(file: string, args: ImportArgs): Promise<ImportReport> {
  if (!existsSync(file)) throw new CliError(`cannot read ${file}: no such file`);
  const parquet = extname(file).toLowerCase() === '.parquet';
  const spec = parquet ? undefined : layoutOf(args);
  const store = await ChainStore.open(args.dataDir);
  try {
    return parquet ? await store.importParquet(file) : await store.importCsv(file, spec!);
  } catch (err) {
    if (err instanceof ChainImportError) throw new CliError(err.message);
    throw err;
  } finally {
    store.close();
  }
}

function formatImport(r: ImportReport, dataDir: string): string {
  return (
    `imported ${r.rows.toLocaleString('en-US')} rows from ${r.file} (${r.replaced.toLocaleString('en-US')} replaced stored rows with the same key)\n` +
    `rows read ${r.rowsRead.toLocaleString('en-US')} = stored ${r.rowsStored.toLocaleString('en-US')} + rejected ${r.rowsRejected}${r.blankLines > 0 ? ` (${r.blankLines} empty lines skipped)` : ''}; read by ${r.reader === 'bytes' ? 'the byte-level reader' : `the ${r.reader}`}\n` +
    `store ${join(dataDir, CHAIN_DB_FILE)} now holds ${r.totalRows.toLocaleString('en-US')} rows; ${r.seconds.toFixed(2)} s, ${Math.round(r.rowsPerSecond).toLocaleString('en-US')} rows/s\n`
  );
}

// ---------------------------------------------------------------------------------------------
// chain

export interface ChainArgs {
  readonly date: IsoDate;
  readonly expiry: IsoDate;
  readonly source: 'real' | 'model';
  readonly root?: OptionRoot;
  readonly rate?: number;
  readonly yield?: number;
  readonly dataDir: string;
}

export interface SideRow {
  readonly bid: number | null;
  readonly ask: number | null;
  readonly mid: number | null;
  readonly flags: number;
  /** Our BSM implied vol from the mid (null when there is no two-sided market or no solution). */
  readonly iv: number | null;
  readonly ivStatus: string;
  readonly vendorIv: number | null;
  readonly delta: number | null;
  readonly gamma: number | null;
  /** Per calendar year (divide by 365 for per day). */
  readonly thetaPerYear: number | null;
  /** Per 1.00 of vol (divide by 100 for per vol point). */
  readonly vegaPer1: number | null;
}

export interface ChainOutput {
  readonly asOf: IsoDate;
  readonly expiry: IsoDate;
  readonly root: OptionRoot;
  readonly settlement: 'AM' | 'PM';
  readonly quoteTimeUtc: string;
  readonly settlementUtc: string;
  /** Years, ACT/365 on calendar minutes, quote instant -> settlement instant. */
  readonly years: number;
  readonly underlying: number;
  readonly source: OptionChain['source'];
  /** Where the quotes were read from: the embedded CSV or the DuckDB store. */
  readonly from: 'embedded' | 'store' | 'model';
  readonly rate: { readonly value: number; readonly origin: string };
  readonly dividendYield: { readonly value: number; readonly origin: string };
  readonly rows: ReadonlyArray<{ readonly strike: number; readonly call: SideRow; readonly put: SideRow }>;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function side(
  chain: OptionChain,
  i: number,
  right: 'call' | 'put',
  T: number,
  r: number,
  q: number,
): SideRow {
  const isCall = right === 'call';
  const bid = isCall ? chain.callBid[i]! : chain.putBid[i]!;
  const ask = isCall ? chain.callAsk[i]! : chain.putAsk[i]!;
  const flags = isCall ? chain.callFlags[i]! : chain.putFlags[i]!;
  const vendorIv = isCall ? chain.callIv[i]! : chain.putIv[i]!;
  const mid = midPrice(chain, i, right);
  const base = {
    bid: finiteOrNull(bid),
    ask: finiteOrNull(ask),
    mid: finiteOrNull(mid),
    flags,
    vendorIv: finiteOrNull(vendorIv),
  };
  const none = { iv: null, delta: null, gamma: null, thetaPerYear: null, vegaPer1: null };
  if (!Number.isFinite(mid)) return { ...base, ...none, ivStatus: 'no two-sided market' };
  if (!(T > 0)) return { ...base, ...none, ivStatus: 'at expiry' };
  const res = impliedVolBsm(mid, isCall, chain.underlying, chain.strikes[i]!, T, r, q);
  if (res.iv === null) return { ...base, ...none, ivStatus: res.status };
  const g = bsmGreeks(isCall, chain.underlying, chain.strikes[i]!, T, r, q, res.iv);
  return {
    ...base,
    iv: res.iv,
    ivStatus: 'ok',
    delta: g.delta,
    gamma: g.gamma,
    thetaPerYear: g.theta,
    vegaPer1: g.vega,
  };
}

export function isEmbeddedDate(d: IsoDate): boolean {
  return d >= EMBEDDED_HOD_FIRST && d <= EMBEDDED_HOD_LAST;
}

export async function runChain(args: ChainArgs): Promise<ChainOutput> {
  let chain: OptionChain | undefined;
  let expirations: readonly IsoDate[];
  let from: 'embedded' | 'store' | 'model';
  const snap = marketData().byDate(args.date);
  if (args.source === 'model') {
    if (!snap)
      throw new CliError(`no market snapshot for ${args.date} in the data: cannot model its chain`, 1);
    const ports = embeddedPorts(marketData());
    chain = ports.chains.chain(args.date, args.expiry);
    expirations = ports.chains.expirations(args.date);
    from = 'model';
  } else if (isEmbeddedDate(args.date)) {
    const src = RealChainSource.embedded();
    chain = src.chainFor(args.date, args.expiry, args.root);
    expirations = src.expirations(args.date);
    from = 'embedded';
  } else {
    const dbFile = join(args.dataDir, CHAIN_DB_FILE);
    if (!existsSync(dbFile)) {
      throw new CliError(
        `no chain data for ${args.date}: it is outside the embedded sample (${EMBEDDED_HOD_FIRST}..${EMBEDDED_HOD_LAST}) and ${dbFile} does not exist; import quotes with \`vixshield chains import <file>\``,
        1,
      );
    }
    const store = await ChainStore.open(args.dataDir);
    try {
      const src = await RealChainSource.load(store, { from: args.date, to: args.date });
      chain = src.chainFor(args.date, args.expiry, args.root);
      expirations = src.expirations(args.date);
    } finally {
      store.close();
    }
    from = 'store';
  }
  if (chain === undefined) {
    throw new CliError(
      `no ${args.root ?? ''}${args.root ? ' ' : ''}chain for --date ${args.date} --expiry ${args.expiry}; ` +
        (expirations.length > 0
          ? `expiries quoted that day: ${expirations.join(', ')}`
          : 'no quotes stored for that date'),
      1,
    );
  }
  const r = args.rate ?? snap?.rate?.r ?? DEFAULT_RATE;
  const q = args.yield ?? snap?.dividendYield?.q ?? DEFAULT_DIVIDEND_YIELD;
  const rateOrigin =
    args.rate !== undefined
      ? '--rate'
      : snap?.rate
        ? `embedded ${snap.rate.source} of ${snap.rate.asOf}`
        : 'default constant';
  const yieldOrigin =
    args.yield !== undefined
      ? '--yield'
      : snap?.dividendYield
        ? `embedded ${snap.dividendYield.source}`
        : 'default constant';
  const settle = settlementInstantUtcMs(chain.expiry, chain.settlement);
  const T = Math.max(0, yearFraction(chain.quoteTimeUtcMs, settle));
  const rows = Array.from(chain.strikes, (strike, i) => ({
    strike,
    call: side(chain, i, 'call', T, r, q),
    put: side(chain, i, 'put', T, r, q),
  }));
  return {
    asOf: chain.asOf,
    expiry: chain.expiry,
    root: chain.root,
    settlement: chain.settlement,
    quoteTimeUtc: new Date(chain.quoteTimeUtcMs).toISOString(),
    settlementUtc: new Date(settle).toISOString(),
    years: T,
    underlying: chain.underlying,
    source: chain.source,
    from,
    rate: { value: r, origin: rateOrigin },
    dividendYield: { value: q, origin: yieldOrigin },
    rows,
  };
}

const f = (x: number | null, digits: number): string => (x === null ? '-' : x.toFixed(digits));

export function formatChainText(o: ChainOutput): string {
  const src =
    o.source.kind === 'real'
      ? `real quotes, ${o.source.vendor}${o.source.file ? ` (${o.source.file})` : ''}`
      : 'modelled';
  const lines = [
    `SPX ${o.root} ${o.expiry} (${o.settlement}-settled) as of ${o.asOf}: ${src}, from the ${o.from === 'embedded' ? 'embedded CSV' : o.from === 'model' ? 'surface model' : 'DuckDB store'}`,
    `quote ${o.quoteTimeUtc}, settles ${o.settlementUtc}, T = ${o.years.toFixed(6)} y (ACT/365); underlying ${o.underlying.toFixed(2)}`,
    `r = ${o.rate.value.toFixed(4)} (${o.rate.origin}${o.rate.origin === 'default constant' ? ', not market data; set --rate' : ''}), ` +
      `q = ${o.dividendYield.value.toFixed(4)} (${o.dividendYield.origin}${o.dividendYield.origin === 'default constant' ? ', not market data; set --yield' : ''})`,
    'IV: our BSM implied vol from the mid; Greeks: bsmGreeks at that IV; theta per calendar day, vega per vol point. "-" = no two-sided market or no solution.',
    '',
  ];
  const head = ['bid', 'ask', 'mid', 'iv%', 'delta', 'gamma', 'theta/d', 'vega/pt'];
  const cells = (s: SideRow): string[] => [
    f(s.bid, 2),
    f(s.ask, 2),
    f(s.mid, 2),
    s.iv === null ? '-' : (s.iv * 100).toFixed(2),
    f(s.delta, 4),
    f(s.gamma, 5),
    s.thetaPerYear === null ? '-' : (s.thetaPerYear / 365).toFixed(3),
    s.vegaPer1 === null ? '-' : (s.vegaPer1 / 100).toFixed(3),
  ];
  const table = [
    [...head.map((h) => `C ${h}`), 'strike', ...head.map((h) => `P ${h}`)],
    ...o.rows.map((r) => [...cells(r.call), r.strike.toFixed(0), ...cells(r.put)]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) lines.push(row.map((c, i) => c.padStart(widths[i]!)).join(' '));
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

export function registerChains(program: Command): void {
  const dataDirOption = () =>
    new Option('--data-dir <dir>', 'data directory (default $VIXSHIELD_DATA_DIR or ~/.vixshield/data)');

  const chains = program
    .command('chains')
    .description('SPX option chain store (DuckDB): import and export quotes');
  chains
    .command('import')
    .description(
      'Import option quotes: a CSV (validated whole before writing; re-importing replaces rows with the same ' +
        '(quote date, root, expiry, strike, right)), or a .parquet file written by `chains export`.',
    )
    .argument('<file>', 'CSV or .parquet file')
    .addOption(
      new Option(
        '--layout <layout>',
        'CSV layout: hod (HistoricalOptionData), datashop (Cboe DataShop EOD), map (--map)',
      )
        .choices(['hod', 'datashop', 'map'])
        .default('hod'),
    )
    .option('--map <file>', 'column map JSON for --layout map')
    .addOption(dataDirOption())
    .option('--json', 'print the import report as JSON', false)
    .action(
      async (
        file: string,
        opts: { layout: ImportArgs['layout']; map?: string; dataDir?: string; json: boolean },
      ) => {
        const dataDir = opts.dataDir ?? defaultDataDir();
        const r = await runChainsImport(file, { ...opts, dataDir });
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ ...r, store: join(dataDir, CHAIN_DB_FILE) }, null, 2)}\n`
            : formatImport(r, dataDir),
        );
      },
    );
  chains
    .command('export')
    .description('Export every stored quote to Parquet (sorted by quote date, expiry, root, strike, right)')
    .requiredOption('--out <file.parquet>', 'output Parquet file')
    .addOption(dataDirOption())
    .action(async (opts: { out: string; dataDir?: string }) => {
      const dataDir = opts.dataDir ?? defaultDataDir();
      if (!existsSync(join(dataDir, CHAIN_DB_FILE))) {
        throw new CliError(`no chain store at ${join(dataDir, CHAIN_DB_FILE)}; import quotes first`, 1);
      }
      const store = await ChainStore.open(dataDir);
      try {
        const n = await store.exportParquet(resolve(opts.out));
        process.stdout.write(`exported ${n.toLocaleString('en-US')} rows to ${opts.out}\n`);
      } finally {
        store.close();
      }
    });

  program
    .command('chain')
    .description(
      'One SPX option chain: bid/ask/mid per strike, our implied vol from the mid and BSM Greeks. ' +
        `Dates ${EMBEDDED_HOD_FIRST}..${EMBEDDED_HOD_LAST} come from the embedded CSV; others from the DuckDB store.`,
    )
    .addOption(
      new Option('--date <date>', 'as-of trading date YYYY-MM-DD')
        .argParser(parseDate('--date'))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--expiry <date>', 'expiration date YYYY-MM-DD')
        .argParser(parseDate('--expiry'))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--source <source>', 'real quotes or the surface model')
        .choices(['real', 'model'])
        .default('real'),
    )
    .addOption(
      new Option('--root <root>', 'SPX (AM) or SPXW (PM) when both expire that day (default SPXW)').choices([
        'SPX',
        'SPXW',
      ]),
    )
    .addOption(
      new Option(
        '--rate <r>',
        `risk-free rate, continuous, per year (default ${DEFAULT_RATE}, a constant)`,
      ).argParser(parseRate('--rate')),
    )
    .addOption(
      new Option(
        '--yield <q>',
        `dividend yield, continuous, per year (default ${DEFAULT_DIVIDEND_YIELD}, a constant)`,
      ).argParser(parseRate('--yield')),
    )
    .addOption(dataDirOption())
    .option('--json', 'print JSON instead of a table', false)
    .action(async (opts: Omit<ChainArgs, 'dataDir'> & { dataDir?: string; json: boolean }) => {
      const out = await runChain({ ...opts, dataDir: opts.dataDir ?? defaultDataDir() });
      process.stdout.write(opts.json ? `${JSON.stringify(out, null, 2)}\n` : formatChainText(out));
    });
}
