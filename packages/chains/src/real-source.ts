import type { ChainSource, IsoDate, OptionChain, OptionRoot, PriceSource } from '@vixshield/core';
import { embeddedHodChains } from './embedded';
import { groupIntoChains } from './group';
import type { ChainQuoteRow } from './row';
import { type ChainStore, chainsOfStoredRows, type DateRange, pickRoot } from './store';

/**
 * Real quotes behind the synchronous ChainSource port. Everything is preloaded: `load` reads a date
 * range from the DuckDB store once (async), `fromRows`/`embedded` build from rows already in memory
 * (the embedded 2018 file needs no DuckDB). Lookups are then plain map reads.
 *
 * When an SPX (AM) and an SPXW (PM) chain expire on the same day, `chain()` returns the SPXW one
 * (the port has no root parameter); `chainFor()` picks a root explicitly.
 */
export class RealChainSource implements ChainSource {
  readonly pricesSource = 'real' as const;
  private readonly byDate = new Map<IsoDate, Map<IsoDate, OptionChain[]>>();
  private readonly expiryLists = new Map<IsoDate, readonly IsoDate[]>();

  constructor(chains: readonly OptionChain[]) {
    for (const c of chains) {
      if (c.source.kind !== 'real') {
        throw new Error(`RealChainSource got a ${c.source.kind} chain (${c.asOf} ${c.expiry})`);
      }
      let m = this.byDate.get(c.asOf);
      if (m === undefined) {
        m = new Map();
        this.byDate.set(c.asOf, m);
      }
      const list = m.get(c.expiry) ?? [];
      list.push(c);
      m.set(c.expiry, list);
    }
    for (const [d, m] of this.byDate) {
      this.expiryLists.set(d, Object.freeze([...m.keys()].filter((e) => e >= d).sort()));
    }
  }

  /** Preloads the quote dates in `range` (inclusive) from the store. */
  static async load(store: ChainStore, range: DateRange = {}): Promise<RealChainSource> {
    return new RealChainSource(chainsOfStoredRows(await store.readRows(range)));
  }

  /** From normalised rows in memory, all labelled with one source. */
  static fromRows(rows: readonly ChainQuoteRow[], source: PriceSource): RealChainSource {
    return new RealChainSource(groupIntoChains(rows, source));
  }

  /** The embedded HistoricalOptionData 2018 SPXW file (2018-01-02..2018-02-28), no DuckDB needed. */
  static embedded(): RealChainSource {
    return new RealChainSource(embeddedHodChains());
  }

  /** Quote dates with at least one chain, ascending. */
  dates(): IsoDate[] {
    return [...this.byDate.keys()].sort();
  }

  expirations(asOf: IsoDate): readonly IsoDate[] {
    return this.expiryLists.get(asOf) ?? [];
  }

  chain(asOf: IsoDate, expiry: IsoDate): OptionChain | undefined {
    return this.chainFor(asOf, expiry);
  }

  /**
   * Every chain of `expiry` quoted on `asOf` (each root; each quote instant the rows carry), ascending
   * by quote instant: what the backtest's intraday marks read at a bar close (ChainSource.quotesOn).
   */
  quotesOn(asOf: IsoDate, expiry: IsoDate): readonly OptionChain[] {
    if (expiry < asOf) return [];
    const list = this.byDate.get(asOf)?.get(expiry) ?? [];
    return [...list].sort((a, b) => a.quoteTimeUtcMs - b.quoteTimeUtcMs);
  }

  /** The chain of one root (SPXW preferred when `root` is omitted and both exist). */
  chainFor(asOf: IsoDate, expiry: IsoDate, root?: OptionRoot): OptionChain | undefined {
    if (expiry < asOf) return undefined;
    const list = this.byDate.get(asOf)?.get(expiry);
    return list === undefined ? undefined : pickRoot(list, root);
  }
}
