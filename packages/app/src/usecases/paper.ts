import {
  AS_SENTENCE,
  type BacktestResult,
  type BacktestSession,
  type CondorStrikes,
  type CondorTrade,
  chainContext,
  type FillModel,
  type HedgeTrade,
  InvalidInputError,
  type IsoDate,
  isUnpriceable,
  MID_FILL,
  priceCondor,
  type RejectedIntent,
  runBacktest,
  type StepResult,
  type Tier,
} from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import { fillModel } from './backtest';
import { loadStrategyConfig, presetOption } from './config';
import { marketData, requireDataDate, sessionsUpTo } from './market';
import { recordedPricesSource } from './recorded-backtest';
import { loadSnapshotChains, SnapshotOrModelChainSource, type UsedSnapshot } from './snapshot-chains';

/*
 * The forward paper record (issue 13 item 4): per preset, from the first day the service recorded a
 * chain snapshot, every session replayed by the backtester's own code (runBacktest: step, the simulated
 * broker, the Portfolio) on the recorded snapshots' bid/ask, once at mid and once at the configured
 * fill model. The record is therefore, by construction, what `backtest --source real` gives for the
 * same days; each entry also shows the model's credit for the same strikes (the model's error, live).
 *
 * The book is resumed, not re-started: its start date is kept in the journal at the first update and
 * every later update replays from it (the Portfolio is deterministic over the same inputs) and stores
 * the days and the record in one transaction.
 */

export interface PaperEntry {
  readonly tier: Tier;
  readonly expiry: IsoDate;
  readonly strikes: CondorStrikes;
  /** Contracts at the configured fill model's equity. */
  readonly quantity: number;
  /** Mid and natural credit at the day's prices (the snapshot's on a real day), points per condor. */
  readonly creditMid: number;
  readonly creditNatural: number;
  /** Credit booked by the configured fill model (points), null when it did not fill. */
  readonly fillCredit: number | null;
  /** The surface model's mid credit for the same strikes and expiry that day, null if unpriceable. */
  readonly modelCreditMid: number | null;
  /** model - real (points per condor); null on a modelled day. */
  readonly modelErrorPts: number | null;
}

export interface PaperDay {
  readonly date: IsoDate;
  readonly prices: 'real' | 'modelled';
  readonly snapshot: Pick<
    UsedSnapshot,
    'provider' | 'quoteTimeEt' | 'delaySeconds' | 'ageAtEntryMinutes'
  > | null;
  readonly chosenTier: Tier | null;
  readonly skipReason: string | null;
  readonly entries: readonly PaperEntry[];
  /** Equity and drawdown (<= 0, from the running peak) after the session, per fill model. */
  readonly equity: Readonly<Record<string, number>>;
  readonly drawdown: Readonly<Record<string, number>>;
}

export interface PaperFillRecord {
  readonly fill: string;
  readonly initialEquity: number;
  readonly finalEquity: number;
  readonly pnlUsd: number;
  readonly maxDrawdown: {
    readonly depth: number;
    readonly peakDate: IsoDate;
    readonly troughDate: IsoDate;
  } | null;
  /** Closed condor trades, trade by trade (the backtester's CondorTrade). */
  readonly trades: readonly CondorTrade[];
  readonly hedgeTrades: readonly HedgeTrade[];
  readonly rejected: readonly RejectedIntent[];
}

export interface PaperRecord {
  readonly preset: string;
  readonly startedOn: IsoDate | null;
  readonly through: IsoDate | null;
  readonly pricesSource: BacktestResult['pricesSource'];
  readonly fills: readonly PaperFillRecord[];
  readonly days: readonly PaperDay[];
  /** The model's error over every real entry: mean and mean absolute (model - real, points). */
  readonly modelError: {
    readonly entries: number;
    readonly meanPts: number | null;
    readonly meanAbsPts: number | null;
  };
  readonly notes: readonly string[];
}

/** Where a paper book is kept (the journal's PaperJournal implements it). */
export interface PaperStore {
  book(preset: string): { readonly startedOn: string } | undefined;
  save(u: {
    preset: string;
    startedOn: string;
    through: string;
    days: ReadonlyArray<{ date: string; day: unknown }>;
    record: unknown;
  }): void;
}

export interface PaperOptions {
  preset?: string;
  config?: string;
  dataDir?: string;
  equity?: number;
  /** The configured fill model (default orats-like); the record always has mid as well. */
  fill?: string;
  /** Last day to replay (default: the last day in the data). */
  to?: string;
  maxSnapshotAgeMinutes?: number;
  /** Where the book's start, days and record are kept (absent: compute only). */
  journal?: PaperStore;
}

function drawdownOf(points: ReadonlyArray<{ date: IsoDate; equity: number }>) {
  let peak = Number.NEGATIVE_INFINITY;
  let peakDate = points[0]?.date ?? ('' as IsoDate);
  const dd: number[] = [];
  let worst: PaperFillRecord['maxDrawdown'] = null;
  for (const p of points) {
    if (p.equity > peak) {
      peak = p.equity;
      peakDate = p.date;
    }
    const d = p.equity / peak - 1;
    dd.push(d);
    if (d < 0 && (worst === null || d < -worst.depth)) worst = { depth: -d, peakDate, troughDate: p.date };
  }
  return { dd, worst };
}

/**
 * Brings the paper book of one preset up to the last day in the data (or `to`) and, with a journal,
 * stores it. Without any recorded snapshot the record is empty and says why.
 */
export async function updatePaperBook(opts: PaperOptions): Promise<PaperRecord> {
  const preset = presetOption(opts.preset);
  const cfg = loadStrategyConfig(preset, opts.config);
  const md = marketData(opts.dataDir);
  const to = requireDataDate(md, opts.to, '--to');
  const equity0 = opts.equity ?? 100_000;
  const configured = fillModel(opts.fill);
  const fills: FillModel[] = configured.name === 'mid' ? [MID_FILL] : [MID_FILL, configured];
  const timing = {
    timeCt: cfg.entry.timeCt,
    ...(opts.maxSnapshotAgeMinutes !== undefined ? { maxAgeMinutes: opts.maxSnapshotAgeMinutes } : {}),
  };

  const kept = opts.journal?.book(preset);
  let start = kept?.startedOn as IsoDate | undefined;
  if (start === undefined) {
    const all = await loadSnapshotChains(opts.dataDir, { from: md.snapshots[0]!.date, to }, timing);
    start = all.used[0]?.date;
  }
  const label = opts.config ? 'custom' : preset;
  if (start === undefined) {
    return {
      preset: label,
      startedOn: null,
      through: null,
      pricesSource: { kind: 'modelled', detail: 'no recorded chain snapshot' },
      fills: [],
      days: [],
      modelError: { entries: 0, meanPts: null, meanAbsPts: null },
      notes: [
        "no usable chain snapshot recorded yet: the paper book starts on the first day with one ('vixshield chain snapshot' before the entry, or 'serve --schedule')",
      ],
    };
  }
  if (start > to)
    throw new InvalidInputError(
      `the paper book starts ${start}, after {to} ${to}`,
      'to',
      'pass a later {to}',
      AS_SENTENCE,
    );
  const recorded = await loadSnapshotChains(opts.dataDir, { from: start, to }, timing);
  const model = embeddedPorts(md, { quoteTimeCt: cfg.entry.timeCt });
  const ports = {
    chains: new SnapshotOrModelChainSource(recorded.byDate, model.chains),
    vixOptions: model.vixOptions,
  };
  const { sessions } = sessionsUpTo(md, to, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays);
  const window = sessions.filter((s) => s.date >= start);
  const pricesSource = recordedPricesSource(recorded.used, recorded.refused, start, to);

  // The same runner as `backtest`, once per fill model; the configured one's decisions are kept.
  const decisions = new Map<IsoDate, { session: BacktestSession; res: StepResult }>();
  const results = fills.map((fill) =>
    runBacktest(window, ports, cfg, {
      initialEquity: equity0,
      fill,
      pricesSource,
      ...(fill === fills[fills.length - 1]
        ? {
            onDecision: (session: BacktestSession, res: StepResult) =>
              decisions.set(session.date, { session, res }),
          }
        : {}),
    }),
  );
  const main = results[results.length - 1]!;
  const curves = results.map((r) => drawdownOf(r.equity));
  const used = new Map(recorded.used.map((u) => [u.date, u]));
  const errors: number[] = [];

  const days: PaperDay[] = window.map((s, i) => {
    const d = decisions.get(s.date);
    const snap = used.get(s.date);
    const entries: PaperEntry[] = [];
    for (const intent of d?.res.intents ?? []) {
      if (intent.kind !== 'open') continue;
      const q = intent.condor;
      const chain = model.chains.chain(s.date, q.expiry);
      const mq = chain ? priceCondor(chainContext(chain, s.market.r, s.market.q), q.strikes) : undefined;
      const modelMid = mq && !isUnpriceable(mq) ? mq.creditMid : null;
      const filled = main.trades.find(
        (t) =>
          t.openedOn === s.date &&
          t.expiry === q.expiry &&
          t.strikes.putShort === q.strikes.putShort &&
          t.strikes.callShort === q.strikes.callShort,
      );
      const err = modelMid === null || !snap ? null : modelMid - q.creditMid;
      if (err !== null) errors.push(err);
      entries.push({
        tier: intent.tier,
        expiry: q.expiry,
        strikes: q.strikes,
        quantity: intent.quantity,
        creditMid: q.creditMid,
        creditNatural: q.creditNatural,
        fillCredit: filled?.entryCredit ?? null,
        modelCreditMid: modelMid,
        modelErrorPts: err,
      });
    }
    return {
      date: s.date,
      prices: snap ? 'real' : 'modelled',
      snapshot: snap
        ? {
            provider: snap.provider,
            quoteTimeEt: snap.quoteTimeEt,
            delaySeconds: snap.delaySeconds,
            ageAtEntryMinutes: snap.ageAtEntryMinutes,
          }
        : null,
      chosenTier: d?.res.entry.chosenTier ?? null,
      skipReason: d?.res.entry.skipReason ?? null,
      entries,
      equity: Object.fromEntries(results.map((r, k) => [fills[k]!.name, r.equity[i]!.equity])),
      drawdown: Object.fromEntries(curves.map((c, k) => [fills[k]!.name, c.dd[i]!])),
    };
  });

  const record: PaperRecord = {
    preset: label,
    startedOn: start,
    through: window[window.length - 1]?.date ?? null,
    pricesSource,
    fills: results.map((r, k) => {
      const last = r.equity[r.equity.length - 1]?.equity ?? equity0;
      return {
        fill: fills[k]!.name,
        initialEquity: equity0,
        finalEquity: last,
        pnlUsd: last - equity0,
        maxDrawdown: curves[k]!.worst,
        trades: r.trades,
        hedgeTrades: r.hedgeTrades,
        rejected: r.rejected,
      };
    }),
    days,
    modelError: {
      entries: errors.length,
      meanPts: errors.length ? errors.reduce((a, b) => a + b, 0) / errors.length : null,
      meanAbsPts: errors.length ? errors.reduce((a, b) => a + Math.abs(b), 0) / errors.length : null,
    },
    notes: [
      'Filled, held, rolled, hedged and settled by the backtester (runBacktest: step, simulated broker, Portfolio) on the recorded snapshots; equal to `backtest --source real` over the same days.',
      'Decisions use the daily data of each day (SPX at entry = the close, as in the backtest), so a day is recorded once its close is in the data.',
      ...recorded.refused.map((r) => `${r.date}: snapshot refused, modelled instead: ${r.reason}`),
    ],
  };
  if (opts.journal && record.through) {
    opts.journal.save({
      preset,
      startedOn: start,
      through: record.through,
      days: days.map((d) => ({ date: d.date, day: d })),
      record,
    });
  }
  return record;
}
