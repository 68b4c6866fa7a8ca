import { settlementInstantUtcMs, yearFraction } from '../../calendar/index';
import { InvalidInputError } from '../../domain/errors';
import { daysBetween, type IsoDate } from '../../domain/index';
import { buyFillDebit, type FillModel, sellFillCredit } from '../../execution/index';
import { type ChainSource, type OptionChain, strikeIndex } from '../../market/index';
import { normCdf } from '../../math/index';
import { impliedVolBsm } from '../../pricing/index';
import { type CboeDay, interpolatedMid, nextSpxMonthlyExpiry } from './replication';

/*
 * Replication of the Cboe S&P 500 Iron Condor Index (CNDR), after Cboe's published methodology
 * ("Cboe S&P 500 Iron Condor Index Methodology", v4.1, 2025-12-12; docs/decisions/0004-cboe-replication.md
 * quotes the rules):
 * - roll on the third Friday of each month (the preceding business day when it is a holiday): the
 *   expiring AM-settled SPX monthly options settle at the SOQ, then new one-month options are entered;
 * - sell the put with delta closest to -0.20 and the call with delta closest to 0.20, buy the put with
 *   delta closest to -0.05 and the call with delta closest to 0.05 (Black formula, inputs as of 11:00 ET);
 * - premiums at the mid of the last quote before 11:00 ET; one unit of each option;
 * - a Treasury bill account with initial cash equal to ten times the maximum possible loss
 *   max(K_longCall - K_shortCall, K_shortPut - K_longPut); premiums are reinvested; the account earns
 *   the 4-week T-bill rate, with no interest on the roll day;
 * - held to expiry (no management); marks at the mid of the last quote before 16:00 ET.
 *
 * Daily data only, so (as for BXM and PUT): the roll-day chain (a port) stands in for the 11:00 ET
 * quotes and its underlying is the 11:00 level; the expiring options settle at the SPX open of the
 * expiry day (SOQ stand-in); the account earns the session rate (3-month T-bill; Cboe: 4-week).
 * The index is the portfolio value chained across rolls: on each roll the number of condors is
 * n = account / (10 x max loss), so the new condors' maximum loss is 10% of the account.
 */

/** The rule constants of the CNDR methodology (named so a study can vary them). */
export interface CndrRules {
  /** |delta| of the short put and short call (0.20). */
  readonly shortDelta: number;
  /** |delta| of the long put and long call wings (0.05). */
  readonly wingDelta: number;
  /** Treasury bill account at each roll as a multiple of the maximum possible loss (10). */
  readonly collateralMultiple: number;
  /** Skip the account's interest for the interval ending on a roll day ("no interest on the roll day"). */
  readonly noInterestOnRollDay: boolean;
}

export const CNDR_RULES: CndrRules = {
  shortDelta: 0.2,
  wingDelta: 0.05,
  collateralMultiple: 10,
  noInterestOnRollDay: true,
};

/**
 * Black (1976) delta of an option on the forward F, discounted: call e^{-rT} N(d1), put -e^{-rT} N(-d1),
 * d1 = (ln(F/K) + sigma^2 T / 2) / (sigma sqrt(T)).
 */
export function blackDelta(call: boolean, F: number, K: number, T: number, r: number, sigma: number): number {
  if (!(F > 0 && K > 0 && T > 0 && sigma > 0 && Number.isFinite(r))) {
    throw new InvalidInputError(
      `blackDelta needs F, K, T, sigma > 0 (F ${F}, K ${K}, T ${T}, sigma ${sigma})`,
      'sigma',
      'positive inputs',
    );
  }
  const sd = sigma * Math.sqrt(T);
  const d1 = (Math.log(F / K) + 0.5 * sd * sd) / sd;
  const df = Math.exp(-r * T);
  return call ? df * normCdf(d1) : -df * normCdf(-d1);
}

/** Bid, ask and mid of one option, or undefined when the strike is missing or has no two-sided quote. */
export function legQuote(
  chain: OptionChain,
  strike: number,
  call: boolean,
): { bid: number; ask: number; mid: number } | undefined {
  const i = strikeIndex(chain, strike);
  if (i < 0) return undefined;
  const bid = (call ? chain.callBid : chain.putBid)[i]!;
  const ask = (call ? chain.callAsk : chain.putAsk)[i]!;
  if (!(Number.isFinite(bid) && Number.isFinite(ask) && bid >= 0 && ask > 0 && ask >= bid)) return undefined;
  return { bid, ask, mid: 0.5 * (bid + ask) };
}

export interface CndrStrikes {
  readonly shortPut: number;
  readonly longPut: number;
  readonly shortCall: number;
  readonly longCall: number;
}

export interface CndrSelection extends CndrStrikes {
  /** Black deltas of the chosen options (puts negative). */
  readonly deltas: CndrStrikes;
  /** Forward and years to settlement used for the deltas. */
  readonly forward: number;
  readonly t: number;
  /** How the choice departed from "closest delta" (a wing moved off the short strike), if it did. */
  readonly note?: string;
}

/**
 * The option whose |delta| is closest to `target`; on a tie the strike further out of the money (lower
 * for puts, higher for calls), a local convention: the methodology names none. `list` is not empty.
 */
export function closestByDelta<T extends { readonly k: number; readonly delta: number }>(
  list: readonly T[],
  target: number,
  call: boolean,
): T {
  let best = list[0]!;
  for (const o of list) {
    const d = Math.abs(Math.abs(o.delta) - target);
    const b = Math.abs(Math.abs(best.delta) - target);
    if (d < b || (d === b && (call ? o.k > best.k : o.k < best.k))) best = o;
  }
  return best;
}

/**
 * The four CNDR strikes of a chain: per side, the listed option with delta closest to the target
 * (ties go to the strike further out of the money, a local convention: the methodology names none).
 * Deltas by Black on the forward F = S e^{(r - q)T} with each option's implied vol (the chain's, or
 * solved from its mid). Only options with a two-sided quote count. A wing that lands on (or inside)
 * its short strike moves to the next listed strike further out, so each spread has a width.
 * undefined when a side has fewer than two usable strikes.
 */
export function cndrStrikes(
  chain: OptionChain,
  r: number,
  q: number,
  rules: Pick<CndrRules, 'shortDelta' | 'wingDelta'> = CNDR_RULES,
): CndrSelection | undefined {
  const t = yearFraction(chain.quoteTimeUtcMs, settlementInstantUtcMs(chain.expiry, chain.settlement));
  if (!(t > 0)) return undefined;
  const S = chain.underlying;
  const F = S * Math.exp((r - q) * t);
  const side = (call: boolean): Array<{ k: number; delta: number }> => {
    const out: Array<{ k: number; delta: number }> = [];
    const ivs = call ? chain.callIv : chain.putIv;
    for (let i = 0; i < chain.strikes.length; i++) {
      const k = chain.strikes[i]!;
      const qt = legQuote(chain, k, call);
      if (!qt) continue;
      let iv = ivs[i]!;
      if (!(Number.isFinite(iv) && iv > 0)) {
        const solved = impliedVolBsm({
          price: qt.mid,
          isCall: call,
          spot: S,
          strike: k,
          yearsToExpiry: t,
          riskFreeRate: r,
          dividendYield: q,
        });
        if (solved.status !== 'ok' || !(solved.iv! > 0)) continue;
        iv = solved.iv!;
      }
      out.push({ k, delta: blackDelta(call, F, k, t, r, iv) });
    }
    return out;
  };
  const puts = side(false);
  const calls = side(true);
  if (puts.length < 2 || calls.length < 2) return undefined;
  const sp = closestByDelta(puts, rules.shortDelta, false);
  let lp = closestByDelta(puts, rules.wingDelta, false);
  const sc = closestByDelta(calls, rules.shortDelta, true);
  let lc = closestByDelta(calls, rules.wingDelta, true);
  const notes: string[] = [];
  if (lp.k >= sp.k) {
    const further = puts.filter((o) => o.k < sp.k).at(-1);
    if (!further) return undefined;
    notes.push(`put wing ${lp.k} moved to ${further.k} (not below the short put ${sp.k})`);
    lp = further;
  }
  if (lc.k <= sc.k) {
    const further = calls.find((o) => o.k > sc.k);
    if (!further) return undefined;
    notes.push(`call wing ${lc.k} moved to ${further.k} (not above the short call ${sc.k})`);
    lc = further;
  }
  return {
    shortPut: sp.k,
    longPut: lp.k,
    shortCall: sc.k,
    longCall: lc.k,
    deltas: { shortPut: sp.delta, longPut: lp.delta, shortCall: sc.delta, longCall: lc.delta },
    forward: F,
    t,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

/** The methodology's maximum possible loss of one condor: max(call spread width, put spread width). */
export function cndrMaxLoss(k: CndrStrikes): number {
  return Math.max(k.longCall - k.shortCall, k.shortPut - k.longPut);
}

/** What one short condor pays at settlement level X (>= 0, at most cndrMaxLoss). */
export function cndrSettlementPayoff(k: CndrStrikes, x: number): number {
  const put = Math.max(0, k.shortPut - x) - Math.max(0, k.longPut - x);
  const call = Math.max(0, x - k.shortCall) - Math.max(0, x - k.longCall);
  return put + call;
}

export interface CndrReplicationOptions {
  /** Chains at the roll (11:00 ET stand-in): their underlying is the level the deltas use. */
  readonly rollChains: ChainSource;
  /** Chains at the daily mark (the close). */
  readonly markChains: ChainSource;
  /** Fill of each leg ('mid' is the methodology's price). */
  readonly fill: FillModel;
  /** Level of the output series on its first day. */
  readonly baseLevel: number;
  /** First day of the output series (default: the first day). */
  readonly from?: IsoDate;
  readonly rules?: CndrRules;
}

export interface CndrRoll {
  readonly date: IsoDate;
  readonly expiry: IsoDate;
  /** Index level of the roll chain (the 11:00 ET stand-in). */
  readonly reference: number;
  readonly strikes: CndrStrikes;
  readonly deltas: CndrStrikes;
  /** Per-leg prices at the fill (short legs sold, wings bought) and at the mid, index points. */
  readonly premiums: CndrStrikes;
  readonly premiumsMid: CndrStrikes;
  /** Net credit of one condor at the fill and at the mid. */
  readonly credit: number;
  readonly creditMid: number;
  /** Maximum possible loss of one condor (the wider spread), points. */
  readonly maxLoss: number;
  /** Condors held per point of the account before the sale: 1 / (collateralMultiple x maxLoss). */
  readonly condorsPerAccountPoint: number;
  /** The expiring condor's settlement level (expiry-day open) and payoff per condor; null on the first sale. */
  readonly settlementLevel: number | null;
  readonly settlementPayoff: number | null;
  readonly note?: string;
}

export interface CndrReplicationResult {
  readonly strategy: 'cboe-cndr';
  readonly levels: ReadonlyArray<{ readonly date: IsoDate; readonly level: number; readonly spx: number }>;
  readonly rolls: readonly CndrRoll[];
  readonly notes: ReadonlyArray<{ readonly date: IsoDate; readonly note: string }>;
  readonly assumptions: readonly string[];
}

interface OpenCondor {
  readonly expiry: IsoDate;
  readonly strikes: CndrStrikes;
  /** Liability of one condor at the last mark (short legs minus wings, mids), points. */
  mark: number;
}

/** Liability of one short condor at a chain's mids (off-grid legs by interpolated vol); undefined if a leg has none. */
export function condorMark(chain: OptionChain, k: CndrStrikes, r: number, q: number): number | undefined {
  const leg = (strike: number, call: boolean): number | undefined =>
    legQuote(chain, strike, call)?.mid ?? interpolatedMid(chain, strike, call, r, q);
  const sp = leg(k.shortPut, false);
  const lp = leg(k.longPut, false);
  const sc = leg(k.shortCall, true);
  const lc = leg(k.longCall, true);
  if (sp === undefined || lp === undefined || sc === undefined || lc === undefined) return undefined;
  return sp + sc - lp - lc;
}

/**
 * Replays the CNDR rules over `days` (ascending trading days). The first condor is sold on the first day
 * with a roll chain, then on every AM-settled SPX monthly expiry. Pure.
 *
 * State: a T-bill `account` (index points) and n condors short. Each day: accrue interest (not for the
 * interval ending on a roll day, by default), settle an expired condor at the day's open, sell the next
 * one when flat (n = account / (10 x max loss); the net credit goes to the account), mark at the close:
 * value = account - n x liability.
 */
export function runCndrReplication(
  days: readonly CboeDay[],
  opts: CndrReplicationOptions,
): CndrReplicationResult {
  if (!(opts.baseLevel > 0))
    throw new InvalidInputError('baseLevel must be positive', 'baseLevel', 'e.g. the index level');
  const rules = opts.rules ?? CNDR_RULES;
  if (!(rules.collateralMultiple > 0 && rules.shortDelta > rules.wingDelta && rules.wingDelta > 0)) {
    throw new InvalidInputError(
      'CNDR rules need collateralMultiple > 0 and shortDelta > wingDelta > 0',
      'rules',
      'e.g. 0.20, 0.05, 10',
    );
  }
  const rolls: CndrRoll[] = [];
  const notes: Array<{ date: IsoDate; note: string }> = [];
  const raw: Array<{ date: IsoDate; value: number; spx: number }> = [];
  let account = 1;
  let n = 0;
  let open: OpenCondor | null = null;
  let prev: CboeDay | null = null;

  for (const d of days) {
    if (!(d.close > 0)) throw new InvalidInputError(`${d.date}: close must be positive`, 'close', 'a close');
    const settles = open !== null && open.expiry <= d.date;
    if (prev !== null && !(settles && rules.noInterestOnRollDay)) {
      account *= Math.exp((prev.r * daysBetween(prev.date, d.date)) / 365);
    }
    let settlement: { level: number; payoff: number } | null = null;
    if (open !== null && settles) {
      const level = d.open ?? d.close;
      const payoff = cndrSettlementPayoff(open.strikes, level);
      if (open.expiry < d.date)
        notes.push({ date: d.date, note: `expiry ${open.expiry} has no data: settled at this open` });
      account -= n * payoff;
      n = 0;
      settlement = { level, payoff };
      open = null;
    }
    if (open === null) {
      const sold = sell(d);
      if (sold) {
        open = sold.open;
        rolls.push({
          ...sold.roll,
          settlementLevel: settlement?.level ?? null,
          settlementPayoff: settlement?.payoff ?? null,
        });
      } else notes.push({ date: d.date, note: 'no roll chain, strikes or quotes: the sale waits a day' });
    } else {
      const chain = opts.markChains.chain(d.date, open.expiry);
      const m = chain ? condorMark(chain, open.strikes, d.r, d.q) : undefined;
      if (m !== undefined) open.mark = m;
      else notes.push({ date: d.date, note: `no mark for the ${open.expiry} condor: last mark kept` });
    }
    const value = open === null ? account : account - n * open.mark;
    if (!Number.isFinite(value)) throw new InvalidInputError(`${d.date}: value is not finite`, 'value', '');
    raw.push({ date: d.date, value, spx: d.close });
    prev = d;
  }

  function sell(
    d: CboeDay,
  ): { open: OpenCondor; roll: Omit<CndrRoll, 'settlementLevel' | 'settlementPayoff'> } | null {
    const expiry = nextSpxMonthlyExpiry(d.date);
    const chain = opts.rollChains.chain(d.date, expiry);
    if (!chain) return null;
    const sel = cndrStrikes(chain, d.r, d.q, rules);
    if (!sel) return null;
    const q = {
      shortPut: legQuote(chain, sel.shortPut, false),
      longPut: legQuote(chain, sel.longPut, false),
      shortCall: legQuote(chain, sel.shortCall, true),
      longCall: legQuote(chain, sel.longCall, true),
    };
    if (!(q.shortPut && q.longPut && q.shortCall && q.longCall)) return null;
    const premiums: CndrStrikes = {
      shortPut: sellFillCredit(q.shortPut.mid, q.shortPut.bid, 1, opts.fill),
      shortCall: sellFillCredit(q.shortCall.mid, q.shortCall.bid, 1, opts.fill),
      longPut: buyFillDebit(q.longPut.mid, q.longPut.ask, 1, opts.fill),
      longCall: buyFillDebit(q.longCall.mid, q.longCall.ask, 1, opts.fill),
    };
    const premiumsMid: CndrStrikes = {
      shortPut: q.shortPut.mid,
      shortCall: q.shortCall.mid,
      longPut: q.longPut.mid,
      longCall: q.longCall.mid,
    };
    const credit = premiums.shortPut + premiums.shortCall - premiums.longPut - premiums.longCall;
    const creditMid =
      premiumsMid.shortPut + premiumsMid.shortCall - premiumsMid.longPut - premiumsMid.longCall;
    const strikes: CndrStrikes = {
      shortPut: sel.shortPut,
      longPut: sel.longPut,
      shortCall: sel.shortCall,
      longCall: sel.longCall,
    };
    const maxLoss = cndrMaxLoss(strikes);
    const perPoint = 1 / (rules.collateralMultiple * maxLoss);
    n = account * perPoint;
    account += n * credit;
    const markChain = opts.markChains.chain(d.date, expiry);
    const mark = (markChain ? condorMark(markChain, strikes, d.r, d.q) : undefined) ?? credit;
    return {
      open: { expiry, strikes, mark },
      roll: {
        date: d.date,
        expiry,
        reference: chain.underlying,
        strikes,
        deltas: sel.deltas,
        premiums,
        premiumsMid,
        credit,
        creditMid,
        maxLoss,
        condorsPerAccountPoint: perPoint,
        ...(sel.note ? { note: sel.note } : {}),
      },
    };
  }

  const start = opts.from === undefined ? 0 : raw.findIndex((x) => x.date >= opts.from!);
  const out = start < 0 ? [] : raw.slice(start);
  const first = out[0];
  const v0 = first?.value ?? 1;
  return {
    strategy: 'cboe-cndr',
    levels: out.map((x) => ({ date: x.date, level: opts.baseLevel * (x.value / v0), spx: x.spx })),
    rolls: first === undefined ? [] : rolls.filter((r) => r.expiry > first.date),
    notes: first === undefined ? [] : notes.filter((x) => x.date >= first.date),
    assumptions: cndrAssumptions(opts.fill, rules),
  };
}

export function cndrAssumptions(fill: FillModel, rules: CndrRules = CNDR_RULES): string[] {
  return [
    'CNDR (Cboe S&P 500 Iron Condor Index methodology v4.1): on each roll (third Friday, or the business day before it when closed) sell the one-month AM SPX put and call with Black delta closest to -/+' +
      `${rules.shortDelta.toFixed(2)} and buy those closest to -/+${rules.wingDelta.toFixed(2)}; hold to expiry; settle at the SOQ.`,
    `T-bill account = ${rules.collateralMultiple} x the maximum possible loss max(call width, put width) at each roll (condors per account point 1 / (${rules.collateralMultiple} x width)); net credit reinvested in the account.`,
    "The roll-day modelled chain quoted at 10:00 CT (11:00 ET) stands in for Cboe's last quotes before 11:00 ET; its underlying is the level the deltas use. Deltas: Black on F = S e^{(r-q)T} with each option's implied vol, discounted e^{-rT}; ties go to the strike further out of the money.",
    `Legs at ${fill.name === 'mid' ? 'the modelled mid (the methodology prices at the mid)' : `the ${fill.name} fill of the modelled quotes`}; marks at the modelled mid of the daily chain (15:10 CT); an off-grid strike is marked by BSM with the vol interpolated in strike.`,
    "The expiring condor settles at the SPX open of the expiry day (Cboe uses the SOQ from the constituents' opening prints).",
    `The account earns the session rate (3-month T-bill, continuous, ACT/365; Cboe: the 4-week T-bill)${rules.noInterestOnRollDay ? ', none for the interval ending on a roll day ("interest is not accumulated ... on the roll day")' : ''}.`,
    'No commissions or fees (the Cboe index has none).',
  ];
}
