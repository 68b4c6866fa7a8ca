import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UnavailableError } from '@vixshield/core';

/**
 * Creates `dir` and its missing parents, or says clearly why it cannot. Node's
 * `mkdirSync(p, { recursive: true })` never returns under /proc (it retries ENOENT forever: measured,
 * `--out /proc/nope` spun at 100% CPU), so the parents are walked here one at a time.
 */
export function ensureDirectory(dir: string, what = 'directory'): string {
  const path = resolve(dir);
  const missing: string[] = [];
  let cur = path;
  for (;;) {
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(cur);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(path, what, err);
    }
    if (st) {
      if (!st.isDirectory())
        throw new UnavailableError(
          `${what} ${path}: ${cur} is a file, not a directory; choose another path`,
          'path',
          'choose another path',
          { hintInMessage: true },
        );
      break;
    }
    missing.unshift(cur);
    const parent = dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(path, what, err);
    }
  }
  try {
    accessSync(path, constants.W_OK);
  } catch (err) {
    throw unusable(path, what, err);
  }
  return path;
}

function unusable(path: string, what: string, err: unknown): UnavailableError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is a file',
    ENOSPC: 'no space left on the device',
    ENOENT: 'it cannot be created there',
  };
  return new UnavailableError(
    `${what} ${path} cannot be written (${why[code] ?? code}); choose a writable directory`,
    'path',
    'choose a writable directory',
    {
      hintInMessage: true,
    },
  );
}
