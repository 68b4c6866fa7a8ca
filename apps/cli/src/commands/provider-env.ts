import { DEFAULT_HOSTS, DEFAULT_TIMEOUT_MS, hostsAt, type ProviderHosts } from '@vixshield/data';
import { InvalidArgumentError } from 'commander';

/**
 * Where the providers read from. VIXSHIELD_PROVIDER_BASE_URL replaces every host (a mirror, or the
 * loopback fixture server of the tests); VIXSHIELD_EVENTS_URL is where the event-calendar files are
 * kept (no default: there is no official CSV of those schedules).
 */
export function providerHosts(env: NodeJS.ProcessEnv = process.env): ProviderHosts {
  const base = env.VIXSHIELD_PROVIDER_BASE_URL;
  const hosts = base ? hostsAt(base) : DEFAULT_HOSTS;
  const events = env.VIXSHIELD_EVENTS_URL;
  return events ? { ...hosts, events } : hosts;
}

/** `--timeout <seconds>`: a positive number of seconds, as milliseconds. */
export function parseTimeout(text: string): number {
  const v = Number(text);
  if (!(v > 0) || !Number.isFinite(v))
    throw new InvalidArgumentError(`--timeout must be seconds > 0, got '${text}'.`);
  return v * 1000;
}

export const DEFAULT_TIMEOUT_SECONDS = DEFAULT_TIMEOUT_MS / 1000;

/**
 * `--now <instant>` (hidden): the clock for a replay or a test, an ISO instant with an offset or Z
 * (2019-06-26T20:05:00Z). Without it the wall clock is used.
 */
export function parseNow(text: string): number {
  const ms = /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new InvalidArgumentError(`--now must be an ISO instant with Z or an offset, got '${text}'.`);
  return ms;
}
