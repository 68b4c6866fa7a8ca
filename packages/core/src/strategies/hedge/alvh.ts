import { VIX_OPTION_MULTIPLIER } from '../../domain/contracts';
import { daysBetween, type IsoDate } from '../../domain/index';
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
  readonly spx: number;
  readonly equity: number;
  readonly hedges: readonly VixCallPosition[];
  /** Open condors (for the seed preset's triggers). */
  readonly condors: readonly CondorPosition[];
  /** Spot when each condor chain was opened (seed: the 1.5% move is measured from there). */
  readonly chainEntrySpot: Readonly<Record<string, number>>;
  /** Dollar gamma of the condor book for a 1% SPX move, USD (seed: hedge vega follows it). */
  readonly condorDollarGamma1Pct: number;
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
): IsoDate | undefined {
  let best: IsoDate | undefined;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const e of expiries) {
    const dte = daysBetween(asOf, e);
    if (dte <= 0) continue;
    const gap = Math.abs(dte - targetDte);
    if (gap <= bestGap) {
      best = e;
      bestGap = gap;
    }
  }
  return best;
}

/**
 * Contracts per ratio point under budget sizing: spend at most `pct`% of equity a year when every layer
 * is held from its target DTE to its roll DTE and rolled (cost x 365 / holding days, summed over layers).
 */
export function budgetUnit(
  equity: number,
  pctPerYear: number,
  layers: StrategyConfig['hedge']['layers'],
  prices: readonly number[],
): number {
  let yearlyCostPerUnit = 0;
  layers.forEach((l, i) => {
    const holdDays = Math.max(1, l.targetDte - l.rollAtDte);
    yearlyCostPerUnit += l.ratio * (prices[i] ?? 0) * VIX_OPTION_MULTIPLIER * (365 / holdDays);
  });
  if (!(yearlyCostPerUnit > 0)) return 0;
  return Math.floor(((pctPerYear / 100) * equity) / yearlyCostPerUnit + 1e-9);
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
 * the ratio 4:4:2 x unit, strikes nearest 0.50 delta; opened or refreshed whenever VIX < 15 and a layer
 * is missing or due to roll (L1 at 10 DTE, L2 at 60, L3 at 110); never paused by the VIX gate. The
 * optional Temporal Vega Martingale sells half of L1 when it is worth 2x its cost and VIX is back below
 * its 5-day average, and adds the proceeds to L2/L3.
 */
export function alvhLadder(inp: HedgeInputs, cfg: StrategyConfig): HedgeDecision {
  const h = cfg.hedge;
  const intents: Intent[] = [];
  const reasons: string[] = [];
  if (!h.enabled) return { intents, reasons, triggeredLayers: inp.triggeredLayers };
  const expiries = inp.options.expirations(inp.date);
  const refresh = inp.vix < h.refreshBelowVix;

  // Quotes for a fresh layer at each target DTE (needed for sizing and opens).
  const fresh = h.layers.map((l) => {
    const e = expiryNearDte(expiries, inp.date, l.targetDte);
    return e ? inp.options.callNearDelta(inp.date, e, h.targetDelta) : undefined;
  });
  const unit =
    h.sizing === 'unit'
      ? h.unitContracts
      : budgetUnit(
          inp.equity,
          h.budgetPctOfEquityPerYear,
          h.layers,
          fresh.map((q) => q?.mid ?? 0),
        );

  h.layers.forEach((layer, i) => {
    const n = i + 1;
    const held = inp.hedges.filter((p) => p.layer === n && daysBetween(inp.date, p.expiry) > 0);
    const quantity = Math.round(layer.ratio * unit);
    const q = fresh[i];
    const cause = (rule: string, extra: Record<string, number | string | null> = {}): Cause => ({
      rule,
      inputs: {
        layer: n,
        vix: inp.vix,
        refreshBelowVix: h.refreshBelowVix,
        targetDte: layer.targetDte,
        rollAtDte: layer.rollAtDte,
        ...extra,
      },
    });
    if (held.length === 0) {
      if (!refresh) {
        reasons.push(`ALVH L${n} missing; waits for VIX < ${h.refreshBelowVix} (VIX ${inp.vix.toFixed(2)})`);
        return;
      }
      if (!q || quantity <= 0) {
        reasons.push(
          `ALVH L${n} missing but ${q ? 'the sizing gives 0 contracts' : 'no VIX call quote near the target'}`,
        );
        return;
      }
      const reason = `ALVH open L${n}: ${quantity} VIX ${q.expiry} ${q.strike}C (delta ${q.delta.toFixed(2)}) at ${q.mid.toFixed(2)}`;
      reasons.push(reason);
      intents.push(
        hedgeIntent(
          'open',
          n,
          q,
          quantity,
          reason,
          cause('alvh-open', { expiry: q.expiry, strike: q.strike }),
        ),
      );
      return;
    }
    for (const p of held) {
      const dte = daysBetween(inp.date, p.expiry);
      if (dte > layer.rollAtDte) continue;
      if (!refresh) {
        reasons.push(`ALVH L${n} ${p.id} at ${dte} DTE is due to roll; waits for VIX < ${h.refreshBelowVix}`);
        continue;
      }
      if (!q) {
        reasons.push(`ALVH L${n} ${p.id} due to roll but no VIX call quote near ${layer.targetDte} DTE`);
        continue;
      }
      const reason = `ALVH roll L${n} ${p.id} (${dte} DTE) -> ${q.expiry} ${q.strike}C x${p.quantity} at ${q.mid.toFixed(2)}`;
      reasons.push(reason);
      intents.push(
        hedgeIntent(
          'roll',
          n,
          q,
          p.quantity,
          reason,
          cause('alvh-roll', { dte, from: p.expiry, to: q.expiry }),
          p.id,
        ),
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
 * Seed preset (M§4): trigger-based layers. Layer 1 fires at the first 1.5% SPX move against an open
 * condor; another layer at every 2.5-sigma IV extension (VIX z-score). Each layer's vega is set in
 * proportion to the condor book's dollar gamma, and no layer exceeds 50% of the total hedge vega.
 */
export function alvhTriggered(inp: HedgeInputs, cfg: StrategyConfig): HedgeDecision {
  const h = cfg.hedge;
  const t = h.trigger;
  const intents: Intent[] = [];
  const reasons: string[] = [];
  let fired = inp.triggeredLayers;
  if (!h.enabled || inp.condors.length === 0) {
    return { intents, reasons, triggeredLayers: inp.condors.length === 0 ? 0 : fired };
  }
  let moveAgainst = 0;
  for (const c of inp.condors) {
    const entry = inp.chainEntrySpot[c.chainId];
    if (!entry) continue;
    const move = ((inp.spx - entry) / entry) * 100;
    const nearerPut = Math.abs(inp.spx - c.strikes.putShort) < Math.abs(inp.spx - c.strikes.callShort);
    const against = nearerPut ? -move : move;
    moveAgainst = Math.max(moveAgainst, against);
  }
  const wantLayer1 = fired === 0 && moveAgainst >= t.spxMovePct;
  const wantExtension = fired > 0 && inp.vixZScore !== null && inp.vixZScore >= t.ivZScore;
  if (!wantLayer1 && !wantExtension) return { intents, reasons, triggeredLayers: fired };
  const layerIndex = Math.min(fired, h.layers.length - 1);
  const layer = h.layers[layerIndex]!;
  const e = expiryNearDte(inp.options.expirations(inp.date), inp.date, layer.targetDte);
  const q = e ? inp.options.callNearDelta(inp.date, e, h.targetDelta) : undefined;
  if (!q || !(q.vega > 0)) {
    reasons.push('seed hedge trigger fired but no VIX call quote near the target');
    return { intents, reasons, triggeredLayers: fired };
  }
  // The hedge's sensitivity is what it gains when VIX rises: USD per contract for the VIX move that
  // comes with a 1% SPX drop = delta x 100 x vixPointsPerSpxPct. The target is vegaPerCondorGamma x the
  // condor book's dollar gamma for a 1% SPX move (assumptions that make M§4's "vega recalibrated in
  // proportion to the condor's gamma" concrete). Caps: no layer above maxLayerVegaShare of the total
  // hedge sensitivity, and no layer costing more than maxLayerPremiumPctOfEquity of equity.
  const perContractUsd = Math.max(q.delta, 0) * 100 * t.vixPointsPerSpxPct;
  if (!(perContractUsd > 0)) {
    reasons.push('seed hedge trigger fired but the VIX call has no delta');
    return { intents, reasons, triggeredLayers: fired };
  }
  const targetVegaUsd = t.vegaPerCondorGamma * inp.condorDollarGamma1Pct;
  const existingVegaUsd = inp.hedges.reduce((s, p) => {
    const pq = inp.options.call(inp.date, p.expiry, p.strike);
    return s + (pq ? Math.max(pq.delta, 0) * 100 * t.vixPointsPerSpxPct * p.quantity : 0);
  }, 0);
  const perContractVegaUsd = perContractUsd;
  let qty = Math.floor(targetVegaUsd / perContractUsd);
  if (existingVegaUsd > 0) {
    // layer share s = x / (E + x) <= cap  <=>  x <= cap E / (1 - cap)
    const cap = t.maxLayerVegaShare;
    const shareCap = cap >= 1 ? qty : Math.floor((cap * existingVegaUsd) / (1 - cap) / perContractUsd);
    qty = Math.min(qty, Math.max(shareCap, 0));
  }
  const budgetQty =
    q.mid > 0 ? Math.floor(((t.maxLayerPremiumPctOfEquity / 100) * inp.equity) / (q.mid * 100)) : 0;
  qty = Math.min(qty, budgetQty);
  fired += 1;
  if (qty <= 0) {
    reasons.push(
      `seed hedge trigger ${fired}: sized to 0 contracts (condor dollar gamma ${inp.condorDollarGamma1Pct.toFixed(0)} USD)`,
    );
    return { intents, reasons, triggeredLayers: fired };
  }
  const why = wantLayer1
    ? `SPX moved ${moveAgainst.toFixed(2)}% against the condor (>= ${t.spxMovePct}%)`
    : `VIX z-score ${(inp.vixZScore as number).toFixed(2)} >= ${t.ivZScore}`;
  const reason = `seed ALVH layer ${fired}: ${why}; buy ${qty} VIX ${q.expiry} ${q.strike}C (vega in proportion to condor gamma)`;
  reasons.push(reason);
  intents.push(
    hedgeIntent('open', layerIndex + 1, q, qty, reason, {
      rule: wantLayer1 ? 'seed-alvh-spx-move' : 'seed-alvh-iv-extension',
      inputs: {
        moveAgainstPct: moveAgainst,
        vixZScore: inp.vixZScore,
        targetVegaUsd,
        perContractVegaUsd,
        layer: fired,
      },
    }),
  );
  return { intents, reasons, triggeredLayers: fired };
}

export function alvh(inp: HedgeInputs, cfg: StrategyConfig): HedgeDecision {
  return cfg.hedge.mode === 'trigger' ? alvhTriggered(inp, cfg) : alvhLadder(inp, cfg);
}
