import { readFileSync } from 'node:fs';
import {
  type ChainProvider,
  ChainStore,
  cboeChainProvider,
  columnMapFromJson,
  DEFAULT_SNAPSHOT_MAX_AGE_MINUTES,
  fileChainProvider,
  LAYOUTS,
  type LayoutSpec,
  quoteStamp,
  storeSnapshot,
  TRADIER_DEFAULT_MAX_DTE,
  tradierProvider,
} from '@vixshield/chains';
import { UnavailableError } from '@vixshield/core';
import { ProviderError } from '@vixshield/data';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { optionError } from '../errors';
import { resolveDataDir } from './data';
import { parseNow, parseTimeout, providerHosts } from './provider-env';

interface SnapshotOpts {
  provider: 'cboe' | 'tradier' | 'file';
  file?: string;
  layout: 'hod' | 'datashop' | 'map';
  map?: string;
  delay?: number;
  maxAge: number;
  maxDte?: number;
  dataDir?: string;
  timeout?: number;
  json?: boolean;
  now?: number;
}

const positive = (flag: string) => (text: string) => {
  const v = Number(text);
  if (!(v >= 0) || !Number.isFinite(v))
    throw new InvalidArgumentError(`${flag} must be a number >= 0, got '${text}'.`);
  return v;
};

function layoutOf(o: SnapshotOpts): LayoutSpec {
  if (o.layout !== 'map') return LAYOUTS[o.layout];
  if (!o.map) throw optionError('--layout map needs --map <file.json> (the column map)', 'layout');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(o.map, 'utf8'));
  } catch (err) {
    throw optionError(`--map ${o.map}: cannot read it as JSON (${(err as Error).message})`, 'map');
  }
  return columnMapFromJson(json, o.map);
}

function providerOf(o: SnapshotOpts): ChainProvider {
  const hosts = providerHosts();
  const http = o.timeout ? { timeoutMs: o.timeout } : {};
  if (o.provider === 'file') {
    if (!o.file)
      throw optionError(
        '--provider file needs --file <chain file> (and --layout hod|datashop|map)',
        'provider',
      );
    return fileChainProvider({
      file: o.file,
      spec: layoutOf(o),
      ...(o.delay !== undefined ? { delaySeconds: o.delay } : {}),
    });
  }
  if (o.provider === 'tradier') {
    if (o.file)
      throw optionError('--file is for --provider cboe (a saved _SPX.json) or --provider file', 'file');
    return tradierProvider({
      hosts,
      token: process.env.TRADIER_TOKEN,
      http,
      maxAgeMinutes: o.maxAge,
      ...(o.maxDte !== undefined ? { maxDteDays: o.maxDte } : {}),
    });
  }
  return cboeChainProvider({ hosts, http, maxAgeMinutes: o.maxAge, ...(o.file ? { file: o.file } : {}) });
}

const et = (ms: number) => {
  const s = quoteStamp(ms);
  return `${s.date} ${s.hhmm} ET`;
};

/**
 * `vixshield chain snapshot`: one SPX/SPXW chain snapshot from a provider into the chain store, with
 * its provider, quote time and delay (providers/chain in @vixshield/data). Registered as a subcommand
 * of `chain`, whose own --date/--expiry are then required only when `chain` itself runs.
 */
export function registerChainSnapshot(program: Command): void {
  const chain = program.commands.find((c) => c.name() === 'chain');
  if (!chain) throw new Error('registerChainSnapshot: register the chain command first');
  const required = chain.options.filter((o) => o.mandatory);
  for (const o of required) o.mandatory = false;
  chain.hook('preAction', (self, action) => {
    if (action !== self) return;
    for (const o of required) {
      if (self.getOptionValue(o.attributeName()) === undefined) {
        self.error(`error: required option '${o.flags}' not specified`, {
          code: 'commander.missingMandatoryOptionValue',
          exitCode: 1,
        });
      }
    }
  });
  chain
    .command('snapshot')
    .description(
      'store one SPX/SPXW chain snapshot in the chain store with its provider, quote time and delay: Cboe delayed quotes (15 min, no key), Tradier (real time, TRADIER_TOKEN) or a chain file',
    )
    .addOption(
      new Option('--provider <p>', 'where the quotes come from')
        .choices(['cboe', 'tradier', 'file'])
        .default('cboe'),
    )
    .option('--file <f>', 'a chain file (--provider file), or a saved _SPX.json (--provider cboe, offline)')
    .addOption(
      new Option('--layout <l>', 'layout of --provider file')
        .choices(['hod', 'datashop', 'map'])
        .default('hod'),
    )
    .option('--map <f>', 'column map JSON for --layout map')
    .option('--delay <seconds>', 'delay of a --provider file snapshot (default 0)', positive('--delay'))
    .option(
      '--max-age <minutes>',
      `refuse quotes older than the provider delay plus this (default ${DEFAULT_SNAPSHOT_MAX_AGE_MINUTES})`,
      positive('--max-age'),
      DEFAULT_SNAPSHOT_MAX_AGE_MINUTES,
    )
    .option(
      `--max-dte <days>`,
      `Tradier: expirations within this many days (default ${TRADIER_DEFAULT_MAX_DTE})`,
      positive('--max-dte'),
    )
    .option('--data-dir <dir>', 'data directory (default $VIXSHIELD_DATA_DIR or ~/.vixshield/data)')
    .option('--timeout <seconds>', 'time limit of one request (default 20)', parseTimeout)
    .option('--json', 'machine-readable output')
    .addOption(
      new Option('--now <instant>', 'clock for a replay (ISO instant)').argParser(parseNow).hideHelp(),
    )
    .action(async (o: SnapshotOpts) => {
      const now = o.now ?? Date.now();
      const dataDir = resolveDataDir(o.dataDir);
      const provider = providerOf(o);
      let snap: Awaited<ReturnType<ChainProvider['snapshot']>>;
      try {
        snap = await provider.snapshot(now);
      } catch (err) {
        if (err instanceof ProviderError)
          throw new UnavailableError(`${err.message}; nothing was stored`, err.field, err.hint, {
            hintInMessage: true,
          });
        throw err;
      }
      const store = await ChainStore.open(dataDir);
      try {
        const r = await storeSnapshot(store, snap, now);
        const roots = { SPX: 0, SPXW: 0 };
        const expiries = new Set<string>();
        for (const row of snap.rows) {
          roots[row.root]++;
          expiries.add(row.expiry);
        }
        const ex = [...expiries].sort();
        const out = {
          stored: r.import.rowsStored,
          replaced: r.import.replaced,
          provider: snap.provider,
          vendor: snap.vendor,
          label: r.label,
          quoteTime: et(snap.quoteTimeUtcMs),
          quoteTimeUtcMs: snap.quoteTimeUtcMs,
          published: snap.publishedUtcMs === null ? null : et(snap.publishedUtcMs),
          delaySeconds: snap.delaySeconds,
          underlyingPrice: snap.underlyingPrice,
          roots,
          expiries: { count: ex.length, first: ex[0] ?? null, last: ex.at(-1) ?? null },
          source: snap.source,
          store: store.path,
        };
        if (o.json) {
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        const n = (x: number) => x.toLocaleString('en-US');
        process.stdout.write(
          `${[
            `stored ${n(out.stored)} quotes (SPX ${n(roots.SPX)}, SPXW ${n(roots.SPXW)}; ${ex.length} expiries ${out.expiries.first} .. ${out.expiries.last})${out.replaced ? `, ${n(out.replaced)} replaced an earlier snapshot of the day` : ''}`,
            `  provider ${snap.provider} (${snap.vendor}), quote time ${out.quoteTime}, delay ${snap.delaySeconds / 60} min${out.published ? `, published ${out.published}` : ''}`,
            `  SPX ${snap.underlyingPrice}; source ${snap.source}`,
            `  chain store ${store.path}, source label '${r.label}'`,
          ].join('\n')}\n`,
        );
      } finally {
        store.close();
      }
    });
}
