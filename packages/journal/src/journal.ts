import { createHash } from 'node:crypto';
import { AS_SENTENCE, ConflictError, canonicalJsonText } from '@vixshield/core';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { appliedMigrations, applyMigrations, type Migration, openSqlite, statementCache } from './sqlite';

/**
 * The journal: an append-only SQLite store (better-sqlite3, WAL) of computed daily signals, the
 * user's recorded fills (the book) and webhook deliveries.
 *
 * Signals are keyed by (date, preset). Re-storing the same inputs (same sha256 of the canonical JSON
 * of the inputs) is a no-op; storing different inputs for a key that already exists records a new
 * *revision* (1, 2, ...) — nothing is ever overwritten, and `latestSignal` returns the highest one.
 */

/** Canonical JSON text (the core's one spelling): object keys sorted, no whitespace, undefined dropped. */
export { canonicalJsonText };

export function inputsHash(inputs: unknown): string {
  return createHash('sha256').update(canonicalJsonText(inputs)).digest('hex');
}

const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: 'signals, book fills, webhook deliveries',
    sql: `
      CREATE TABLE signals (
        date TEXT NOT NULL,
        preset TEXT NOT NULL,
        revision INTEGER NOT NULL,
        inputs_hash TEXT NOT NULL,
        inputs_json TEXT NOT NULL,
        signal_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (date, preset, revision)
      );
      CREATE TABLE book_fills (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        fill_id TEXT NOT NULL UNIQUE,
        fill_hash TEXT NOT NULL,
        fill_json TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE TABLE deliveries (
        date TEXT NOT NULL,
        preset TEXT NOT NULL,
        url TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (date, preset, url)
      );`,
  },
  {
    version: 2,
    name: 'engine state per preset and session',
    sql: `
      CREATE TABLE engine_state (
        preset TEXT NOT NULL,
        date TEXT NOT NULL,
        state_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (preset, date)
      );`,
  },
];

export interface StoredSignal {
  readonly date: string;
  readonly preset: string;
  readonly revision: number;
  readonly inputsHash: string;
  readonly inputs: unknown;
  readonly signal: unknown;
  readonly createdAt: string;
}

export interface StoreResult {
  readonly status: 'inserted' | 'unchanged' | 'revised';
  readonly revision: number;
  readonly inputsHash: string;
}

const iso = /^\d{4}-\d{2}-\d{2}$/;
const strikesSchema = z.object({
  putLong: z.number().positive(),
  putShort: z.number().positive(),
  callShort: z.number().positive(),
  callLong: z.number().positive(),
});

/** A fill the user recorded at their broker. `id` is the user's own id: re-posting it is a no-op. */
export const bookFillSchema = z.discriminatedUnion('instrument', [
  z
    .object({
      id: z.string().min(1).max(100),
      instrument: z.literal('condor'),
      action: z.enum(['open', 'close']),
      positionId: z.string().min(1).max(100),
      date: z.string().regex(iso, 'use YYYY-MM-DD'),
      tier: z.enum(['conservative', 'balanced', 'aggressive']),
      expiry: z.string().regex(iso, 'use YYYY-MM-DD'),
      strikes: strikesSchema,
      quantity: z.number().int().positive(),
      /** Net credit per condor in index points (open: received; close: paid). */
      price: z.number().nonnegative(),
    })
    .strict(),
  z
    .object({
      id: z.string().min(1).max(100),
      instrument: z.literal('hedge'),
      action: z.enum(['open', 'close']),
      positionId: z.string().min(1).max(100),
      date: z.string().regex(iso, 'use YYYY-MM-DD'),
      layer: z.number().int().positive(),
      expiry: z.string().regex(iso, 'use YYYY-MM-DD'),
      strike: z.number().positive(),
      quantity: z.number().int().positive(),
      /** VIX call premium per contract in VIX points. */
      price: z.number().nonnegative(),
    })
    .strict(),
]);
export type BookFill = z.infer<typeof bookFillSchema>;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';
export interface Delivery {
  readonly date: string;
  readonly preset: string;
  readonly url: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastError: string | null;
}

export interface JournalOptions {
  /** Injected clock for created_at stamps (ms since epoch); default Date.now. */
  readonly now?: () => number;
}

export class Journal {
  readonly db: Database.Database;
  private readonly now: () => number;
  /** A prepared statement, compiled once per connection. */
  private readonly stmt: (sql: string) => Database.Statement;
  /** Commits made through this connection (SQLite's data_version only counts other connections). */
  private localWrites = 0;

  constructor(
    readonly path: string,
    opts: JournalOptions = {},
  ) {
    this.db = openSqlite(path);
    this.stmt = statementCache(this.db);
    this.now = opts.now ?? Date.now;
    applyMigrations(this.db, MIGRATIONS, () => this.stamp());
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  /** Versions of the applied migrations, ascending. */
  migrations(): number[] {
    return appliedMigrations(this.db);
  }

  /**
   * Stores a signal computed from `inputs`. Same (date, preset) and same inputs hash as the latest
   * revision: no-op. Different inputs: a new revision. One transaction (IMMEDIATE) per call.
   */
  storeSignal(date: string, preset: string, inputs: unknown, signal: unknown): StoreResult {
    const hash = inputsHash(inputs);
    const tx = this.db.transaction((): StoreResult => {
      const latest = this.db
        .prepare(
          'SELECT revision, inputs_hash FROM signals WHERE date = ? AND preset = ? ORDER BY revision DESC LIMIT 1',
        )
        .get(date, preset) as { revision: number; inputs_hash: string } | undefined;
      if (latest && latest.inputs_hash === hash)
        return { status: 'unchanged', revision: latest.revision, inputsHash: hash };
      const revision = (latest?.revision ?? 0) + 1;
      this.db
        .prepare(
          'INSERT INTO signals (date, preset, revision, inputs_hash, inputs_json, signal_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(date, preset, revision, hash, canonicalJsonText(inputs), JSON.stringify(signal), this.stamp());
      return { status: latest ? 'revised' : 'inserted', revision, inputsHash: hash };
    });
    const r = tx.immediate();
    if (r.status !== 'unchanged') this.localWrites++;
    return r;
  }

  /**
   * Changes whenever anything was committed to the journal, by this connection or by another process
   * (SQLite's `PRAGMA data_version`): a cheap check that lets callers cache what they derived from it.
   */
  changeStamp(): string {
    return `${this.localWrites}:${this.dataVersion()}`;
  }

  /** Commits made through this connection so far (free to read: no SQLite call). */
  get localWriteCount(): number {
    return this.localWrites;
  }

  /** SQLite's `PRAGMA data_version`: changes when another connection commits (a read lock, ~20 us). */
  dataVersion(): number {
    return this.stmt('PRAGMA data_version').pluck().get() as number;
  }

  /** The stored signal for these exact inputs, if any. */
  findSignal(date: string, preset: string, inputs: unknown): StoredSignal | undefined {
    const row = this.findSignalRaw(date, preset, inputs);
    return row && fromRow(row);
  }

  /** The fast path of GET /api/signal: the stored row with the signal still as JSON text. */
  findSignalRaw(date: string, preset: string, inputs: unknown): SignalRow | undefined {
    return this.findSignalRawByHash(date, preset, inputsHash(inputs));
  }

  /** The latest stored row for (date, preset, inputs hash), the hash already computed. */
  findSignalRawByHash(date: string, preset: string, hash: string): SignalRow | undefined {
    return this.stmt(
      'SELECT * FROM signals WHERE date = ? AND preset = ? AND inputs_hash = ? ORDER BY revision DESC LIMIT 1',
    ).get(date, preset, hash) as SignalRow | undefined;
  }

  latestSignal(date: string, preset: string): StoredSignal | undefined {
    const row = this.db
      .prepare('SELECT * FROM signals WHERE date = ? AND preset = ? ORDER BY revision DESC LIMIT 1')
      .get(date, preset) as SignalRow | undefined;
    return row && fromRow(row);
  }

  /** Number of stored signal revisions. */
  countSignals(): number {
    return (this.stmt('SELECT count(*) AS n FROM signals').get() as { n: number }).n;
  }

  /** Every stored signal revision, ordered by (date, preset, revision). */
  signals(): StoredSignal[] {
    return (
      this.db.prepare('SELECT * FROM signals ORDER BY date, preset, revision').all() as SignalRow[]
    ).map(fromRow);
  }

  /**
   * The newest stored signal revisions first (by date, then revision), optionally of one preset, at most
   * `limit` of them: the history the dashboard lists.
   */
  recentSignals(limit: number, preset?: string): StoredSignal[] {
    const rows =
      preset === undefined
        ? this.stmt('SELECT * FROM signals ORDER BY date DESC, revision DESC, preset LIMIT ?').all(limit)
        : this.stmt('SELECT * FROM signals WHERE preset = ? ORDER BY date DESC, revision DESC LIMIT ?').all(
            preset,
            limit,
          );
    return (rows as SignalRow[]).map(fromRow);
  }

  /**
   * Records validated fills atomically (all or none). A fill id already recorded with the same
   * content is skipped; the same id with different content is a ConflictError (fills are immutable; HTTP 409).
   */
  recordFills(raw: unknown): { recorded: number; unchanged: number } {
    const fills = z.array(bookFillSchema).min(1).parse(raw);
    return this.db
      .transaction(() => {
        let recorded = 0;
        let unchanged = 0;
        for (const f of fills) {
          const h = inputsHash(f);
          const prev = this.db.prepare('SELECT fill_hash FROM book_fills WHERE fill_id = ?').get(f.id) as
            | { fill_hash: string }
            | undefined;
          if (prev) {
            if (prev.fill_hash !== h)
              throw new ConflictError(
                `fill '${f.id}' is already recorded with different content; fills are immutable, record a correcting fill with a new id`,
                'id',
                'record a correcting fill with a new id',
                AS_SENTENCE,
              );
            unchanged++;
            continue;
          }
          this.db
            .prepare(
              'INSERT INTO book_fills (fill_id, fill_hash, fill_json, recorded_at) VALUES (?, ?, ?, ?)',
            )
            .run(f.id, h, canonicalJsonText(f), this.stamp());
          recorded++;
        }
        if (recorded > 0) this.localWrites++;
        return { recorded, unchanged };
      })
      .immediate();
  }

  fills(): BookFill[] {
    return (this.stmt('SELECT fill_json FROM book_fills ORDER BY seq').all() as { fill_json: string }[]).map(
      (r) => JSON.parse(r.fill_json) as BookFill,
    );
  }

  /** Open positions from the recorded fills: opens minus closes per positionId. */
  openPositions(): Array<BookFill & { openQuantity: number }> {
    const byId = new Map<string, BookFill & { openQuantity: number }>();
    for (const f of this.fills()) {
      const cur = byId.get(f.positionId);
      if (f.action === 'open') {
        if (cur) cur.openQuantity += f.quantity;
        else byId.set(f.positionId, { ...f, openQuantity: f.quantity });
      } else if (cur) cur.openQuantity -= f.quantity;
    }
    return [...byId.values()].filter((p) => p.openQuantity > 0);
  }

  delivery(date: string, preset: string, url: string): Delivery | undefined {
    const r = this.db
      .prepare('SELECT * FROM deliveries WHERE date = ? AND preset = ? AND url = ?')
      .get(date, preset, url) as DeliveryRow | undefined;
    return r && fromDeliveryRow(r);
  }

  /** Upserts the delivery state of one (date, preset, url). */
  recordDelivery(
    date: string,
    preset: string,
    url: string,
    status: DeliveryStatus,
    error?: string,
  ): Delivery {
    this.db
      .prepare(
        `INSERT INTO deliveries (date, preset, url, status, attempts, last_error, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (date, preset, url) DO UPDATE SET status = excluded.status,
           attempts = deliveries.attempts + excluded.attempts, last_error = excluded.last_error,
           updated_at = excluded.updated_at`,
      )
      .run(date, preset, url, status, status === 'pending' ? 0 : 1, error ?? null, this.stamp());
    this.localWrites++;
    return this.delivery(date, preset, url)!;
  }

  deliveries(): Delivery[] {
    return (
      this.db.prepare('SELECT * FROM deliveries ORDER BY date, preset, url').all() as DeliveryRow[]
    ).map(fromDeliveryRow);
  }

  /**
   * Stores the engine state after the session of `date` for `preset` (gate hysteresis, seed trigger
   * episode, chain entry spots), replacing a state stored for the same session. One transaction.
   */
  saveEngineState(preset: string, date: string, state: unknown): void {
    const tx = this.db.transaction(() => {
      this.stmt(
        'INSERT OR REPLACE INTO engine_state (preset, date, state_json, created_at) VALUES (?, ?, ?, ?)',
      ).run(preset, date, canonicalJsonText(state), this.stamp());
    });
    tx.immediate();
    this.localWrites++;
  }

  /** The latest engine state stored for `preset` at a session strictly before `date` (the next signal's start). */
  engineStateBefore(preset: string, date: string): { date: string; state: unknown } | undefined {
    const row = this.stmt(
      'SELECT date, state_json FROM engine_state WHERE preset = ? AND date < ? ORDER BY date DESC LIMIT 1',
    ).get(preset, date) as { date: string; state_json: string } | undefined;
    return row ? { date: row.date, state: JSON.parse(row.state_json) } : undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export interface SignalRow {
  date: string;
  preset: string;
  revision: number;
  inputs_hash: string;
  inputs_json: string;
  signal_json: string;
  created_at: string;
}
interface DeliveryRow {
  date: string;
  preset: string;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
}

function fromRow(r: SignalRow): StoredSignal {
  return {
    date: r.date,
    preset: r.preset,
    revision: r.revision,
    inputsHash: r.inputs_hash,
    inputs: JSON.parse(r.inputs_json),
    signal: JSON.parse(r.signal_json),
    createdAt: r.created_at,
  };
}
function fromDeliveryRow(r: DeliveryRow): Delivery {
  return {
    date: r.date,
    preset: r.preset,
    url: r.url,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
  };
}

export function openJournal(path: string, opts: JournalOptions = {}): Journal {
  return new Journal(path, opts);
}
