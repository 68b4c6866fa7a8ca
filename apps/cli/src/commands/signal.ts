import { join } from 'node:path';
import { computeLiveSignal, type SignalOptions, type SignalWithBook } from '@vixshield/app';
import { DEFAULT_EQUITY_USD, SPX_MULTIPLIER } from '@vixshield/core';
import { openJournal } from '@vixshield/journal';
import type { Command } from 'commander';
import { optionError } from '../errors';

const f2 = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(2));

const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;

/**
 * Package Greeks (index points per condor; vega per 1.00 of vol, theta per year) in the units a trader
 * reads: USD per condor per SPX point, per vol point and per calendar day.
 */
function greeksUsd(g: { delta: number; gamma: number; vega: number; theta: number }): string {
  const m = SPX_MULTIPLIER;
  return `delta ${signed(g.delta * m)} USD/pt  gamma ${signed(g.gamma * m)} USD/pt^2  vega ${signed((g.vega / 100) * m)} USD/vol pt  theta ${signed((g.theta / 365) * m)} USD/day`;
}

export function formatSignal(s: SignalWithBook): string {
  const lines: string[] = [];
  lines.push(`VixShield signal ${s.date} (${s.asOf}, 15:10 CT) preset ${s.preset}`);
  lines.push(
    `SPX ${s.spx.toFixed(2)}  VIX ${s.gate.vix.toFixed(2)}  EDR ${s.edr.edrPct.toFixed(3)}% = ${s.edr.edrPts.toFixed(1)} pts  band ${s.edr.lower.toFixed(1)} - ${s.edr.upper.toFixed(1)}`,
  );
  lines.push(`gate: ${s.gate.reason}`);
  lines.push(
    `expiry ${s.expiry ?? '-'}  Premium Gauge ${f2(s.premiumGauge)}  prices: ${s.pricesSource} (${s.pricesDetail})`,
  );
  if (s.modelError) lines.push(`model error: ${s.modelError}`);
  if (s.liveSession) {
    const l = s.liveSession;
    lines.push(
      `live session: SPX ${l.spx.value.toFixed(2)} (${l.spx.source}) and VIX ${l.vix.value.toFixed(2)} (${l.vix.method}) are intraday values quoted ${l.quoteTimeEt} by ${l.provider} (delay ${l.delaySeconds / 60} min), not closes`,
    );
    if (l.vix.note) lines.push(`  VIX note: ${l.vix.note}`);
    lines.push(
      `  VIX9D ${l.vix9d.value === null ? `- (${l.vix9d.reason})` : l.vix9d.value.toFixed(2)}  one-day vol ${l.oneDayVix.value === null ? `- (${l.oneDayVix.source})` : `${l.oneDayVix.value.toFixed(2)} (${l.oneDayVix.source})`}`,
    );
    lines.push(
      `  rate ${(100 * l.rate.r).toFixed(3)}% (${l.rate.source} of ${l.rate.asOf}), HV20 and VIX z-score from the daily rows to ${l.lastDailyRow}`,
    );
  }
  if (s.chainSnapshot) {
    const c = s.chainSnapshot;
    lines.push(
      `chain snapshot: provider ${c.provider} (${c.vendor}), quote time ${c.quoteTimeEt}, delay ${c.delaySeconds / 60} min, ${c.ageAtEntryMinutes.toFixed(0)} min before the entry (limit ${c.maxAgeMinutes})`,
    );
  }
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
  const detailed = s.tiers.filter((t) => t.strikes !== null && t.occ);
  if (detailed.length > 0) lines.push('', 'legs (OCC), breakevens and Greeks per condor:');
  for (const t of detailed) {
    const o = t.occ as NonNullable<typeof t.occ>;
    lines.push(`  ${t.tier.padEnd(13)}${o.putLong} / ${o.putShort} / ${o.callShort} / ${o.callLong}`);
    const be = t.breakevens
      ? `breakevens ${f2(t.breakevens.lower)} / ${f2(t.breakevens.upper)}`
      : 'breakevens -';
    const d = t.shortDeltas
      ? `short deltas ${signed(t.shortDeltas.put)} / ${signed(t.shortDeltas.call)}`
      : '';
    lines.push(`  ${''.padEnd(13)}${be}  ${d}`);
    if (t.greeks) lines.push(`  ${''.padEnd(13)}${greeksUsd(t.greeks)}`);
  }
  if (s.bookSettlement) {
    // Positions of the book past expiry: settled at the official settlement, or still waiting for it.
    lines.push('', 'book: positions past expiry');
    for (const p of s.bookSettlement.settled)
      lines.push(
        `  ${p.positionId} (${p.instrument}, expiry ${p.expiry}, qty ${p.quantity}) settled at ${p.settlementPrice.toFixed(2)} (${p.settlementBasis}): value ${p.valuePts.toFixed(2)} pts, P&L ${signed(p.pnlUsd)} USD`,
      );
    for (const p of s.bookSettlement.awaiting)
      lines.push(`  ${p.positionId} (${p.instrument}, expiry ${p.expiry}) still open: ${p.reason}`);
  }
  if (s.rolls.length > 0) {
    lines.push('', 'rolls:');
    for (const r of s.rolls) lines.push(`  ${r.reason}`);
  }
  if (s.hedgeReasons.length > 0) {
    // Orders and the triggers behind them (seed: what fired, what stayed unspent and why).
    lines.push('', 'ALVH hedge:');
    for (const r of s.hedgeReasons) lines.push(`  ${r}`);
  }
  lines.push('', 'reasons:');
  // A rule can restate another's reason (the gate is both a reason and the skip): print each once.
  for (const r of new Set(s.reasons)) lines.push(`  - ${r}`);
  return `${lines.join('\n')}\n`;
}

export function registerSignal(program: Command): void {
  program
    .command('signal')
    .description('the 15:10 CT iron-condor signal of a trading day (default: the latest day in the data)')
    .option('--date <date>', 'trading day YYYY-MM-DD')
    .option('--preset <name>', 'vixshield, seed, conservative, balanced, aggressive', 'vixshield')
    .option('--config <file>', 'JSON or YAML overrides')
    .option('--equity <usd>', 'account equity for sizing', String(DEFAULT_EQUITY_USD))
    .option(
      '--book <file>',
      "JSON book: the fills recorded at the broker, as for POST /api/book (docs/book.md); 'journal' = the fills recorded in the data dir's journal (what serve keeps), whose expired positions are then settled and journaled there",
    )
    .option(
      '--data-dir <dir>',
      'data directory with user imports, data updates and chain snapshots (default $VIXSHIELD_DATA_DIR)',
    )
    .option(
      '--source <source>',
      "auto (the day's chain snapshot if the data dir has one, else the model), model (surface) or real (embedded 2018-01/02 SPXW quotes)",
      'auto',
    )
    .option(
      '--max-snapshot-age <minutes>',
      'refuse a chain snapshot quoted more than this many minutes before the entry',
      '20',
    )
    .option(
      '--session <kind>',
      "auto (the day's daily row; after the last row, the live session from the day's chain snapshot) or snapshot (the live session even when the day has a row)",
      'auto',
    )
    .option('--json', 'JSON output')
    .action(async (opts: SignalOptions & { json?: boolean }) => {
      if (!['auto', 'model', 'real'].includes(opts.source ?? 'auto'))
        throw optionError(`--source '${opts.source}' must be auto, model or real`, 'source');
      const dataDir = opts.dataDir ?? process.env.VIXSHIELD_DATA_DIR;
      if (opts.book === 'journal') {
        // The journal's book: reading it for the day settles and journals expired positions (once),
        // as GET /api/signal and the scheduler do.
        if (!dataDir)
          throw optionError(
            '--book journal reads the journal of a data dir: pass --data-dir (or set VIXSHIELD_DATA_DIR)',
            'dataDir',
          );
        const journal = openJournal(join(dataDir, 'journal.sqlite'));
        try {
          const { book: _file, ...rest } = opts;
          const s = await computeLiveSignal({ ...rest, dataDir, bookLedger: journal });
          process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatSignal(s));
        } finally {
          journal.close();
        }
        return;
      }
      const s = await computeLiveSignal({ ...opts, ...(dataDir ? { dataDir } : {}) });
      process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatSignal(s));
    });
}
