import type { PaperRecord } from '@vixshield/app';
import { maxSnapshotAgeOption } from '@vixshield/app';
import type { Command } from 'commander';
import { optionError } from '../errors';
import { resolveDataDir } from './data';

interface PaperArgs {
  preset?: string;
  config?: string;
  dataDir?: string;
  equity?: string;
  fill?: string;
  to?: string;
  maxSnapshotAge?: string;
  stored?: boolean;
  json?: boolean;
}

const f2 = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(2));
const usd = (v: number) => `${v < 0 ? '-' : ''}${Math.abs(v).toFixed(0)}`;

/** The record as a trader reads it: summary per fill model, the trades, then day by day. */
export function formatPaper(r: PaperRecord): string {
  const out: string[] = [];
  out.push(
    r.startedOn
      ? `VixShield paper book, preset ${r.preset}: ${r.startedOn} .. ${r.through}`
      : `VixShield paper book, preset ${r.preset}: not started`,
  );
  out.push(`prices: ${r.pricesSource.kind}: ${r.pricesSource.detail}`);
  for (const f of r.fills) {
    out.push(
      `fill ${f.fill.padEnd(10)} equity ${usd(f.initialEquity)} -> ${usd(f.finalEquity)} USD, P&L ${usd(f.pnlUsd)} USD, max drawdown ${f.maxDrawdown ? `${(100 * f.maxDrawdown.depth).toFixed(2)}% (${f.maxDrawdown.peakDate} .. ${f.maxDrawdown.troughDate})` : '0.00%'}, ${f.trades.length} closed trades`,
    );
  }
  const main = r.fills[r.fills.length - 1];
  if (main && main.trades.length > 0) {
    out.push('', `trades (fill ${main.fill}):`);
    out.push(
      '  opened      closed      expiry      tier          strikes (P long/short  C short/long)  qty  credit  debit   P&L USD  exit',
    );
    for (const t of main.trades) {
      const k = `${t.strikes.putLong}/${t.strikes.putShort}  ${t.strikes.callShort}/${t.strikes.callLong}`;
      out.push(
        `  ${t.openedOn}  ${t.closedOn}  ${t.expiry}  ${t.tier.padEnd(13)} ${k.padEnd(33)} ${String(t.quantity).padStart(4)} ${f2(t.entryCredit).padStart(7)} ${f2(t.exitDebit).padStart(6)} ${usd(t.pnl).padStart(9)}  ${t.exit}`,
      );
    }
  }
  if (r.days.length > 0) {
    out.push(
      '',
      "days (mid = the credit at the day's prices, the snapshot's on a real day; model = the surface model for the same strikes):",
    );
    out.push(
      '  date        prices    quote time           tier               mid  model mid  model - real  equity',
    );
    for (const d of r.days) {
      const e = d.entries[0];
      const eq = main ? d.equity[main.fill] : undefined;
      out.push(
        `  ${d.date}  ${d.prices.padEnd(8)}  ${(d.snapshot?.quoteTimeEt ?? '-').padEnd(19)}  ${(d.chosenTier ?? '-').padEnd(13)} ${f2(e?.creditMid).padStart(8)} ${f2(e?.modelCreditMid).padStart(10)} ${f2(e?.modelErrorPts).padStart(13)}  ${eq === undefined ? '-' : usd(eq)}${d.skipReason && !e ? `  (${d.skipReason})` : ''}`,
      );
    }
    const m = r.modelError;
    out.push(
      '',
      `model error over ${m.entries} real entries: mean ${f2(m.meanPts)} pts, mean absolute ${f2(m.meanAbsPts)} pts (model - real mid credit)`,
    );
  }
  for (const n of r.notes) out.push(`note: ${n}`);
  return `${out.join('\n')}\n`;
}

export function registerPaper(program: Command): void {
  program
    .command('paper')
    .description(
      'the forward paper record: each day with a recorded chain snapshot filled on paper at its prices (mid and the fill model) by the backtester, trade by trade, P&L, drawdown, model vs real credit',
    )
    .option('--preset <name>', 'vixshield, seed, conservative, balanced, aggressive', 'vixshield')
    .option('--config <file>', 'JSON or YAML overrides')
    .option('--data-dir <dir>', 'data directory (default $VIXSHIELD_DATA_DIR or ~/.vixshield/data)')
    .option('--equity <usd>', 'initial equity of the paper book', '100000')
    .option('--fill <model>', 'fill model beside mid: natural, orats-like or fraction:<0..1>', 'orats-like')
    .option('--to <date>', 'last day (default: the last day in the data)')
    .option(
      '--max-snapshot-age <minutes>',
      'a snapshot quoted more than this before the entry is not used',
      '20',
    )
    .option('--stored', 'print the record as the service last stored it, without updating it')
    .option('--json', 'JSON output')
    .action(async (o: PaperArgs) => {
      const dataDir = resolveDataDir(o.dataDir);
      const { paperCommand } = await import('@vixshield/server');
      const equity = Number(o.equity ?? '100000');
      if (!(equity > 0))
        throw optionError(`--equity '${o.equity}' must be a positive amount in USD, e.g. 100000`, 'equity');
      const r = await paperCommand(dataDir, {
        ...(o.preset ? { preset: o.preset } : {}),
        ...(o.config ? { config: o.config } : {}),
        ...(o.fill ? { fill: o.fill } : {}),
        ...(o.to ? { to: o.to } : {}),
        ...(o.stored ? { stored: true } : {}),
        equity,
        maxSnapshotAgeMinutes: maxSnapshotAgeOption(o.maxSnapshotAge),
      });
      process.stdout.write(o.json ? `${JSON.stringify(r, null, 2)}\n` : formatPaper(r));
    });
}
