import type { EventFlags } from '../../market/index';
import type { StrategyConfig } from '../config';
import type { Cause } from '../types';

export interface EventDecision {
  /** 'trade' normally; 'skip' on an event day under the skip policy; 'half-size-wider' under that variant. */
  readonly action: 'trade' | 'skip' | 'half-size-wider';
  readonly events: readonly string[];
  /** Kinds the data cannot tell about on this day (null flags): said, never assumed absent. */
  readonly unknownKinds: readonly string[];
  readonly reason: string;
  readonly cause: Cause;
}

/**
 * Event days (M§1, R32): FOMC, CPI, PPI and payroll days are skipped by default; the "half size,
 * wider strikes" variant is for studies. A kind with no data for the day (null) is reported as unknown.
 */
export function eventFilter(flags: EventFlags, events: StrategyConfig['events']): EventDecision {
  const hit: string[] = [];
  const unknown: string[] = [];
  for (const kind of events.kinds) {
    const v = flags[kind];
    if (v === true) hit.push(kind);
    else if (v === null) unknown.push(kind);
  }
  const cause: Cause = {
    rule: 'event-filter',
    inputs: { policy: events.policy, events: hit.join(',') || null, unknown: unknown.join(',') || null },
  };
  const unknownNote = unknown.length > 0 ? ` (no data for ${unknown.join(', ')} on this day)` : '';
  if (hit.length === 0 || events.policy === 'ignore') {
    return {
      action: 'trade',
      events: hit,
      unknownKinds: unknown,
      reason: `no event day${unknownNote}`,
      cause,
    };
  }
  const names = hit.map((k) => k.toUpperCase()).join(', ');
  if (events.policy === 'post-announcement') {
    // R32 option 3: trade 0DTE in the final two hours after the release. The daily session is at 15:10
    // CT, after that day's PM expiry has settled, and no intraday chain is embedded: it cannot be done.
    return {
      action: 'skip',
      events: hit,
      unknownKinds: unknown,
      reason: `${names} day: the post-announcement 0DTE variant needs intraday quotes (none in the data); skipped`,
      cause,
    };
  }
  if (events.policy === 'skip') {
    return {
      action: 'skip',
      events: hit,
      unknownKinds: unknown,
      reason: `${names} day: skipped by the event rule`,
      cause,
    };
  }
  return {
    action: 'half-size-wider',
    events: hit,
    unknownKinds: unknown,
    reason: `${names} day: half size, strikes ${events.widerK} x EDR out`,
    cause,
  };
}
