import { UnavailableError } from '@vixshield/core';

/**
 * A source could not be read: no network, a timeout, an HTTP error, or a payload that is not what the
 * source publishes (truncated, malformed, stale, incomplete). Names the source, where it was read
 * from (URL or file) and the offline alternative. Not bad input from the user: the CLI exits 1.
 * Never carries a secret (the broker token travels in a header, never in a URL or a message).
 */
export class ProviderError extends UnavailableError {
  override readonly name: string = 'ProviderError';
  constructor(
    /** 'Cboe VIX9D', 'FRED DFF', 'Tradier chain', ... */
    readonly source: string,
    /** The URL or the file the payload came from. */
    readonly location: string,
    /** What went wrong, for a person. */
    readonly reason: string,
    /** How to get the data another way (the --from-dir / --file alternative). */
    hint: string,
  ) {
    super(`${source}: ${reason} (${location}); ${hint}`, 'source', hint, { hintInMessage: true });
  }
}

/** The hint of a daily series read over the network: the offline alternative. */
export function fromDirHint(fileName: string): string {
  return `offline: download it by hand, save it as ${fileName} in a folder and run 'vixshield data update --from-dir <folder>'`;
}
