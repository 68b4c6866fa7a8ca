/**
 * The methodology glossary as pure data: definitions from docs/methodology.md (its rules, M§n, and the
 * glossary in its rule notes, research §2), the module that implements each rule, and the config
 * paths of its parameters. Parameter values are never copied here: `explain.ts` reads them from
 * resolveConfig() and DEFAULT_SOURCES so they cannot drift.
 */
export interface GlossaryTerm {
  readonly key: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly definition: string;
  readonly rule: string;
  readonly modules: readonly string[];
  /** Config paths (exact, or a prefix ending in '.') whose values and sources are listed. */
  readonly params: readonly string[];
  readonly source: string;
}

export const GLOSSARY: readonly GlossaryTerm[] = [
  {
    key: 'iron-condor-command',
    name: 'Iron Condor Command',
    aliases: ['icc', 'daily trade', 'iron condor'],
    definition:
      'The core daily income strategy: a short SPXW iron condor expiring the next trading day (1DTE, PM-settled), entered at 15:10 CT every trading day and held to expiry by default.',
    rule: 'calendar filter -> event filter -> VIX gate -> EDR -> Premium Gauge -> RSAi per allowed tier -> sizing -> signal; one engine step per session.',
    modules: ['packages/core/src/strategies/iron-condor/command.ts', 'packages/core/src/engine/step.ts'],
    params: ['entry.', 'condor.wingWidth', 'sizing.', 'exits.'],
    source: 'docs/methodology.md §1; research §2.1 "Iron Condor Command"',
  },
  {
    key: 'edr',
    name: 'EDR (Expected Daily Range)',
    aliases: ['expected daily range', 'expected-daily-range'],
    definition:
      "The day's expected SPX range in percent of spot: edrPct = m * bias * blendVol / sqrt(252), blendVol = w * VIX9D + (1 - w) * HV20; edrPts = edrPct / 100 * SPX. Modes low (VIX), medium (VIX9D, default), high (0.5 VIX9D + 0.5 HV20) and the unverified glossary-literal form.",
    rule: 'computeEdr(): bias calibrated so VIX 17.95 gives 1.16%; VIX9D falls back to VIX (and says so). Short strikes start at the first strike outside SPX +/- k * edrPts.',
    modules: ['packages/core/src/market/edr.ts'],
    params: ['edr.'],
    source: 'docs/methodology.md §1; research §2.1 "EDR"',
  },
  {
    key: 'rsai',
    name: 'RSAi (Rapid Skew AI strike search)',
    aliases: ['rsai strike search', 'rapid skew ai', 'strike search'],
    definition:
      'Skew-aware strike selection: start at the EDR-boundary strikes, and while the credit is below the tier target move the short strike of the side with the richer skew 5 points inward (alternating on ties), wings kept at the configured width; stop at the target or return no trade when a guard is hit.',
    rule: 'rsaiSearch(): steps of condor.strikeStep, guard |short delta| <= condor.maxShortDelta.',
    modules: ['packages/core/src/strategies/iron-condor/rsai.ts'],
    params: ['condor.strikeStep', 'condor.wingWidth', 'condor.maxShortDelta', 'edr.k'],
    source: 'docs/methodology.md §1; research §2.1 "RSAi"',
  },
  {
    key: 'premium-gauge',
    name: 'Premium Gauge',
    aliases: ['gauge'],
    definition:
      'The credit of the standard 5-point-wide condor at the EDR-boundary strikes: a go/no-go reading of how much premium the market pays today.',
    rule: 'premiumGauge(); no trade when the gauge is below condor.premiumGaugeMin.',
    modules: [
      'packages/core/src/strategies/iron-condor/rsai.ts',
      'packages/core/src/strategies/iron-condor/command.ts',
    ],
    params: ['condor.premiumGaugeMin', 'condor.wingWidth'],
    source: 'docs/methodology.md §1; research §2.1 "Premium Gauge"',
  },
  {
    key: 'tiers',
    name: 'Credit tiers (Conservative / Balanced / Aggressive)',
    aliases: ['tier', 'conservative', 'balanced', 'aggressive', 'credit tiers'],
    definition:
      'Three credit targets for the 5-wide condor: Conservative 0.70, Balanced 1.15, Aggressive 1.60 points; the glossary win-odds bands (90-95 / 85-90 / 80-85%) are metadata to check against backtests.',
    rule: 'RSAi searches each tier the VIX gate allows; entry.tierPolicy picks the one traded.',
    modules: ['packages/core/src/strategies/iron-condor/command.ts'],
    params: ['condor.tierCredits', 'entry.tierPolicy'],
    source: 'docs/methodology.md §1; research §2.1 "Credit tiers"',
  },
  {
    key: 'vix-gate',
    name: 'VIX gate (VIX Risk Scaling)',
    aliases: ['vix risk scaling', 'gate', 'regime'],
    definition:
      'Which tiers may trade at the 15:10 CT VIX: below 15 all tiers; 15-20 Conservative and Balanced; above 20 HOLD; above 25 no trades. Optional size x0.5 above VIX 28.',
    rule: 'vixGate(): evaluated on VIX at entry, with hysteresis (reopens below gate.reopenBelow).',
    modules: ['packages/core/src/strategies/regime/vix-gate.ts'],
    params: ['gate.'],
    source: 'docs/methodology.md §1; research §2.1 "VIX Risk Scaling"',
  },
  {
    key: 'hold',
    name: 'HOLD mode',
    aliases: ['hold mode'],
    definition:
      'VIX above the HOLD threshold: no new condors; existing positions and the ALVH hedge are left untouched.',
    rule: 'The VIX gate returns hold = true and no allowed tiers; the hedge is never paused by it.',
    modules: ['packages/core/src/strategies/regime/vix-gate.ts'],
    params: ['gate.holdAbove', 'gate.reopenBelow'],
    source: 'docs/methodology.md §1; research §2.1 "HOLD mode"',
  },
  {
    key: 'temporal-theta-martingale',
    name: 'Temporal Theta Martingale',
    aliases: ['ttm', 'theta time shift', 'roll', 'rolls', 'forward roll'],
    definition:
      'A martingale in time, not size: a threatened condor is re-sold in another expiry instead of being stopped out. Forward to 1-7 DTE when EDR > 0.94% or VIX > 16 (same quantity, nearest expiry with a net roll credit >= 0); otherwise it expires.',
    rule: 'temporalThetaMartingale(), isThreatened(), forwardTrigger(): a state machine per condor chain: threatened when SPX is at or beyond a short strike or a short |delta| >= roll.threatenedDelta at the check time; at most roll.maxRolls rolls per chain.',
    modules: ['packages/core/src/strategies/roll/temporal-theta-martingale.ts'],
    params: ['roll.'],
    source: 'docs/methodology.md §2; research §2.1 "Temporal Theta Martingale"',
  },
  {
    key: 'rollback',
    name: 'Rollback (0-2 DTE theta harvest)',
    aliases: ['roll back', 'roll-back'],
    definition:
      'A chain at 3+ DTE rolls back to 0-2 DTE when EDR < 0.94% and SPX is below the session VWAP (approximated by the typical price (H+L+C)/3 with daily data). The seed preset rolls an expiring 0-2 DTE condor into the next weekly cycle instead when SPX nears break-even.',
    rule: 'Part of the Temporal Theta Martingale state machine; roll.rollbackMode selects the variant.',
    modules: ['packages/core/src/strategies/roll/temporal-theta-martingale.ts'],
    params: [
      'roll.rollbackMinDte',
      'roll.rollbackMaxDte',
      'roll.rollbackRequiresBelowVwap',
      'roll.rollbackMode',
      'roll.seedBreakevenFractionOfEdr',
      'roll.edrThresholdPct',
    ],
    source: 'docs/methodology.md §2 and §4',
  },
  {
    key: 'time-shifting',
    name: 'Time-Shifting',
    aliases: ['time shifting', 'time travel'],
    definition:
      "Changing the expiry of an open position (rolling forward or back) or moving hedge exposure along the VIX term structure; the pages also use it for a mental 'fast-forward' of the Greeks.",
    rule: 'Implemented as the roll primitive used by the Temporal Theta Martingale and the ALVH layer rolls; nothing else.',
    modules: [
      'packages/core/src/strategies/roll/temporal-theta-martingale.ts',
      'packages/core/src/strategies/hedge/alvh.ts',
    ],
    params: ['roll.forwardMinDte', 'roll.forwardMaxDte', 'roll.rollbackMinDte', 'roll.rollbackMaxDte'],
    source: 'docs/methodology.md, research §2.1 "Time-Shifting"',
  },
  {
    key: 'alvh',
    name: 'ALVH (Adaptive Layered VIX Hedge)',
    aliases: ['adaptive layered vix hedge', 'hedge', 'vix hedge', 'ladder'],
    definition:
      'A standing ladder of long VIX calls in three layers at 30 / 110 / 220 DTE, quantities 4 : 4 : 2 times a unit, strikes nearest 0.50 delta (Black-76 on the matching VX future); opened or refreshed when VIX < 15, never paused by the VIX gate.',
    rule: 'alvh() -> alvhLadder() or alvhTriggered(): standing ladder by default; the seed preset is trigger-based (hedge.trigger.*). Sizing by a unit in contracts or a yearly budget in percent of equity.',
    modules: [
      'packages/core/src/strategies/hedge/alvh.ts',
      'packages/core/src/strategies/hedge/vix-options.ts',
    ],
    params: ['hedge.'],
    source: 'docs/methodology.md §3; research §2.1 "ALVH"',
  },
  {
    key: 'temporal-vega-martingale',
    name: 'Temporal Vega Martingale',
    aliases: ['tvm', 'vega martingale'],
    definition:
      'An optional ALVH policy: when layer 1 is worth at least 2x its cost and VIX is back below its 5-day average, sell half of L1 and add the proceeds to L2/L3. Off by default.',
    rule: 'Inside the ALVH strategy, enabled by hedge.vegaMartingale.enabled.',
    modules: ['packages/core/src/strategies/hedge/alvh.ts'],
    params: ['hedge.vegaMartingale.'],
    source: 'docs/methodology.md §3; research §2.1 "Temporal Vega Martingale"',
  },
  {
    key: 'seed-preset',
    name: 'Seed preset',
    aliases: ['seed', 'seed profile'],
    definition:
      'The variant from the question that started the project: trigger-based ALVH layers (first at a 1.5% SPX move against the condor, another at every 2.5-sigma VIX z-score extension, no layer above 50% of hedge vega) and a rollback of an expiring 0-2 DTE condor into the next weekly cycle near break-even.',
    rule: 'PRESETS.seed in the strategy config; run it with --preset seed (or ?preset=seed).',
    modules: ['packages/core/src/strategies/config.ts'],
    params: ['hedge.mode', 'hedge.trigger.', 'roll.rollbackMode', 'roll.seedBreakevenFractionOfEdr'],
    source: 'docs/methodology.md §4',
  },
  {
    key: 'event-days',
    name: 'Event days',
    aliases: ['events', 'event', 'fomc', 'cpi'],
    definition:
      'FOMC, CPI, PPI and payroll days: skipped by default; the variants "half size, wider strikes" and "0DTE after the announcement" exist for studies.',
    rule: 'The event filter runs before the VIX gate; events.policy chooses skip, half size or wider strikes.',
    modules: ['packages/core/src/strategies/events/event-filter.ts'],
    params: ['events.'],
    source: 'docs/methodology.md §1; research §1.5',
  },
  {
    key: 'sizing',
    name: 'Sizing (max loss per equity)',
    aliases: ['position sizing', 'max loss'],
    definition:
      'Max loss (width - credit) * 100 * quantity is at most 10% of equity; and no order has more than sizing.maxContractsPerOrder condors (50: a liquidity limit, ADR 0009).',
    rule: 'contracts = min(floor(fraction * equity / max loss per condor) x the gate size multiplier, the room left under the book cap, sizing.maxContractsPerOrder); the reason says when the liquidity limit binds. Rolls: the same limit per roll order.',
    modules: ['packages/core/src/strategies/iron-condor/command.ts', 'packages/core/src/engine/step.ts'],
    params: ['sizing.', 'gate.sizeScaleAbove', 'gate.sizeScaleFactor', 'gate.sizeScaleEnabled'],
    source: 'docs/methodology.md §1',
  },
  {
    key: 'exits',
    name: 'Exits (hold to expiry)',
    aliases: ['exit', 'stop'],
    definition:
      'Hold to expiry by default; variants exit when a short strike is 50% of the width in the money, or stop at k x credit; intraday rules (exits.intraday: stop at k x credit, profit take, time exit, short-strike touch) run at every SPX bar close, on the daily-OHLC approximation where no bars exist; the condor is marked with real recorded quotes where the chain source of the run has a chain stamped at or at most 5 minutes before the bar close (never after), modelled elsewhere, and every report counts both.',
    rule: "exits.policy selects the daily variant; exits.intraday rules run in the backtest's intraday exit phase (docs/intraday.md).",
    modules: ['packages/core/src/engine/step.ts', 'packages/core/src/backtest/intraday-exit-phase.ts'],
    params: ['exits.'],
    source: 'docs/methodology.md §1',
  },
  {
    key: 'entry-time',
    name: 'Entry at 15:10 CT (After-Close PDT Shield)',
    aliases: ['15:10', 'pdt shield', 'after-close pdt shield', 'entry'],
    definition:
      'Entry at 15:10 CT: after the 15:00 cash close, before SPX options stop at 15:15; held overnight, so it is never a day trade under the PDT rule.',
    rule: 'Backtest sessions and the signal are stamped at entry.timeCt in America/Chicago; the scheduler runs at close + 10 min CT on early-close days (see apps/server/src/scheduler.ts).',
    modules: ['packages/core/src/calendar/index.ts', 'packages/core/src/backtest/index.ts'],
    params: ['entry.timeCt', 'entry.minTradingDaysToExpiry', 'entry.maxTradingDaysToExpiry'],
    source: 'docs/methodology.md §1; research §2.1 "After-Close PDT Shield"',
  },
  {
    key: 'unlimited-cash-system',
    name: 'Unlimited Cash System',
    aliases: ['ucs', 'full system'],
    definition:
      'An umbrella name for Iron Condor Command + ALVH + Temporal Theta Martingale; it has no rules of its own and maps to the full-system (vixshield) preset.',
    rule: 'The vixshield preset with every component on.',
    modules: ['packages/core/src/strategies/config.ts'],
    params: [],
    source: 'docs/methodology.md, research §2.1 "Unlimited Cash System"',
  },
];
