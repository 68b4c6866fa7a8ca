import {
  AS_SENTENCE,
  InvalidInputError,
  PBO_DEFAULT_BLOCKS,
  type PeriodReturns,
  probabilityOfBacktestOverfitting,
} from '@vixshield/core';

/** The PBO of a sweep as reports print it: the estimate, its sample and why it may be missing. */
export interface SweepPbo {
  /** Share of CSCV combinations whose in-sample best ranks at or below the out-of-sample median. */
  readonly pbo: number | null;
  readonly sample: string;
  readonly variants: number;
  readonly distinctVariants: number | null;
  readonly periods: number;
  readonly periodsUsed: number | null;
  readonly blocksRequested: number;
  readonly blocks: number | null;
  readonly blockLength: number | null;
  readonly combinations: number | null;
  /** Mean logit of the out-of-sample relative rank of the in-sample best (> 0: above the median). */
  readonly meanLogit: number | null;
  /** Slope of OOS Sharpe on IS Sharpe of the in-sample best across combinations (< 1: degradation). */
  readonly degradationSlope: number | null;
  /** Share of combinations where the in-sample best lost money out of sample (Sharpe < 0). */
  readonly probabilityOfOosLoss: number | null;
  /** Why the PBO is missing, or why fewer blocks than requested were used. */
  readonly note: string | null;
  readonly method: string;
}

export const PBO_METHOD =
  'probability of backtest overfitting by CSCV (Bailey, Borwein, Lopez de Prado & Zhu 2015): the monthly returns of all variants are cut into S equal blocks (oldest months dropped to make them equal); for each of the C(S, S/2) choices of half the blocks, the variant with the best Sharpe on that half is ranked by Sharpe on the other half; PBO = share of choices where it ranks at or below the median (logit <= 0). Variants with identical monthly returns count once.';

export function parsePboBlocks(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= 2 && n <= 20 && n % 2 === 0))
    throw new InvalidInputError(
      `{pboBlocks} '${text}' must be an even integer from 2 to 20 (default 16)`,
      'pboBlocks',
      'pass an even integer from 2 to 20',
      AS_SENTENCE,
    );
  return n;
}

/**
 * PBO over per-variant monthly returns (all over the same periods). With fewer months than blocks,
 * S drops to the largest even number of months (blocks of one month), and the note says so; with
 * fewer than 4 months, or fewer than 2 distinct variants, the PBO is null with the reason.
 */
export function sweepPbo(
  series: readonly PeriodReturns[],
  requestedBlocks: number | undefined,
  sample: string,
): SweepPbo {
  const S0 = requestedBlocks ?? PBO_DEFAULT_BLOCKS;
  const first = series[0];
  const T = first?.returns.length ?? 0;
  for (const s of series) {
    if (s.periods.join() !== first?.periods.join())
      throw new Error('sweep results of one window have different months: cannot build the PBO matrix');
  }
  const base = {
    sample,
    variants: series.length,
    periods: T,
    blocksRequested: S0,
    method: PBO_METHOD,
  };
  const missing = (note: string): SweepPbo => ({
    ...base,
    pbo: null,
    distinctVariants: null,
    periodsUsed: null,
    blocks: null,
    blockLength: null,
    combinations: null,
    meanLogit: null,
    degradationSlope: null,
    probabilityOfOosLoss: null,
    note,
  });
  if (series.length < 2) return missing('one variant: nothing was selected');
  if (T < 4) return missing(`${T} monthly periods: CSCV needs at least 4 (two per half)`);
  const S = Math.min(S0, T - (T % 2));
  const r = probabilityOfBacktestOverfitting(
    series.map((s) => s.returns),
    { blocks: S },
  );
  if (!r) return missing('every variant has the same monthly returns: nothing was selected');
  const notes: string[] = [];
  if (S < S0) notes.push(`${S} blocks instead of ${S0}: only ${T} monthly periods`);
  if (r.periodsDropped > 0) notes.push(`the oldest ${r.periodsDropped} month(s) dropped for equal blocks`);
  return {
    ...base,
    pbo: r.pbo,
    distinctVariants: r.distinctVariants,
    periodsUsed: r.periodsUsed,
    blocks: r.blocks,
    blockLength: r.blockLength,
    combinations: r.combinations,
    meanLogit: r.meanLogit,
    degradationSlope: r.degradation?.slope ?? null,
    probabilityOfOosLoss: r.probabilityOfOosLoss,
    note: notes.length ? notes.join('; ') : null,
  };
}
