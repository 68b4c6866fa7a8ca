import { readFileSync } from 'node:fs';
import { vectorPath } from '../../../../test/support/paths';
import type { ReferenceCase } from '../../../../test/support/reference-case';

export type { ReferenceCase };

export const GREEK_FIELDS = [
  'price',
  'delta',
  'gamma',
  'vega',
  'theta',
  'rho',
  'vanna',
  'volga',
  'charm',
] as const;
export type GreekField = (typeof GREEK_FIELDS)[number];

export function loadPublicCases(): ReferenceCase[] {
  return JSON.parse(readFileSync(vectorPath('pricing/public.json'), 'utf8')) as ReferenceCase[];
}

export function underlyingOf(c: ReferenceCase): number {
  return (c.model === 'bsm' ? c.S : c.F) as number;
}

/** The README's comparison rule: |got - want| <= 1e-9 * scale + 1e-9 * |want|. */
export function toleranceFor(c: ReferenceCase, field: GreekField, want: number): number {
  const u = underlyingOf(c);
  const scale =
    field === 'delta' || field === 'vanna' || field === 'charm' ? 1 : field === 'gamma' ? 1 / u : u;
  return 1e-9 * scale + 1e-9 * Math.abs(want);
}
