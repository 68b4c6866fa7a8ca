import { newYorkTimeToUtcMs } from '../../calendar/index';
import { fromDayNumber, type IsoDate, toDayNumber } from '../../domain/index';
import { type EventCalendar, type EventFlags, type EventKind, RELEASE_TIME_ET } from '../../market/index';
import type { StrategyConfig } from '../config';
import type { Cause } from '../types';

/** A release a position would be open through. */
export interface HeldRelease {
  readonly kind: EventKind;
  readonly date: IsoDate;
  /** Release instant (New York release time of the kind on `date`), epoch ms. */
  readonly releaseUtcMs: number;
}

/** The releases inside a holding window, and the (kind, date) pairs the calendar cannot tell about. */
export interface HeldThrough {
  readonly releases: readonly HeldRelease[];
  readonly unknown: ReadonlyArray<{ readonly kind: EventKind; readonly date: IsoDate }>;
}

export const NOTHING_HELD: HeldThrough = { releases: [], unknown: [] };

/**
 * The releases a position opened at `openUtcMs` on `openDate` and settled at `settleUtcMs` on `expiry`
 * is open through (M§1 "Event days": every session up to the condor's expiry, the release time against
 * the entry time): every calendar day from the entry day to the expiry, each kind at its release time,
 * counted when openUtcMs < release <= settleUtcMs. Non-session days count too (BLS publishes payrolls
 * on Good Friday). Without a calendar only the entry day's own flags are known; later days are unknown.
 */
export function releasesHeldThrough(
  cal: EventCalendar | undefined,
  openDate: IsoDate,
  openDayFlags: EventFlags,
  openUtcMs: number,
  expiry: IsoDate,
  settleUtcMs: number,
  kinds: readonly EventKind[],
): HeldThrough {
  const releases: HeldRelease[] = [];
  const unknown: Array<{ kind: EventKind; date: IsoDate }> = [];
  const last = toDayNumber(expiry);
  for (let day = toDayNumber(openDate); day <= last; day++) {
    const date = fromDayNumber(day);
    const flags: EventFlags | undefined = cal
      ? cal.flagsOn(date)
      : date === openDate
        ? openDayFlags
        : undefined;
    for (const kind of kinds) {
      const v = flags ? flags[kind] : null;
      // A known "no release" day is neither held nor unknown, whatever its release instant: skip the
      // time-zone arithmetic for it (most days of a window).
      if (v !== true && v !== null) continue;
      const releaseUtcMs = newYorkTimeToUtcMs(date, RELEASE_TIME_ET[kind]);
      if (!(releaseUtcMs > openUtcMs && releaseUtcMs <= settleUtcMs)) continue;
      if (v === true) releases.push({ kind, date, releaseUtcMs });
      else unknown.push({ kind, date });
    }
  }
  return { releases, unknown };
}

/** "CPI 2023-11-14 08:30 ET, FOMC 2023-11-01 14:00 ET". */
export function describeReleases(rs: readonly HeldRelease[]): string {
  return rs.map((r) => `${r.kind.toUpperCase()} ${r.date} ${RELEASE_TIME_ET[r.kind]} ET`).join(', ');
}

function describeUnknown(u: HeldThrough['unknown']): string {
  const byKind = new Map<string, IsoDate[]>();
  for (const x of u) byKind.set(x.kind, [...(byKind.get(x.kind) ?? []), x.date]);
  return [...byKind].map(([k, ds]) => `${k.toUpperCase()} on ${ds.join(', ')}`).join('; ');
}

export interface EventDecision {
  /** 'trade' normally; 'skip' when a release is held through under the skip policy; 'half-size-wider' under that variant. */
  readonly action: 'trade' | 'skip' | 'half-size-wider';
  /** Kinds of the releases the new condor would be open through. */
  readonly events: readonly string[];
  /** Kinds the calendar cannot tell about inside the holding window: said, never assumed absent. */
  readonly unknownKinds: readonly string[];
  readonly held: HeldThrough;
  readonly reason: string;
  readonly cause: Cause;
}

/**
 * Event rule (M§1 "Event days", R32): "no condor is held through a release". The entry is skipped by
 * default when the new condor would be open through a FOMC, CPI, PPI or payrolls release (between the
 * entry instant and its settlement); the "half size, wider strikes" variant is for studies. A release
 * already out at the entry instant (08:30 ET on the entry day) is not held through. Unknown calendar
 * days are reported as unknown and do not block the entry (the rule cannot act on what it does not know).
 */
export function eventFilter(held: HeldThrough, events: StrategyConfig['events']): EventDecision {
  const hit = [...new Set(held.releases.map((r) => r.kind))];
  const unknown = [...new Set(held.unknown.map((u) => u.kind))];
  const cause: Cause = {
    rule: 'event-filter',
    inputs: {
      policy: events.policy,
      events: describeReleases(held.releases) || null,
      unknown: describeUnknown(held.unknown) || null,
    },
  };
  const unknownNote =
    held.unknown.length > 0 ? ` (unknown: no calendar data for ${describeUnknown(held.unknown)})` : '';
  if (held.releases.length === 0 || events.policy === 'ignore') {
    const what =
      held.releases.length === 0
        ? held.unknown.length > 0
          ? 'no known release held through'
          : 'no release held through'
        : `releases held through (${describeReleases(held.releases)}), ignored by the event policy`;
    return {
      action: 'trade',
      events: hit,
      unknownKinds: unknown,
      held,
      reason: `${what}${unknownNote}`,
      cause,
    };
  }
  const names = describeReleases(held.releases);
  if (events.policy === 'post-announcement') {
    // R32 option 3: trade 0DTE in the final two hours after the release. The daily session is at 15:10
    // CT, after that day's PM expiry has settled, and no intraday chain is embedded: it cannot be done.
    return {
      action: 'skip',
      events: hit,
      unknownKinds: unknown,
      held,
      reason: `the condor would be held through ${names}: the post-announcement 0DTE variant needs intraday quotes (none in the data); skipped`,
      cause,
    };
  }
  if (events.policy === 'skip') {
    return {
      action: 'skip',
      events: hit,
      unknownKinds: unknown,
      held,
      reason: `the condor would be held through ${names}: skipped by the event rule${unknownNote}`,
      cause,
    };
  }
  return {
    action: 'half-size-wider',
    events: hit,
    unknownKinds: unknown,
    held,
    reason: `held through ${names}: half size, strikes ${events.widerK} x EDR out${unknownNote}`,
    cause,
  };
}
