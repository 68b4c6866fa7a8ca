import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  COMPARISON_STUDIES,
  formatClaims,
  formatComparison,
  formatEdrStudy,
  formatEntryTimeStudy,
  formatExitsStudy,
  formatSeedStudy,
  formatVixSpikes,
  renderClaimsHtml,
  renderComparisonHtml,
  renderEdrHtml,
  renderSeedHtml,
  renderVixSpikesHtml,
  runClaimsStudy,
  runComparisonStudy,
  runEdrStudy,
  runEntryTimeStudy,
  runExitsStudy,
  runSeedStudy,
  runVixSpikesStudy,
  type StudyWindowOptions,
  stringifyStudyJson,
} from '@vixshield/research';
import type { Command } from 'commander';
import { optionError } from '../errors';

interface StudyCliOptions {
  from?: string;
  to?: string;
  seed?: string;
  iterations?: string;
  dataDir?: string;
  json?: string;
  html?: string;
  oneDayLevelScale?: string;
}

function windowOptions(o: StudyCliOptions): StudyWindowOptions {
  return {
    ...(o.from ? { from: o.from } : {}),
    ...(o.to ? { to: o.to } : {}),
    ...(o.dataDir ? { dataDir: o.dataDir } : {}),
    ...(o.seed !== undefined ? { seed: Number(o.seed) } : {}),
    ...(o.iterations !== undefined ? { iterations: Number(o.iterations) } : {}),
    ...(o.oneDayLevelScale !== undefined ? { oneDayLevelScale: levelScale(o.oneDayLevelScale) } : {}),
  };
}

function levelScale(text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x))
    throw optionError(`--one-day-level-scale '${text}' must be a number, e.g. 1.15`, 'oneDayLevelScale');
  return x;
}

/**
 * The sensitivity option of the studies that replay the engine (its intraday marks read the same scaled
 * regime as its entries; `study entry-time` prices its condors on the same scaled regime): ADR 0010.
 */
function levelOption(cmd: Command): Command {
  return cmd.option(
    '--one-day-level-scale <x>',
    "price 1-2 day options at x times the model's one-day vol level (e.g. 0.85 or 1.15, the bounds of its measured error)",
  );
}

function writeFiles(o: StudyCliOptions, json: string, html: string): void {
  if (o.json) {
    writeFileSync(resolve(o.json), json);
    process.stdout.write(`JSON: ${resolve(o.json)}\n`);
  }
  if (o.html) {
    writeFileSync(resolve(o.html), html);
    process.stdout.write(`HTML: ${resolve(o.html)}\n`);
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function common(cmd: Command, defaults: { from: string; to: string }): Command {
  return cmd
    .option('--from <date>', `first trading day (default ${defaults.from})`)
    .option('--to <date>', `last trading day (default ${defaults.to}, or the latest in the data)`)
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--iterations <n>', 'bootstrap resamples', '2000')
    .option('--data-dir <dir>', 'data directory with user imports')
    .option('--json <file>', 'write the JSON result here')
    .option('--html <file>', 'write the HTML report here');
}

export function registerStudy(program: Command): void {
  const study = program
    .command('study')
    .description('evidence studies of the methodology (modelled option prices; see each report)');
  common(
    levelOption(study.command('claims')).description(
      'measure the published claims: Conservative win rate (R8), TTM recovery (R23), ALVH drawdown/cost (R28), EDR containment (R5)',
    ),
    { from: '2015-01-02', to: '2025-12-31' },
  ).action((o: StudyCliOptions) => {
    const r = runClaimsStudy(windowOptions(o), log);
    process.stdout.write(formatClaims(r));
    writeFiles(o, stringifyStudyJson(r), renderClaimsHtml(r));
  });
  common(
    levelOption(study.command('seed-vix-17-18')).description(
      'VIX 17-18 episodes: condor only, + ALVH, + rollback, + both, for the vixshield and seed presets',
    ),
    { from: '2015-01-02', to: 'the latest day' },
  ).action((o: StudyCliOptions) => {
    const r = runSeedStudy(windowOptions(o), log);
    process.stdout.write(formatSeedStudy(r));
    writeFiles(o, stringifyStudyJson(r), renderSeedHtml(r));
  });
  common(
    study
      .command('edr')
      .description('EDR modes x strike multiples: next-day close and range containment (index data only)'),
    { from: '2015-01-02', to: 'the latest day' },
  ).action((o: StudyCliOptions) => {
    const r = runEdrStudy(windowOptions(o));
    process.stdout.write(formatEdrStudy(r));
    writeFiles(o, stringifyStudyJson(r), renderEdrHtml(r));
  });
  common(
    levelOption(study.command('vix-spikes')).description(
      'ALVH x rollback through VIX spikes: 17-18, 18 -> 25, above 25, the 2020 crash',
    ),
    { from: '2015-01-02', to: 'the latest day' },
  ).action((o: StudyCliOptions) => {
    const r = runVixSpikesStudy(windowOptions(o), log);
    process.stdout.write(formatVixSpikes(r));
    writeFiles(o, stringifyStudyJson(r), renderVixSpikesHtml(r));
  });
  for (const def of Object.values(COMPARISON_STUDIES)) {
    common(study.command(def.name).description(def.question), {
      from: '2015-01-02',
      to: 'the latest day',
    }).action((o: StudyCliOptions) => {
      const r = runComparisonStudy(def, windowOptions(o), log);
      process.stdout.write(formatComparison(r));
      writeFiles(o, stringifyStudyJson(r), renderComparisonHtml(r));
    });
  }
  common(
    levelOption(study.command('exits')).description(
      'hold vs stops vs profit takes vs time exits vs a short-strike touch, on intraday bars and on the daily-OHLC approximation (separate rows)',
    ),
    { from: '2015-01-02', to: 'the latest day' },
  ).action((o: StudyCliOptions) => {
    const r = runExitsStudy(windowOptions(o), log);
    process.stdout.write(formatExitsStudy(r));
    writeFiles(o, stringifyStudyJson(r), `<pre>${escapeHtmlText(formatExitsStudy(r))}</pre>\n`);
  });
  common(
    levelOption(study.command('entry-time')).description(
      '15:10 CT vs earlier entries on the days with 5-minute SPX bars (a small sample, labelled so)',
    ),
    { from: '2015-01-02', to: 'the latest day' },
  ).action((o: StudyCliOptions) => {
    const r = runEntryTimeStudy(windowOptions(o));
    process.stdout.write(formatEntryTimeStudy(r));
    writeFiles(o, stringifyStudyJson(r), `<pre>${escapeHtmlText(formatEntryTimeStudy(r))}</pre>\n`);
  });
}

function escapeHtmlText(t: string): string {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
