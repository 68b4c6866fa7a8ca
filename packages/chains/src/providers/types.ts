import type { ChainQuoteRow } from '../row';

export const CHAIN_PROVIDER_IDS = ['cboe', 'tradier', 'file'] as const;
export type ChainProviderId = (typeof CHAIN_PROVIDER_IDS)[number];

/**
 * One option-chain snapshot, as a provider gave it: the rows in the chain store's row type (every
 * row carries the snapshot's quote date and minute), and what the scheduler and the signal need to
 * judge it: the exact quote instant, the provider's delay and publication time.
 */
export interface ChainSnapshot {
  readonly provider: ChainProviderId;
  /** Vendor name stored with the quotes (`quote_sources.vendor`). */
  readonly vendor: string;
  /** URL(s) or file read (never a token). */
  readonly source: string;
  /** The instant the quotes describe (UTC ms): the provider's time minus its delay. */
  readonly quoteTimeUtcMs: number;
  /** The provider's own publication time, when it gives one. */
  readonly publishedUtcMs: number | null;
  /** How old the quotes are when published (Cboe delayed: 900 s; Tradier: 0). */
  readonly delaySeconds: number;
  /** SPX at the quote instant, as the provider gives it. */
  readonly underlyingPrice: number;
  readonly rows: readonly ChainQuoteRow[];
}

/**
 * A source of SPX/SPXW chain snapshots. `snapshot(now)` reads the provider and validates the payload
 * (shape, both roots present, the quote instant inside a regular session, not stale at `now`); it
 * throws ProviderError naming the provider, the URL or file and the offline alternative.
 */
export interface ChainProvider {
  readonly id: ChainProviderId;
  readonly delaySeconds: number;
  /** Where it reads from, for messages (never a token). */
  readonly describe: string;
  snapshot(nowUtcMs: number): Promise<ChainSnapshot>;
}
