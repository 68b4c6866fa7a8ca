import { dirname } from 'node:path';
import { ensureDirectory } from '@vixshield/data';
import Database from 'better-sqlite3';

/** One schema step of a SQLite store; `version` is recorded in its `schema_migrations` table. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Opens a SQLite file of the data dir the way every store there does (creating its folder):
 * WAL so readers never block the writer, `synchronous = FULL` so a commit is on disk before it
 * returns (survives kill -9 and power loss in WAL mode), and a 5 s busy timeout for another
 * process's writer. `':memory:'` opens a private in-memory database (tests, no data dir).
 */
export function openSqlite(path: string): Database.Database {
  if (path !== ':memory:') ensureDirectory(dirname(path), 'data directory');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Applies the migrations not yet recorded in `schema_migrations`, one transaction each. */
export function applyMigrations(
  db: Database.Database,
  migrations: ReadonlyArray<Migration>,
  stamp: () => string,
): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        stamp(),
      );
    })();
  }
}

/** Versions of the applied migrations, ascending. */
export function appliedMigrations(db: Database.Database): number[] {
  return (
    db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
  ).map((r) => r.version);
}

/** Prepared statements compiled once per connection, looked up by their SQL text. */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let st = cache.get(sql);
    if (st === undefined) {
      st = db.prepare(sql);
      cache.set(sql, st);
    }
    return st;
  };
}

/**
 * Holds `path` (a small SQLite file used only as a lock) for this process until `release`: SQLite's
 * exclusive lock, which the OS drops when the process dies, so a killed holder leaves no stale lock.
 * Returns undefined when another connection holds it (after waiting `waitMs`). Used for "one server per
 * data directory" without locking the data files themselves (they stay readable by anyone).
 */
export function holdExclusiveLock(path: string, waitMs = 500): { release(): void } | undefined {
  if (path !== ':memory:') ensureDirectory(dirname(path), 'data directory');
  const db = new Database(path, { timeout: waitMs });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held_by (pid INTEGER); COMMIT');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw err;
  }
  return {
    release: () => {
      if (db.open) db.close();
    },
  };
}
