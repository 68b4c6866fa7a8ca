import type Database from 'better-sqlite3';

/*
 * The forward paper record in the journal (issue 13 item 4). Per preset: when the paper book started
 * (fixed at the first update, so a restart resumes the same book), one row per recorded day, and the
 * record as last computed. An update replaces the day rows and the record in one transaction: a
 * killed update leaves the previous record whole. Tables of their own, created when missing, so the
 * journal's numbered migrations stay untouched.
 */
const PAPER_TABLES_SQL = `
  CREATE TABLE IF NOT EXISTS paper_books (
    preset TEXT PRIMARY KEY,
    started_on TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS paper_days (
    preset TEXT NOT NULL,
    date TEXT NOT NULL,
    day_json TEXT NOT NULL,
    PRIMARY KEY (preset, date)
  );
  CREATE TABLE IF NOT EXISTS paper_records (
    preset TEXT PRIMARY KEY,
    through TEXT NOT NULL,
    record_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );`;

export interface PaperBookRow {
  readonly preset: string;
  readonly startedOn: string;
  readonly createdAt: string;
}

/** One update of a paper book: its days (date -> JSON-able record) and the whole record. */
export interface PaperUpdate {
  readonly preset: string;
  readonly startedOn: string;
  readonly through: string;
  readonly days: ReadonlyArray<{ readonly date: string; readonly day: unknown }>;
  readonly record: unknown;
}

/** The paper book tables of a journal database (the Journal's `db`). */
export class PaperJournal {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    db.exec(PAPER_TABLES_SQL);
  }

  book(preset: string): PaperBookRow | undefined {
    const r = this.db
      .prepare('SELECT preset, started_on, created_at FROM paper_books WHERE preset = ?')
      .get(preset) as { preset: string; started_on: string; created_at: string } | undefined;
    return r && { preset: r.preset, startedOn: r.started_on, createdAt: r.created_at };
  }

  books(): PaperBookRow[] {
    return (
      this.db
        .prepare('SELECT preset, started_on, created_at FROM paper_books ORDER BY preset')
        .all() as Array<{
        preset: string;
        started_on: string;
        created_at: string;
      }>
    ).map((r) => ({ preset: r.preset, startedOn: r.started_on, createdAt: r.created_at }));
  }

  /** The stored day records of a preset, by date. */
  days(preset: string): Map<string, string> {
    const rows = this.db
      .prepare('SELECT date, day_json FROM paper_days WHERE preset = ? ORDER BY date')
      .all(preset) as Array<{ date: string; day_json: string }>;
    return new Map(rows.map((r) => [r.date, r.day_json]));
  }

  /** The record as last stored (parsed), with the last day it covers. */
  record(preset: string): { through: string; record: unknown; updatedAt: string } | undefined {
    const r = this.db
      .prepare('SELECT through, record_json, updated_at FROM paper_records WHERE preset = ?')
      .get(preset) as { through: string; record_json: string; updated_at: string } | undefined;
    return r && { through: r.through, record: JSON.parse(r.record_json), updatedAt: r.updated_at };
  }

  /**
   * Writes one update atomically: the book's start (kept if already there), every day row and the
   * record, in one transaction.
   */
  save(u: PaperUpdate): void {
    const stamp = new Date(this.now()).toISOString();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT OR IGNORE INTO paper_books (preset, started_on, created_at) VALUES (?, ?, ?)')
        .run(u.preset, u.startedOn, stamp);
      this.db.prepare('DELETE FROM paper_days WHERE preset = ?').run(u.preset);
      const ins = this.db.prepare('INSERT INTO paper_days (preset, date, day_json) VALUES (?, ?, ?)');
      for (const d of u.days) ins.run(u.preset, d.date, JSON.stringify(d.day));
      this.db
        .prepare(
          'INSERT OR REPLACE INTO paper_records (preset, through, record_json, updated_at) VALUES (?, ?, ?, ?)',
        )
        .run(u.preset, u.through, JSON.stringify(u.record), stamp);
    })();
  }
}
