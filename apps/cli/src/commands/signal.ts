import { computeSignal, type SignalOptions } from '@vixshield/app';
import { type DailySignal, DEFAULT_EQUITY_USD } from '@vixshield/core';
import type { Command } from 'commander';

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
    .option('--equity <usd>', 'account equity for sizing', String(DEFAULT_EQUITY_USD))
    .option('--book <file>', 'JSON book of open condors and hedges')
    .option('--data-dir <dir>', 'data directory with user imports')
    .option('--source <source>', 'model (surface) or real (embedded 2018-01/02 SPXW quotes)', 'model')
    .option('--json', 'JSON output')
    .action((opts: SignalOptions & { json?: boolean }) => {
      const s = computeSignal(opts);
      process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatSignal(s));
    });
}
