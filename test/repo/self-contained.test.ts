import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

/**
 * The repository stands alone: a clone in an empty folder installs, tests and runs. Nothing in it may
 * name a path outside itself, and the data and vectors it ships are the bytes their provenance records.
 */

/** Every tracked text file (git ls-files), without the lock file (registry URLs only). */
function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && f !== 'package-lock.json');
}

const sha256 = (file: string) =>
  createHash('sha256')
    .update(readFileSync(resolve(REPO_ROOT, file)))
    .digest('hex');

describe('the repository names no path outside itself', () => {
  const parent = resolve(REPO_ROOT, '..');
  // Built from parts so this file does not match its own search.
  const sibling = ['..', 'shared'].join('/');
  const offenders: string[] = [];
  for (const f of trackedFiles()) {
    let text: string;
    try {
      text = readFileSync(resolve(REPO_ROOT, f), 'utf8');
    } catch {
      continue; // deleted in the working tree but still in the index
    }
    if (text.includes(sibling)) offenders.push(`${f}: '${sibling}'`);
    if (text.includes(`${parent}/`)) offenders.push(`${f}: '${parent}/'`);
  }

  it('no tracked file mentions the sibling shared folder or the absolute path of the parent folder', () => {
    expect(trackedFiles().length).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });
});

describe('shipped bytes match their provenance', () => {
  it('test/vectors/pricing/public.json is the recorded file (sha256 in its README)', () => {
    const readme = readFileSync(resolve(REPO_ROOT, 'test/vectors/pricing/README.md'), 'utf8');
    const recorded = /sha256 `([0-9a-f]{64})`/.exec(readme)?.[1];
    expect(recorded).toBeDefined();
    expect(sha256('test/vectors/pricing/public.json')).toBe(recorded);
  });

  it('every file in data/PROVENANCE.md has the size and sha256 prefix the table records', () => {
    const table = readFileSync(resolve(REPO_ROOT, 'data/PROVENANCE.md'), 'utf8');
    const rows = [...table.matchAll(/^\| `([^`]+)` \| ([0-9,]+) \| `([0-9a-f]{16})` \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(20);
    for (const [, file, bytes, prefix] of rows) {
      const path = `data/${file}`;
      expect({ path, bytes: readFileSync(resolve(REPO_ROOT, path)).length }).toEqual({
        path,
        bytes: Number((bytes as string).replaceAll(',', '')),
      });
      expect({ path, prefix: sha256(path).slice(0, 16) }).toEqual({ path, prefix });
    }
  });

  it('data/intraday/SHA256SUMS lists exactly the files under data/intraday, each with its sha256', () => {
    const root = resolve(REPO_ROOT, 'data/intraday');
    const sums = readFileSync(resolve(root, 'SHA256SUMS'), 'utf8');
    const listed = new Map<string, string>();
    for (const line of sums.split('\n').filter((l) => l !== '')) {
      const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(listed.has(m![2]!), `${m![2]} listed twice`).toBe(false);
      listed.set(m![2]!, m![1]!);
    }
    const present: string[] = [];
    const walk = (dir: string, prefix: string) => {
      for (const name of readdirSync(dir)) {
        const rel = prefix ? `${prefix}/${name}` : name;
        if (statSync(resolve(dir, name)).isDirectory()) walk(resolve(dir, name), rel);
        else if (rel !== 'SHA256SUMS') present.push(rel);
      }
    };
    walk(root, '');
    expect(present.sort()).toEqual([...listed.keys()].sort());
    expect(present).toHaveLength(829);
    const wrong = present.filter((f) => sha256(`data/intraday/${f}`) !== listed.get(f));
    expect(wrong).toEqual([]);
  });
});
