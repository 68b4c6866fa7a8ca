import { settlementInstantUtcMs, spxMonthlyExpiry, yearFraction } from '../../calendar/index';
import { InvalidInputError } from '../../domain/errors';
import { daysBetween, type IsoDate } from '../../domain/index';
import { type FillModel, sellFillCredit } from '../../execution/index';
import { type ChainSource, type OptionChain, strikeIndex } from '../../market/index';
import { bsmPrice } from '../../pricing/index';

/*
 * Replications of two Cboe benchmark indices, after Cboe's published methodologies:
 * - BXM (S&P 500 BuyWrite): long the S&P 500 (total return), short one near-term SPX call per index
 *   unit, rolled on the AM-settled standard monthly expiry (usually the third Friday). The new call is
 *   struck at the lowest listed strike at or above the reference level (Cboe: the last S&P 500 value
 *   before 11:00 ET) and sold at the VWAP of 11:30-12:00 ET; the premium is reinvested in the index.
 * - PUT (S&P 500 PutWrite): a money-market account in T-bills, short N at-the-money SPX puts rolled on
 *   the same dates, N chosen so the account at expiry equals N x K (fully collateralised). The strike
 *   is the highest listed strike at or below the reference level; premium goes to the account.
 *
 * Daily data only, so: the roll-day chain (a port) stands in for the 11:30-12:00 ET VWAP and its
 * underlying is the reference level; the expiring option settles at the SPX open of the expiry day
 * (not the SOQ); the index earns its dividend yield q as a daily accrual (total return); the money
 * market earns the session rate. Marks at the daily chains' mid.
 */

export type CboeStrategyId = 'cboe-bxm' | 'cboe-put' | 'cboe-cndr';
export const CBOE_STRATEGIES: readonly CboeStrategyId[] = ['cboe-bxm', 'cboe-put', 'cboe-cndr'];
/** The single-option replications of runCboeReplication (CNDR has its own runner, condor.ts). */
export type CboeSingleOptionId = Exclude<CboeStrategyId, 'cboe-cndr'>;

export function isCboeStrategy(s: string): s is CboeStrategyId {
  return (CBOE_STRATEGIES as readonly string[]).includes(s);
}

/** One trading day of inputs. r and q continuously compounded, per year (ACT/365). */
export interface CboeDay {
  readonly date: IsoDate;
  /** SPX open (approximates the SOQ of an AM settlement that day); null when unknown. */
  readonly open: number | null;
  readonly close: number;
  readonly r: number;
  readonly q: number;
}

export interface CboeReplicationOptions {
  readonly strategy: CboeSingleOptionId;
  /** Chains at the roll (the sale): their underlying is the reference level of the strike rule. */
  readonly rollChains: ChainSource;
  /** Chains at the daily mark (the close). */
  readonly markChains: ChainSource;
  /** Fill of the sale ('mid' reproduces the index convention of a mid-like VWAP). */
  readonly fill: FillModel;
  /** Level of the output series on its first day (e.g. the real BXM that day). */
  readonly baseLevel: number;
  /** First day of the output series (default: the first day). Days before it only warm the position up. */
  readonly from?: IsoDate;
}

export interface CboeRoll {
  readonly date: IsoDate;
  readonly expiry: IsoDate;
  /** Reference index level of the strike rule (the roll chain's underlying). */
  readonly reference: number;
  readonly strike: number;
  /** Premium at the fill and at the mid, index points per option. */
  readonly premium: number;
  readonly premiumMid: number;
  /** Options per index unit (BXM: 1) or per point of the T-bill account before the premium (PUT). */
  readonly optionsPerUnit: number;
  /** The expiring option's settlement level (the expiry day's open) and payoff, points; null on the first sale. */
  readonly settlementLevel: number | null;
  readonly settlementPayoff: number | null;
}

export interface CboeLevel {
  readonly date: IsoDate;
  readonly level: number;
  readonly spx: number;
}

export interface CboeReplicationResult {
  readonly strategy: CboeSingleOptionId;
  readonly levels: readonly CboeLevel[];
  readonly rolls: readonly CboeRoll[];
  /** Days when a mark was missing (the last mark was kept) or a roll was delayed, and why. */
  readonly notes: ReadonlyArray<{ readonly date: IsoDate; readonly note: string }>;
  readonly assumptions: readonly string[];
}

interface Short {
  readonly expiry: IsoDate;
  readonly strike: number;
  mark: number; // index points, mid at the last close
}

const isCall = (s: CboeSingleOptionId) => s === 'cboe-bxm';

/** The next AM-settled SPX monthly expiry strictly after `date`. */
export function nextSpxMonthlyExpiry(date: IsoDate): IsoDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const here = spxMonthlyExpiry(y, m);
  if (here > date) return here;
  return m === 12 ? spxMonthlyExpiry(y + 1, 1) : spxMonthlyExpiry(y, m + 1);
}

/** BXM: the lowest strike >= reference; PUT: the highest strike <= reference. undefined if none. */
export function cboeStrike(strikes: ArrayLike<number>, reference: number, call: boolean): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < strikes.length; i++) {
    const k = strikes[i]!;
    if (
      call
        ? k >= reference && (best === undefined || k < best)
        : k <= reference && (best === undefined || k > best)
    )
      best = k;
  }
  return best;
}

/** Mid and bid of one option in a chain, or undefined when the strike is missing or unquoted. */
export function optionQuote(
  chain: OptionChain,
  strike: number,
  call: boolean,
): { mid: number; bid: number } | undefined {
  const i = strikeIndex(chain, strike);
  if (i < 0) return undefined;
  const bid = (call ? chain.callBid : chain.putBid)[i]!;
  const ask = (call ? chain.callAsk : chain.putAsk)[i]!;
  if (!(Number.isFinite(bid) && Number.isFinite(ask)) || ask < bid) return undefined;
  return { mid: (bid + ask) / 2, bid };
}

/**
 * Model mid of a strike the chain does not list (the modelled grid thins to 25-point steps away from
 * spot, so a sold strike can fall off it as the index moves): BSM at the chain's underlying and quote
 * instant with the implied vol interpolated linearly in strike between the listed neighbours (flat
 * beyond the ends). r and q are the day's rates. undefined when the chain has no usable vols.
 */
export function interpolatedMid(
  chain: OptionChain,
  strike: number,
  call: boolean,
  r: number,
  q: number,
): number | undefined {
  const ks = chain.strikes;
  const iv = call ? chain.callIv : chain.putIv;
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < ks.length; i++) {
    if (!Number.isFinite(iv[i]!)) continue;
    if (ks[i]! <= strike) lo = i;
    if (ks[i]! >= strike && hi < 0) hi = i;
  }
  if (lo < 0 && hi < 0) return undefined;
  let vol: number;
  if (lo < 0) vol = iv[hi]!;
  else if (hi < 0 || hi === lo) vol = iv[lo]!;
  else {
    const w = (strike - ks[lo]!) / (ks[hi]! - ks[lo]!);
    vol = iv[lo]! + w * (iv[hi]! - iv[lo]!);
  }
  const t = yearFraction(chain.quoteTimeUtcMs, settlementInstantUtcMs(chain.expiry, chain.settlement));
  if (!(t > 0 && vol > 0)) return undefined;
  return bsmPrice({
    isCall: call,
    spot: chain.underlying,
    strike,
    yearsToExpiry: t,
    riskFreeRate: r,
    dividendYield: q,
    vol,
  });
}

/**
 * Replays a Cboe BXM or PUT replication over `days` (ascending trading days). The first sale happens on
 * the first day with a roll chain, then on every AM-settled SPX monthly expiry. Pure.
 *
 * State: BXM holds `units` of the index and is short `options` calls (= units at each sale); PUT holds
 * a T-bill `account` and is short `options` puts. Each day: accrue (dividends reinvested in the index / interest),
 * settle an expired option at the day's open, sell the next one when flat, mark at the close.
 */
export function runCboeReplication(
  days: readonly CboeDay[],
  opts: CboeReplicationOptions,
): CboeReplicationResult {
  if (!(opts.baseLevel > 0))
    throw new InvalidInputError('baseLevel must be positive', 'baseLevel', 'e.g. the BXM level');
  if ((opts.strategy as string) === 'cboe-cndr')
    throw new InvalidInputError('cboe-cndr has its own runner', 'strategy', 'use runCndrReplication');
  const call = isCall(opts.strategy);
  const rolls: CboeRoll[] = [];
  const notes: Array<{ date: IsoDate; note: string }> = [];
  const raw: Array<{ date: IsoDate; value: number; spx: number }> = [];
  let units = 1; // BXM: index units held
  let account = 1; // PUT: T-bill account, index points
  let options = 0; // options short (calls per BXM, puts per PUT)
  let short: Short | null = null;
  let prev: CboeDay | null = null;

  for (const d of days) {
    if (!(d.close > 0)) throw new InvalidInputError(`${d.date}: close must be positive`, 'close', 'a close');
    if (prev !== null) {
      const dt = daysBetween(prev.date, d.date);
      if (call) units *= Math.exp((prev.q * dt) / 365);
      else account *= Math.exp((prev.r * dt) / 365);
    }
    let settlement: { level: number; payoff: number } | null = null;
    if (short !== null && short.expiry <= d.date) {
      const level = d.open ?? d.close;
      const payoff = call ? Math.max(0, level - short.strike) : Math.max(0, short.strike - level);
      if (short.expiry < d.date)
        notes.push({ date: d.date, note: `expiry ${short.expiry} has no data: settled at this open` });
      if (call)
        units -= (options * payoff) / level; // paid out of the index at the settlement
      else account -= options * payoff;
      options = 0;
      settlement = { level, payoff };
      short = null;
    }
    if (short === null) {
      const sold = sell(d);
      if (sold) {
        short = sold.short;
        rolls.push({
          ...sold.roll,
          settlementLevel: settlement?.level ?? null,
          settlementPayoff: settlement?.payoff ?? null,
        });
      } else notes.push({ date: d.date, note: 'no roll chain, strike or quote: the sale waits a day' });
    } else {
      const chain = opts.markChains.chain(d.date, short.expiry);
      const q = chain ? optionQuote(chain, short.strike, call) : undefined;
      const mid = q?.mid ?? (chain ? interpolatedMid(chain, short.strike, call, d.r, d.q) : undefined);
      if (mid !== undefined) short.mark = mid;
      else notes.push({ date: d.date, note: `no mark for ${short.expiry} ${short.strike}: last mark kept` });
    }
    const mark = short === null ? 0 : short.mark;
    const value = call ? units * d.close - options * mark : account - options * mark;
    if (!Number.isFinite(value)) throw new InvalidInputError(`${d.date}: value is not finite`, 'value', '');
    raw.push({ date: d.date, value, spx: d.close });
    prev = d;
  }

  function sell(
    d: CboeDay,
  ): { short: Short; roll: Omit<CboeRoll, 'settlementLevel' | 'settlementPayoff'> } | null {
    const expiry = nextSpxMonthlyExpiry(d.date);
    const chain = opts.rollChains.chain(d.date, expiry);
    if (!chain) return null;
    const reference = chain.underlying;
    const strike = cboeStrike(chain.strikes, reference, call);
    if (strike === undefined) return null;
    const q = optionQuote(chain, strike, call);
    if (!q) return null;
    const premium = sellFillCredit(q.mid, q.bid, 1, opts.fill);
    let perUnit: number;
    if (call) {
      // Value units x reference becomes units' x (reference - premium): one call per index unit.
      units = (units * reference) / (reference - premium);
      options = units;
      perUnit = 1;
    } else {
      // Fully collateralised: (account + N premium) x growth to expiry = N x strike.
      const g = Math.exp((d.r * daysBetween(d.date, expiry)) / 365);
      options = (account * g) / (strike - premium * g);
      perUnit = options / account;
      account += options * premium;
    }
    // Marked at the close by the day's mark chain when it has the option, else at the sale price.
    const markChain = opts.markChains.chain(d.date, expiry);
    const mq = markChain ? optionQuote(markChain, strike, call) : undefined;
    const markMid = mq?.mid ?? (markChain ? interpolatedMid(markChain, strike, call, d.r, d.q) : undefined);
    return {
      short: { expiry, strike, mark: markMid ?? premium },
      roll: { date: d.date, expiry, reference, strike, premium, premiumMid: q.mid, optionsPerUnit: perUnit },
    };
  }

  const start = opts.from === undefined ? 0 : raw.findIndex((x) => x.date >= opts.from!);
  const out = start < 0 ? [] : raw.slice(start);
  const first = out[0];
  const v0 = first?.value ?? 1;
  return {
    strategy: opts.strategy,
    levels: out.map((x) => ({ date: x.date, level: opts.baseLevel * (x.value / v0), spx: x.spx })),
    rolls: first === undefined ? [] : rolls.filter((r) => r.expiry > first.date),
    notes: first === undefined ? [] : notes.filter((n) => n.date >= first.date),
    assumptions: cboeAssumptions(opts),
  };
}

export function cboeAssumptions(opts: Pick<CboeReplicationOptions, 'strategy' | 'fill'>): string[] {
  const common = [
    'Rolls on the AM-settled SPX standard monthly expiry (third Friday, or the trading day before it when closed).',
    "The expiring option settles at the SPX open of the expiry day (Cboe uses the SOQ from the constituents' opening prints).",
    "The new option is priced on the roll day's modelled chain (vixshield surface) standing in for Cboe's 11:30-12:00 ET VWAP; its underlying is the reference level of the strike rule (Cboe: the last S&P 500 value before 11:00 ET).",
    `Sale at ${opts.fill.name === 'mid' ? 'the modelled mid' : `the ${opts.fill.name} fill of the modelled quote`}; marks at the modelled mid of the daily chain (15:10 CT); a strike off the modelled grid is marked by BSM with the vol interpolated in strike.`,
    'No commissions or fees (the Cboe indices have none).',
  ];
  return opts.strategy === 'cboe-bxm'
    ? [
        ...common,
        'BXM: short one call per index unit, strike = the lowest listed strike at or above the reference level; premium reinvested in the index.',
        'Total return: the index accrues its dividend yield q daily (continuous, ACT/365), reinvested in the index.',
      ]
    : [
        ...common,
        'PUT: short N puts, strike = the highest listed strike at or below the reference level; N such that the T-bill account at expiry equals N x K.',
        'The account earns the session rate (3-month T-bill, continuous, ACT/365); Cboe uses 1- and 3-month T-bills.',
      ];
}
