import { resolve } from 'node:path';
import { ChainStore } from './store';

/*
 * One open ChainStore per data dir, shared by the requests of a long-running process (GET /api/chain
 * in the server). Opening DuckDB, checking the schema and reading the sources cost tens of ms per
 * request, and a store kept open answers a chain from its slice cache in microseconds, else in one
 * prepared query. The store is closed after `idleMs` without a user so that another process (a
 * `vixshield chains import`) can take DuckDB's write lock; the timer never keeps the process alive.
 */

interface Entry {
  readonly store: Promise<ChainStore>;
  users: number;
  timer: NodeJS.Timeout | undefined;
}

const open = new Map<string, Entry>();

/** How long a store stays open with no user (ms). */
export const SHARED_STORE_IDLE_MS = 2_000;

/**
 * Runs `f` with the shared store of `dataDir` (opened on first use). Errors of the open (e.g. the file
 * is locked by an import in another process) reach the caller and nothing is kept.
 */
export async function withSharedChainStore<T>(
  dataDir: string,
  f: (store: ChainStore) => Promise<T>,
  idleMs = SHARED_STORE_IDLE_MS,
): Promise<T> {
  const key = resolve(dataDir);
  let e = open.get(key);
  if (e === undefined) {
    e = { store: ChainStore.open(key), users: 0, timer: undefined };
    open.set(key, e);
    e.store.catch(() => {
      if (open.get(key) === e) open.delete(key);
    });
  }
  if (e.timer !== undefined) {
    clearTimeout(e.timer);
    e.timer = undefined;
  }
  e.users++;
  const entry = e;
  try {
    return await f(await entry.store);
  } finally {
    entry.users--;
    if (entry.users === 0 && open.get(key) !== entry) {
      // Closed (closeSharedChainStores) or replaced while in use: the last user closes it.
      void entry.store.then((s) => s.close()).catch(() => undefined);
    } else if (entry.users === 0) {
      entry.timer = setTimeout(() => {
        if (entry.users > 0 || open.get(key) !== entry) return;
        open.delete(key);
        void entry.store.then((s) => s.close()).catch(() => undefined);
      }, idleMs);
      entry.timer.unref();
    }
  }
}

/** Closes every shared store now (server shutdown, tests); one still in use closes when its user ends. */
export async function closeSharedChainStores(): Promise<void> {
  const entries = [...open.values()];
  open.clear();
  for (const e of entries) {
    if (e.timer !== undefined) clearTimeout(e.timer);
    const s = await e.store.catch(() => undefined);
    if (s !== undefined && e.users === 0) s.close();
  }
}

/** Data dirs with a store open now (tests). */
export function sharedChainStoreDirs(): string[] {
  return [...open.keys()];
}
