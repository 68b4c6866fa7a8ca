import {
  AS_SENTENCE,
  BUSINESS_DAYS_PER_YEAR,
  businessTimeVix,
  chooseVixTerms,
  type IsoDate,
  ModelledChainSource,
  NotFoundError,
  type OptionChain,
  shortDatedBusinessYears,
  type VixIndexResult,
  vixFromChains,
} from '@vixshield/core';
import { type MarketData, type OneDayVix, oneDayVixAt, surfaceInputsAt } from '@vixshield/data';
import { requireDataDate } from './market';

/*
 * The Cboe VIX method (core market/vix-index.ts) on the modelled chains of one day at 15:10 CT (issue
 * 14): `days` 1 is the VIX1D calculation, `days` 30 the VIX itself (a consistency check against the
 * published VIX the surface is built from).
 *
 * One day: at 15:10 CT (16:10 ET) the day's own expiry has settled and, as Cboe says of VIX1D at its
 * close, the index is driven by the next session's expiry alone: the front term's total variance
 * annualised in business time as VIX1D is (one session = 1/252 year, businessTimeVix), no
 * interpolation. A Friday's term runs to Monday: in calendar minutes it would read sqrt(3) too low. 30 days: Cboe's 23-37 day term choice and
 * interpolation to 30 days.
 */

export interface ModelledVixResult {
  readonly date: IsoDate;
  readonly days: 1 | 30;
  readonly vix: number;
  readonly terms: VixIndexResult['terms'];
  /** The published close of the index being replicated, when the embedded data has it (VIX1D or VIX). */
  readonly published: number | null;
  /** The one-day vol the short-dated regime priced from ('VIX1D' real close, or 'model'). */
  readonly oneDayVix: OneDayVix | null;
  readonly rate: number;
  readonly note?: string;
}

export function modelledVix(
  md: MarketData,
  date: IsoDate,
  days: 1 | 30,
  quoteTimeCt = '15:10',
): ModelledVixResult {
  // a weekend, a holiday or a day outside the data is bad input (exit 2), named as the backtest names it
  const snap = md.byDate(requireDataDate(md, date, 'date'))!;
  if (!snap.rate)
    throw new NotFoundError(
      `{date}: no risk-free rate is known on ${date}`,
      'date',
      'pick a day the rate series covers',
      AS_SENTENCE,
    );
  const src = new ModelledChainSource({ inputs: (d) => surfaceInputsAt(md, d), quoteTimeCt, cacheSize: 64 });
  const expiries = src.expirations(date);
  if (expiries.length === 0) {
    throw new NotFoundError(
      `{date}: no modelled chains on ${date} (VIX, rate and dividend yield are needed)`,
      'date',
      'pick a day with VIX, rate and dividend data',
      AS_SENTENCE,
    );
  }
  const rate = snap.rate.r;
  const chainOf = (e: IsoDate): OptionChain => src.chain(date, e)!;
  const one = oneDayVixAt(md, date) ?? null;
  let res: VixIndexResult;
  let note: string | undefined;
  if (days === 1) {
    const front = chainOf(expiries[0]!);
    const r = vixFromChains({ chain: front, rate });
    const businessYears = shortDatedBusinessYears(date, front.quoteTimeUtcMs, front.expiry);
    res = { ...r, vix: businessTimeVix(r.terms[0]!, businessYears) };
    note =
      `front term only (${front.expiry}): the VIX1D at its close, annualised in business time ` +
      `(${sessionsText(businessYears * BUSINESS_DAYS_PER_YEAR)} / ${BUSINESS_DAYS_PER_YEAR})`;
  } else {
    const window = expiries.filter((e) => e <= addDaysIso(date, 45)).map(chainOf);
    const choice = chooseVixTerms(window, window[0]!.quoteTimeUtcMs);
    res = vixFromChains({ chain: choice.near, rate }, choice.next ? { chain: choice.next, rate } : undefined);
    note = [choice.note, res.note].filter((x): x is string => x !== undefined).join('; ') || undefined;
  }
  const published = days === 30 ? snap.vix : one?.source === 'VIX1D' ? one.value : null;
  return {
    date,
    days,
    vix: res.vix,
    terms: res.terms,
    published,
    oneDayVix: one,
    rate,
    ...(note ? { note } : {}),
  };
}

const sessionsText = (n: number): string => `${n.toFixed(2)} session${n === 1 ? '' : 's'}`;

function addDaysIso(d: IsoDate, n: number): IsoDate {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10) as IsoDate;
}
