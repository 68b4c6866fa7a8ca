import {
  entryInstantUtcMs,
  type IsoDate,
  isTradingDay,
  nextTradingDay,
  previousTradingDay,
  session,
  utcMsToZoned,
} from '@vixshield/core';
import type { Journal } from '@vixshield/journal';

/**
 * The daily job: on each trading day at `timeCt` (default 15:10 America/Chicago) compute and store
 * the signal of every configured preset, then POST it to every webhook.
 *
 * - Holidays and weekends: skipped (the next run is the next trading day).
 * - Early-close days (13:00 ET = 12:00 CT): the run is at the engine's entry instant, the options close
 *   minus the offset of 15:10 CT from the regular options close (12:10 CT), and the signal computed is
 *   the one of that instant; `earlyCloseOffsetMin` overrides it (minutes after the early close).
 * - Deliveries are recorded in the journal keyed by (date, preset, url): a delivered one is never
 *   sent again, even after a restart. Failed attempts retry with exponential backoff
 *   (`retryBaseMs * 2^k`) up to `maxAttempts`. Each POST carries `Idempotency-Key: date:preset` so a
 *   receiver can drop the one duplicate that a crash between its 2xx and our journal write could cause.
 * - The clock is injected (`SchedulerClock`), so tests drive it with a fake clock.
 * - The daily service (issue 13) adds two phases around the entry when their hooks are given:
 *   `prepare` at the entry minus `prepareLeadMin` (update the data, take the chain snapshot the signal
 *   prices from) and `afterClose` at the close plus `afterCloseMin` (update the data with the day's
 *   close, settle and record the paper book). A failing phase is logged and reported; the next one
 *   still runs (the signal then says it was priced by the model).
 */

export interface SchedulerClock {
  now(): number;
  /** Calls `fn` at or after `atMs`; returns a cancel function. */
  at(atMs: number, fn: () => void): () => void;
  /** Waits `ms` (backoff between retries). */
  sleep(ms: number): Promise<void>;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  at: (atMs, fn) => {
    // setTimeout caps at ~24.8 days; re-arm in steps so long waits stay correct.
    let handle: NodeJS.Timeout;
    const arm = () => {
      const wait = atMs - Date.now();
      handle = setTimeout(wait > 2 ** 30 ? arm : fn, Math.max(0, Math.min(wait, 2 ** 30)));
    };
    arm();
    return () => clearTimeout(handle);
  },
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export interface SchedulerOptions {
  readonly journal: Journal;
  readonly webhooks: readonly string[];
  readonly presets?: readonly string[];
  /** Run time on a regular day, America/Chicago (default '15:10'). */
  readonly timeCt?: string;
  /** Minutes after an early close; default: the engine's entry instant (options close - 5 min = close + 10). */
  readonly earlyCloseOffsetMin?: number;
  readonly maxAttempts?: number;
  readonly retryBaseMs?: number;
  readonly clock?: SchedulerClock;
  /** Computes and stores the signal (the server passes signalFor over the journal). */
  readonly compute: (date: IsoDate, preset: string) => unknown | Promise<unknown>;
  readonly fetch?: typeof fetch;
  readonly log?: (msg: string) => void;
  /** Before the entry: update the data, take and store the chain snapshot (returns notes to report). */
  readonly prepare?: (date: IsoDate, nowUtcMs: number) => Promise<readonly string[]>;
  /** Minutes before the entry that `prepare` runs (default 2: a Cboe delayed quote is then ~17 min old). */
  readonly prepareLeadMin?: number;
  /** After the close: update the data, settle and record the paper book (returns notes). */
  readonly afterClose?: (date: IsoDate, nowUtcMs: number) => Promise<readonly string[]>;
  /** Minutes after the close that `afterClose` runs (default 60: the daily histories are out by then). */
  readonly afterCloseMin?: number;
}

export type SchedulerPhase = 'prepare' | 'entry' | 'after-close';

/** One timed step of the daily service. */
export interface SchedulerEvent {
  readonly date: IsoDate;
  readonly phase: SchedulerPhase;
  readonly atMs: number;
}

/** The run instant (UTC ms) of trading day `date`. */
export function runInstantUtcMs(date: IsoDate, timeCt = '15:10', earlyCloseOffsetMin?: number): number {
  const s = session(date);
  if (s.earlyClose && earlyCloseOffsetMin !== undefined) return s.closeUtcMs + earlyCloseOffsetMin * 60_000;
  // The engine's own entry instant, so the run computes the signal of the instant it runs at (issue 15:
  // it ran at 12:10 CT on early-close days but computed a 15:10 signal).
  return entryInstantUtcMs(date, timeCt);
}

/** The first run strictly after `fromMs`: today's if still ahead, else the next trading day's. */
export function nextRun(
  fromMs: number,
  timeCt = '15:10',
  earlyCloseOffsetMin?: number,
): { date: IsoDate; atMs: number } {
  let d = utcMsToZoned(fromMs, 'America/Chicago').date;
  if (!isTradingDay(d)) d = nextTradingDay(d);
  for (;;) {
    const atMs = runInstantUtcMs(d, timeCt, earlyCloseOffsetMin);
    if (atMs > fromMs) return { date: d, atMs };
    d = nextTradingDay(d);
  }
}

export interface DayReport {
  readonly date: IsoDate;
  /** Which step this report is of (absent: the entry, the signal and its deliveries). */
  readonly phase?: SchedulerPhase;
  /** What prepare/after-close did (or why it failed). */
  readonly notes?: readonly string[];
  readonly results: Array<{
    preset: string;
    stored: boolean;
    error?: string;
    deliveries: Array<{ url: string; status: 'delivered' | 'failed' | 'skipped'; attempts: number }>;
  }>;
}

export class Scheduler {
  private cancel: (() => void) | undefined;
  private readonly clock: SchedulerClock;
  readonly reports: DayReport[] = [];
  /** Resolves when the run in progress (if any) finishes; for tests and shutdown. */
  running: Promise<DayReport> | undefined;

  constructor(private readonly opts: SchedulerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  get next(): { date: IsoDate; atMs: number } {
    return nextRun(this.clock.now(), this.opts.timeCt, this.opts.earlyCloseOffsetMin);
  }

  /** The timed steps of one trading day, in order (prepare and after-close only with their hooks). */
  eventsOf(date: IsoDate): SchedulerEvent[] {
    const entry = runInstantUtcMs(date, this.opts.timeCt, this.opts.earlyCloseOffsetMin);
    const out: SchedulerEvent[] = [];
    if (this.opts.prepare)
      out.push({ date, phase: 'prepare', atMs: entry - (this.opts.prepareLeadMin ?? 2) * 60_000 });
    out.push({ date, phase: 'entry', atMs: entry });
    if (this.opts.afterClose)
      out.push({
        date,
        phase: 'after-close',
        atMs: session(date).closeUtcMs + (this.opts.afterCloseMin ?? 60) * 60_000,
      });
    return out;
  }

  /** The first step strictly after `fromMs` (of the previous trading day, today or later). */
  nextEvent(fromMs = this.clock.now()): SchedulerEvent {
    let d = utcMsToZoned(fromMs, 'America/Chicago').date;
    d = previousTradingDay(d);
    for (;;) {
      const ev = this.eventsOf(d).find((e) => e.atMs > fromMs);
      if (ev) return ev;
      d = nextTradingDay(d);
    }
  }

  start(): void {
    this.stop();
    const n = this.nextEvent();
    this.opts.log?.(`scheduler: next ${n.phase} ${n.date} at ${new Date(n.atMs).toISOString()}`);
    this.cancel = this.clock.at(n.atMs, () => {
      this.running = this.runEvent(n).finally(() => this.start());
    });
  }

  /** Runs one step (safe to call again: every step is idempotent). */
  async runEvent(ev: Pick<SchedulerEvent, 'date' | 'phase'>): Promise<DayReport> {
    if (ev.phase === 'entry') return this.runDay(ev.date);
    const hook = ev.phase === 'prepare' ? this.opts.prepare : this.opts.afterClose;
    let notes: readonly string[];
    try {
      notes = hook ? await hook(ev.date, this.clock.now()) : [];
    } catch (err) {
      notes = [`${ev.phase} failed: ${err instanceof Error ? err.message : String(err)}`];
    }
    for (const n of notes) this.opts.log?.(`scheduler: ${ev.date} ${ev.phase}: ${n}`);
    const report: DayReport = { date: ev.date, phase: ev.phase, notes, results: [] };
    this.reports.push(report);
    return report;
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** Computes, stores and delivers the signals of one trading day (safe to call again: idempotent). */
  async runDay(date: IsoDate): Promise<DayReport> {
    const report: DayReport = { date, phase: 'entry', results: [] };
    for (const preset of this.opts.presets ?? ['vixshield']) {
      let signal: unknown;
      try {
        signal = await this.opts.compute(date, preset);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        this.opts.log?.(`scheduler: ${date} ${preset}: no signal: ${error}`);
        report.results.push({ preset, stored: false, error, deliveries: [] });
        continue;
      }
      const deliveries: DayReport['results'][number]['deliveries'] = [];
      for (const url of this.opts.webhooks) deliveries.push(await this.deliver(date, preset, url, signal));
      report.results.push({ preset, stored: true, deliveries });
    }
    this.reports.push(report);
    return report;
  }

  private async deliver(
    date: IsoDate,
    preset: string,
    url: string,
    signal: unknown,
  ): Promise<{ url: string; status: 'delivered' | 'failed' | 'skipped'; attempts: number }> {
    const { journal } = this.opts;
    const prev = journal.delivery(date, preset, url);
    if (prev?.status === 'delivered') return { url, status: 'skipped', attempts: 0 };
    const max = this.opts.maxAttempts ?? 5;
    const base = this.opts.retryBaseMs ?? 1000;
    const doFetch = this.opts.fetch ?? fetch;
    const body = JSON.stringify({ type: 'vixshield.signal', date, preset, signal });
    for (let k = 0; k < max; k++) {
      if (k > 0) await this.clock.sleep(base * 2 ** (k - 1));
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `${date}:${preset}` },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        if (res.ok) {
          journal.recordDelivery(date, preset, url, 'delivered');
          return { url, status: 'delivered', attempts: k + 1 };
        }
        journal.recordDelivery(date, preset, url, 'failed', `HTTP ${res.status}`);
      } catch (err) {
        journal.recordDelivery(date, preset, url, 'failed', err instanceof Error ? err.message : String(err));
      }
    }
    this.opts.log?.(`scheduler: ${date} ${preset}: delivery to ${url} failed after ${max} attempts`);
    return { url, status: 'failed', attempts: max };
  }
}
