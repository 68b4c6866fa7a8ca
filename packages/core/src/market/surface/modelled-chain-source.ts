import {
  entryInstantUtcMs,
  expirationsListedOnExpiry,
  isTradingDay,
  type ListingHorizon,
  listedExpiryDatesOn,
  session,
  settlementInstantUtcMs,
  yearFraction,
} from '../../calendar/index';
import { InvalidInputError } from '../../domain/errors';
import type { IsoDate } from '../../domain/index';
import { bsmGreeksBatch } from '../../pricing/batch';
import { type ChainSource, type OptionChain, type PriceSource, quoteFlags } from '../chain';
import {
  type ExpiryRegime,
  expiryRegime,
  expiryVolFn,
  NON_TRADING_DAY_VARIANCE_WEIGHT,
  shortRegimePrices,
  varianceTimeRatio,
} from './expiry-vol';
import type { LongTenorParams } from './long-tenor';
import {
  CALIBRATED_SHORT_DATED_PARAMS,
  type ShortDatedParams,
  validateShortDatedParams,
} from './short-dated';
import { CALIBRATED_SPREAD_PARAMS, quoteAround, type SpreadParams } from './spread';
import {
  buildVolSurface,
  CALIBRATED_SURFACE_PARAMS,
  SURFACE_MODEL_NAME,
  SURFACE_MODEL_VERSION,
  type SurfaceParams,
  type VolSurface,
} from './surface';
import type { SurfaceInputs } from './term-structure';

/*
 * Modelled SPX chains from the VIX-family surface, for dates without a real chain.
 *
 * Strike grid (like the listed SPX grid): 5-point strikes where |ln(K/S)| <= nearSd * sigma_atm sqrt(T)
 * (at least nearMinPoints, at most nearMaxFraction * S either side of spot), 25-point strikes out to
 * rangeSd * sigma_atm sqrt(T) (at least rangeMinPoints, at most rangeMaxFraction * S). Defaults nearSd 3,
 * rangeSd 6, 50 and 100 points, 8% and 50% of spot. In 2018 the listed
 * 5-point band of a 30-day EOM expiry ran from about -20% to +7% of spot; the modelled band is
 * symmetric in log-moneyness and narrower on the put side, which covers every strike the iron-condor
 * rules look at (|delta| >= about 0.01).
 *
 * Mid = BSM(S, K, T, r, q, sigma_surface(K, T) x sqrt(variance-time ratio)); bid/ask from the spread
 * model on the SPX tick grid. The ratio (varianceTimeRatio) moves variance from weekends to trading days.
 * T = yearFraction(quote instant, settlement instant): 15:10 America/Chicago of asOf by default (capped
 * at the options close on early-close days), to
 * 16:00 New York of the expiry (PM, SPXW) or its 09:30 open (AM, SPX monthly when no SPXW that day).
 */

/** SPX options trade until 15 minutes after the cash close. */
export const OPTIONS_CLOSE_AFTER_CASH_MS = 15 * 60_000;

export interface StrikeGridRule {
  readonly nearStep: number;
  readonly farStep: number;
  readonly nearSd: number;
  readonly rangeSd: number;
  readonly nearMinPoints: number;
  readonly rangeMinPoints: number;
  /** Caps: the 5-point band and the whole range never extend further than these fractions of spot. */
  readonly nearMaxFraction: number;
  readonly rangeMaxFraction: number;
}

export const DEFAULT_STRIKE_GRID: StrikeGridRule = {
  nearStep: 5,
  farStep: 25,
  nearSd: 3,
  rangeSd: 6,
  nearMinPoints: 50,
  rangeMinPoints: 100,
  nearMaxFraction: 0.08,
  rangeMaxFraction: 0.5,
};

export interface ModelledChainSourceOptions {
  /** Surface inputs known at `asOf` (closes of that day), or undefined when there are none. */
  readonly inputs: (asOf: IsoDate) => SurfaceInputs | undefined;
  readonly params?: SurfaceParams;
  /** The one-month-and-longer regime (default CALIBRATED_LONG_TENOR_PARAMS; null: none, as before issue 14). */
  readonly longTenor?: LongTenorParams | null;
  readonly spread?: SpreadParams;
  readonly grid?: StrikeGridRule;
  /** Quote time, America/Chicago, 'HH:MM' (default '15:10', the methodology's entry). */
  readonly quoteTimeCt?: string;
  readonly listingHorizon?: Partial<ListingHorizon>;
  /**
   * Max chains (and day surfaces, listings) kept in the cache, oldest dropped first. Default 64: a
   * replay asks for a day's chains on that day only, so a large cache just keeps garbage alive (the
   * GC cost of 2048 was a third of the replay). Sweeps that replay many configurations on the same days
   * pass a cache large enough for the whole window and share the source.
   */
  readonly cacheSize?: number;
  /**
   * Variance carried by a non-trading calendar day relative to a trading day (weekends, holidays).
   * Default NON_TRADING_DAY_VARIANCE_WEIGHT; null prices in plain calendar time.
   */
  readonly nonTradingDayVarianceWeight?: number | null;
  /**
   * Which series to serve on a day when both settle (a third Friday with an SPXW PM monthly): 'SPXW'
   * (default, the PM series) or 'SPX' (the AM-settled standard monthly, e.g. for Cboe's BXM and PUT).
   */
  readonly sameDaySeries?: 'SPX' | 'SPXW';
  /**
   * The short-dated regime (short-dated.ts): expiries up to maxTradingDays sessions out priced from the
   * day's one-day vol when the inputs carry one. Default CALIBRATED_SHORT_DATED_PARAMS; null: off
   * (surface model 1.1.0).
   */
  readonly shortDated?: ShortDatedParams | null;
}

/** Strikes of the modelled grid for spot S and ATM standard deviation sd = sigma_atm sqrt(T). */
export function modelledStrikeGrid(
  spot: number,
  sd: number,
  rule: StrikeGridRule = DEFAULT_STRIKE_GRID,
): number[] {
  const nearCap = spot * rule.nearMaxFraction;
  const rangeCap = spot * rule.rangeMaxFraction;
  const nearDown = Math.max(rule.nearMinPoints, Math.min(nearCap, spot * (1 - Math.exp(-rule.nearSd * sd))));
  const nearUp = Math.max(rule.nearMinPoints, Math.min(nearCap, spot * (Math.exp(rule.nearSd * sd) - 1)));
  const rangeDown = Math.max(
    rule.rangeMinPoints,
    Math.min(rangeCap, spot * (1 - Math.exp(-rule.rangeSd * sd))),
    nearDown,
  );
  const rangeUp = Math.max(
    rule.rangeMinPoints,
    Math.min(rangeCap, spot * (Math.exp(rule.rangeSd * sd) - 1)),
    nearUp,
  );
  const f = rule.farStep;
  const n = rule.nearStep;
  const nearStart = Math.max(n, Math.ceil((spot - nearDown) / n) * n);
  const nearEnd = Math.floor((spot + nearUp) / n) * n;
  const out: number[] = [];
  for (let k = Math.max(f, Math.ceil((spot - rangeDown) / f) * f); k < nearStart; k += f) out.push(k);
  for (let k = nearStart; k <= nearEnd; k += n) out.push(k);
  for (let k = (Math.floor(nearEnd / f) + 1) * f; k <= spot + rangeUp; k += f) out.push(k);
  return out;
}

/** Reusable batch-pricing buffers (chains are built one at a time; nothing keeps a reference). */
interface PricingScratch {
  readonly isCall: Uint8Array;
  readonly S: Float64Array;
  readonly K: Float64Array;
  readonly T: Float64Array;
  readonly R: Float64Array;
  readonly Q: Float64Array;
  readonly sigma: Float64Array;
  readonly price: Float64Array;
  readonly scratch: Float64Array;
}

let sharedScratch: PricingScratch | undefined;

function pricingScratch(m: number): PricingScratch {
  if (!sharedScratch || sharedScratch.S.length < m) {
    const size = Math.max(m, 2 * (sharedScratch?.S.length ?? 256));
    const f = () => new Float64Array(size);
    sharedScratch = {
      isCall: new Uint8Array(size),
      S: f(),
      K: f(),
      T: f(),
      R: f(),
      Q: f(),
      sigma: f(),
      price: f(),
      scratch: f(),
    };
  }
  return sharedScratch;
}

export class ModelledChainSource implements ChainSource {
  readonly pricesSource = 'modelled' as const;
  private readonly params: SurfaceParams;
  private readonly spread: SpreadParams;
  /** The short regime this source prices 0-2 session expiries with (null: the term structure). */
  readonly shortDated: ShortDatedParams | null;
  private readonly grid: StrikeGridRule;
  private readonly quoteTimeCt: string;
  private readonly horizon: Partial<ListingHorizon>;
  private readonly cacheSize: number;
  private readonly chains = new Map<string, OptionChain | undefined>();
  private readonly surfaces = new Map<string, { surface: VolSurface; source: PriceSource } | undefined>();
  private readonly listed = new Map<string, readonly IsoDate[]>();
  /** The expiry dates listed on `asOf` (listedExpiryDatesOn: no Expiration objects for a year of dates). */
  private listedOn(asOf: IsoDate): readonly IsoDate[] {
    return listedExpiryDatesOn(asOf, this.horizon);
  }

  constructor(private readonly opts: ModelledChainSourceOptions) {
    this.params = opts.params ?? CALIBRATED_SURFACE_PARAMS;
    this.spread = opts.spread ?? CALIBRATED_SPREAD_PARAMS;
    this.shortDated = opts.shortDated === undefined ? CALIBRATED_SHORT_DATED_PARAMS : opts.shortDated;
    if (this.shortDated) validateShortDatedParams(this.shortDated);
    this.grid = opts.grid ?? DEFAULT_STRIKE_GRID;
    this.quoteTimeCt = opts.quoteTimeCt ?? '15:10';
    this.horizon = opts.listingHorizon ?? {};
    this.cacheSize = opts.cacheSize ?? 64;
    if (!(Number.isInteger(this.cacheSize) && this.cacheSize > 0)) {
      throw new InvalidInputError('cacheSize must be a positive integer', 'cacheSize', 'e.g. 2048');
    }
  }

  /**
   * The quote instant of a modelled chain on `asOf` (UTC ms): `quoteTimeCt` America/Chicago, but never
   * later than 15 minutes after the session close (SPX options stop trading 15 minutes after the cash
   * close: 16:15 ET, or 13:15 ET on early-close days). On a regular day the default 15:10 CT is 16:10 ET.
   */
  quoteInstantUtcMs(asOf: IsoDate): number {
    // On an early-close day the entry instant moves with the close (issue 15: 12:10 CT, not 15:10).
    const wanted = entryInstantUtcMs(asOf, this.quoteTimeCt);
    return Math.min(wanted, session(asOf).closeUtcMs + OPTIONS_CLOSE_AFTER_CASH_MS);
  }

  /** The day's surface (cached), or undefined when the day has no inputs or is not a trading day. */
  surface(asOf: IsoDate): VolSurface | undefined {
    return this.daySurface(asOf)?.surface;
  }

  private daySurface(asOf: IsoDate): { surface: VolSurface; source: PriceSource } | undefined {
    if (this.surfaces.has(asOf)) return this.surfaces.get(asOf);
    let entry: { surface: VolSurface; source: PriceSource } | undefined;
    if (isTradingDay(asOf)) {
      const inp = this.opts.inputs(asOf);
      if (inp !== undefined) {
        const surface = buildVolSurface(
          inp,
          this.params,
          this.opts.longTenor === undefined ? undefined : this.opts.longTenor,
        );
        const inputs: Record<string, number | string | null> = {
          spot: inp.spot,
          r: inp.r,
          q: inp.q,
          vix: inp.vix,
          vix1d: inp.vix1d ?? null,
          vix9d: inp.vix9d ?? null,
          vix3m: inp.vix3m ?? null,
          vix6m: inp.vix6m ?? null,
          vix1y: inp.vix1y ?? null,
          skew: inp.skew ?? null,
          oneDayVix: inp.oneDayVix ?? null,
          oneDayVixSource: inp.oneDayVix === undefined ? null : (inp.oneDayVixSource ?? 'given'),
          secondSessionVarianceRatio: inp.secondSessionVarianceRatio ?? null,
          fomcDecisionSessions: inp.fomcDecisionSessions?.join(',') || null,
          fallbacks: surface.fallbacks.join(',') || 'none',
          quoteTimeCt: this.quoteTimeCt,
        };
        entry = {
          surface,
          source: {
            kind: 'modelled',
            model: SURFACE_MODEL_NAME,
            version: SURFACE_MODEL_VERSION,
            inputs: Object.freeze(inputs),
          },
        };
      }
    }
    if (this.surfaces.size >= this.cacheSize) this.surfaces.delete(this.surfaces.keys().next().value!);
    this.surfaces.set(asOf, entry);
    return entry;
  }

  expirations(asOf: IsoDate): readonly IsoDate[] {
    const hit = this.listed.get(asOf);
    if (hit) return hit;
    if (!isTradingDay(asOf) || this.daySurface(asOf) === undefined) return [];
    const out: IsoDate[] = [];
    const quote = this.quoteInstantUtcMs(asOf);
    for (const expiry of this.listedOn(asOf)) {
      // An expiry that has settled by the quote instant (a 0DTE at 15:10 CT = 16:10 ET) has no chain.
      // Only asOf's own expiries can have: the quote instant is at most 15 minutes after asOf's close,
      // before any later day's 09:30 New York open. A date stays when one of its series has not settled.
      if (
        expiry <= asOf &&
        expirationsListedOnExpiry(asOf, expiry, this.horizon).every(
          (e) => settlementInstantUtcMs(e.expiry, e.settlement) <= quote,
        )
      )
        continue;
      out.push(expiry);
    }
    const frozen = Object.freeze(out);
    if (this.listed.size >= this.cacheSize) this.listed.delete(this.listed.keys().next().value!);
    this.listed.set(asOf, frozen);
    return frozen;
  }

  chain(asOf: IsoDate, expiry: IsoDate): OptionChain | undefined {
    const key = `${asOf}|${expiry}`;
    if (this.chains.has(key)) return this.chains.get(key);
    const built = this.build(asOf, expiry);
    if (this.chains.size >= this.cacheSize) this.chains.delete(this.chains.keys().next().value!);
    this.chains.set(key, built);
    return built;
  }

  /** The variance weight of a non-trading day this source prices with (null: plain calendar time). */
  private get nonTradingDayWeight(): number | null {
    return this.opts.nonTradingDayVarianceWeight === undefined
      ? NON_TRADING_DAY_VARIANCE_WEIGHT
      : this.opts.nonTradingDayVarianceWeight;
  }

  /**
   * Which regime priced the chain of `expiry` on `asOf` and the boundary floor's lift of its ATM vol
   * (expiry-vol.ts), for reports; undefined when there is no such chain.
   */
  regimeOf(asOf: IsoDate, expiry: IsoDate): ExpiryRegime | undefined {
    const chain = this.chain(asOf, expiry);
    if (!chain) return undefined;
    const years = yearFraction(chain.quoteTimeUtcMs, settlementInstantUtcMs(expiry, chain.settlement));
    return expiryRegime(
      this.daySurface(asOf)!.surface,
      { surfaceDate: asOf, quoteDate: asOf, expiry, settlementAm: chain.settlement === 'AM' },
      { shortDated: this.shortDated, nonTradingDayVarianceWeight: this.nonTradingDayWeight },
      years,
    );
  }

  private build(asOf: IsoDate, expiry: IsoDate): OptionChain | undefined {
    if (!this.expirations(asOf).includes(expiry)) return undefined;
    const day = this.daySurface(asOf)!;
    const listed = expirationsListedOnExpiry(asOf, expiry, this.horizon);
    // One chain per expiry date: the PM-settled SPXW series when it exists, else the AM SPX monthly
    // (or the AM monthly first when sameDaySeries is 'SPX').
    const preferred = this.opts.sameDaySeries ?? 'SPXW';
    const exp = listed.find((e) => e.root === preferred) ?? listed[0]!;
    const quoteTimeUtcMs = this.quoteInstantUtcMs(asOf);
    const t = yearFraction(quoteTimeUtcMs, settlementInstantUtcMs(expiry, exp.settlement));
    if (!(t > 0)) return undefined; // already settled at the quote instant
    const { surface, source } = day;
    const { spot, r, q } = surface.inputs;
    const w = this.nonTradingDayWeight;
    // One vol function for every modelled price of this expiry (expiry-vol.ts): 0-2 session expiries
    // from the day's one-day vol in business time, later ones from the surface in variance time, floored
    // where the short regime's front would otherwise price above them (no calendar arbitrage).
    const settlementAm = exp.settlement === 'AM';
    const volAt = expiryVolFn(
      surface,
      { surfaceDate: asOf, quoteDate: asOf, expiry, settlementAm },
      { shortDated: this.shortDated, nonTradingDayVarianceWeight: w },
    );
    const short = shortRegimePrices(
      surface,
      { surfaceDate: asOf, quoteDate: asOf, expiry, settlementAm },
      this.shortDated,
    );
    const forward = surface.forward(t);
    let atmVol: number;
    if (short) {
      atmVol = volAt(forward, t);
    } else {
      // The grid's width from the surface's ATM (as before 1.8.0), lifted by the floor where it binds.
      const volScale = w === null ? 1 : Math.sqrt(varianceTimeRatio(asOf, expiry, settlementAm, t, w));
      const unfloored = surface.impliedVol(forward, t) * volScale;
      atmVol = surface.atmVol(t) * volScale * (volAt(forward, t) / unfloored);
    }
    const sd = atmVol * Math.sqrt(t);
    const grid = modelledStrikeGrid(spot, sd, this.grid);
    const n = grid.length;
    // One backing store per chain, cut into its columns: a replay builds thousands of chains, and one
    // allocation instead of nine is most of the difference in GC work.
    const buffer = new ArrayBuffer(n * (7 * Float64Array.BYTES_PER_ELEMENT + 2));
    const column = (i: number) => new Float64Array(buffer, i * n * Float64Array.BYTES_PER_ELEMENT, n);
    const strikes = column(0);
    strikes.set(grid);
    const m = 2 * n;
    const { isCall, S, K, T, R, Q, sigma, price, scratch } = pricingScratch(m);
    S.fill(spot, 0, m);
    T.fill(t, 0, m);
    R.fill(r, 0, m);
    Q.fill(q, 0, m);
    const iv = column(1);
    for (let i = 0; i < n; i++) {
      const k = strikes[i]!;
      const v = volAt(k, t);
      iv[i] = v;
      isCall[i] = 1;
      isCall[n + i] = 0;
      K[i] = k;
      K[n + i] = k;
      sigma[i] = v;
      sigma[n + i] = v;
    }
    bsmGreeksBatch(
      { isCall, S, K, T, r: R, q: Q, sigma },
      { price, delta: scratch, gamma: scratch, vega: scratch, theta: scratch, rho: scratch },
      m,
    );
    const callBid = column(2);
    const callAsk = column(3);
    const putBid = column(4);
    const putAsk = column(5);
    const putIv = column(6);
    putIv.set(iv);
    const callFlags = new Uint8Array(buffer, 7 * n * Float64Array.BYTES_PER_ELEMENT, n);
    const putFlags = new Uint8Array(buffer, 7 * n * Float64Array.BYTES_PER_ELEMENT + n, n);
    const ba = [0, 0];
    for (let i = 0; i < n; i++) {
      quoteAround(Math.max(0, price[i]!), this.spread, ba);
      callBid[i] = ba[0]!;
      callAsk[i] = ba[1]!;
      callFlags[i] = quoteFlags(ba[0]!, ba[1]!);
      quoteAround(Math.max(0, price[n + i]!), this.spread, ba);
      putBid[i] = ba[0]!;
      putAsk[i] = ba[1]!;
      putFlags[i] = quoteFlags(ba[0]!, ba[1]!);
    }
    return {
      asOf,
      quoteTimeUtcMs,
      expiry,
      root: exp.root,
      settlement: exp.settlement,
      underlying: spot,
      strikes,
      callBid,
      callAsk,
      putBid,
      putAsk,
      callFlags,
      putFlags,
      callIv: iv,
      putIv,
      source,
    };
  }
}
