import { SPX_MULTIPLIER } from '../domain/contracts';
import { formatUtcIso, type IsoDate } from '../domain/index';
import type { EnginePorts, StepResult } from '../engine/index';
import { type FillModel, sellFillCredit } from '../execution/index';
import type { OptionRoot } from '../market/index';
import type { CondorStrikes, PresetName, Tier } from '../strategies/index';

/** OCC/OSI option symbol: root padded to 6, YYMMDD, C/P, strike x 1000 in 8 digits (e.g. "SPXW  240605P04940000"). */
export function occSymbol(root: OptionRoot, expiry: IsoDate, right: 'call' | 'put', strike: number): string {
  const yymmdd = expiry.slice(2, 4) + expiry.slice(5, 7) + expiry.slice(8, 10);
  const k = String(Math.round(strike * 1000)).padStart(8, '0');
  return `${root.padEnd(6, ' ')}${yymmdd}${right === 'call' ? 'C' : 'P'}${k}`;
}

export interface TierSignal {
  readonly tier: Tier;
  readonly targetCredit: number;
  readonly tradable: boolean;
  readonly reason: string;
  readonly expiry: IsoDate | null;
  readonly strikes: CondorStrikes | null;
  readonly occ: { putLong: string; putShort: string; callShort: string; callLong: string } | null;
  /** Credit per condor in index points (x100 USD). */
  readonly creditMid: number | null;
  readonly creditFill: number | null;
  readonly creditNatural: number | null;
  /** Max loss per condor at the mid credit, points and USD. */
  readonly maxLossPts: number | null;
  readonly maxLossUsd: number | null;
  readonly breakevens: { lower: number; upper: number } | null;
  /** Max loss per condor after the expected fill and fees, USD: the figure the sizing divided by. */
  readonly maxLossFillUsd: number | null;
  readonly probabilityOfProfit: number | null;
  /** Package Greeks of one short condor: delta/gamma per point, vega per 1.00 vol, theta per year. */
  readonly greeks: { delta: number; gamma: number; vega: number; theta: number } | null;
  readonly shortDeltas: { put: number; call: number } | null;
  /**
   * The Black-Scholes inputs the legs were priced with (each leg's implied vol from its mid, years from
   * the quote to settlement, rate and dividend yield per year), so the condor can be revalued before
   * expiry: at today's spot they give back the mid credit (the dashboard's T+0 line).
   */
  readonly pricing: {
    legIvs: { putLong: number; putShort: number; callShort: number; callLong: number };
    yearsToSettlement: number;
    rate: number;
    dividendYield: number;
  } | null;
  readonly contracts: number;
  readonly rsaiSteps: number;
}

export interface DailySignal {
  readonly date: IsoDate;
  readonly preset: PresetName | 'custom';
  /** The session instant the signal is for (15:10 CT), UTC ISO. */
  readonly asOf: string;
  readonly skip: boolean;
  readonly skipReason: string | null;
  readonly gate: {
    readonly vix: number;
    readonly allowedTiers: readonly Tier[];
    readonly hold: boolean;
    readonly noTrades: boolean;
    readonly sizeMultiplier: number;
    readonly reason: string;
  };
  readonly edr: {
    readonly edrPct: number;
    readonly edrPts: number;
    readonly upper: number;
    readonly lower: number;
    readonly mode: string;
    readonly fallbacks: readonly string[];
  };
  readonly spx: number;
  readonly expiry: IsoDate | null;
  readonly premiumGauge: number | null;
  readonly chosenTier: Tier | null;
  readonly tiers: readonly TierSignal[];
  readonly hedge: readonly {
    action: string;
    layer: number;
    expiry: string;
    strike: number;
    quantity: number;
    price: number;
    reason: string;
  }[];
  /** What the hedge rule saw and decided this session (seed: trigger status, spent or not and why). */
  readonly hedgeReasons: readonly string[];
  readonly rolls: readonly {
    positionId: string;
    direction: string;
    toExpiry: string;
    strikes: CondorStrikes;
    quantity: number;
    rollCredit: number;
    reason: string;
  }[];
  readonly reasons: readonly string[];
  readonly pricesSource: 'modelled' | 'real';
  readonly pricesDetail: string;
  /** The recorded chain snapshot the condor was priced from (absent: not priced from a snapshot). */
  readonly chainSnapshot?: {
    readonly provider: string;
    readonly vendor: string;
    /** Quote instant, UTC ISO, and New York time. */
    readonly quoteTime: string;
    readonly quoteTimeEt: string;
    readonly delaySeconds: number;
    /** Minutes from the quote instant to the entry instant. */
    readonly ageAtEntryMinutes: number;
    readonly maxAgeMinutes: number;
  };
  /**
   * Present when the session was built from the chain snapshot (the day has no daily row yet): the SPX
   * and the VIX are intraday values at the quote instant, not closes. Absent: built from daily closes.
   */
  readonly liveSession?: {
    readonly quoteTime: string;
    readonly quoteTimeEt: string;
    readonly provider: string;
    readonly delaySeconds: number;
    /** The last daily row the rest of the session (HV20, VIX z-score, rates, dividends) comes from. */
    readonly lastDailyRow: IsoDate;
    readonly spx: { readonly value: number; readonly source: string };
    readonly vix: {
      readonly value: number;
      readonly method: string;
      readonly terms: readonly { readonly expiry: IsoDate; readonly days: number }[];
      readonly note?: string;
    };
    readonly vix9d: { readonly value: number | null; readonly reason?: string };
    readonly oneDayVix: { readonly value: number | null; readonly source: string };
    readonly rate: { readonly r: number; readonly source: string; readonly asOf: IsoDate };
    readonly dividendYield: { readonly q: number; readonly asOf: IsoDate };
  };
  readonly equity: number;
}

export interface SignalContext {
  readonly date: IsoDate;
  readonly preset: PresetName | 'custom';
  readonly instantUtcMs: number;
  readonly spx: number;
  readonly equity: number;
  readonly fill: FillModel;
}

/** Turns one engine step into the daily signal a trader reads at 15:10 CT. */
export function toDailySignal(res: StepResult, ctx: SignalContext, ports: EnginePorts): DailySignal {
  const e = res.entry;
  const tiers: TierSignal[] = e.tiers.map((t) => {
    const q = t.quote;
    const strikes = q?.strikes ?? null;
    return {
      tier: t.tier,
      targetCredit: t.targetCredit,
      tradable: t.ok,
      reason: t.reason,
      expiry: q?.expiry ?? null,
      strikes,
      occ:
        q && strikes
          ? {
              putLong: occSymbol(q.root, q.expiry, 'put', strikes.putLong),
              putShort: occSymbol(q.root, q.expiry, 'put', strikes.putShort),
              callShort: occSymbol(q.root, q.expiry, 'call', strikes.callShort),
              callLong: occSymbol(q.root, q.expiry, 'call', strikes.callLong),
            }
          : null,
      creditMid: q?.creditMid ?? null,
      creditFill: q ? sellFillCredit(q.creditMid, q.creditNatural, 4, ctx.fill) : null,
      creditNatural: q?.creditNatural ?? null,
      maxLossPts: q?.maxLossMid ?? null,
      maxLossUsd: q ? q.maxLossMid * SPX_MULTIPLIER : null,
      breakevens: q?.breakevens ?? null,
      maxLossFillUsd: t.maxLossUsdPerCondor ?? null,
      probabilityOfProfit: q?.probabilityOfProfit ?? null,
      greeks: q?.greeks ?? null,
      shortDeltas: q ? { put: q.shortPutDelta, call: q.shortCallDelta } : null,
      pricing: q
        ? {
            legIvs: { ...q.legIvs },
            yearsToSettlement: q.yearsToSettlement,
            rate: q.rate,
            dividendYield: q.dividendYield,
          }
        : null,
      contracts: t.contracts,
      rsaiSteps: t.steps.length,
    };
  });
  const source = e.tiers.find((t) => t.quote)?.quote?.source;
  const pricesSource = ports.chains.pricesSource;
  const pricesDetail =
    source === undefined
      ? `${pricesSource} chains (none read this session)`
      : source.kind === 'real'
        ? `real quotes from ${source.vendor}${source.file ? ` (${source.file})` : ''}`
        : `modelled by ${source.model} ${source.version}${oneDayVolNote(source.inputs)}`;
  return {
    date: ctx.date,
    preset: ctx.preset,
    asOf: formatUtcIso(ctx.instantUtcMs),
    skip: e.skip,
    skipReason: e.skipReason,
    gate: {
      vix: e.gate.vix,
      allowedTiers: e.gate.allowedTiers,
      hold: e.gate.hold,
      noTrades: e.gate.noTrades,
      sizeMultiplier: e.gate.sizeMultiplier,
      reason: e.gate.reason,
    },
    edr: {
      edrPct: e.edr.edrPct,
      edrPts: e.edr.edrPts,
      upper: e.edr.upper,
      lower: e.edr.lower,
      mode: e.edr.mode,
      fallbacks: e.edr.inputs.fallbacks.map((f) => f.reason),
    },
    spx: ctx.spx,
    expiry: e.expiry,
    premiumGauge: e.premiumGauge,
    chosenTier: e.chosenTier,
    tiers,
    hedge: res.hedge.intents.flatMap((i) =>
      i.kind === 'hedge'
        ? [
            {
              action: i.action,
              layer: i.layer,
              expiry: i.expiry,
              strike: i.strike,
              quantity: i.quantity,
              price: i.price,
              reason: i.reason,
            },
          ]
        : [],
    ),
    hedgeReasons: res.hedge.reasons,
    rolls: res.rolls.flatMap((r) =>
      r.intents.flatMap((i) =>
        i.kind === 'roll'
          ? [
              {
                positionId: i.positionId,
                direction: i.direction,
                toExpiry: i.to.expiry,
                strikes: i.to.strikes,
                quantity: i.quantity,
                rollCredit: i.rollCredit,
                reason: i.reason,
              },
            ]
          : [],
      ),
    ),
    reasons: res.reasons,
    pricesSource,
    pricesDetail,
    equity: ctx.equity,
  };
}

/** Where a modelled chain's one-day vol came from, for the signal's price provenance. */
function oneDayVolNote(inputs: Readonly<Record<string, number | string | null>>): string {
  const v = inputs.oneDayVix;
  if (typeof v !== 'number') return '';
  const from =
    inputs.oneDayVixSource === 'VIX1D'
      ? 'the published VIX1D close'
      : inputs.oneDayVixSource === 'model'
        ? 'the one-day model on VIX9D'
        : inputs.oneDayVixSource === 'model-from-vix'
          ? 'the one-day model on VIX (no VIX9D that day)'
          : 'given';
  return `, one-day vol ${v.toFixed(2)} from ${from}`;
}
