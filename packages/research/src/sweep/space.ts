import {
  AS_SENTENCE,
  formatConfigProblem,
  InvalidInputError,
  mulberry32,
  type PresetName,
  resolveConfig,
  type StrategyConfig,
  StrategyConfigError,
  strategyConfigSchema,
} from '@vixshield/core';

/**
 * The sweep space, derived from the zod strategy schema: each `--param path=v1,v2,...` must name a
 * scalar leaf of the schema (number, integer, boolean, enum or string), and each value must pass that
 * leaf's own validation. Errors name the path.
 */

export interface SweepParam {
  readonly path: string;
  readonly values: readonly (number | boolean | string)[];
}

interface ZodLike {
  readonly def: {
    readonly type: string;
    readonly innerType?: ZodLike;
    readonly shape?: Record<string, ZodLike>;
  };
  readonly shape?: Record<string, ZodLike>;
  readonly options?: readonly string[];
  safeParse(v: unknown): { success: boolean; error?: { issues: ReadonlyArray<{ message: string }> } };
}

function unwrap(s: ZodLike): ZodLike {
  let cur = s;
  while (['default', 'prefault', 'optional', 'nullable'].includes(cur.def.type) && cur.def.innerType)
    cur = cur.def.innerType;
  return cur;
}

/** The scalar leaf schema at a dotted path, or an InvalidInputError naming the path and what exists there. */
export function leafAt(path: string): { schema: ZodLike; kind: 'number' | 'boolean' | 'enum' | 'string' } {
  const parts = path.split('.');
  let cur = unwrap(strategyConfigSchema as unknown as ZodLike);
  const walked: string[] = [];
  for (const p of parts) {
    if (cur.def.type !== 'object') {
      throw new InvalidInputError(
        `{param} ${path}: '${walked.join('.')}' is a ${cur.def.type}, not a group of fields`,
        'param',
        'sweep a scalar field',
        AS_SENTENCE,
      );
    }
    const shape = (cur.shape ?? cur.def.shape) as Record<string, ZodLike>;
    const next = shape[p];
    if (!next) {
      const where = walked.length ? `under '${walked.join('.')}'` : 'at the top level';
      throw new InvalidInputError(
        `{param} ${path}: no field '${p}' ${where}; fields there: ${Object.keys(shape).join(', ')}`,
        'param',
        'use one of the fields listed',
        AS_SENTENCE,
      );
    }
    walked.push(p);
    cur = unwrap(next);
  }
  const t = cur.def.type;
  if (t === 'number' || t === 'boolean' || t === 'enum' || t === 'string') return { schema: cur, kind: t };
  throw new InvalidInputError(
    `{param} ${path}: is a ${t === 'object' ? 'group of fields' : t}; sweep one of its scalar fields instead`,
    'param',
    'sweep one of its scalar fields',
    AS_SENTENCE,
  );
}

function coerce(path: string, kind: string, text: string): number | boolean | string {
  const t = text.trim();
  if (kind === 'number') {
    const n = Number(t);
    if (t === '' || !Number.isFinite(n))
      throw new InvalidInputError(
        `{param} ${path}: '${text}' is not a number`,
        'param',
        'give numbers',
        AS_SENTENCE,
      );
    return n;
  }
  if (kind === 'boolean') {
    if (t === 'true') return true;
    if (t === 'false') return false;
    throw new InvalidInputError(
      `{param} ${path}: '${text}' is not true or false`,
      'param',
      'give true or false',
      AS_SENTENCE,
    );
  }
  return t;
}

/** Parses and validates one `path=v1,v2,...` against the schema. */
export function parseSweepParam(text: string): SweepParam {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1)
    throw new InvalidInputError(
      `{param} '${text}' must look like path=v1,v2 (e.g. hedge.unitContracts=1,2)`,
      'param',
      'write path=v1,v2',
      AS_SENTENCE,
    );
  const path = text.slice(0, eq).trim();
  const { schema, kind } = leafAt(path);
  const values = text
    .slice(eq + 1)
    .split(',')
    .map((v) => coerce(path, kind, v));
  for (const v of values) {
    const r = schema.safeParse(v);
    if (!r.success) {
      const why = r.error?.issues.map((i) => i.message).join('; ') ?? 'invalid';
      const options = kind === 'enum' && schema.options ? ` (one of ${schema.options.join(', ')})` : '';
      throw new InvalidInputError(
        `{param} ${path}: value '${String(v)}' is invalid: ${why}${options}`,
        'param',
        'give values the configuration accepts',
        AS_SENTENCE,
      );
    }
  }
  if (new Set(values.map(String)).size !== values.length)
    throw new InvalidInputError(
      `{param} ${path}: a value is repeated`,
      'param',
      'give each value once',
      AS_SENTENCE,
    );
  return { path, values };
}

/** The overrides object of one point of the space: { a: { b: value } } for path a.b. */
export function overridesOf(point: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of point) {
    const parts = path.split('.');
    let cur = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const k = parts[i] as string;
      cur[k] ??= {};
      cur = cur[k] as Record<string, unknown>;
    }
    cur[parts[parts.length - 1] as string] = value;
  }
  return out;
}

export interface SweepPoint {
  /** path -> value, in the order of the --param flags. */
  readonly values: ReadonlyArray<readonly [string, number | boolean | string]>;
  readonly overrides: Record<string, unknown>;
  readonly config: StrategyConfig;
}

export function gridSize(params: readonly SweepParam[]): number {
  return params.reduce((a, p) => a * p.values.length, 1);
}

function pointAt(params: readonly SweepParam[], index: number): Array<[string, number | boolean | string]> {
  const out: Array<[string, number | boolean | string]> = [];
  let rest = index;
  for (let k = params.length - 1; k >= 0; k--) {
    const p = params[k] as SweepParam;
    out.unshift([p.path, p.values[rest % p.values.length] as number | boolean | string]);
    rest = Math.floor(rest / p.values.length);
  }
  return out;
}

/**
 * Grid (every combination, in order) or, with `random`, that many distinct combinations drawn with
 * mulberry32(seed) (capped at the grid size). Each point's whole configuration is validated.
 */
export function sweepPoints(
  preset: PresetName,
  params: readonly SweepParam[],
  opts: { random?: number; seed?: number } = {},
): SweepPoint[] {
  const size = gridSize(params);
  let indices: number[];
  if (opts.random !== undefined) {
    if (!(Number.isInteger(opts.random) && opts.random >= 1))
      throw new InvalidInputError(
        `{random} '${opts.random}' must be a positive integer`,
        'random',
        'pass a positive whole number',
        AS_SENTENCE,
      );
    const n = Math.min(opts.random, size);
    const rand = mulberry32(opts.seed ?? 1);
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(Math.floor(rand() * size));
    indices = [...chosen];
  } else {
    indices = Array.from({ length: size }, (_, i) => i);
  }
  return indices.map((i) => {
    const values = pointAt(params, i);
    const overrides = overridesOf(values);
    let config: StrategyConfig;
    try {
      config = resolveConfig(preset, overrides);
    } catch (err) {
      if (err instanceof StrategyConfigError) {
        const lines = err.problems.map(formatConfigProblem);
        throw new InvalidInputError(
          `sweep point ${JSON.stringify(overrides)} is invalid:\n  ${lines.join('\n  ')}`,
          'param',
          'give values the configuration accepts',
          AS_SENTENCE,
        );
      }
      throw err;
    }
    return { values, overrides, config };
  });
}
