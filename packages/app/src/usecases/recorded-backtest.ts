import type { BacktestResult, EnginePorts, IsoDate, OptionChain } from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import { DEFAULT_BACKTEST_FROM } from './backtest';
import { loadStrategyConfig, presetOption } from './config';
import { marketData, requireDataDate } from './market';
import { embeddedRealChains } from './model-check';
import {
  loadSnapshotChains,
  type RefusedSnapshot,
  SnapshotOrModelChainSource,
  type UsedSnapshot,
} from './snapshot-chains';

/** What `backtest --source real` prices with: recorded snapshots where they exist, the model elsewhere. */
export interface RecordedChainPorts {
  readonly ports: EnginePorts;
  readonly pricesSource: BacktestResult['pricesSource'];
  readonly realDays: readonly UsedSnapshot[];
  readonly refused: readonly RefusedSnapshot[];
}

/**
 * The engine ports of `backtest --source real` over [from, to]: each day with a usable recorded chain
 * snapshot (the signal's staleness rule against that day's entry) is priced from its real bid/ask, every
 * other day by the surface model; the price detail lists the real days and the refused ones.
 */
export async function recordedChainPorts(opts: {
  from?: string;
  to?: string;
  preset?: string;
  config?: string;
  dataDir?: string;
  maxSnapshotAgeMinutes?: number;
}): Promise<RecordedChainPorts> {
  const cfg = loadStrategyConfig(presetOption(opts.preset), opts.config);
  const md = marketData(opts.dataDir);
  const from = requireDataDate(md, opts.from ?? DEFAULT_BACKTEST_FROM, '--from');
  const to = requireDataDate(md, opts.to, '--to');
  const found = await loadSnapshotChains(
    opts.dataDir,
    { from, to },
    {
      timeCt: cfg.entry.timeCt,
      ...(opts.maxSnapshotAgeMinutes !== undefined ? { maxAgeMinutes: opts.maxSnapshotAgeMinutes } : {}),
    },
  );
  const model = embeddedPorts(md, { quoteTimeCt: cfg.entry.timeCt });
  const chains = new SnapshotOrModelChainSource(
    found.byDate,
    model.chains,
    recordedIntradayChains(found.intradayByDate, from, to),
  );
  return {
    ports: { chains, vixOptions: model.vixOptions },
    pricesSource: recordedPricesSource(found.used, found.refused, from, to),
    realDays: found.used,
    refused: found.refused,
  };
}

/** Embedded real chains (2018 SPXW EOD file, 2019-06-26 15:45 ET), quote dates. */
const EMBEDDED_REAL_SPANS: readonly (readonly [string, string])[] = [
  ['2018-01-02', '2018-02-28'],
  ['2019-06-26', '2019-06-26'],
];

/**
 * What the intraday marks of `backtest --source real` may read (issue 16): every stored snapshot of
 * each day, plus the embedded real chains in [from, to] (their days have no bars: the approximation's
 * bar closes use them where the quote instant fits). The daily entries and session marks are not
 * changed by this: they read the snapshot that passed the entry's staleness rule, as before.
 */
export function recordedIntradayChains(
  stored: ReadonlyMap<IsoDate, readonly OptionChain[]>,
  from: IsoDate,
  to: IsoDate,
): Map<IsoDate, readonly OptionChain[]> {
  const out = new Map<IsoDate, readonly OptionChain[]>(stored);
  if (!EMBEDDED_REAL_SPANS.some(([a, b]) => a <= to && b >= from)) return out;
  for (const c of embeddedRealChains()) {
    if (c.asOf < from || c.asOf > to) continue;
    out.set(
      c.asOf,
      [...(out.get(c.asOf) ?? []), c].sort((a, b) => a.quoteTimeUtcMs - b.quoteTimeUtcMs),
    );
  }
  return out;
}

/** The price detail naming which days were real (and from what) and which snapshots were refused. */
export function recordedPricesSource(
  used: readonly UsedSnapshot[],
  refused: readonly RefusedSnapshot[],
  from: IsoDate,
  to: IsoDate,
): BacktestResult['pricesSource'] {
  const real = used.map((u) => `${u.date} (${u.provider} ${u.quoteTimeEt.slice(11)})`);
  const parts = [
    used.length === 0
      ? `no usable recorded chain snapshot in ${from} .. ${to}: every day modelled by the vixshield-surface`
      : `real bid/ask of recorded chain snapshots on ${used.length} day(s): ${real.join(', ')}; every other day modelled by the vixshield-surface`,
  ];
  if (refused.length > 0)
    parts.push(`refused (modelled instead): ${refused.map((r) => `${r.date}: ${r.reason}`).join('; ')}`);
  return { kind: used.length === 0 ? 'modelled' : 'mixed', detail: parts.join('; ') };
}
