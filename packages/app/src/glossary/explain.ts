import { DEFAULT_SOURCES, resolveConfig } from '@vixshield/core';
import { GLOSSARY, type GlossaryTerm } from './terms';

export interface ExplainedParam {
  readonly path: string;
  readonly default: unknown;
  /** The seed preset's value when it differs from the default preset's. */
  readonly seed?: unknown;
  readonly source: string | null;
}
export interface ExplainedTerm extends Omit<GlossaryTerm, 'params'> {
  readonly params: readonly ExplainedParam[];
}
export type ExplainResult =
  | { readonly kind: 'found'; readonly entry: ExplainedTerm }
  | { readonly kind: 'unknown'; readonly suggestions: readonly string[] };

function flatten(obj: unknown, prefix = '', out: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, obj);
  return out;
}

const norm = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[™()]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

function namesOf(t: GlossaryTerm): string[] {
  return [t.key, norm(t.name), ...t.aliases.map(norm)];
}

/** Every parameter of the term with its default (vixshield preset), the seed value and its source. */
function paramsOf(t: GlossaryTerm): ExplainedParam[] {
  const def = flatten(resolveConfig('vixshield'));
  const seed = flatten(resolveConfig('seed'));
  const paths = [...def.keys()].filter((p) =>
    t.params.some((q) => (q.endsWith('.') ? p.startsWith(q) : p === q || p.startsWith(`${q}.`))),
  );
  return paths.map((path) => {
    const d = def.get(path);
    const s = seed.get(path);
    const source =
      DEFAULT_SOURCES[path] ??
      Object.entries(DEFAULT_SOURCES).find(([k]) => path.startsWith(`${k}.`))?.[1] ??
      null;
    return {
      path,
      default: d,
      ...(JSON.stringify(s) !== JSON.stringify(d) ? { seed: s } : {}),
      source,
    };
  });
}

/** Looks a term up by key, name or alias (case and punctuation ignored); unknown: close matches. */
export function explainTerm(term: string): ExplainResult {
  const q = norm(term);
  const hit = GLOSSARY.find((t) => namesOf(t).includes(q));
  if (hit) return { kind: 'found', entry: { ...hit, params: paramsOf(hit) } };
  const scored = GLOSSARY.map((t) => {
    const best = Math.min(
      ...namesOf(t).map((n) =>
        q.length >= 3 && (n.includes(q) || q.includes(n)) ? 0 : levenshtein(q, n) / Math.max(n.length, 1),
      ),
    );
    return { key: t.key, best };
  })
    .filter((s) => s.best <= 0.5)
    .sort((a, b) => a.best - b.best);
  return { kind: 'unknown', suggestions: scored.slice(0, 5).map((s) => s.key) };
}

/** The term list: key, name and aliases. */
export function listTerms(): Array<{ key: string; name: string; aliases: readonly string[] }> {
  return GLOSSARY.map((t) => ({ key: t.key, name: t.name, aliases: t.aliases }));
}
