import { createHash } from 'node:crypto';
import {
  AS_SENTENCE,
  apiFillField,
  type BookFill,
  bookFillSchema,
  ConflictError,
  canonicalJsonText,
  type FillFieldNamer,
  InvalidInputError,
  maxPresetHedgeLayers,
  NotFoundError,
  type PositionSettlement,
  validateFills,
} from '@vixshield/core';
import type Database from 'better-sqlite3';
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
  {
    version: 3,
    name: 'book: voids of mistaken fills, settlements at expiry',
    sql: `
      CREATE TABLE book_voids (
        fill_id TEXT PRIMARY KEY REFERENCES book_fills (fill_id),
        reason TEXT NOT NULL,
        voided_at TEXT NOT NULL
      );
      CREATE TABLE book_settlements (
        position_id TEXT PRIMARY KEY,
        expiry TEXT NOT NULL,
        settlement_price REAL NOT NULL,
        pnl_usd REAL NOT NULL,
        settlement_json TEXT NOT NULL,
        recorded_for TEXT NOT NULL,
        recorded_at TEXT NOT NULL
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

/** The fill schema and its one validation live in core (docs/book.md); re-exported for callers. */
export { type BookFill, bookFillSchema };

/** A void of a mistaken fill: the fill stays in the journal (the audit trail) but no longer counts. */
export interface StoredVoid {
  readonly fillId: string;
  readonly reason: string;
  readonly voidedAt: string;
}

/** A position settled at expiry, as journaled: the settlement print, the value and the P&L. */
export interface StoredSettlement extends PositionSettlement {
  /** The signal day on which the settlement was recorded (the first day after the expiry seen). */
  readonly recordedFor: string;
  readonly recordedAt: string;
}

/** A recorded fill with its state: voided ones stay listed, with the reason. */
export type ListedFill = BookFill & {
  readonly voided?: { readonly reason: string; readonly voidedAt: string };
};

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
  /**
   * Hedge layers a fill may name (1..n): default the most any preset's config has. The journal refuses
   * a fill of another layer itself (recordFills runs the one fill validation).
   */
  readonly hedgeLayers?: number;
}

export class Journal {
  readonly db: Database.Database;
  private readonly now: () => number;
  private readonly hedgeLayers: number;
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
    this.hedgeLayers = opts.hedgeLayers ?? maxPresetHedgeLayers();
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
   * Records fills atomically (all or none), after the one fill validation (core `validateFills`, the
   * rules of docs/book.md) run inside the same transaction against the fills already counted: real
   * dates, listed expiries after the opening date, ordered strikes, known hedge layers, positive
   * quantities, a close of an open position with the same terms. No caller can store a fill that the
   * API or a `--book` file would refuse; one bad fill and nothing of the batch is written. Errors name
   * the fill (index and id) and the field, as `name` spells them (default the API's `fills[i].field`).
   * A fill id already recorded with the same content is skipped; the same id with different content is
   * a ConflictError (fills are immutable; HTTP 409).
   */
  recordFills(
    raw: unknown,
    opts: { readonly name?: FillFieldNamer } = {},
  ): { recorded: number; unchanged: number } {
    return this.db
      .transaction(() => {
        // Read and validated under the write lock (IMMEDIATE): no other writer can change the book
        // between the check and the insert.
        const fills = validateFills(raw, this.fills(), {
          hedgeLayers: this.hedgeLayers,
          name: opts.name ?? apiFillField,
        });
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

  /** The fills that count: every recorded fill but the voided ones, in recording order. */
  fills(): BookFill[] {
    return (
      this.stmt(
        'SELECT fill_json FROM book_fills WHERE fill_id NOT IN (SELECT fill_id FROM book_voids) ORDER BY seq',
      ).all() as { fill_json: string }[]
    ).map((r) => JSON.parse(r.fill_json) as BookFill);
  }

  /** Every recorded fill in recording order, the voided ones marked with their reason (the audit trail). */
  listFills(): ListedFill[] {
    return (
      this.stmt(
        `SELECT f.fill_json, v.reason, v.voided_at FROM book_fills f
         LEFT JOIN book_voids v ON v.fill_id = f.fill_id ORDER BY f.seq`,
      ).all() as { fill_json: string; reason: string | null; voided_at: string | null }[]
    ).map((r) => {
      const f = JSON.parse(r.fill_json) as BookFill;
      return r.reason === null ? f : { ...f, voided: { reason: r.reason, voidedAt: r.voided_at! } };
    });
  }

  /**
   * Voids a mistaken fill: it stays in the journal, listed with the reason, and no longer counts in the
   * book. Voiding it again with the same reason is a no-op; an unknown id is a NotFoundError.
   */
  voidFill(fillId: string, reason: string): { status: 'voided' | 'unchanged'; void: StoredVoid } {
    const why = reason.trim();
    if (why.length === 0 || why.length > 500)
      throw new InvalidInputError(
        `a void needs a reason of 1 to 500 characters`,
        'reason',
        'say why the fill is void, e.g. "typed the wrong strike"',
      );
    return this.db
      .transaction(() => {
        const known = this.stmt('SELECT 1 FROM book_fills WHERE fill_id = ?').get(fillId);
        if (!known)
          throw new NotFoundError(
            `no recorded fill '${fillId}' to void`,
            'id',
            'list the fills with GET /api/book',
          );
        const prev = this.stmt('SELECT reason, voided_at FROM book_voids WHERE fill_id = ?').get(fillId) as
          | { reason: string; voided_at: string }
          | undefined;
        if (prev)
          return {
            status: 'unchanged' as const,
            void: { fillId, reason: prev.reason, voidedAt: prev.voided_at },
          };
        const voidedAt = this.stamp();
        this.stmt('INSERT INTO book_voids (fill_id, reason, voided_at) VALUES (?, ?, ?)').run(
          fillId,
          why,
          voidedAt,
        );
        this.localWrites++;
        return { status: 'voided' as const, void: { fillId, reason: why, voidedAt } };
      })
      .immediate();
  }

  /** Journals positions settled at expiry (once per position: a settlement already recorded is kept). */
  recordSettlements(settled: readonly PositionSettlement[], recordedFor: string): number {
    if (settled.length === 0) return 0;
    const n = this.db
      .transaction(() => {
        let inserted = 0;
        for (const s of settled) {
          const r = this.stmt(
            `INSERT OR IGNORE INTO book_settlements
               (position_id, expiry, settlement_price, pnl_usd, settlement_json, recorded_for, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            s.positionId,
            s.expiry,
            s.settlementPrice,
            s.pnlUsd,
            canonicalJsonText(s),
            recordedFor,
            this.stamp(),
          );
          inserted += r.changes;
        }
        return inserted;
      })
      .immediate();
    if (n > 0) this.localWrites++;
    return n;
  }

  /** The journaled settlements, by expiry then position id. */
  settlements(): StoredSettlement[] {
    return (
      this.stmt(
        'SELECT settlement_json, recorded_for, recorded_at FROM book_settlements ORDER BY expiry, position_id',
      ).all() as { settlement_json: string; recorded_for: string; recorded_at: string }[]
    ).map((r) => ({
      ...(JSON.parse(r.settlement_json) as PositionSettlement),
      recordedFor: r.recorded_for,
      recordedAt: r.recorded_at,
    }));
  }

  /**
   * Open positions from the counted fills (opens minus closes per positionId), without the positions
   * journaled as settled.
   */
  openPositions(): Array<BookFill & { openQuantity: number }> {
    const settledIds = new Set(this.settlements().map((s) => s.positionId));
    const byId = new Map<string, BookFill & { openQuantity: number }>();
    for (const f of this.fills()) {
      const cur = byId.get(f.positionId);
      if (f.action === 'open') {
        if (cur) cur.openQuantity += f.quantity;
        else byId.set(f.positionId, { ...f, openQuantity: f.quantity });
      } else if (cur) cur.openQuantity -= f.quantity;
    }
    return [...byId.values()].filter((p) => p.openQuantity > 0 && !settledIds.has(p.positionId));
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
