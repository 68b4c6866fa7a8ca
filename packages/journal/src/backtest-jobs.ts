import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { StoredRowError } from './errors';
import { appliedMigrations, applyMigrations, type Migration, openSqlite, statementCache } from './sqlite';

/**
 * The records of the HTTP server's backtest runs (POST /api/backtests), in their own SQLite file of
 * the data dir, `backtests.sqlite`, beside the journal. Not in the journal: the journal is
 * append-only (nothing there is overwritten or deleted), while a job row is updated as it runs and
 * dropped by retention, and its report can weigh megabytes that a backup of the journal need not
 * carry. Deleting this file loses only past backtest runs.
 *
 * The store only reads and writes rows: the server's queue decides the statuses, the timestamps and
 * the errors (see apps/server/src/jobs/backtest-queue.ts). Every row read back is checked; a row that
 * does not hold what was written is a StoredRowError naming the table, the id and the column.
 */

/** The file name of the store in the data dir. */
export const BACKTEST_JOBS_FILE = 'backtests.sqlite';
const TABLE = 'backtest_jobs';

export type BacktestJobStatus = 'queued' | 'running' | 'done' | 'failed';
const STATUSES: ReadonlySet<string> = new Set(['queued', 'running', 'done', 'failed']);

/** The error of a failed run, as the API shows it. */
export interface BacktestJobError {
  readonly error: string;
  readonly field: string | null;
  readonly hint: string | null;
}
const jobErrorSchema = z
  .object({ error: z.string(), field: z.string().nullable(), hint: z.string().nullable() })
  .strict();

/** A stored job without its summary and report (those are read on demand by `results`). */
export interface BacktestJobMeta<R> {
  readonly id: string;
  readonly status: BacktestJobStatus;
  readonly request: R;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Engine time of the run in the worker (ms). */
  readonly elapsedMs?: number;
  readonly error?: BacktestJobError;
}

/** How a run ended, as `finish` stores it. Summary and report are JSON text, stored as given. */
export interface BacktestJobOutcome {
  readonly status: 'done' | 'failed';
  readonly finishedAt: string;
  readonly elapsedMs?: number;
  readonly summaryJson?: string;
  readonly reportJson?: string;
  readonly error?: BacktestJobError;
}

export interface BacktestJobStoreOptions<R> {
  /**
   * Checks a stored request and gives it its type (the server passes its zod schema of the POST
   * body). What it throws becomes a StoredRowError for column request_json. Default: any JSON object.
   */
  readonly parseRequest?: (value: unknown) => R;
  /** Injected clock for the migration stamps (ms since epoch); default Date.now. */
  readonly now?: () => number;
}

const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: 'backtest jobs',
    // seq is the submission order: "newest" for the listing and for retention. elapsed_ms is REAL
    // (the worker measures with performance.now()).
    sql: `
      CREATE TABLE ${TABLE} (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
        request_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        elapsed_ms REAL,
        summary_json TEXT,
        report_json TEXT,
        error_json TEXT
      );
      CREATE INDEX ${TABLE}_status ON ${TABLE} (status, seq);`,
  },
];

interface MetaRow {
  id: string;
  status: string;
  request_json: string;
  created_at: unknown;
  started_at: unknown;
  finished_at: unknown;
  elapsed_ms: unknown;
  error_json: string | null;
}

function anyJsonObject(v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
  return v as Record<string, unknown>;
}

export class BacktestJobStore<R = Record<string, unknown>> {
  readonly db: Database.Database;
  private readonly parseRequest: (value: unknown) => R;
  /** A prepared statement, compiled once per connection. */
  private readonly stmt: (sql: string) => Database.Statement;

  constructor(
    readonly path: string,
    opts: BacktestJobStoreOptions<R> = {},
  ) {
    this.db = openSqlite(path);
    this.stmt = statementCache(this.db);
    this.parseRequest = opts.parseRequest ?? ((v) => anyJsonObject(v) as R);
    const now = opts.now ?? Date.now;
    try {
      applyMigrations(this.db, MIGRATIONS, () => new Date(now()).toISOString());
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** Versions of the applied migrations, ascending. */
  migrations(): number[] {
    return appliedMigrations(this.db);
  }

  /** Records a new job as `queued`. */
  insertQueued(job: { id: string; request: R; createdAt: string }): void {
    this.stmt(`INSERT INTO ${TABLE} (id, status, request_json, created_at) VALUES (?, 'queued', ?, ?)`).run(
      job.id,
      JSON.stringify(job.request),
      job.createdAt,
    );
  }

  /** Records that a job was handed to a worker thread. */
  markRunning(id: string, startedAt: string): void {
    this.expectOneRow(
      id,
      this.stmt(`UPDATE ${TABLE} SET status = 'running', started_at = ? WHERE id = ?`).run(startedAt, id),
    );
  }

  /** Records how a job ended: its status, and its summary and report or its error. */
  finish(id: string, o: BacktestJobOutcome): void {
    this.expectOneRow(
      id,
      this.stmt(
        `UPDATE ${TABLE} SET status = ?, finished_at = ?, elapsed_ms = ?, summary_json = ?, report_json = ?,
           error_json = ? WHERE id = ?`,
      ).run(
        o.status,
        o.finishedAt,
        o.elapsedMs ?? null,
        o.summaryJson ?? null,
        o.reportJson ?? null,
        o.error ? JSON.stringify(o.error) : null,
        id,
      ),
    );
  }

  private expectOneRow(id: string, r: Database.RunResult): void {
    // The row was inserted by this store and retention never drops an unfinished one: a miss means
    // someone deleted it behind our back, which the caller should hear about.
    if (r.changes !== 1) throw new Error(`${this.path}: table ${TABLE} has no job ${id}`);
  }

  /**
   * Marks every `queued` or `running` row `failed` (one transaction), with the error `errorFor`
   * gives for its old status, and returns their ids. For the start of a server: such rows were left
   * by a process that stopped without closing its queue.
   */
  failUnfinished(finishedAt: string, errorFor: (status: 'queued' | 'running') => BacktestJobError): string[] {
    return this.db
      .transaction(() => {
        const rows = this.stmt(
          `SELECT id, status FROM ${TABLE} WHERE status IN ('queued', 'running') ORDER BY seq`,
        ).all() as Array<{ id: string; status: 'queued' | 'running' }>;
        const update = this.stmt(
          `UPDATE ${TABLE} SET status = 'failed', finished_at = ?, error_json = ? WHERE id = ?`,
        );
        for (const r of rows) update.run(finishedAt, JSON.stringify(errorFor(r.status)), r.id);
        return rows.map((r) => r.id);
      })
      .immediate();
  }

  /**
   * Deletes the finished (`done` or `failed`) jobs beyond the newest `keep` in submission order,
   * their reports with them, and returns their ids. Unfinished jobs are never dropped.
   */
  prune(keep: number): string[] {
    const rows = this.stmt(
      `DELETE FROM ${TABLE} WHERE status IN ('done', 'failed') AND seq NOT IN (
         SELECT seq FROM ${TABLE} WHERE status IN ('done', 'failed') ORDER BY seq DESC LIMIT ?)
       RETURNING id`,
    ).all(Math.max(0, Math.floor(keep))) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /** Number of stored jobs. */
  count(): number {
    return (this.stmt(`SELECT count(*) AS n FROM ${TABLE}`).get() as { n: number }).n;
  }

  /** Every stored job without summary and report, oldest first. Throws StoredRowError on a bad row. */
  list(): Array<BacktestJobMeta<R>> {
    const rows = this.stmt(
      `SELECT id, status, request_json, created_at, started_at, finished_at, elapsed_ms, error_json
       FROM ${TABLE} ORDER BY seq`,
    ).all() as MetaRow[];
    return rows.map((r) => this.fromRow(r));
  }

  /** One stored job without summary and report, if there is one. */
  get(id: string): BacktestJobMeta<R> | undefined {
    const r = this.stmt(
      `SELECT id, status, request_json, created_at, started_at, finished_at, elapsed_ms, error_json
       FROM ${TABLE} WHERE id = ?`,
    ).get(id) as MetaRow | undefined;
    return r && this.fromRow(r);
  }

  /**
   * The summary and report of a job as JSON text (null when the job has none), undefined when there
   * is no such job. The text is not parsed in JavaScript (a report can weigh megabytes): SQLite's
   * json_valid checks it, so a damaged column is a StoredRowError rather than a broken response.
   */
  results(id: string): { summaryJson: string | null; reportJson: string | null } | undefined {
    const r = this.stmt(
      `SELECT summary_json, report_json, json_valid(summary_json) AS summary_ok,
         json_valid(report_json) AS report_ok FROM ${TABLE} WHERE id = ?`,
    ).get(id) as
      | { summary_json: unknown; report_json: unknown; summary_ok: number | null; report_ok: number | null }
      | undefined;
    if (!r) return undefined;
    const text = (column: 'summary_json' | 'report_json', value: unknown, ok: number | null) => {
      if (value === null) return null;
      if (typeof value !== 'string' || ok !== 1) throw this.rowError(id, column, 'is not valid JSON text');
      return value;
    };
    return {
      summaryJson: text('summary_json', r.summary_json, r.summary_ok),
      reportJson: text('report_json', r.report_json, r.report_ok),
    };
  }

  private rowError(id: string, column: string, problem: string): StoredRowError {
    return new StoredRowError(
      this.path,
      TABLE,
      id,
      column,
      problem,
      `delete the row (DELETE FROM ${TABLE} WHERE id = '${id.replaceAll("'", "''")}') or the file ${basename(this.path)}; only past backtest runs are lost`,
    );
  }

  private json(id: string, column: string, text: unknown): unknown {
    if (typeof text !== 'string') throw this.rowError(id, column, `holds a ${typeof text}, not JSON text`);
    try {
      return JSON.parse(text);
    } catch (err) {
      throw this.rowError(id, column, `is not valid JSON (${(err as Error).message})`);
    }
  }

  private fromRow(r: MetaRow): BacktestJobMeta<R> {
    const id = String(r.id);
    if (!STATUSES.has(r.status)) throw this.rowError(id, 'status', `has unknown status '${r.status}'`);
    const status = r.status as BacktestJobStatus;
    let request: R;
    const requestValue = this.json(id, 'request_json', r.request_json);
    try {
      request = this.parseRequest(requestValue);
    } catch (err) {
      throw this.rowError(id, 'request_json', `is not a backtest request (${(err as Error).message})`);
    }
    const stamp = (column: string, v: unknown, required: boolean): string | undefined => {
      if (v === null && !required) return undefined;
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v)))
        throw this.rowError(id, column, `is not an ISO timestamp (${String(v)})`);
      return v;
    };
    const finished = status === 'done' || status === 'failed';
    const createdAt = stamp('created_at', r.created_at, true)!;
    const startedAt = stamp('started_at', r.started_at, false);
    const finishedAt = stamp('finished_at', r.finished_at, finished);
    if (r.elapsed_ms !== null && (typeof r.elapsed_ms !== 'number' || !(r.elapsed_ms >= 0)))
      throw this.rowError(id, 'elapsed_ms', `is not a duration in ms (${String(r.elapsed_ms)})`);
    let error: BacktestJobError | undefined;
    if (r.error_json !== null) {
      const parsed = jobErrorSchema.safeParse(this.json(id, 'error_json', r.error_json));
      if (!parsed.success) throw this.rowError(id, 'error_json', 'is not an {error, field, hint} object');
      error = parsed.data;
    } else if (status === 'failed') {
      throw this.rowError(id, 'error_json', 'is empty for a failed job');
    }
    return {
      id,
      status,
      request,
      createdAt,
      ...(startedAt !== undefined ? { startedAt } : {}),
      ...(finishedAt !== undefined ? { finishedAt } : {}),
      ...(typeof r.elapsed_ms === 'number' ? { elapsedMs: r.elapsed_ms } : {}),
      ...(error ? { error } : {}),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating it if needed) the backtest job store at `path`; `':memory:'` for none on disk. */
export function openBacktestJobStore<R = Record<string, unknown>>(
  path: string,
  opts: BacktestJobStoreOptions<R> = {},
): BacktestJobStore<R> {
  return new BacktestJobStore(path, opts);
}
