import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is test/support/paths.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** shared/ sits beside the repository (../shared from the root), for the developers and for CI. */
export const SHARED_DIR = resolve(REPO_ROOT, '../shared');

export function sharedPath(...parts: string[]): string {
  const p = resolve(SHARED_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`missing ${p}: tests expect ../shared beside the repository`);
  return p;
}
