import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import {
  type ChainArgs,
  type ChainOutput,
  DEFAULT_DIVIDEND_YIELD,
  DEFAULT_RATE,
  runChain,
  type SideRow,
} from '@vixshield/app';
import {
  CHAIN_DB_FILE,
  ChainImportError,
  ChainStore,
  type ChainStoreInfo,
  closeSharedChainStores,
  columnMapFromJson,
  EMBEDDED_HOD_FIRST,
  EMBEDDED_HOD_LAST,
  type ImportReport,
  LAYOUTS,
  type LayoutSpec,
  withChainStoreForWrite,
} from '@vixshield/chains';
import { type IsoDate, isoDate, NotFoundError } from '@vixshield/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { optionError } from '../errors';

/**
 * `vixshield chains import|export` (the DuckDB chain store) and `vixshield chain` (one chain with our
 * implied vols and Greeks). The data directory is --data-dir, else $VIXSHIELD_DATA_DIR, else
 * ~/.vixshield/data; the store is <data dir>/chains.duckdb. The chain itself comes from the shared
 * use case `runChain` in @vixshield/data (also behind GET /api/chain); this file formats it.
 */

// Re-exported for the existing imports of the CLI's chain types.
export type { ChainArgs, ChainOutput, SideRow } from '@vixshield/app';
export { DEFAULT_DIVIDEND_YIELD, DEFAULT_RATE, isEmbeddedDate, runChain } from '@vixshield/app';

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
  /** Keep quotes with bid > ask, flagged `crossed` (refused by default). */
  readonly allowCrossed?: boolean;
}

function layoutOf(args: ImportArgs): LayoutSpec {
  if (args.layout === 'map') {
    if (args.map === undefined)
      throw optionError('--layout map needs --map <file.json> (the column map)', 'layout');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(args.map, 'utf8'));
    } catch (err) {
      throw optionError(`--map ${args.map}: cannot read it as JSON (${(err as Error).message})`, 'map');
    }
    try {
      return columnMapFromJson(json, args.map);
    } catch (err) {
      throw optionError((err as Error).message, 'map');
    }
  }
  if (args.map !== undefined)
    throw optionError(`--map is only used with --layout map (got --layout ${args.layout})`, 'map');
  return LAYOUTS[args.layout];
}

export async function runChainsImport(file: string, args: ImportArgs): Promise<ImportReport> {
  if (!existsSync(file)) throw optionError(`cannot read ${file}: no such file`, 'file');
  const parquet = extname(file).toLowerCase() === '.parquet';
  const spec = parquet ? undefined : layoutOf(args);
  try {
    // A failed first import leaves no store file behind; a failed later one leaves the store as it was.
    return await withChainStoreForWrite(args.dataDir, (store) =>
      parquet
        ? store.importer.importParquet(file, { allowCrossed: args.allowCrossed })
        : store.importer.importCsv(file, spec!, { allowCrossed: args.allowCrossed }),
    );
  } catch (err) {
    if (err instanceof ChainImportError) throw optionError(err.message, err.field);
    throw err;
  }
}

/** The warning printed (stderr) when crossed quotes were imported with --allow-crossed. */
export function crossedWarning(r: ImportReport): string {
  return r.crossed === 0
    ? ''
    : `warning: ${r.crossed.toLocaleString('en-US')} crossed ${r.crossed === 1 ? 'quote' : 'quotes'} (bid > ask) imported because of --allow-crossed, stored flagged 'crossed': never used as fills or for implied vols (see \`chains info\`)\n`;
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

const f = (x: number | null, digits: number): string => (x === null ? '-' : x.toFixed(digits));

/** Where a modelled chain's one-day vol came from (the 0-2 session expiries are priced from it). */
function oneDayVolLine(source: ChainOutput['source']): string[] {
  if (source.kind !== 'modelled') return [];
  const v = source.inputs.oneDayVix;
  if (typeof v !== 'number') return [];
  const from =
    source.inputs.oneDayVixSource === 'VIX1D'
      ? 'the published VIX1D close'
      : source.inputs.oneDayVixSource === 'model'
        ? 'the one-day variance model from VIX9D, realised vol, the calendar and releases: no VIX1D close in the data'
        : source.inputs.oneDayVixSource === 'model-from-vix'
          ? 'the one-day variance model from VIX, realised vol, the calendar and releases: no VIX1D and no VIX9D close that day'
          : 'given';
  return [
    `one-day vol ${v.toFixed(2)} (${from}); the 0-2 session expiries are priced from it, in business time as VIX1D is quoted (one session = 1/252 year)`,
  ];
}

/** Which regime priced a modelled chain, and the no-calendar-arbitrage floor when it binds. */
function regimeLine(o: ChainOutput): string[] {
  const g = o.regime;
  if (!g) return [];
  const out = `${g.sessions} ${g.sessions === 1 ? 'session' : 'sessions'} out`;
  if (g.regime === 'short') return [`this expiry: ${out}, priced from the one-day vol (the short regime)`];
  const floor =
    g.atmFloorLift > 1.0005
      ? `; floored at the 2-session expiry's variance, ATM vol x ${g.atmFloorLift.toFixed(3)}: the one-day vol is above the term structure's front, and a later expiry may not be cheaper (docs/calibration.md)`
      : '';
  return [`this expiry: ${out}, priced from the VIX-family term structure in variance time${floor}`];
}

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
    ...(o.note ? [o.note] : []),
    ...oneDayVolLine(o.source),
    ...regimeLine(o),
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

export function formatInfo(i: ChainStoreInfo): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const lines = [
    `chain store ${i.path} (schema version ${i.schemaVersion})`,
    `${n(i.rows)} quotes on ${n(i.quoteDates.count)} quote dates` +
      (i.quoteDates.first === null ? '' : `, ${i.quoteDates.first} .. ${i.quoteDates.last}`),
    'sources:',
    ...i.sources.map(
      (s) =>
        `  ${s.vendor} / ${s.file}: ${n(s.rows)} rows` +
        (s.firstQuoteDate === null
          ? ' (all replaced by later imports)'
          : `, ${s.firstQuoteDate} .. ${s.lastQuoteDate}`),
    ),
    'flagged quotes (kept, never used as fills silently):',
    ...Object.entries(i.flagged).map(([k, v]) => `  ${k}: ${n(v)}`),
  ];
  return `${lines.join('\n')}\n`;
}

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
    .option(
      '--allow-crossed',
      'import quotes with bid > ask flagged `crossed` (with a warning) instead of refusing the file',
      false,
    )
    .addOption(dataDirOption())
    .option('--json', 'print the import report as JSON', false)
    .action(
      async (
        file: string,
        opts: {
          layout: ImportArgs['layout'];
          map?: string;
          dataDir?: string;
          json: boolean;
          allowCrossed: boolean;
        },
      ) => {
        const dataDir = opts.dataDir ?? defaultDataDir();
        const r = await runChainsImport(file, { ...opts, dataDir });
        process.stderr.write(crossedWarning(r));
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
        throw new NotFoundError(
          `no chain store at ${join(dataDir, CHAIN_DB_FILE)}; import quotes first`,
          'dataDir',
          'import quotes first',
          { hintInMessage: true },
        );
      }
      const store = await ChainStore.open(dataDir);
      try {
        const n = await store.exportParquet(resolve(opts.out));
        process.stdout.write(`exported ${n.toLocaleString('en-US')} rows to ${opts.out}\n`);
      } finally {
        store.close();
      }
    });

  chains
    .command('info')
    .description('What the store holds: rows, quote dates, rows per source file, flagged quotes')
    .addOption(dataDirOption())
    .option('--json', 'print it as JSON', false)
    .action(async (opts: { dataDir?: string; json: boolean }) => {
      const dataDir = opts.dataDir ?? defaultDataDir();
      if (!existsSync(join(dataDir, CHAIN_DB_FILE))) {
        throw new NotFoundError(
          `no chain store at ${join(dataDir, CHAIN_DB_FILE)}; import quotes first`,
          'dataDir',
          'import quotes first',
          { hintInMessage: true },
        );
      }
      const store = await ChainStore.open(dataDir);
      try {
        const info = await store.info();
        process.stdout.write(opts.json ? `${JSON.stringify(info, null, 2)}\n` : formatInfo(info));
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
      new Option(
        '--source <source>',
        'real quotes, the surface model, or auto: real where quoted (embedded sample or store), else the model',
      )
        .choices(['auto', 'real', 'model'])
        .default('auto'),
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
      const out = await runChain({ ...opts, dataDir: opts.dataDir ?? defaultDataDir() }).finally(
        closeSharedChainStores,
      );
      process.stdout.write(opts.json ? `${JSON.stringify(out, null, 2)}\n` : formatChainText(out));
    });
}
