import { daysBetween, type IsoDate } from '../../domain/index';
import { black76Price } from '../../pricing/index';
import type { StrategyConfig } from '../config';
import type { Cause, CondorPosition, Intent, VixCallPosition } from '../types';
import type { HedgeCallQuote, VixOptionSource } from './vix-options';

/** What ALVH sees at a session (known at the instant). */
export interface HedgeInputs {
  readonly date: IsoDate;
  readonly vix: number;
  /** VIX average of the last 5 sessions, for the Temporal Vega Martingale. null when unknown. */
  readonly vix5dAverage: number | null;
  /** VIX z-score over the trigger lookback (seed preset). null when unknown. */
  readonly vixZScore: number | null;
  /** The same z-score at the previous session (seed: an IV extension is a new crossing). null when unknown. */
  readonly vixZScorePrev?: number | null;
  readonly spx: number;
  readonly equity: number;
  readonly hedges: readonly VixCallPosition[];
  /** Condors in the book at the session (seed: a decline from any of their chain entries triggers). */
  readonly condors: readonly CondorPosition[];
  /** Spot when each condor chain was opened (seed: the 1.5% move is measured from there). */
  readonly chainEntrySpot: Readonly<Record<string, number>>;
  /**
   * Dollar gamma for a 1% SPX move, USD, of the condors live after the session: the book less what
   * settles, closes or is rolled out today, plus today's new entry and roll targets (seed sizing).
   */
  readonly condorDollarGamma1Pct: number;
  /** Condors live after the session (seed: with none, nothing is bought and trigger layers are sold). */
  readonly liveCondorsAfterSession?: number;
  /** Layers already fired for the current trigger episode (seed). */
  readonly triggeredLayers: number;
  readonly options: VixOptionSource;
}

export interface HedgeDecision {
  readonly intents: readonly Intent[];
  readonly reasons: readonly string[];
  /** Seed: layers fired so far in the episode after this session. */
  readonly triggeredLayers: number;
}

/** The listed expiry closest to `targetDte` calendar days out (ties to the later one). */
export function expiryNearDte(
  expiries: readonly IsoDate[],
  asOf: IsoDate,
  targetDte: number,
  minDteExclusive = 0,
): IsoDate | undefined {
  let best: IsoDate | undefined;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const e of expiries) {
    const dte = daysBetween(asOf, e);
    if (dte <= minDteExclusive) continue;
    const gap = Math.abs(dte - targetDte);
    if (gap <= bestGap) {
      best = e;
      bestGap = gap;
    }
  }
  return best;
}

type HedgeLayerConfig = StrategyConfig['hedge']['layers'][number];

/**
 * The shortest DTE a new (or rolled-into) layer may have: beyond the roll point (M§3) and with at least
 * `minHoldFraction` of the layer's planned holding span (target DTE - roll DTE) still ahead of it, so a
 * layer is not bought days before it is due to roll again (issue 15: L1 bought at 14 DTE, rolled at 10).
 */
export function layerMinDte(layer: HedgeLayerConfig, minHoldFraction: number): number {
  return layer.rollAtDte + minHoldFraction * Math.max(0, layer.targetDte - layer.rollAtDte);
}

/** The listed VIX expiry for a layer: nearest its target DTE among those beyond `layerMinDte`. */
export function layerExpiry(
  expiries: readonly IsoDate[],
  asOf: IsoDate,
  layer: HedgeLayerConfig,
  minHoldFraction: number,
): IsoDate | undefined {
  const min = layerMinDte(layer, minHoldFraction);
  // dte > rollAtDte always; dte >= min when the minimum lies beyond the roll point.
  return expiryNearDte(expiries, asOf, layer.targetDte, Math.max(layer.rollAtDte, min - 1e-9));
}

/**
 * Expected yearly cost of holding one contract of a layer, USD: bought at the ask at `dte`, sold at the
 * bid at the roll point, again and again (365 / (dte - rollAtDte) holdings a year). The value at the
 * roll point is Black-76 at the quote's vol with the VX future rolled down the curve: the future moves
 * linearly in tenor toward spot VIX (in contango a VIX call loses more to the roll-down than to time;
 * pricing time decay alone under-estimated the 2023 spend about four-fold). In backwardation the
 * roll-up is not counted on (the lower of the two values), so the estimate never assumes a gain.
 */
export function layerYearlyCostPerContractUsd(
  q: Pick<HedgeCallQuote, 'mid' | 'bid' | 'ask' | 'future' | 'strike' | 'iv'>,
  dte: number,
  rollAtDte: number,
  spotVix: number,
): number {
  if (!(q.mid > 0) || !(dte > rollAtDte) || !(q.future > 0) || !(q.iv > 0)) return Number.POSITIVE_INFINITY;
  const tRoll = Math.max(0, rollAtDte) / 365;
  const futureAtRoll = spotVix + (q.future - spotVix) * (Math.max(0, rollAtDte) / dte);
  // Plain literals (not spreads of one object): V8 reads spread copies slowly in the pricer.
  const valueTimeOnly = black76Price({
    isCall: true,
    future: q.future,
    strike: q.strike,
    yearsToExpiry: tRoll,
    riskFreeRate: 0,
    vol: q.iv,
  });
  const valueRolledDown = black76Price({
    isCall: true,
    future: Math.max(futureAtRoll, 0.01),
    strike: q.strike,
    yearsToExpiry: tRoll,
    riskFreeRate: 0,
    vol: q.iv,
  });
  const spreadPts = Math.max(0, q.ask - q.bid);
  const lossPts = Math.max(0, q.mid - Math.min(valueTimeOnly, valueRolledDown)) + spreadPts;
  return lossPts * 100 * (365 / (dte - rollAtDte));
}

/**
 * Budget sizing of the ladder (M§3 "a yearly premium budget as a percent of equity"): the budget is
 * shared between the layers in their ratio (4:4:2 = 40/40/20, one reading of R25) and each layer's
 * ideal count is its share / its yearly cost per contract. Counts are floored and what is left of the
 * budget buys whole contracts by the largest fractional remainder (the layer closest to its next
 * contract first), so a small account still holds the layer its budget nearly affords, and the total
 * expected cost never exceeds the budget.
 */
export function budgetLadder(
  equity: number,
  pctPerYear: number,
  layers: readonly HedgeLayerConfig[],
  yearlyCostPerContractUsd: readonly number[],
): number[] {
  const budget = Math.max(0, (pctPerYear / 100) * equity);
  const ratioSum = layers.reduce((s, l) => s + l.ratio, 0);
  if (!(budget > 0) || !(ratioSum > 0)) return layers.map(() => 0);
  const ideal = layers.map((l, i) => {
    const c = yearlyCostPerContractUsd[i] ?? Number.POSITIVE_INFINITY;
    return c > 0 && Number.isFinite(c) ? (budget * (l.ratio / ratioSum)) / c : 0;
  });
  const counts = ideal.map((x) => Math.floor(x + 1e-9));
  let left =
    budget - counts.reduce((s, n, i) => s + (n > 0 ? n * (yearlyCostPerContractUsd[i] as number) : 0), 0);
  const order = ideal
    .map((x, i) => ({ i, frac: x - Math.floor(x + 1e-9) }))
    .filter((o) => o.frac > 0)
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    const c = yearlyCostPerContractUsd[i] as number;
    if (c <= left + 1e-9) {
      counts[i] = (counts[i] as number) + 1;
      left -= c;
    }
  }
  return counts;
}

function hedgeIntent(
  action: 'open' | 'roll' | 'close',
  layer: number,
  q: HedgeCallQuote,
  quantity: number,
  reason: string,
  cause: Cause,
  positionId?: string,
): Intent {
  return {
    kind: 'hedge',
    action,
    layer,
    expiry: q.expiry,
    strike: q.strike,
    quantity,
    price: q.mid,
    ...(positionId ? { positionId } : {}),
    reason,
    cause,
  };
}

/**
 * ALVH, the Adaptive Layered VIX Hedge (M§3): a standing ladder of long VIX calls at 30/110/220 DTE in
 * the ratio 4:4:2, strikes nearest 0.50 delta, "opened at the first session and kept"; never paused by
 * the VIX gate. A missing layer is opened and a layer at its roll point is rolled whatever the VIX; while
 * VIX < 15 ("protection costs little then") the ladder is refilled to its target and a layer whose
 * delta has drifted more than `hedge.restrikeDeltaBand` from 0.50 is re-struck. The target is a yearly
 * premium budget (share of equity) or a unit in contracts. The optional Temporal Vega Martingale sells
 * half of L1 when it is worth 2x its cost and VIX is back below its 5-day average, and adds the
 * proceeds to L2/L3.
 */
export function alvhLadder(inp: HedgeInputs, cfg: StrategyConfig): HedgeDecision {
  const h = cfg.hedge;
  const intents: Intent[] = [];
  const reasons: string[] = [];
  if (!h.enabled) return { intents, reasons, triggeredLayers: inp.triggeredLayers };
  const expiries = inp.options.expirations(inp.date);
  const refresh = inp.vix < h.refreshBelowVix;

  // Quotes for a fresh layer: the expiry nearest each target DTE beyond the roll point.
  const fresh = h.layers.map((l) => {
    const e = layerExpiry(expiries, inp.date, l, h.minHoldFractionBeforeRoll);
    return e ? inp.options.callNearDelta(inp.date, e, h.targetDelta) : undefined;
  });
  const costs = h.layers.map((l, i) => {
    const q = fresh[i];
    return q
      ? layerYearlyCostPerContractUsd(q, daysBetween(inp.date, q.expiry), l.rollAtDte, inp.vix)
      : Number.POSITIVE_INFINITY;
  });
  const budgetMode = h.sizing === 'budget';
  const targets = budgetMode
    ? budgetLadder(inp.equity, h.budgetPctOfEquityPerYear, h.layers, costs)
    : h.layers.map((l) => Math.round(l.ratio * h.unitContracts));
  // Budget mode: while what is held costs no more than the budget it is kept as it is (no trim), and a
  // refill or a missing layer buys only what the budget has left; the ladder is reset to the targets
  // only when it costs more than the budget. Without this, a small account's one or two contracts flip
  // between layers as the targets' rounding moves from day to day (12 trades in June-July 2024).
  const budgetUsd = (h.budgetPctOfEquityPerYear / 100) * inp.equity;
  const heldCostUsd = h.layers.reduce((sum, _l, i) => {
    const qty = inp.hedges
      .filter((p) => p.layer === i + 1 && daysBetween(inp.date, p.expiry) > 0)
      .reduce((a, p) => a + p.quantity, 0);
    return qty > 0 ? sum + qty * (costs[i] as number) : sum;
  }, 0);
  const keepAsHeld = budgetMode && heldCostUsd <= budgetUsd;
  let spareUsd = budgetUsd - heldCostUsd;
  const affordable = (i: number, want: number): number => {
    if (!budgetMode) return want;
    const c = costs[i] as number;
    const n = Number.isFinite(c) && c > 0 ? Math.min(want, Math.floor(Math.max(0, spareUsd) / c + 1e-9)) : 0;
    spareUsd -= n * c;
    return n;
  };
  const sizing =
    h.sizing === 'unit'
      ? `${h.unitContracts} contract(s) per ratio point`
      : `budget ${h.budgetPctOfEquityPerYear}% of equity a year`;

  h.layers.forEach((layer, i) => {
    const n = i + 1;
    const held = inp.hedges.filter((p) => p.layer === n && daysBetween(inp.date, p.expiry) > 0);
    const target = targets[i] ?? 0;
    const q = fresh[i];
    const cause = (rule: string, extra: Record<string, number | string | null> = {}): Cause => ({
      rule,
      inputs: {
        layer: n,
        vix: inp.vix,
        refreshBelowVix: h.refreshBelowVix,
        targetDte: layer.targetDte,
        rollAtDte: layer.rollAtDte,
        targetContracts: target,
        ...extra,
      },
    });
    const open = (quantity: number, why: string, rule: string) => {
      if (!q) {
        reasons.push(`ALVH L${n} ${why} but no VIX call quote near ${layer.targetDte} DTE`);
        return;
      }
      if (quantity <= 0) {
        reasons.push(`ALVH L${n} ${why} but the sizing (${sizing}) gives 0 contracts`);
        return;
      }
      const reason = `ALVH L${n} ${why}: buy ${quantity} VIX ${q.expiry} ${q.strike}C (delta ${q.delta.toFixed(2)}) at ${q.mid.toFixed(2)} (${sizing}: L${n} target ${target})`;
      reasons.push(reason);
      intents.push(
        hedgeIntent('open', n, q, quantity, reason, cause(rule, { expiry: q.expiry, strike: q.strike })),
      );
    };

    if (held.length === 0) {
      open(affordable(i, target), 'missing (standing ladder)', 'alvh-open');
      return;
    }
    // While VIX < 15 the layer is reset to its target: the longest-dated contracts are kept first, the
    // excess is sold (or not rolled) and a shortfall is bought. Above 15 the quantity held is kept
    // (rolled as it is): the ladder is never cut when protection is dear and most needed.
    let room = refresh && !keepAsHeld ? target : Number.POSITIVE_INFINITY;
    let keptQuantity = 0;
    const byExpiryDesc = [...held].sort((a, b) => (a.expiry < b.expiry ? 1 : a.expiry > b.expiry ? -1 : 0));
    for (const p of byExpiryDesc) {
      const dte = daysBetween(inp.date, p.expiry);
      const due = dte <= layer.rollAtDte;
      const keep = Math.min(p.quantity, room);
      room -= keep;
      const pq = refresh || keep < p.quantity ? inp.options.call(inp.date, p.expiry, p.strike) : undefined;
      const drift =
        !due && refresh && pq && Math.abs(pq.delta - h.targetDelta) > h.restrikeDeltaBand ? pq.delta : null;
      if (keep <= 0 || (!due && keep < p.quantity)) {
        // Trim (VIX < 15 and above the target): sell what the target no longer holds.
        const sell = p.quantity - keep;
        if (!pq) {
          reasons.push(`ALVH L${n} ${p.id} above its target ${target} but no quote to sell it`);
          keptQuantity += p.quantity;
          continue;
        }
        const reason = `ALVH trim L${n} ${p.id}: sell ${sell} of ${p.quantity} (target ${target}, ${sizing}, VIX < ${h.refreshBelowVix})`;
        reasons.push(reason);
        intents.push(
          hedgeIntent('close', n, pq, sell, reason, cause('alvh-trim', { held: p.quantity, sell }), p.id),
        );
        // A drifted remainder is re-struck at a later session (one order per position per session).
        keptQuantity += keep;
        continue;
      }
      if (!due && drift === null) {
        keptQuantity += keep;
        continue;
      }
      if (!q || (q.expiry === p.expiry && q.strike === p.strike)) {
        reasons.push(
          `ALVH L${n} ${p.id} due to ${due ? 'roll' : 're-strike'} but no VIX call quote near ${layer.targetDte} DTE`,
        );
        keptQuantity += p.quantity;
        continue;
      }
      const why = due
        ? `at ${dte} DTE (roll point ${layer.rollAtDte})`
        : `delta ${(drift as number).toFixed(2)} is more than ${h.restrikeDeltaBand} from ${h.targetDelta} while VIX < ${h.refreshBelowVix}`;
      const reason = `ALVH roll L${n} ${p.id} ${why} -> ${q.expiry} ${q.strike}C x${keep} at ${q.mid.toFixed(2)}`;
      reasons.push(reason);
      intents.push(
        hedgeIntent(
          'roll',
          n,
          q,
          keep,
          reason,
          cause(due ? 'alvh-roll' : 'alvh-restrike', { dte, from: p.expiry, to: q.expiry }),
          p.id,
        ),
      );
      keptQuantity += keep;
    }
    if (refresh && keptQuantity < target) {
      open(
        affordable(i, target - keptQuantity),
        `refill from ${keptQuantity} to ${target} while VIX < ${h.refreshBelowVix}`,
        'alvh-refill',
      );
    }
  });

  if (h.vegaMartingale.enabled) vegaMartingale(inp, cfg, fresh, intents, reasons);
  return { intents, reasons, triggeredLayers: inp.triggeredLayers };
}

/** Temporal Vega Martingale (M§3, optional): harvest a doubled L1 into the longer layers. */
function vegaMartingale(
  inp: HedgeInputs,
  cfg: StrategyConfig,
  fresh: ReadonlyArray<HedgeCallQuote | undefined>,
  intents: Intent[],
  reasons: string[],
): void {
  const vm = cfg.hedge.vegaMartingale;
  if (inp.vix5dAverage === null || !(inp.vix < inp.vix5dAverage)) return;
  for (const p of inp.hedges.filter((x) => x.layer === 1)) {
    const q = inp.options.call(inp.date, p.expiry, p.strike);
    if (!q || q.mid < vm.gainMultiple * p.entryPrice) continue;
    const sell = Math.floor(p.quantity * vm.sellFraction);
    if (sell <= 0) continue;
    const proceeds = sell * q.mid;
    const cause: Cause = {
      rule: 'temporal-vega-martingale',
      inputs: {
        positionId: p.id,
        value: q.mid,
        cost: p.entryPrice,
        vix: inp.vix,
        vix5dAverage: inp.vix5dAverage,
      },
    };
    const reason = `Vega Martingale: L1 ${p.id} worth ${q.mid.toFixed(2)} >= ${vm.gainMultiple}x cost ${p.entryPrice.toFixed(2)} and VIX below its 5-day average: sell ${sell}`;
    reasons.push(reason);
    intents.push(hedgeIntent('close', 1, q, sell, reason, cause, p.id));
    // Proceeds go to L2 and L3 in their ladder ratio.
    const layers = cfg.hedge.layers.slice(1);
    const ratioSum = layers.reduce((s, l) => s + l.ratio, 0);
    layers.forEach((l, j) => {
      const fq = fresh[j + 1];
      if (!fq || !(fq.mid > 0) || ratioSum <= 0) return;
      const qty = Math.floor((proceeds * (l.ratio / ratioSum)) / fq.mid);
      if (qty <= 0) return;
      const r = `Vega Martingale: add ${qty} to L${j + 2} (${fq.expiry} ${fq.strike}C) from the proceeds`;
      reasons.push(r);
      intents.push(hedgeIntent('open', j + 2, fq, qty, r, cause));
    });
  }
}

/**
 * Seed preset (M§4): trigger-based layers.
 * - Layer 1 at the first SPX **decline** of `spxMovePct` = 1.5% from a condor chain's entry spot (a long
 *   VIX call pays on declines; a rally is left to the roll).
 * - A further layer each time the VIX z-score **newly crosses** `ivZScore` = 2.5 (previous session below).
 * - Each layer is sized to the target minus what is held: target hedge sensitivity = scale x dollar gamma
 *   of the condors live after the session (rolled ones included); no layer above 50% of total hedge vega.
 * - With no condor live after the session nothing is bought and the trigger stays unspent (reason given).
 * - Sale rule: trigger layers are sold at the first session after which no condor is live (the book they
 *   protect is flat: settled, closed, or the gate holds); the episode then resets.
 */
export function alvhTriggered(inp: HedgeInputs, cfg: StrategyConfig): HedgeDecision {
  const h = cfg.hedge;
  const t = h.trigger;
  const intents: Intent[] = [];
  const reasons: string[] = [];
  const fired = inp.triggeredLayers;
  if (!h.enabled) return { intents, reasons, triggeredLayers: fired };
  const live = inp.liveCondorsAfterSession ?? inp.condors.length;
  const held = inp.hedges.filter((p) => daysBetween(inp.date, p.expiry) > 0);

  // Sale rule: nothing left to protect -> sell every trigger layer, reset the episode.
  if (live === 0) {
    for (const p of held) {
      const pq = inp.options.call(inp.date, p.expiry, p.strike);
      if (!pq) {
        reasons.push(`seed hedge: no condor live after the session, but no quote to sell ${p.id}`);
        continue;
      }
      const reason = `seed hedge: sell layer ${p.layer} ${p.id} (${p.quantity} VIX ${p.expiry} ${p.strike}C at ${pq.mid.toFixed(2)}): no condor is live after the session`;
      reasons.push(reason);
      intents.push(
        hedgeIntent(
          'close',
          p.layer,
          pq,
          p.quantity,
          reason,
          {
            rule: 'seed-alvh-sale-book-flat',
            inputs: { positionId: p.id, liveCondors: 0 },
          },
          p.id,
        ),
      );
    }
  }

  // Largest decline of SPX from the entry spot of any chain in the book (declines only).
  let decline = 0;
  let declineChain: string | null = null;
  for (const c of inp.condors) {
    const entry = inp.chainEntrySpot[c.chainId];
    if (!entry) continue;
    const d = ((entry - inp.spx) / entry) * 100;
    if (d > decline) {
      decline = d;
      declineChain = c.chainId;
    }
  }
  const z = inp.vixZScore;
  const zPrev = inp.vixZScorePrev ?? null;
  const newCrossing = z !== null && z >= t.ivZScore && (zPrev === null || zPrev < t.ivZScore);
  const wantLayer1 = fired === 0 && decline >= t.spxMovePct;
  const wantExtension = fired > 0 && newCrossing;
  const status = `seed hedge: SPX decline from chain entry ${decline.toFixed(2)}% (trigger ${t.spxMovePct}%${declineChain ? `, ${declineChain}` : ''}); VIX z ${z === null ? 'unknown' : z.toFixed(2)} (previous ${zPrev === null ? 'unknown' : zPrev.toFixed(2)}, new crossing of ${t.ivZScore}: ${newCrossing ? 'yes' : 'no'}); layers fired ${fired}`;
  reasons.push(status);
  if (live === 0) {
    if (wantLayer1 || wantExtension)
      reasons.push('seed hedge trigger not spent: no condor is live after the session, nothing to protect');
    return { intents, reasons, triggeredLayers: 0 };
  }
  if (!wantLayer1 && !wantExtension) return { intents, reasons, triggeredLayers: fired };
  const layerIndex = Math.min(fired, h.layers.length - 1);
  const layer = h.layers[layerIndex] as (typeof h.layers)[number];
  const e = layerExpiry(inp.options.expirations(inp.date), inp.date, layer, h.minHoldFractionBeforeRoll);
  const q = e ? inp.options.callNearDelta(inp.date, e, h.targetDelta) : undefined;
  if (!q || !(q.vega > 0)) {
    reasons.push('seed hedge trigger not spent: no VIX call quote near the target');
    return { intents, reasons, triggeredLayers: fired };
  }
  // The hedge's sensitivity is what it gains when VIX rises: USD per contract for the VIX move that
  // comes with a 1% SPX drop = delta x 100 x vixPointsPerSpxPct. The target is vegaPerCondorGamma x the
  // live condors' dollar gamma for a 1% SPX move (assumptions that make M§4's "vega recalibrated in
  // proportion to the condor's gamma" concrete). The layer buys the target minus what is held; caps: no
  // layer above maxLayerVegaShare of the total hedge sensitivity, no layer costing more than
  // maxLayerPremiumPctOfEquity of equity.
  const perContractUsd = Math.max(q.delta, 0) * 100 * t.vixPointsPerSpxPct;
  if (!(perContractUsd > 0)) {
    reasons.push('seed hedge trigger not spent: the VIX call has no delta');
    return { intents, reasons, triggeredLayers: fired };
  }
  const targetVegaUsd = t.vegaPerCondorGamma * inp.condorDollarGamma1Pct;
  const existingVegaUsd = held.reduce((s, p) => {
    const pq = inp.options.call(inp.date, p.expiry, p.strike);
    return s + (pq ? Math.max(pq.delta, 0) * 100 * t.vixPointsPerSpxPct * p.quantity : 0);
  }, 0);
  let qty = Math.floor(Math.max(0, targetVegaUsd - existingVegaUsd) / perContractUsd + 1e-9);
  if (existingVegaUsd > 0) {
    // layer share s = x / (E + x) <= cap  <=>  x <= cap E / (1 - cap)
    const cap = t.maxLayerVegaShare;
    const shareCap = cap >= 1 ? qty : Math.floor((cap * existingVegaUsd) / (1 - cap) / perContractUsd);
    qty = Math.min(qty, Math.max(shareCap, 0));
  }
  const budgetQty =
    q.mid > 0 ? Math.floor(((t.maxLayerPremiumPctOfEquity / 100) * inp.equity) / (q.mid * 100)) : 0;
  qty = Math.min(qty, budgetQty);
  const why = wantLayer1
    ? `SPX declined ${decline.toFixed(2)}% from the entry of ${declineChain} (>= ${t.spxMovePct}%)`
    : `VIX z-score ${(z as number).toFixed(2)} newly crossed ${t.ivZScore} (previous ${zPrev === null ? 'unknown' : zPrev.toFixed(2)})`;
  if (qty <= 0) {
    reasons.push(
      `seed hedge trigger not spent: ${why}, but the target (${targetVegaUsd.toFixed(0)} USD per 1% SPX from the live condors' gamma) minus held (${existingVegaUsd.toFixed(0)}) buys 0 contracts`,
    );
    return { intents, reasons, triggeredLayers: fired };
  }
  const reason = `seed ALVH layer ${fired + 1}: ${why}; buy ${qty} VIX ${q.expiry} ${q.strike}C (target ${targetVegaUsd.toFixed(0)} minus held ${existingVegaUsd.toFixed(0)} USD per 1% SPX)`;
  reasons.push(reason);
  intents.push(
    hedgeIntent('open', layerIndex + 1, q, qty, reason, {
      rule: wantLayer1 ? 'seed-alvh-spx-decline' : 'seed-alvh-iv-extension',
      inputs: {
        declinePct: decline,
        vixZScore: z,
        vixZScorePrev: zPrev,
        targetVegaUsd,
        existingVegaUsd,
        perContractVegaUsd: perContractUsd,
        layer: fired + 1,
      },
    }),
  );
  return { intents, reasons, triggeredLayers: fired + 1 };
}

export function alvh(inp: HedgeInputs, cfg: StrategyConfig): HedgeDecision {
  return cfg.hedge.mode === 'trigger' ? alvhTriggered(inp, cfg) : alvhLadder(inp, cfg);
}
