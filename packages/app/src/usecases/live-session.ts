import {
  type BacktestSession,
  chooseVixTerms,
  constantMaturityVolFromChains,
  type DailySignal,
  eventsOn,
  formatUtcIso,
  holidaysBeforeNextSession,
  InvalidInputError,
  type IsoDate,
  type MarketSnapshot,
  MINUTES_9_DAYS,
  modelOneDayVix,
  modelOneDayVixFromVix,
  NotFoundError,
  nineDayTradingDays,
  type OptionChain,
  previousTradingDay,
  rateAt,
  sessionsFromSnapshots,
  settlementInstantUtcMs,
  vixFromChains,
} from '@vixshield/core';
import { type MarketData, nextSessionReleasesAt, ONE_DAY_REALIZED_RETURNS } from '@vixshield/data';
import type { UsedSnapshot } from './snapshot-chains';

/*
 * The live session (issue 13): at 15:10 CT of day D the day's daily row (SPX close, VIX close) does
 * not exist yet (Cboe and FRED publish it in the evening), so the engine's session of D is built from
 * what is known at the chain snapshot's quote instant:
 *
 * - SPX  = the snapshot's underlying (Cboe `_SPX.json`: `data.current_price`, the index at publication
 *          less the 15-minute delay; Tradier: the SPX quote's `last`; file: the layout's underlying);
 * - VIX  = Cboe's VIX method on the snapshot's own SPX/SPXW quotes (market/vix-index.ts: the two
 *          expiries bracketing 30 days; where the chain has none, chooseVixTerms' fallback and its note);
 * - VIX9D = the same method at 9 days where two expiries bracket 9 days, else null with the reason;
 * - one-day vol (short-dated model, market/one-day-variance.ts) = the model on that VIX9D, the
 *          realised vol of the 5 daily close-to-close returns up to D-1 and the next session's events;
 * - rate = the last DGS3MO/DFF observation before D (as the daily builder); dividend yield = D-1's;
 *   events of D from the event files;
 * - HV20, VIX 5-day average and z-score: the daily closes up to D-1 plus the live values of D.
 *
 * Nothing dated D or later in the daily series is read: the series are cut at D before anything is
 * built (a test poisons them and checks the decision is unchanged).
 */

/** What the live session of a day reads, with each value's origin (stated in the signal). */
export type LiveSessionInfo = NonNullable<DailySignal['liveSession']>;

export interface LiveSession {
  readonly session: BacktestSession;
  /** The daily snapshots up to D-1 plus D's live one: the market data the engine's ports may read. */
  readonly market: MarketData;
  readonly info: LiveSessionInfo;
}

const SPX_FIELD: Record<string, string> = {
  cboe: 'Cboe _SPX.json data.current_price',
  tradier: 'Tradier quotes?symbols=SPX last',
  file: "the chain file's underlying price",
};

/** Realised vol (annualised, 252, percent) of the last 5 daily close-to-close returns of `closes`. */
function realizedVol5Pct(closes: readonly number[]): number | null {
  if (closes.length < ONE_DAY_REALIZED_RETURNS + 1) return null;
  let sum = 0;
  for (let k = closes.length - ONE_DAY_REALIZED_RETURNS; k < closes.length; k++) {
    const r = Math.log(closes[k]! / closes[k - 1]!);
    sum += r * r;
  }
  return 100 * Math.sqrt((sum / ONE_DAY_REALIZED_RETURNS) * 252);
}

/**
 * D's session from the chain snapshot `used` (its chains `chains`) and the daily data before D. Throws
 * a NotFoundError naming what to run when the daily data does not reach D-1.
 */
export function buildLiveSession(
  md: MarketData,
  date: IsoDate,
  chains: readonly OptionChain[],
  used: UsedSnapshot,
  opts: { timeCt: string; zLookbackDays: number },
): LiveSession {
  const before = md.snapshots.filter((s) => s.date < date);
  const prev = before.at(-1);
  const prevDay = previousTradingDay(date);
  if (!prev || prev.date !== prevDay) {
    throw new NotFoundError(
      `signal ${date}: the live session needs the daily rows up to the previous session ${prevDay}, ` +
        `but the data ends ${prev?.date ?? 'before it'}: run 'vixshield data update'`,
      'date',
      'bring the data up to date (vixshield data update) and take a chain snapshot',
      { hintInMessage: true },
    );
  }
  const cut = <T extends { date: IsoDate }>(xs: readonly T[]) => xs.filter((x) => x.date < date);
  const rate = rateAt(date, cut(md.data.dgs3mo), cut(md.data.dff));
  if (!rate)
    throw new NotFoundError(
      `signal ${date}: no risk-free rate known before ${date}: run 'vixshield data update'`,
      'date',
      'bring the data up to date (vixshield data update) and take a chain snapshot',
      { hintInMessage: true },
    );
  const dividendYield = prev.dividendYield;
  if (!dividendYield)
    throw new NotFoundError(
      `signal ${date}: no dividend yield known on ${prev.date}`,
      'date',
      'bring the data up to date (vixshield data update) and take a chain snapshot',
      { hintInMessage: true },
    );
  const fomc = new Set<string>(md.data.fomc);
  const cpi = new Set<string>(md.data.cpi);
  const ppi = new Set<string>(md.data.ppi);
  const payrolls = new Set<string>(md.data.payrolls);
  const coverage = md.data.eventCoverage;

  // VIX by Cboe's method from the snapshot's own quotes, at its rate.
  const quoteUtcMs = used.quoteUtcMs;
  const live = chains.filter(
    (c) => settlementInstantUtcMs(c.expiry, c.settlement) > quoteUtcMs && c.quoteTimeUtcMs === quoteUtcMs,
  );
  if (live.length === 0)
    throw new NotFoundError(
      `signal ${date}: the snapshot has no unexpired chain quoted at ${used.quoteTimeEt}`,
      'date',
      'bring the data up to date (vixshield data update) and take a chain snapshot',
      { hintInMessage: true },
    );
  let vix: LiveSessionInfo['vix'];
  try {
    const choice = chooseVixTerms(live, quoteUtcMs);
    const res = vixFromChains(
      { chain: choice.near, rate: rate.r },
      choice.next ? { chain: choice.next, rate: rate.r } : undefined,
    );
    const note = [choice.note, res.note].filter((x): x is string => x !== undefined).join('; ');
    vix = {
      value: res.vix,
      method: `Cboe VIX method (30-day) on the snapshot's SPX/SPXW quotes at ${used.quoteTimeEt}`,
      terms: res.terms.map((t) => ({ expiry: t.expiry, days: t.minutesToExpiry / 1440 })),
      ...(note ? { note } : {}),
    };
  } catch (err) {
    if (err instanceof InvalidInputError)
      throw new NotFoundError(
        `signal ${date}: the VIX cannot be computed from the snapshot: ${err.message}`,
        'date',
        'bring the data up to date (vixshield data update) and take a chain snapshot',
        { hintInMessage: true },
      );
    throw err;
  }
  const nine = constantMaturityVolFromChains(live, rate.r, MINUTES_9_DAYS);
  const vix9d: LiveSessionInfo['vix9d'] =
    nine.value === null ? { value: null, reason: nine.reason } : { value: nine.value };

  // One-day vol: the model's inputs at D (VIX9D of the snapshot, RV5 from the closes up to D-1).
  const rv5 = realizedVol5Pct(before.map((s) => s.spx.close));
  const shared =
    rv5 === null
      ? null
      : {
          realizedVol5Pct: rv5,
          nineDayTradingDays: nineDayTradingDays(date),
          // the same next-session releases as a replay reads (scheduled FOMC, BLS payrolls calendar)
          ...nextSessionReleasesAt(md, date),
          holidaysBeforeNextSession: holidaysBeforeNextSession(date),
        };
  const oneDayVix: LiveSessionInfo['oneDayVix'] =
    shared === null
      ? { value: null, source: 'none: fewer than 6 daily closes before the day' }
      : vix9d.value !== null
        ? {
            value: modelOneDayVix({ ...shared, vix9d: vix9d.value }),
            source:
              'one-day variance model: snapshot VIX9D, RV5 of the daily closes up to the previous session',
          }
        : {
            value: modelOneDayVixFromVix({ ...shared, vix: vix.value }),
            source: `one-day variance model on the snapshot VIX (no VIX9D from the snapshot: ${vix9d.reason}), RV5 of the daily closes up to the previous session`,
          };

  const liveSnapshot: MarketSnapshot = {
    date,
    spx: { open: null, high: null, low: null, close: used.underlyingPrice, closeOnly: true },
    vix: vix.value,
    vix9d: vix9d.value,
    vix3m: null,
    vix6m: null,
    vix1y: null,
    vvix: null,
    skew: null,
    vixFutures: null,
    rate,
    dividendYield,
    events: eventsOn(date, fomc, cpi, ppi, payrolls, coverage),
  };
  const snapshots = [...before, liveSnapshot];
  const { sessions, skipped } = sessionsFromSnapshots(snapshots, opts);
  const session = sessions.at(-1);
  if (!session || session.date !== date)
    throw new NotFoundError(
      `signal ${date}: no live session: ${skipped.find((s) => s.date === date)?.reason ?? 'unknown'}`,
      'date',
      'bring the data up to date (vixshield data update) and take a chain snapshot',
      { hintInMessage: true },
    );
  const byDate = new Map(snapshots.map((s) => [s.date as string, s]));
  const market: MarketData = { ...md, snapshots, byDate: (d) => byDate.get(d) };
  return {
    session,
    market,
    info: {
      quoteTime: formatUtcIso(quoteUtcMs),
      quoteTimeEt: used.quoteTimeEt,
      provider: used.provider,
      delaySeconds: used.delaySeconds,
      lastDailyRow: prev.date,
      spx: { value: used.underlyingPrice, source: SPX_FIELD[used.provider] ?? `${used.provider} underlying` },
      vix,
      vix9d,
      oneDayVix,
      rate: { r: rate.r, source: `${rate.source} ${rate.quotedPct}%`, asOf: rate.asOf },
      dividendYield: { q: dividendYield.q, asOf: dividendYield.asOf },
    },
  };
}
