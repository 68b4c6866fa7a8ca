import { DEFAULT_EQUITY_USD, type IsoDate, type PresetName } from '@vixshield/core';
import {
  formatHeader,
  type Interval,
  intervalText,
  meanInterval,
  pctText,
  runVariant,
  type StudyHeader,
  type StudyWindowOptions,
  splitDate,
  studyHeader,
  studyWindow,
  type Variant,
  type VariantRun,
} from './common';

/**
 * The seed question (M§6, question 3): how do ALVH and the rollback behave when VIX rises into 17-18?
 */

export interface EpisodeRule {
  /** The band a start day's VIX close must lie in, inclusive. */
  readonly bandLow: number;
  readonly bandHigh: number;
  /** Consecutive trading days with VIX close < bandLow right before the start day. */
  readonly calmDaysBefore: number;
  /** The episode ends on the first day VIX closes below this... */
  readonly endBelow: number;
  /** ...or on its maxDays-th trading day (the start day is day 1), whichever comes first. */
  readonly maxDays: number;
}

export const SEED_EPISODE_RULE: EpisodeRule = {
  bandLow: 17,
  bandHigh: 18,
  calmDaysBefore: 5,
  endBelow: 16,
  maxDays: 20,
};

export function describeEpisodeRule(r: EpisodeRule): string {
  return (
    `An episode starts on a day VIX closes in [${r.bandLow}, ${r.bandHigh}] after at least ${r.calmDaysBefore} consecutive trading days of VIX closes below ${r.bandLow}; ` +
    `it ends on the first later day VIX closes below ${r.endBelow}, or on its ${r.maxDays}th trading day (the start is day 1), whichever comes first; no new episode starts while one is open. ` +
    `Why: ${r.calmDaysBefore} calm days (one week) make the start a rise out of a calm regime, not noise inside an already elevated one; ` +
    `${r.endBelow} is the TTM's VIX roll threshold, one point below the band, so a dip back under it means the scare is over (hysteresis avoids counting a day's wiggle as an end); ` +
    `${r.maxDays} trading days (about a month) is the life of the front ALVH layer (30 DTE, rolled at 10) and bounds an episode that turns into a longer high-VIX regime.`
  );
}

export interface Episode {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly days: number;
  readonly endReason: 'vix-below-end' | 'max-days' | 'data-end';
  readonly startVix: number;
  readonly peakVix: number;
}

/** Pure: the episodes of a VIX close series (ascending dates) under a rule. */
export function detectEpisodes(
  series: ReadonlyArray<{ readonly date: IsoDate; readonly vix: number }>,
  rule: EpisodeRule = SEED_EPISODE_RULE,
): Episode[] {
  const out: Episode[] = [];
  let calm = 0;
  let i = 0;
  while (i < series.length) {
    const p = series[i]!;
    if (p.vix >= rule.bandLow && p.vix <= rule.bandHigh && calm >= rule.calmDaysBefore) {
      let j = i;
      let peak = p.vix;
      let reason: Episode['endReason'] = 'data-end';
      for (; j < series.length; j++) {
        const v = series[j]!.vix;
        if (v > peak) peak = v;
        if (j > i && v < rule.endBelow) {
          reason = 'vix-below-end';
          break;
        }
        if (j - i + 1 >= rule.maxDays) {
          reason = 'max-days';
          break;
        }
      }
      const endIdx = Math.min(j, series.length - 1);
      out.push({
        start: p.date,
        end: series[endIdx]!.date,
        days: endIdx - i + 1,
        endReason: reason,
        startVix: p.vix,
        peakVix: peak,
      });
      // The calm count restarts after the episode from its end day.
      calm = series[endIdx]!.vix < rule.bandLow ? 1 : 0;
      i = endIdx + 1;
      continue;
    }
    calm = p.vix < rule.bandLow ? calm + 1 : 0;
    i++;
  }
  return out;
}

export interface EpisodeOutcome {
  readonly start: IsoDate;
  /** Equity change from the close before the start day to the end day, share of the equity before. */
  readonly return: number | null;
  /** Deepest drawdown inside the episode, from the running peak (starting at the close before). */
  readonly maxDrawdown: number | null;
  /** Hedge P&L over the episode, share of the equity before. */
  readonly hedgePnl: number | null;
  readonly tradesClosed: number;
  readonly tradesWon: number;
  readonly worstTradePct: number | null;
  readonly chainsRolled: number;
  readonly chainsRecovered: number;
}

export function episodeOutcome(run: VariantRun, ep: Episode): EpisodeOutcome {
  const eq = run.result.equity;
  const si = eq.findIndex((e) => e.date >= ep.start);
  const ei = findLastIndex(eq, (e) => e.date <= ep.end);
  const empty: EpisodeOutcome = {
    start: ep.start,
    return: null,
    maxDrawdown: null,
    hedgePnl: null,
    tradesClosed: 0,
    tradesWon: 0,
    worstTradePct: null,
    chainsRolled: 0,
    chainsRecovered: 0,
  };
  if (si < 0 || ei < si) return empty;
  const base = si > 0 ? eq[si - 1]! : null;
  const e0 = base?.equity ?? run.result.initialEquity;
  const h0 = base?.hedgePnlToDate ?? 0;
  if (!(e0 > 0)) return empty;
  let peak = e0;
  let mdd = 0;
  for (let k = si; k <= ei; k++) {
    const v = eq[k]!.equity;
    if (v > peak) peak = v;
    if (peak > 0) mdd = Math.max(mdd, 1 - v / peak);
  }
  const trades = run.result.trades.filter((t) => t.closedOn >= ep.start && t.closedOn <= ep.end);
  const chains = run.result.chains.filter(
    (c) => c.rolls > 0 && c.openedOn >= ep.start && c.openedOn <= ep.end,
  );
  return {
    start: ep.start,
    return: eq[ei]!.equity / e0 - 1,
    maxDrawdown: mdd,
    hedgePnl: (eq[ei]!.hedgePnlToDate - h0) / e0,
    tradesClosed: trades.length,
    tradesWon: trades.filter((t) => t.pnl > 0).length,
    worstTradePct: trades.length ? Math.min(...trades.map((t) => t.pnl)) / e0 : null,
    chainsRolled: chains.length,
    chainsRecovered: chains.filter((c) => c.closedOn !== null && c.recovered).length,
  };
}

function findLastIndex<T>(xs: readonly T[], f: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i]!)) return i;
  return -1;
}

export interface VariantEpisodeStats {
  readonly preset: PresetName;
  readonly label: string;
  readonly overrides: Record<string, unknown>;
  readonly episodes: number;
  readonly meanReturn: Interval | null;
  readonly totalReturn: number;
  readonly worstReturn: number | null;
  /** Mean of the worst 10% of episode returns (at least one episode). */
  readonly tailMean10: number | null;
  readonly meanMaxDrawdown: number | null;
  readonly worstMaxDrawdown: number | null;
  readonly hedgePnlTotal: number;
  readonly tradesClosed: number;
  readonly winRate: number | null;
  readonly chainsRolled: number;
  readonly chainsRecovered: number;
  readonly halves: { readonly inSample: number | null; readonly outOfSample: number | null };
  readonly fullWindow: { readonly cagr: number | null; readonly maxDrawdown: number | null };
  readonly outcomes: readonly EpisodeOutcome[];
}

export function aggregateEpisodes(
  run: VariantRun,
  outcomes: readonly EpisodeOutcome[],
  split: string,
  boot: { iterations: number; seed: number },
): VariantEpisodeStats {
  const rets = outcomes.map((o) => o.return).filter((x): x is number => x !== null);
  const sorted = [...rets].sort((a, b) => a - b);
  const tailN = Math.max(1, Math.floor(sorted.length * 0.1));
  const mdds = outcomes.map((o) => o.maxDrawdown).filter((x): x is number => x !== null);
  const closed = outcomes.reduce((a, o) => a + o.tradesClosed, 0);
  const won = outcomes.reduce((a, o) => a + o.tradesWon, 0);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return {
    preset: run.variant.preset,
    label: run.variant.label,
    overrides: run.variant.overrides,
    episodes: outcomes.length,
    meanReturn: meanInterval(rets, { ...boot, blockLength: 1 }),
    totalReturn: rets.reduce((a, r) => a * (1 + r), 1) - 1,
    worstReturn: sorted[0] ?? null,
    tailMean10: sorted.length ? (mean(sorted.slice(0, tailN)) as number) : null,
    meanMaxDrawdown: mean(mdds),
    worstMaxDrawdown: mdds.length ? Math.max(...mdds) : null,
    hedgePnlTotal: outcomes.reduce((a, o) => a + (o.hedgePnl ?? 0), 0),
    tradesClosed: closed,
    winRate: closed ? won / closed : null,
    chainsRolled: outcomes.reduce((a, o) => a + o.chainsRolled, 0),
    chainsRecovered: outcomes.reduce((a, o) => a + o.chainsRecovered, 0),
    halves: {
      inSample: mean(
        outcomes.filter((o) => o.start < split && o.return !== null).map((o) => o.return as number),
      ),
      outOfSample: mean(
        outcomes.filter((o) => o.start >= split && o.return !== null).map((o) => o.return as number),
      ),
    },
    fullWindow: { cagr: run.summary.cagr, maxDrawdown: run.summary.maxDrawdown?.depth ?? null },
    outcomes,
  };
}

export function seedVariants(): Variant[] {
  const out: Variant[] = [];
  const presets: Array<[PresetName, 'back-to-short' | 'next-weekly']> = [
    ['vixshield', 'back-to-short'],
    ['seed', 'next-weekly'],
  ];
  for (const [preset, mode] of presets) {
    const v = (label: string, hedge: boolean, roll: boolean): Variant => ({
      label: `${preset}: ${label}`,
      preset,
      overrides: { hedge: { enabled: hedge }, roll: { enabled: roll, rollbackMode: mode } },
    });
    out.push(
      v('condor only', false, false),
      v('condor + ALVH', true, false),
      v('condor + rollback', false, true),
      v('condor + both', true, true),
    );
  }
  return out;
}

export interface SeedStudyReport {
  readonly header: StudyHeader;
  readonly rule: EpisodeRule;
  readonly ruleText: string;
  readonly episodes: readonly Episode[];
  readonly variants: readonly VariantEpisodeStats[];
  readonly vix: ReadonlyArray<{ readonly date: IsoDate; readonly vix: number }>;
  readonly notes: readonly string[];
}

export function runSeedStudy(
  opts: StudyWindowOptions,
  log: (line: string) => void = () => {},
): SeedStudyReport {
  const w = studyWindow(opts);
  const vix = w.md.snapshots
    .filter((s) => s.date >= w.from && s.date <= w.to && s.vix !== null)
    .map((s) => ({ date: s.date, vix: s.vix as number }));
  const episodes = detectEpisodes(vix, SEED_EPISODE_RULE);
  const split = splitDate(w.from, w.to);
  const variants = seedVariants();
  const stats: VariantEpisodeStats[] = [];
  for (const v of variants) {
    log(`running ${v.label}`);
    const run = runVariant(w, v);
    stats.push(
      aggregateEpisodes(
        run,
        episodes.map((ep) => episodeOutcome(run, ep)),
        split,
        { iterations: w.iterations, seed: w.seed },
      ),
    );
  }
  const header = studyHeader(
    w,
    'seed-vix-17-18',
    'How do ALVH and the rollback behave when VIX rises into 17-18 (the seed question)?',
    {
      rule: SEED_EPISODE_RULE,
      presets: ['vixshield', 'seed'],
      initialEquity: DEFAULT_EQUITY_USD,
      fill: 'orats-like',
    },
    variants.length,
  );
  return {
    header,
    rule: SEED_EPISODE_RULE,
    ruleText: describeEpisodeRule(SEED_EPISODE_RULE),
    episodes,
    variants: stats,
    vix,
    notes: [
      'Each variant is one backtest over the whole window (state carries across episodes, as in real trading); episodes are slices of its equity curve, from the close before the start day to the end day.',
      'Episode returns are shares of the equity before the episode, so variants with different equity paths compare fairly.',
      'Rollback: vixshield uses back-to-short (3+ DTE chains roll back to 0-2 DTE), seed uses next-weekly (an expiring condor near its break-even moves into the next weekly); "rollback" variants also enable the forward TTM roll.',
      'Trades and rolled chains are counted when they close / open inside an episode.',
    ],
  };
}

export function formatSeedStudy(r: SeedStudyReport): string {
  const lines = [formatHeader(r.header), '', `episode rule: ${r.ruleText}`, ''];
  lines.push(`episodes: ${r.episodes.length}`);
  for (const e of r.episodes)
    lines.push(
      `  ${e.start} .. ${e.end} (${e.days} d, ${e.endReason}), VIX ${e.startVix.toFixed(2)} -> peak ${e.peakVix.toFixed(2)}`,
    );
  lines.push('');
  const head = [
    'variant',
    'mean episode return [95%]',
    'compounded',
    'worst',
    'worst-10% mean',
    'mean / worst DD',
    'hedge P&L (sum, % eq)',
    'win rate',
    'rolled (recovered)',
    'halves in/out',
  ];
  lines.push(head.join(' | '));
  for (const s of r.variants) {
    lines.push(
      [
        s.label,
        intervalText(s.meanReturn),
        pctText(s.totalReturn, 2),
        pctText(s.worstReturn, 2),
        pctText(s.tailMean10, 2),
        `${pctText(s.meanMaxDrawdown, 2)} / ${pctText(s.worstMaxDrawdown, 2)}`,
        pctText(s.hedgePnlTotal, 2),
        `${pctText(s.winRate)} of ${s.tradesClosed}`,
        `${s.chainsRolled} (${s.chainsRecovered})`,
        `${pctText(s.halves.inSample, 2)} / ${pctText(s.halves.outOfSample, 2)}`,
      ].join(' | '),
    );
  }
  lines.push('');
  for (const n of r.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------
// vix-spikes: the same comparison across VIX regimes (M§6 question 3)

export interface SpikeRegime {
  readonly name: string;
  readonly rule: EpisodeRule | null;
  /** A fixed window instead of a rule (e.g. the 2020 crash). */
  readonly fixed?: { readonly start: IsoDate; readonly end: IsoDate };
}

export const VIX_SPIKE_REGIMES: readonly SpikeRegime[] = [
  { name: 'VIX 17-18 (seed)', rule: SEED_EPISODE_RULE },
  { name: 'VIX 18 -> 25', rule: { bandLow: 18, bandHigh: 25, calmDaysBefore: 5, endBelow: 17, maxDays: 20 } },
  {
    name: 'VIX above 25',
    rule: { bandLow: 25, bandHigh: 1000, calmDaysBefore: 5, endBelow: 20, maxDays: 40 },
  },
  {
    name: '2020 crash (fixed window)',
    rule: null,
    fixed: { start: '2020-02-20' as IsoDate, end: '2020-06-30' as IsoDate },
  },
];

export interface SpikeRegimeResult {
  readonly regime: string;
  readonly ruleText: string;
  readonly episodes: readonly Episode[];
  readonly variants: readonly VariantEpisodeStats[];
}

export interface VixSpikesReport {
  readonly header: StudyHeader;
  readonly regimes: readonly SpikeRegimeResult[];
  readonly notes: readonly string[];
}

export function runVixSpikesStudy(
  opts: StudyWindowOptions,
  log: (line: string) => void = () => {},
): VixSpikesReport {
  const w = studyWindow(opts);
  const vix = w.md.snapshots
    .filter((s) => s.date >= w.from && s.date <= w.to && s.vix !== null)
    .map((s) => ({ date: s.date, vix: s.vix as number }));
  const split = splitDate(w.from, w.to);
  const episodesOf = (r: SpikeRegime): Episode[] => {
    if (r.rule) return detectEpisodes(vix, r.rule);
    const f = r.fixed as { start: IsoDate; end: IsoDate };
    const inside = vix.filter((p) => p.date >= f.start && p.date <= f.end);
    if (inside.length === 0) return [];
    return [
      {
        start: inside[0]!.date,
        end: inside[inside.length - 1]!.date,
        days: inside.length,
        endReason: 'max-days',
        startVix: inside[0]!.vix,
        peakVix: Math.max(...inside.map((p) => p.vix)),
      },
    ];
  };
  const perRegime = VIX_SPIKE_REGIMES.map((r) => ({ r, episodes: episodesOf(r) }));
  const variants = seedVariants();
  const stats = perRegime.map(() => [] as VariantEpisodeStats[]);
  for (const v of variants) {
    log(`running ${v.label}`);
    const run = runVariant(w, v);
    perRegime.forEach(({ episodes }, k) => {
      stats[k]!.push(
        aggregateEpisodes(
          run,
          episodes.map((ep) => episodeOutcome(run, ep)),
          split,
          { iterations: w.iterations, seed: w.seed },
        ),
      );
    });
  }
  return {
    header: studyHeader(
      w,
      'vix-spikes',
      'How do ALVH and the rollback interact through VIX spikes: 17-18, 18 -> 25, above 25, 2020?',
      { regimes: VIX_SPIKE_REGIMES, presets: ['vixshield', 'seed'] },
      variants.length,
    ),
    regimes: perRegime.map(({ r, episodes }, k) => ({
      regime: r.name,
      ruleText: r.rule
        ? (describeEpisodeRule(r.rule).split(' Why:')[0] as string)
        : `fixed window ${r.fixed?.start} .. ${r.fixed?.end}`,
      episodes,
      variants: stats[k] as VariantEpisodeStats[],
    })),
    notes: [
      'Same 8 runs (4 variants x presets vixshield and seed) sliced by each regime; a day can belong to episodes of several regimes.',
      'The 17-18 rule is justified in study seed-vix-17-18; the other bands use the same shape (5 calm days before, an end one band lower, a cap of 20 or 40 trading days).',
    ],
  };
}

export function formatVixSpikes(r: VixSpikesReport): string {
  const lines = [formatHeader(r.header), ''];
  for (const g of r.regimes) {
    lines.push(`${g.regime}: ${g.episodes.length} episodes. ${g.ruleText}`);
    for (const s of g.variants)
      lines.push(
        `    ${s.label.padEnd(28)} mean ${intervalText(s.meanReturn).padEnd(44)} worst ${pctText(s.worstReturn, 2).padEnd(8)} worst DD ${pctText(s.worstMaxDrawdown, 2).padEnd(8)} hedge ${pctText(s.hedgePnlTotal, 2).padEnd(8)} rolled ${s.chainsRolled} (${s.chainsRecovered})`,
      );
    lines.push('');
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}
