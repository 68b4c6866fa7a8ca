import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  formatSweep,
  formatWalkForward,
  parsePboBlocks,
  parseRedisUrl,
  renderSweepHtml,
  renderWalkForwardHtml,
  runSweep,
  runWalkForward,
  type SweepOptions,
  startQueueWorker,
  stringifyStudyJson,
} from '@vixshield/research';
import type { Command } from 'commander';
import { optionError } from '../errors';
import { resolveDataDir } from './data';

interface SweepCliOptions {
  preset: string;
  param: string[];
  random?: string;
  seed?: string;
  from?: string;
  to?: string;
  holdout?: string;
  workers: string;
  dataDir?: string;
  cache: boolean;
  json?: string;
  html?: string;
  queue?: string;
  queueName?: string;
  walkForward?: string;
  step?: string;
  pboBlocks?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw optionError(`${name} '${v}' must be an integer`, name.replace(/^--/, ''));
  return n;
}

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description(
      'backtest a grid (or a random sample) of configurations; results cached by config hash under the data dir',
    )
    .option('--preset <name>', 'base preset', 'vixshield')
    .option('--param <path=v1,v2>', 'a schema path and its values (repeatable)', collect, [])
    .option('--random <n>', 'draw n distinct points of the grid instead of all of it')
    .option('--seed <s>', 'seed of --random', '1')
    .option('--from <date>', 'first trading day', '2015-01-02')
    .option('--to <date>', 'last trading day (default: the latest in the data)')
    .option('--holdout <date>', 'rank on [from, date), then re-run every variant on [date, to]')
    .option(
      '--walk-forward <train:test>',
      'rolling walk-forward, e.g. 3y:1y or 18m:6m: choose on each train window, evaluate on the next test window',
    )
    .option('--step <span>', 'walk-forward step between folds, e.g. 1y or 6m (default: the test length)')
    .option('--pbo-blocks <n>', 'CSCV blocks of the probability of backtest overfitting (even, 2-20)', '16')
    .option('--workers <n>', 'worker threads (piscina); 1 runs in this thread', '1')
    .option('--data-dir <dir>', 'user data directory (also holds sweep-cache/)')
    .option('--queue <url>', 'redis://HOST:PORT: enqueue the jobs for `vixshield worker` processes (BullMQ)')
    .option('--queue-name <name>', 'BullMQ queue name', 'vixshield-sweep')
    .option('--no-cache', 'do not read or write the result cache')
    .option('--json <file>', 'write the JSON result here')
    .option('--html <file>', 'write the HTML report here')
    .action(async (o: SweepCliOptions) => {
      const random = int('--random', o.random);
      const seed = int('--seed', o.seed);
      const workers = int('--workers', o.workers) ?? 1;
      if (o.step && !o.walkForward) throw optionError('--step needs --walk-forward', 'step');
      const opts: SweepOptions = {
        preset: o.preset,
        params: o.param,
        ...(random !== undefined ? { random } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(o.from ? { from: o.from } : {}),
        ...(o.to ? { to: o.to } : {}),
        ...(o.holdout ? { holdout: o.holdout } : {}),
        workers,
        ...(o.cache ? { cacheDataDir: resolveDataDir(o.dataDir) } : {}),
        ...(o.dataDir ? { dataDir: o.dataDir } : {}),
        ...(o.queue ? { queue: o.queue } : {}),
        ...(o.queueName ? { queueName: o.queueName } : {}),
        ...(o.pboBlocks !== undefined ? { pboBlocks: parsePboBlocks(o.pboBlocks) as number } : {}),
      };
      const log = (s: string) => process.stderr.write(`${s}\n`);
      let text: string;
      let json: string;
      let html: () => string;
      if (o.walkForward) {
        const r = await runWalkForward(
          { ...opts, walkForward: o.walkForward, ...(o.step ? { step: o.step } : {}) },
          log,
        );
        text = formatWalkForward(r);
        json = stringifyStudyJson(r);
        html = () => renderWalkForwardHtml(r);
      } else {
        const r = await runSweep(opts, log);
        text = formatSweep(r);
        json = stringifyStudyJson(r);
        html = () => renderSweepHtml(r);
      }
      process.stdout.write(text);
      if (o.json) {
        writeFileSync(resolve(o.json), json);
        process.stdout.write(`JSON: ${resolve(o.json)}\n`);
      }
      if (o.html) {
        writeFileSync(resolve(o.html), html());
        process.stdout.write(`HTML: ${resolve(o.html)}\n`);
      }
    });
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run queued sweep jobs from Redis (BullMQ) until interrupted')
    .requiredOption('--queue <url>', 'redis://HOST:PORT')
    .option('--queue-name <name>', 'BullMQ queue name', 'vixshield-sweep')
    .option('--concurrency <n>', 'jobs at a time in this process', '1')
    .action(async (o: { queue: string; queueName: string; concurrency: string }) => {
      parseRedisUrl(o.queue);
      const concurrency = int('--concurrency', o.concurrency) ?? 1;
      const w = startQueueWorker({
        url: o.queue,
        queueName: o.queueName,
        concurrency,
        log: (s) => process.stderr.write(`${s}\n`),
      });
      process.stderr.write(`worker ${process.pid} on ${o.queue} (${o.queueName})\n`);
      await new Promise<void>((res) => {
        const stop = () => {
          void w.stop().then(res);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
