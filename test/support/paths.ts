import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is test/support/paths.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Reference vectors copied into the repository (test/vectors/, provenance in each README). */
export const VECTORS_DIR = resolve(REPO_ROOT, 'test/vectors');

export function vectorPath(...parts: string[]): string {
  const p = resolve(VECTORS_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`missing ${p}: the reference vectors ship in test/vectors/`);
  return p;
}
