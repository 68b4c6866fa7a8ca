import {
  type Book,
  type DailySignal,
  EMPTY_BOOK,
  INITIAL_ENGINE_STATE,
  step,
  toDailySignal,
} from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import type { Command } from 'commander';
import { z } from 'zod';
import { CliError } from '../errors';
import { readJsonFile } from '../io';
import { marketData, requireDataDate, sessionsUpTo } from '../market-context';
import { loadStrategyConfig, presetOption } from '../strategy-config';

const strikes = z.object({
  putLong: z.number(),
  putShort: z.number(),
  callShort: z.number(),
  callLong: z.number(),
});
const bookSchema = z.object({
  condors: z
    .array(
      z.object({
        id: z.string(),
        chainId: z.string().optional(),
        tier: z.enum(['conservative', 'balanced', 'aggressive']),
        expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        root: z.enum(['SPX', 'SPXW']).default('SPXW'),
        settlement: z.enum(['AM', 'PM']).default('PM'),
        strikes,
        quantity: z.number().int().positive(),
        openedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        entryCredit: z.number(),
        rollsInChain: z.number().int().min(0).default(0),
        chainRealisedPnl: z.number().default(0),
      }),
    )
    .default([]),
  hedges: z
    .array(
      z.object({
        id: z.string(),
        layer: z.number().int().positive(),
        expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        strike: z.number().positive(),
        quantity: z.number().int().positive(),
        openedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        entryPrice: z.number().nonnegative(),
      }),
    )
    .default([]),
});

export function readBook(file: string | undefined): Book {
  if (!file) return EMPTY_BOOK;
  const parsed = bookSchema.safeParse(readJsonFile(file));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${file}: field "${i.path.join('.')}": ${i.message}`);
    throw new CliError(`invalid book:\n  ${lines.join('\n  ')}`);
  }
  const b = parsed.data;
  return {
    condors: b.condors.map((c) => ({ ...c, chainId: c.chainId ?? c.id })) as unknown as Book['condors'],
    hedges: b.hedges as unknown as Book['hedges'],
  };
}

export interface SignalOptions {
  date?: string;
  preset?: string;
  config?: string;
  equity?: string;
  book?: string;
  dataDir?: string;
}

/** The 15:10 CT signal of one trading day, from data known at that instant only. */
export function computeSignal(opts: SignalOptions): DailySignal {
  const preset = presetOption(opts.preset);
  const cfg = loadStrategyConfig(preset, opts.config);
  const equity = opts.equity === undefined ? 100_000 : Number(opts.equity);
  if (!(equity > 0))
    throw new CliError(`--equity '${opts.equity}' must be a positive amount in USD, e.g. 100000`);
  const md = marketData(opts.dataDir);
  const date = requireDataDate(md, opts.date);
  const { sessions, skipped } = sessionsUpTo(md, date, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays);
  const session = sessions.find((s) => s.date === date);
  if (!session)
    throw new CliError(`no session on ${date}: ${skipped.find((s) => s.date === date)?.reason ?? 'unknown'}`);
  const ports = embeddedPorts(md, { quoteTimeCt: cfg.entry.timeCt });
  const book = readBook(opts.book);
  const res = step(
    INITIAL_ENGINE_STATE,
    { kind: 'session', date, instantUtcMs: session.instantUtcMs, market: session.market, book, equity },
    ports,
    cfg,
  );
  return toDailySignal(
    res,
    {
      date,
      preset: opts.config ? 'custom' : preset,
      instantUtcMs: session.instantUtcMs,
      spx: session.market.spx,
      equity,
      fill: { name: 'orats-like' },
    },
    ports,
  );
}

const f2 = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(2));

export function formatSignal(s: DailySignal): string {
  const lines: string[] = [];
  lines.push(`VixShield signal ${s.date} (${s.asOf}, 15:10 CT) preset ${s.preset}`);
  lines.push(
    `SPX ${s.spx.toFixed(2)}  VIX ${s.gate.vix.toFixed(2)}  EDR ${s.edr.edrPct.toFixed(3)}% = ${s.edr.edrPts.toFixed(1)} pts  band ${s.edr.lower.toFixed(1)} - ${s.edr.upper.toFixed(1)}`,
  );
  lines.push(`gate: ${s.gate.reason}`);
  lines.push(
    `expiry ${s.expiry ?? '-'}  Premium Gauge ${f2(s.premiumGauge)}  prices: ${s.pricesSource} (${s.pricesDetail})`,
  );
  lines.push(s.skip ? `NO TRADE: ${s.skipReason}` : `TRADE: ${s.chosenTier}`);
  if (s.tiers.length > 0) {
    lines.push('');
    lines.push(
      'tier          strikes (P long/short  C short/long)   credit mid  fill   max loss  PoP    contracts',
    );
    for (const t of s.tiers) {
      const k = t.strikes
        ? `${t.strikes.putLong}/${t.strikes.putShort}  ${t.strikes.callShort}/${t.strikes.callLong}`
        : '-';
      lines.push(
        `${t.tier.padEnd(13)} ${k.padEnd(34)} ${f2(t.creditMid).padStart(9)} ${f2(t.creditFill).padStart(6)} ${f2(t.maxLossPts).padStart(9)} ${t.probabilityOfProfit === null ? '   -' : `${(100 * t.probabilityOfProfit).toFixed(0)}%`.padStart(5)} ${String(t.contracts).padStart(10)}${t.tradable ? '' : '  (not tradable)'}`,
      );
    }
  }
  if (s.rolls.length > 0) {
    lines.push('', 'rolls:');
    for (const r of s.rolls) lines.push(`  ${r.reason}`);
  }
  if (s.hedge.length > 0) {
    lines.push('', 'ALVH hedge:');
    for (const h of s.hedge) lines.push(`  ${h.reason}`);
  }
  lines.push('', 'reasons:');
  for (const r of s.reasons) lines.push(`  - ${r}`);
  return `${lines.join('\n')}\n`;
}

export function registerSignal(program: Command): void {
  program
    .command('signal')
    .description('the 15:10 CT iron-condor signal of a trading day (default: the latest day in the data)')
    .option('--date <date>', 'trading day YYYY-MM-DD')
    .option('--preset <name>', 'vixshield, seed, conservative, balanced, aggressive', 'vixshield')
    .option('--config <file>', 'JSON or YAML overrides')
    .option('--equity <usd>', 'account equity for sizing', '100000')
    .option('--book <file>', 'JSON book of open condors and hedges')
    .option('--data-dir <dir>', 'data directory with user imports')
    .option('--json', 'JSON output')
    .action((opts: SignalOptions & { json?: boolean }) => {
      const s = computeSignal(opts);
      process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatSignal(s));
    });
}
