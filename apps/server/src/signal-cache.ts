import type { Book } from '@vixshield/core';
import type { Journal } from '@vixshield/data';

/**
 * The in-memory side of GET /api/signal, backed by the journal.
 *
 * - `body(key)`: the response text of a signal already stored in the journal, keyed by the request's
 *   inputs (date, preset, equity, book mode). A hit costs a map lookup and one `PRAGMA data_version`:
 *   no SQLite read or write, no book parse, no canonical JSON or sha256 of the inputs.
 * - `journalBook()`: the open positions of the recorded fills as the engine's Book, parsed once.
 *
 * Everything is dropped as soon as the journal changes (a fill recorded, a signal stored, by this
 * process or another one): the next request reads the journal again, computes the inputs hash once and
 * fills the cache. The journal stays the source of truth; the cache only saves re-deriving it.
 */
export class SignalCache {
  private stamp: string | undefined;
  private book: Book | undefined;
  private readonly bodies = new Map<string, string>();

  constructor(
    private readonly journal: Journal,
    private readonly loadBook: (journal: Journal) => Book,
    private readonly maxEntries = 1000,
  ) {}

  /** Drops every derived value when the journal changed since the last call. */
  private sync(): void {
    const s = this.journal.changeStamp();
    if (s !== this.stamp) {
      this.stamp = s;
      this.book = undefined;
      this.bodies.clear();
    }
  }

  body(key: string): string | undefined {
    this.sync();
    return this.bodies.get(key);
  }

  remember(key: string, body: string): void {
    this.sync();
    // Bounded: the oldest entry goes first (Map keeps insertion order).
    if (this.bodies.size >= this.maxEntries) {
      const oldest = this.bodies.keys().next().value;
      if (oldest !== undefined) this.bodies.delete(oldest);
    }
    this.bodies.set(key, body);
  }

  journalBook(): Book {
    this.sync();
    this.book ??= this.loadBook(this.journal);
    return this.book;
  }

  get size(): number {
    return this.bodies.size;
  }
}
