import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  chainsOfSnapshot,
  embeddedRealChains,
  type ModelCheckResult,
  marketData,
  modelCheckSvg,
  runModelCheck,
  storedRealChains,
} from '@vixshield/app';
import type { OptionChain } from '@vixshield/core';
import { atomicWrite, ensureDirectory, loadRealChain1545 } from '@vixshield/data';
import type { Command } from 'commander';
import { optionError } from '../errors';
import { readChains } from './vix';

/**
 * `vixshield model check [--chain FILE ...] [--data-dir DIR]`: every real chain available (the embedded
 * 2018 SPXW file, the embedded 2019-06-26 15:45 ET snapshot, every chain in the data dir's store: imports
 * and recorded snapshots, and any --chain file) priced by the model at the same instant and spot; the error of mids and implied vols by DTE and moneyness bucket, and an SVG plot.
 */

function readAnyChain(path: string): OptionChain[] {
  let head: string;
  try {
    head = readFileSync(path, 'utf8').slice(0, 400);
  } catch (err) {
    throw optionError(
      `--chain: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      'chain',
    );
  }
  // The 15:45 ET snapshot layout (the 2019-06-26 file) has the _1545 quotes but no root column.
  if (head.includes('underlying_bid_1545') && !head.includes('root')) {
    return chainsOfSnapshot(loadRealChain1545(readFileSync(path, 'utf8'), path));
  }
  return readChains(path, undefined);
}

export function formatModelCheck(res: ModelCheckResult): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const lines = [
    `Model check: ${res.rows.length} out-of-the-money real quotes (bid > 0) priced by the model at the same instant and spot`,
    ...res.chains.map((c) => `  ${c.file} ${c.asOf}: ${c.expiries} expiries, ${c.compared} quotes compared`),
    '',
    'DTE    moneyness      n   median |model/real-1|   median model/real-1   median IV error (vol pts)',
    ...res.buckets.map(
      (b) =>
        `${b.dte.padEnd(6)} ${b.moneyness.padEnd(10)} ${String(b.n).padStart(5)}   ${pct(b.medianAbsMidError).padStart(20)}   ${pct(b.medianMidError).padStart(19)}   ${b.medianIvErrorPts === null ? '-' : b.medianIvErrorPts.toFixed(2).padStart(10)}`,
    ),
    '',
    `Condor zone (1-2 trading days, OTM 0.5-2.5% from spot): ${res.condorZone.n} quotes, median |model/real-1| ${res.condorZone.medianAbsMidError === null ? '-' : pct(res.condorZone.medianAbsMidError)}`,
    '',
    "One-day level (Cboe's VIX method on each real 1-2 session expiry, read in business time as VIX1D, against the model's one-day vol that day):",
    'quote date  expiry      sessions  chain  model  source  chain/model',
    ...res.oneDayLevel.map(
      (r) =>
        `${r.asOf}  ${r.expiry}  ${String(r.sessions).padStart(8)}  ${r.chainOneDayVix.toFixed(2).padStart(5)}  ${r.modelOneDayVix.toFixed(2).padStart(5)}  ${r.modelSource.padEnd(6)}  ${r.chainOverModel.toFixed(3).padStart(11)}`,
    ),
  ];
  return lines.join('\n');
}

export function registerModel(program: Command): void {
  const model = program
    .command('model')
    .enablePositionalOptions()
    .description('the price model against real option chains');
  model
    .command('check')
    .description(
      'price every real chain with the model; error of mids and IVs by DTE and moneyness, with a plot',
    )
    .option(
      '--chain <file...>',
      'more real chain files (HistoricalOptionData, Cboe DataShop or 15:45 snapshot)',
    )
    .option(
      '--data-dir <dir>',
      'data directory: every chain in its store (`chains import` files, recorded snapshots) is checked too, against its market data',
    )
    .option('--out <dir>', 'directory of the SVG plot', 'out')
    .option('--json', 'print JSON (buckets, condor zone, chains)')
    .action(async (opts: { chain?: string[]; dataDir?: string; out: string; json?: boolean }) => {
      // Where the plot goes is checked before the work, and never with a recursive mkdir (issue 18).
      ensureDirectory(resolve(opts.out), 'plot directory');
      const chains = [
        ...embeddedRealChains(),
        ...(await storedRealChains(opts.dataDir)),
        ...(opts.chain ?? []).flatMap(readAnyChain),
      ];
      const res = runModelCheck(marketData(opts.dataDir), chains);
      const svgPath = resolve(join(opts.out, 'model-check.svg'));
      atomicWrite(svgPath, modelCheckSvg(res));
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ chains: res.chains, buckets: res.buckets, condorZone: res.condorZone, oneDayLevel: res.oneDayLevel, plot: svgPath }, null, 2)}\n`,
        );
        return;
      }
      process.stdout.write(`${formatModelCheck(res)}\nPlot: ${svgPath}\n`);
    });
}
