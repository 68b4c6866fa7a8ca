/**
 * Canonical JSON: one spelling per value, so that two equal configurations written in a different key
 * order hash (and diff) the same. Pure; used by the report writers, the study files and the cache keys.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Deep copy with object keys sorted and non-finite numbers as null: a canonical, diffable form. */
export function canonicalJson(x: unknown): Json {
  if (x === null || x === undefined) return null;
  if (typeof x === 'number') return Number.isFinite(x) ? x : null;
  if (typeof x === 'string' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map(canonicalJson);
  if (typeof x === 'object') {
    const out: { [key: string]: Json } = {};
    for (const k of Object.keys(x as object).sort()) {
      const v = (x as Record<string, unknown>)[k];
      // Like JSON.stringify: undefined and functions (a FillModel's method) are not data.
      if (v !== undefined && typeof v !== 'function') out[k] = canonicalJson(v);
    }
    return out;
  }
  return null;
}

/** The canonical JSON as text (no whitespace): the input of a content hash. */
export function canonicalJsonText(x: unknown): string {
  return JSON.stringify(canonicalJson(x));
}
