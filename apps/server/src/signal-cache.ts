import type { BookOfDay } from '@vixshield/app';
import type { IsoDate } from '@vixshield/core';
import type { Journal } from '@vixshield/journal';

/**
 * The in-memory side of GET /api/signal, backed by the journal.
 *
 * - `body(key)`: the response text of a signal already stored in the journal, keyed by the request's
 *   inputs (date, preset, equity, book mode). A hit costs a map lookup: no SQLite read or write, no
 *   book parse, no canonical JSON or sha256 of the inputs.
 * - `bodyForUrl(url)`: the same through the exact request URL, once that URL was validated: no query
 *   parsing either.
 * - `bookOfDay(date)`: the journal's book of a signal day, read once per day and journal state. Reading
 *   it settles and journals the expired positions (readBookOfDay), so a body can only be cached after
 *   the settlements of its day were journaled: a cache hit never skips them.
 *
 * Everything is dropped as soon as the journal changes: at once for a fill recorded or a signal stored
 * by this process; within `recheckMs` (default 100 ms) for a commit by another process, seen through
 * SQLite's data_version (a read lock per check, so it is not taken on every request). It is dropped
 * too when the market data got a new generation (`dataGeneration`: a `data update` by the scheduler or
 * by another process), so a settlement price that arrives later settles the next read of the book. The next request
 * then reads the journal again, computes the inputs hash once and fills the cache. The journal stays
 * the source of truth; the cache only saves re-deriving it.
 */
export class SignalCache {
  private local = -1;
  private version = -1;
  private generation = -1;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private readonly days = new Map<string, BookOfDay>();
  private readonly bodies = new Map<string, string>();
  /** Request URL -> key, for URLs already validated (a pure function of the URL: never stale). */
  private readonly urls = new Map<string, string>();

  constructor(
    private readonly journal: Journal,
    private readonly loadBookOfDay: (journal: Journal, date: IsoDate) => BookOfDay,
    private readonly opts: { maxEntries?: number; recheckMs?: number; dataGeneration?: () => number } = {},
  ) {}

  /** Drops every derived value when the journal changed since the last check. */
  private sync(): void {
    const local = this.journal.localWriteCount;
    const now = performance.now();
    if (local === this.local && now - this.checkedAt < (this.opts.recheckMs ?? 100)) return;
    const version = this.journal.dataVersion();
    const generation = this.opts.dataGeneration?.() ?? 0;
    this.checkedAt = now;
    if (local !== this.local || version !== this.version || generation !== this.generation) {
      this.local = local;
      this.version = version;
      this.generation = generation;
      this.days.clear();
      this.bodies.clear();
    }
  }

  body(key: string): string | undefined {
    this.sync();
    return this.bodies.get(key);
  }

  /** The body for a request URL seen before (no query parsing or validation at all). */
  bodyForUrl(url: string): string | undefined {
    const key = this.urls.get(url);
    return key === undefined ? undefined : this.body(key);
  }

  remember(key: string, body: string): void {
    this.sync();
    bounded(this.bodies, this.opts.maxEntries ?? 1000).set(key, body);
  }

  /** Records that `url` (validated) asks for `key`. */
  rememberUrl(url: string, key: string): void {
    bounded(this.urls, this.opts.maxEntries ?? 1000).set(url, key);
  }

  bookOfDay(date: IsoDate): BookOfDay {
    this.sync();
    const known = this.days.get(date);
    if (known) return known;
    const day = this.loadBookOfDay(this.journal, date);
    // Journaling a settlement changed the journal: drop what was derived before it, then keep the day.
    this.sync();
    bounded(this.days, this.opts.maxEntries ?? 1000).set(date, day);
    return day;
  }

  get size(): number {
    return this.bodies.size;
  }
}

/** Makes room for one more entry: the oldest goes first (a Map keeps insertion order). */
function bounded<K, V>(m: Map<K, V>, max: number): Map<K, V> {
  if (m.size >= max) {
    const oldest = m.keys().next();
    if (!oldest.done) m.delete(oldest.value);
  }
  return m;
}
