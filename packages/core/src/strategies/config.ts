import { ZodError, z } from 'zod';
import { DEFAULT_EDR_BIAS, EDR_MODES } from '../market/index';
import { configRuleProblems, problemsFromZod, StrategyConfigError, unknownConfigKeys } from './config-check';

/*
 * One schema for every strategy setting, with the default and its source next to each field. The
 * sources are docs/methodology.md: its rules (M§n, sections 1-6) and its rule notes (R#);
 * "assumption" marks a value the methodology leaves open.
 */

/** Default of sizing.maxContractsPerOrder: condors per entry or roll order (ADR 0009, a judgement). */
export const DEFAULT_MAX_CONTRACTS_PER_ORDER = 50;

/** Source of each default, by dotted path: printed by `vixshield config show`. */
export const DEFAULT_SOURCES: Readonly<Record<string, string>> = {
  'entry.timeCt': 'M§1 / R2: 15:10 America/Chicago every trading day',
  'entry.minTradingDaysToExpiry': 'M§1 / R1: 1DTE, the next trading day',
  'entry.maxTradingDaysToExpiry':
    'M§1 / R1: strictly 1DTE; before Aug 2016 most days have no next-day SPXW expiry and are skipped (raise it to trade the nearest later expiry)',
  'entry.tierPolicy':
    'assumption: the backtest trades the Conservative tier, the subject of the methodology claim of ~90% wins (R8); the signal shows every allowed tier; highest-allowed is an option',
  'edr.mode': 'M§1: default w = 1 (VIX9D), i.e. mode medium',
  'edr.multiplier': 'M§1: m = 1',
  'edr.bias': 'M§1 / R16: calibrated so VIX 17.95 gives 1.16%',
  'edr.k': 'M§1: shorts start at the first strike outside S +/- k * EDR, k = 1',
  'condor.wingWidth': 'M§1 / R4: 5-point-wide condor',
  'condor.strikeStep': 'M§1 / R6: RSAi moves in 5-point increments',
  'condor.tierCredits': 'M§1 / R3: 0.70 / 1.15 / 1.60',
  'condor.maxShortDelta': 'M§1: guard |delta| <= 0.30',
  'condor.premiumGaugeMin': 'M§1 / R7: no trade below 0.30 on the 5-wide condor at the EDR strikes',
  'sizing.maxLossFractionOfEquity': 'M§1 / R9: max loss at most 10% of equity',
  'sizing.maxContractsPerOrder':
    'assumption (ADR 0009, a judgement): at most 50 condors per entry or roll order, about the displayed size at the binding leg of OTM near-expiry SPXW verticals (median 35-108, lower quartile 22 on the 2019-06-26 chain); the methodology sizes by risk only',
  'gate.allTiersBelow': 'M§1 / R14: VIX < 15 all tiers',
  'gate.holdAbove': 'M§1 / R14: VIX > 20 HOLD',
  'gate.noTradesAbove': 'M§1 / R14: VIX > 25 no trades',
  'gate.reopenBelow': 'R14: the gate reopens when VIX drops back below 20',
  'gate.sizeScaleAbove':
    'M§1 / R14(a): size x0.5 above VIX 28 (another product page), off by default; it needs gate.holdAbove and gate.noTradesAbove above it (that page stays active in every regime), else the configuration is refused',
  'gate.sizeScaleFactor': 'M§1: 0.5',
  'gate.sizeScaleEnabled': 'M§1: optional',
  'events.policy':
    'M§1 / R32: skip by default; half-size-wider; post-announcement (0DTE after the release) needs intraday quotes and skips with that reason on daily data',
  'events.kinds': 'M§1: FOMC, CPI, PPI and payroll days',
  'events.halfSizeFactor': 'R32: half size',
  'events.widerK': 'R32: wider strikes (assumption: 1.5 x EDR)',
  'exits.policy': 'M§1 / R10-R11: hold to expiry',
  'exits.creditMultiple': 'R10 (Tier C): 2 x credit stop',
  'exits.itmFractionOfWidth': 'R10 (Tier A): exit when a short strike is 50% of the width in the money',
  'exits.intraday.stopCreditMultiple':
    'R10 (Tier C): 2x / 1.5x credit stops, evaluated at each intraday bar close on the mid cost to close (>= k x credit, as exits.creditMultiple); off (null) by default: R10 product voice, no stops',
  'exits.intraday.profitTakePct':
    'R11 (Tier C): close at 50% of max profit (mid cost to close <= (1 - p/100) x credit); off (null) by default: R11 product voice, no profit target',
  'exits.intraday.timeExitCt':
    'issue 16: a time exit on the expiry day (e.g. 12:00 CT) at the first bar close at or after it; assumption (the methodology names none); off (null) by default',
  'exits.intraday.shortStrikeTouch':
    'M§1 / R10 variant: close when a bar range reaches a short strike (at that bar close); off by default',
  'exits.intraday.daysWithoutBars':
    'issue 16: days without intraday bars use the daily-OHLC approximation (high and low both reached, the adverse extreme first) and are reported as such; hold = no intraday exit on those days',
  'exits.intraday.approximation.firstExtremeAt':
    'assumption: the daily-OHLC path reaches the adverse extreme at 1/3 of the session (the daily bar does not say when)',
  'exits.intraday.approximation.secondExtremeAt':
    'assumption: the daily-OHLC path reaches the other extreme at 2/3 of the session',
  'exits.intraday.approximation.barMinutes':
    'assumption: the daily-OHLC path is cut into 5-minute synthetic bars (exits are checked at their closes)',
  'roll.enabled': 'M§2: Temporal Theta Martingale on',
  'roll.edrThresholdPct': 'M§2 / R21: EDR > 0.94%',
  'roll.vixThreshold': 'M§2 / R21: VIX > 16',
  'roll.combine': 'M§2 / R21: OR by default, AND configurable',
  'roll.threatenedDelta': 'M§2: a short |delta| >= 0.30 is threatened',
  'roll.forwardMinDte': 'M§2: forward to 1-7 DTE',
  'roll.forwardMaxDte': 'M§2: forward to 1-7 DTE',
  'roll.minNetRollCredit': 'M§2: nearest expiry that gives a net roll credit >= 0',
  'roll.maxNetRollDebit':
    'issue 15 case 3 (assumption): a roll may pay a net debit up to 2.50 points per condor (half the 5-point wing); 0 = M§2 as published (net roll credit >= minNetRollCredit), which a 5-wide condor at the delta guard almost never meets',
  'roll.rollbackMinDte': 'M§2 / R22: a chain at 3+ DTE rolls back',
  'roll.rollbackMaxDte': 'M§2 / R22: back to 0-2 DTE',
  'roll.rollbackRequiresBelowVwap': 'M§2 / R22: and SPX below session VWAP (typical-price approximation)',
  'roll.rollbackMode': 'M§2: rollback to 0-2 DTE; the seed preset uses next-weekly (M§4)',
  'roll.seedBreakevenFractionOfEdr':
    'M§4: within a configurable fraction of EDR of the break-even (assumption 0.25)',
  'roll.seedNextWeeklyMinDte':
    'M§4: into the next weekly cycle (e.g. 0 DTE -> 7 DTE): 5-7 trading days (assumption)',
  'roll.seedNextWeeklyMaxDte':
    'M§4: into the next weekly cycle (e.g. 0 DTE -> 7 DTE): 5-7 trading days (assumption)',
  'roll.maxRolls': 'M§2: at most 3 rolls per chain (assumption)',
  'roll.sizeMultiplier': 'M§2: same quantity (1.0)',
  'roll.sizeMultiplierCap': 'M§2: hard cap',
  'hedge.enabled': 'M§3: ALVH on, never paused by the gate',
  'hedge.mode': 'M§3: standing ladder; the seed preset is trigger-based (M§4)',
  'hedge.layers':
    'M§3 / R25, R30: 30/110/220 DTE, 4:4:2, roll at 10/60/110 DTE (roll schedule is an assumption)',
  'hedge.targetDelta': 'M§3 / R26: 0.50 delta',
  'hedge.refreshBelowVix': 'M§3 / R29: opened or refreshed when VIX < 15',
  'hedge.restrikeDeltaBand':
    'M§3: below VIX 15 strikes are reset near 0.50 delta (assumption: a layer is re-struck when its delta is more than 0.20 away)',
  'hedge.minHoldFractionBeforeRoll':
    'M§3: the expiry nearest the target DTE beyond the roll point (assumption: with at least half the layer span, target - roll DTE, left)',
  'hedge.sizing':
    'M§3 / R27: a yearly premium budget as a share of equity (issue 15: a fixed unit ignores the equity); unit in contracts optional',
  'hedge.unitContracts': 'R27: unit left open; 1 contract per ratio point',
  'hedge.budgetPctOfEquityPerYear': 'M§3: 1.5% of equity a year',
  'hedge.vegaMartingale.enabled': 'M§3 / R24: Temporal Vega Martingale, off by default',
  'hedge.vegaMartingale.gainMultiple': 'M§3: L1 worth >= 2x its cost',
  'hedge.vegaMartingale.sellFraction': 'M§3: sell half of L1',
  'hedge.trigger.spxMovePct': 'M§4: layer 1 at the first 1.5% SPX move against the condor',
  'hedge.trigger.ivZScore': 'M§4: another layer at every 2.5-sigma IV extension',
  'hedge.trigger.zLookbackDays': 'M§4: VIX z-score over 20 days',
  'hedge.trigger.maxLayerVegaShare': 'M§4: no layer above 50% of total hedge vega',
  'hedge.trigger.vixPointsPerSpxPct':
    'assumption: VIX rises about 1 point per 1% SPX drop (hedge sensitivity = delta x 100 x this)',
  'hedge.trigger.maxLayerPremiumPctOfEquity': 'assumption: a trigger layer costs at most 2% of equity',
  'hedge.trigger.vegaPerCondorGamma':
    'M§4: hedge vega in proportion to the condor gamma (assumption: scale factor)',
};

const tierCredits = z.object({
  conservative: z.number().positive().default(0.7),
  balanced: z.number().positive().default(1.15),
  aggressive: z.number().positive().default(1.6),
});

const hedgeLayer = z.object({
  targetDte: z.number().int().positive(),
  ratio: z.number().nonnegative(),
  rollAtDte: z.number().int().nonnegative(),
});

export const strategyConfigSchema = z.object({
  entry: z
    .object({
      timeCt: z
        .string()
        .regex(/^\d{2}:\d{2}$/)
        .default('15:10'),
      minTradingDaysToExpiry: z.number().int().min(0).default(1),
      maxTradingDaysToExpiry: z.number().int().min(0).default(1),
      tierPolicy: z
        .enum(['highest-allowed', 'conservative', 'balanced', 'aggressive'])
        .default('conservative'),
    })
    .prefault({}),
  edr: z
    .object({
      mode: z.enum(EDR_MODES as unknown as ['low', 'medium', 'high', 'glossary-literal']).default('medium'),
      multiplier: z.number().positive().default(1),
      bias: z.number().positive().default(DEFAULT_EDR_BIAS),
      k: z.number().positive().default(1),
    })
    .prefault({}),
  condor: z
    .object({
      wingWidth: z.number().positive().default(5),
      strikeStep: z.number().positive().default(5),
      tierCredits: tierCredits.prefault({}),
      maxShortDelta: z.number().positive().max(1).default(0.3),
      premiumGaugeMin: z.number().nonnegative().default(0.3),
    })
    .prefault({}),
  sizing: z
    .object({
      maxLossFractionOfEquity: z.number().positive().max(1).default(0.1),
      /**
       * Liquidity: the most condors one entry or roll order may have, whatever the equity allows (ADR
       * 0009). Without it a compounding account sells thousands of 1DTE condors a day at the modelled
       * fill, which no displayed size would absorb.
       */
      maxContractsPerOrder: z.number().int().min(1).max(10_000).default(DEFAULT_MAX_CONTRACTS_PER_ORDER),
    })
    .prefault({}),
  gate: z
    .object({
      allTiersBelow: z.number().default(15),
      holdAbove: z.number().default(20),
      noTradesAbove: z.number().default(25),
      reopenBelow: z.number().default(20),
      sizeScaleEnabled: z.boolean().default(false),
      sizeScaleAbove: z.number().default(28),
      sizeScaleFactor: z.number().positive().max(1).default(0.5),
    })
    .superRefine((g, ctx) => {
      // Issue 15 case 10: new condors open only at VIX <= holdAbove (HOLD above it, no trades above
      // noTradesAbove), so a size scale above that level could never apply. It belongs to the page that
      // stays active in every regime (R14 (a)): say how to get it instead of silently ignoring it.
      if (g.sizeScaleEnabled && g.sizeScaleAbove >= g.holdAbove) {
        ctx.addIssue({
          code: 'custom',
          path: ['sizeScaleAbove'],
          message: `the x${g.sizeScaleFactor} size above VIX ${g.sizeScaleAbove} can never apply: new condors stop above VIX ${g.holdAbove} (HOLD) and all trades above ${g.noTradesAbove}. For the "stay active, cut size above 28" reading (R14 (a)) also raise gate.holdAbove and gate.noTradesAbove above ${g.sizeScaleAbove} (e.g. 100), or set gate.sizeScaleAbove below ${g.holdAbove}`,
        });
      }
    })
    .prefault({}),
  events: z
    .object({
      policy: z.enum(['skip', 'half-size-wider', 'post-announcement', 'ignore']).default('skip'),
      kinds: z.array(z.enum(['fomc', 'cpi', 'ppi', 'payrolls'])).default(['fomc', 'cpi', 'ppi', 'payrolls']),
      halfSizeFactor: z.number().positive().max(1).default(0.5),
      widerK: z.number().positive().default(1.5),
    })
    .prefault({}),
  exits: z
    .object({
      policy: z.enum(['hold', 'strike-itm', 'credit-multiple']).default('hold'),
      creditMultiple: z.number().positive().default(2),
      itmFractionOfWidth: z.number().positive().default(0.5),
      /**
       * Exit rules evaluated at each intraday bar close (core/src/strategies/exits/intraday-exits.ts).
       * Every rule is off by default: no rule set = the daily behaviour above, unchanged.
       */
      intraday: z
        .object({
          stopCreditMultiple: z.number().positive().nullable().default(null),
          profitTakePct: z.number().positive().max(100).nullable().default(null),
          timeExitCt: z
            .string()
            .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (Chicago time), e.g. 12:00')
            .nullable()
            .default(null),
          shortStrikeTouch: z.boolean().default(false),
          daysWithoutBars: z.enum(['ohlc-approximation', 'hold']).default('ohlc-approximation'),
          approximation: z
            .object({
              firstExtremeAt: z
                .number()
                .gt(0)
                .lt(1)
                .default(1 / 3),
              secondExtremeAt: z
                .number()
                .gt(0)
                .lt(1)
                .default(2 / 3),
              barMinutes: z.number().int().positive().max(60).default(5),
            })
            .refine((a) => a.firstExtremeAt < a.secondExtremeAt, {
              message: 'firstExtremeAt must be below secondExtremeAt',
              path: ['secondExtremeAt'],
            })
            .prefault({}),
        })
        .prefault({}),
    })
    .prefault({}),
  roll: z
    .object({
      enabled: z.boolean().default(true),
      edrThresholdPct: z.number().positive().default(0.94),
      vixThreshold: z.number().positive().default(16),
      combine: z.enum(['or', 'and']).default('or'),
      threatenedDelta: z.number().positive().max(1).default(0.3),
      forwardMinDte: z.number().int().min(0).default(1),
      forwardMaxDte: z.number().int().positive().default(7),
      minNetRollCredit: z.number().default(0),
      maxNetRollDebit: z.number().nonnegative().default(2.5),
      rollbackMinDte: z.number().int().min(0).default(3),
      rollbackMaxDte: z.number().int().min(0).default(2),
      rollbackRequiresBelowVwap: z.boolean().default(true),
      rollbackMode: z.enum(['back-to-short', 'next-weekly']).default('back-to-short'),
      seedBreakevenFractionOfEdr: z.number().positive().default(0.25),
      seedNextWeeklyMinDte: z.number().int().positive().default(5),
      seedNextWeeklyMaxDte: z.number().int().positive().default(7),
      maxRolls: z.number().int().min(0).default(3),
      sizeMultiplier: z.number().positive().default(1),
      sizeMultiplierCap: z.number().positive().default(1),
    })
    .prefault({}),
  hedge: z
    .object({
      enabled: z.boolean().default(true),
      mode: z.enum(['ladder', 'trigger']).default('ladder'),
      layers: z.array(hedgeLayer).default([
        { targetDte: 30, ratio: 4, rollAtDte: 10 },
        { targetDte: 110, ratio: 4, rollAtDte: 60 },
        { targetDte: 220, ratio: 2, rollAtDte: 110 },
      ]),
      targetDelta: z.number().positive().max(1).default(0.5),
      refreshBelowVix: z.number().positive().default(15),
      restrikeDeltaBand: z.number().nonnegative().max(1).default(0.2),
      minHoldFractionBeforeRoll: z.number().min(0).max(1).default(0.5),
      sizing: z.enum(['unit', 'budget']).default('budget'),
      unitContracts: z.number().positive().default(1),
      budgetPctOfEquityPerYear: z.number().nonnegative().default(1.5),
      vegaMartingale: z
        .object({
          enabled: z.boolean().default(false),
          gainMultiple: z.number().positive().default(2),
          sellFraction: z.number().positive().max(1).default(0.5),
        })
        .prefault({}),
      trigger: z
        .object({
          spxMovePct: z.number().positive().default(1.5),
          ivZScore: z.number().positive().default(2.5),
          zLookbackDays: z.number().int().min(2).default(20),
          maxLayerVegaShare: z.number().positive().max(1).default(0.5),
          vegaPerCondorGamma: z.number().positive().default(1),
          vixPointsPerSpxPct: z.number().positive().default(1),
          maxLayerPremiumPctOfEquity: z.number().positive().default(2),
        })
        .prefault({}),
    })
    .prefault({}),
});

export type StrategyConfig = z.infer<typeof strategyConfigSchema>;
/** A partial configuration as a user writes it (file or preset): anything left out takes the default. */
export type StrategyConfigInput = z.input<typeof strategyConfigSchema>;

export const PRESET_NAMES = ['vixshield', 'seed', 'conservative', 'balanced', 'aggressive'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Presets are overrides of the defaults; the defaults are the `vixshield` preset. */
export const PRESETS: Readonly<Record<PresetName, { description: string; overrides: StrategyConfigInput }>> =
  {
    vixshield: {
      description:
        'The methodology as published: daily 1DTE condor, VIX gate, Temporal Theta Martingale, standing ALVH ladder.',
      overrides: {},
    },
    seed: {
      description:
        'The variant the project started from (M§4): trigger-based ALVH layers (1.5% SPX move, 2.5-sigma IV extensions), rollback of an expiring condor into the next weekly cycle near the break-even.',
      overrides: {
        hedge: { mode: 'trigger' },
        roll: { rollbackMode: 'next-weekly' },
      },
    },
    conservative: {
      description: 'Trades only the Conservative (0.70) tier.',
      overrides: { entry: { tierPolicy: 'conservative' } },
    },
    balanced: {
      description: 'Trades only the Balanced (1.15) tier.',
      overrides: { entry: { tierPolicy: 'balanced' } },
    },
    aggressive: {
      description: 'Trades only the Aggressive (1.60) tier (the gate still blocks it at VIX >= 15).',
      overrides: { entry: { tierPolicy: 'aggressive' } },
    },
  };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge of plain objects (arrays and scalars from `over` replace). */
export function mergeConfig(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeConfig(base[k], v);
  return out;
}

/**
 * The resolved configuration of a preset, optionally with user overrides on top. Throws a
 * StrategyConfigError listing every problem: unknown keys (with the nearest known one), fields of the
 * wrong type or out of the schema's bounds, and the consistency rules of config-check.ts. `source` names
 * where the overrides came from (a file path, "body.config") in the messages.
 */
export function resolveConfig(
  preset: PresetName = 'vixshield',
  overrides: unknown = {},
  source = 'config',
): StrategyConfig {
  if (!(PRESET_NAMES as readonly string[]).includes(preset)) {
    throw new StrategyConfigError(
      [{ path: 'preset', message: `unknown preset '${String(preset)}'`, allowed: PRESET_NAMES.join(', ') }],
      source,
    );
  }
  if (overrides !== undefined && overrides !== null && !isPlainObject(overrides)) {
    throw new StrategyConfigError(
      [{ path: '(top level)', message: 'a configuration is a mapping of fields, e.g. {"edr": {"k": 1.2}}' }],
      source,
    );
  }
  const unknown = unknownConfigKeys(strategyConfigSchema, overrides ?? {});
  if (unknown.length) throw new StrategyConfigError(unknown, source);
  const merged = mergeConfig(PRESETS[preset].overrides, overrides ?? {});
  let config: StrategyConfig;
  try {
    config = strategyConfigSchema.parse(merged);
  } catch (err) {
    if (err instanceof ZodError) throw new StrategyConfigError(problemsFromZod(err), source);
    throw err;
  }
  const inconsistent = configRuleProblems(config);
  if (inconsistent.length) throw new StrategyConfigError(inconsistent, source);
  return config;
}

let maxHedgeLayers: number | undefined;
/**
 * The most hedge layers any preset's config has (3 for every preset today): the layers a recorded fill
 * may name when the book is not tied to one config (the journal, POST /api/book).
 */
export function maxPresetHedgeLayers(): number {
  maxHedgeLayers ??= Math.max(...PRESET_NAMES.map((p) => resolveConfig(p).hedge.layers.length));
  return maxHedgeLayers;
}
