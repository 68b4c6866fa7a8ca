import type { ZodError } from 'zod';
import { InvalidInputError } from '../domain/errors';

/*
 * What the schema's field types cannot say about a strategy configuration: keys it does not know (a
 * typo would otherwise be ignored and the default silently used), thresholds that contradict each other
 * (a gate that holds below the level where it allows every tier), and values that type-check but make no
 * trading sense (a 5-wide condor asked for a 7.00 credit). One table, used by every edge (CLI files,
 * HTTP bodies, sweeps, studies) through resolveConfig.
 */

/** One thing wrong with a configuration: the dotted path, what is wrong and what is allowed. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
  readonly allowed?: string;
}

/** A configuration refused: every problem found, each with its path (not only the first). */
export class StrategyConfigError extends InvalidInputError {
  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly source = 'config',
  ) {
    super(
      `invalid configuration:\n  ${problems.map((p) => `${source}: ${formatConfigProblem(p)}`).join('\n  ')}`,
      problems[0]?.path ?? 'config',
      'fix the fields named above (`vixshield config show` prints every field with its default and source)',
    );
    Object.defineProperty(this, 'name', { value: 'StrategyConfigError' });
  }
}

export function formatConfigProblem(p: ConfigProblem): string {
  return `field "${p.path}": ${p.message}${p.allowed ? ` (allowed: ${p.allowed})` : ''}`;
}

export function problemsFromZod(err: ZodError): ConfigProblem[] {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** The parts of a zod 4 schema this walk reads (kept structural: no dependency on zod internals' types). */
interface SchemaNode {
  def: { type: string; innerType?: SchemaNode; shape?: Record<string, SchemaNode>; element?: SchemaNode };
  shape?: Record<string, SchemaNode>;
}

function unwrap(s: SchemaNode): SchemaNode {
  let cur = s;
  while (
    ['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(cur.def.type) &&
    cur.def.innerType
  )
    cur = cur.def.innerType;
  return cur;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Edit distance, for "did you mean" on a misspelt key. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
      );
      prev = cur;
    }
  }
  return row[b.length] as number;
}

/** Keys in `input` that the schema does not have, with the nearest known key when one is close. */
export function unknownConfigKeys(schema: unknown, input: unknown, prefix: string[] = []): ConfigProblem[] {
  const node = unwrap(schema as SchemaNode);
  if (node.def.type === 'array' && node.def.element && Array.isArray(input)) {
    return input.flatMap((item, i) => unknownConfigKeys(node.def.element, item, [...prefix, String(i)]));
  }
  if (node.def.type !== 'object' || !isPlainObject(input)) return [];
  const shape = (node.shape ?? node.def.shape ?? {}) as Record<string, SchemaNode>;
  const known = Object.keys(shape);
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(input)) {
    const child = shape[key];
    if (child) {
      problems.push(...unknownConfigKeys(child, value, [...prefix, key]));
      continue;
    }
    const nearest = known
      .map((k) => ({ k, d: distance(key, k) }))
      .sort((x, y) => x.d - y.d)
      .find((x) => x.d <= Math.max(2, Math.floor(key.length / 3)));
    const where = prefix.length ? `under "${prefix.join('.')}"` : 'at the top level';
    problems.push({
      path: [...prefix, key].join('.'),
      message: `unknown key ${where}${nearest ? `; did you mean "${nearest.k}"?` : ''}`,
      allowed: known.join(', '),
    });
  }
  return problems;
}

/**
 * A rule over the parsed configuration. `holds` is true for a sound configuration; `path` is the field
 * reported (the one a user most likely mistyped).
 */
export interface ConfigRule<C> {
  readonly path: string;
  readonly holds: (c: C) => boolean;
  readonly message: (c: C) => string;
  readonly allowed: (c: C) => string;
}

const hhmm = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** The configuration fields the rules read (the schema's output type satisfies it). */
export interface CheckedConfig {
  entry: { timeCt: string; minTradingDaysToExpiry: number; maxTradingDaysToExpiry: number };
  edr: { multiplier: number; k: number };
  condor: {
    wingWidth: number;
    strikeStep: number;
    tierCredits: { conservative: number; balanced: number; aggressive: number };
    maxShortDelta: number;
  };
  gate: { allTiersBelow: number; holdAbove: number; noTradesAbove: number; reopenBelow: number };
  exits: { creditMultiple: number };
  roll: {
    forwardMinDte: number;
    forwardMaxDte: number;
    rollbackMinDte: number;
    rollbackMaxDte: number;
    seedNextWeeklyMinDte: number;
    seedNextWeeklyMaxDte: number;
    maxRolls: number;
    sizeMultiplier: number;
    sizeMultiplierCap: number;
  };
  hedge: {
    enabled: boolean;
    layers: ReadonlyArray<{ targetDte: number; ratio: number; rollAtDte: number }>;
    budgetPctOfEquityPerYear: number;
  };
}

const range = (lo: number, hi: number, unit = '') => `${lo}..${hi}${unit}`;

/**
 * The consistency and plausibility rules. Bounds are wide on purpose: they refuse typos and unit slips
 * (a VIX level of 2000, a credit above the wing width, a 10,000% budget), not unusual choices.
 */
export const CONFIG_RULES: ReadonlyArray<ConfigRule<CheckedConfig>> = [
  {
    path: 'entry.timeCt',
    // The SPX options session is 08:30-15:15 CT (15:00 index close + the 15-minute option tail).
    holds: (c) => hhmm(c.entry.timeCt) >= 8 * 60 + 30 && hhmm(c.entry.timeCt) <= 15 * 60 + 15,
    message: (c) => `${c.entry.timeCt} is outside the SPX options session`,
    allowed: () => '08:30..15:15 (Chicago time)',
  },
  {
    path: 'entry.maxTradingDaysToExpiry',
    holds: (c) => c.entry.maxTradingDaysToExpiry >= c.entry.minTradingDaysToExpiry,
    message: (c) =>
      `${c.entry.maxTradingDaysToExpiry} is below entry.minTradingDaysToExpiry ${c.entry.minTradingDaysToExpiry}: no expiry could qualify`,
    allowed: (c) => `>= ${c.entry.minTradingDaysToExpiry}`,
  },
  {
    path: 'edr.k',
    holds: (c) => c.edr.k <= 5,
    message: (c) => `${c.edr.k} puts the shorts ${c.edr.k} expected daily ranges away`,
    allowed: () => range(0, 5, ' (exclusive of 0)'),
  },
  {
    path: 'edr.multiplier',
    holds: (c) => c.edr.multiplier <= 5,
    message: (c) => `${c.edr.multiplier} scales the EDR beyond any reading of the methodology`,
    allowed: () => range(0, 5, ' (exclusive of 0)'),
  },
  {
    path: 'condor.wingWidth',
    holds: (c) => c.condor.wingWidth <= 200,
    message: (c) => `${c.condor.wingWidth} points is not a wing width`,
    allowed: () => range(5, 200, ' points'),
  },
  {
    path: 'condor.wingWidth',
    holds: (c) =>
      Math.abs(
        c.condor.wingWidth / c.condor.strikeStep - Math.round(c.condor.wingWidth / c.condor.strikeStep),
      ) < 1e-9,
    message: (c) =>
      `${c.condor.wingWidth} is not a multiple of condor.strikeStep ${c.condor.strikeStep}: the long strike would not be listed`,
    allowed: (c) => `a multiple of ${c.condor.strikeStep}`,
  },
  ...(['conservative', 'balanced', 'aggressive'] as const).map(
    (tier): ConfigRule<CheckedConfig> => ({
      path: `condor.tierCredits.${tier}`,
      holds: (c) => c.condor.tierCredits[tier] < c.condor.wingWidth,
      message: (c) =>
        `${c.condor.tierCredits[tier]} is not below the wing width ${c.condor.wingWidth}: a condor cannot collect its whole width`,
      allowed: (c) => `0..${c.condor.wingWidth} (exclusive)`,
    }),
  ),
  {
    path: 'condor.tierCredits.balanced',
    holds: (c) =>
      c.condor.tierCredits.conservative <= c.condor.tierCredits.balanced &&
      c.condor.tierCredits.balanced <= c.condor.tierCredits.aggressive,
    message: (c) => {
      const t = c.condor.tierCredits;
      return `the tiers must rise conservative <= balanced <= aggressive, got ${t.conservative} / ${t.balanced} / ${t.aggressive}`;
    },
    allowed: () => 'conservative <= balanced <= aggressive',
  },
  {
    path: 'gate.holdAbove',
    holds: (c) => c.gate.allTiersBelow <= c.gate.holdAbove,
    message: (c) =>
      `${c.gate.holdAbove} is below gate.allTiersBelow ${c.gate.allTiersBelow}: the gate would hold where it allows every tier`,
    allowed: (c) => `>= ${c.gate.allTiersBelow}`,
  },
  {
    path: 'gate.noTradesAbove',
    holds: (c) => c.gate.holdAbove <= c.gate.noTradesAbove,
    message: (c) =>
      `${c.gate.noTradesAbove} is below gate.holdAbove ${c.gate.holdAbove}: no-trade would come before hold`,
    allowed: (c) => `>= ${c.gate.holdAbove}`,
  },
  {
    path: 'gate.reopenBelow',
    holds: (c) => c.gate.reopenBelow <= c.gate.holdAbove,
    message: (c) =>
      `${c.gate.reopenBelow} is above gate.holdAbove ${c.gate.holdAbove}: the gate would reopen at a level that holds it`,
    allowed: (c) => `<= ${c.gate.holdAbove}`,
  },
  ...(['allTiersBelow', 'holdAbove', 'noTradesAbove', 'reopenBelow'] as const).map(
    (key): ConfigRule<CheckedConfig> => ({
      path: `gate.${key}`,
      // VIX has closed between 9.1 and 82.7 since 1990: a threshold outside 5..150 is a unit slip.
      holds: (c) => c.gate[key] >= 5 && c.gate[key] <= 150,
      message: (c) => `${c.gate[key]} is not a VIX level`,
      allowed: () => range(5, 150, ' VIX points'),
    }),
  ),
  {
    path: 'exits.creditMultiple',
    holds: (c) => c.exits.creditMultiple <= 50,
    message: (c) => `${c.exits.creditMultiple} x credit is beyond any 5-wide loss`,
    allowed: () => range(0, 50, ' (exclusive of 0)'),
  },
  {
    path: 'roll.forwardMaxDte',
    holds: (c) => c.roll.forwardMinDte <= c.roll.forwardMaxDte,
    message: (c) =>
      `${c.roll.forwardMaxDte} is below roll.forwardMinDte ${c.roll.forwardMinDte}: no roll target could qualify`,
    allowed: (c) => `>= ${c.roll.forwardMinDte}`,
  },
  {
    path: 'roll.rollbackMaxDte',
    holds: (c) => c.roll.rollbackMaxDte < c.roll.rollbackMinDte,
    message: (c) =>
      `${c.roll.rollbackMaxDte} is not below roll.rollbackMinDte ${c.roll.rollbackMinDte}: a rollback must move to a nearer expiry`,
    allowed: (c) => `< ${c.roll.rollbackMinDte}`,
  },
  {
    path: 'roll.seedNextWeeklyMaxDte',
    holds: (c) => c.roll.seedNextWeeklyMinDte <= c.roll.seedNextWeeklyMaxDte,
    message: (c) =>
      `${c.roll.seedNextWeeklyMaxDte} is below roll.seedNextWeeklyMinDte ${c.roll.seedNextWeeklyMinDte}`,
    allowed: (c) => `>= ${c.roll.seedNextWeeklyMinDte}`,
  },
  {
    path: 'roll.sizeMultiplier',
    holds: (c) => c.roll.sizeMultiplier <= c.roll.sizeMultiplierCap,
    message: (c) => `${c.roll.sizeMultiplier} is above roll.sizeMultiplierCap ${c.roll.sizeMultiplierCap}`,
    allowed: (c) => `<= ${c.roll.sizeMultiplierCap}`,
  },
  {
    path: 'roll.maxRolls',
    holds: (c) => c.roll.maxRolls <= 50,
    message: (c) => `${c.roll.maxRolls} rolls per chain`,
    allowed: () => range(0, 50),
  },
  {
    path: 'hedge.budgetPctOfEquityPerYear',
    holds: (c) => c.hedge.budgetPctOfEquityPerYear <= 25,
    message: (c) => `${c.hedge.budgetPctOfEquityPerYear}% of equity a year (a percent, not a fraction?)`,
    allowed: () => range(0, 25, ' %'),
  },
  {
    path: 'hedge.layers',
    holds: (c) => c.hedge.layers.every((l) => l.rollAtDte < l.targetDte),
    message: (c) => {
      const i = c.hedge.layers.findIndex((l) => l.rollAtDte >= l.targetDte);
      const l = c.hedge.layers[i];
      return `layer ${i} rolls at ${l?.rollAtDte} DTE, not before its target ${l?.targetDte} DTE: it would roll as soon as it is bought`;
    },
    allowed: () => 'rollAtDte < targetDte for every layer',
  },
  {
    path: 'hedge.layers',
    holds: (c) => !c.hedge.enabled || c.hedge.layers.some((l) => l.ratio > 0),
    message: () => 'hedge.enabled is true but every layer has ratio 0',
    allowed: () => 'at least one layer with ratio > 0, or hedge.enabled: false',
  },
];

/** Every rule that fails for `config`, as problems. */
export function configRuleProblems(config: CheckedConfig): ConfigProblem[] {
  return CONFIG_RULES.filter((r) => !r.holds(config)).map((r) => ({
    path: r.path,
    message: r.message(config),
    allowed: r.allowed(config),
  }));
}
