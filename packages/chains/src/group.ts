import {
  InvalidInputError,
  type IsoDate,
  type OptionChain,
  type OptionRoot,
  type PriceSource,
  quoteFlags,
} from '@vixshield/core';
import { quoteInstantUtcMs } from './parse';
import type { ChainQuoteRow } from './row';

/**
 * Groups quote rows into OptionChain objects, one per (quote date, expiry, root), sorted by quote date,
 * expiry, then root (SPX before SPXW). Strikes are ascending and unique; a strike quoted for one right
 * only has NaN bid/ask/IV on the other side (flagged missing). IVs are the vendor's (NaN when absent
 * or a placeholder). The chain's underlying is the first row's (vendors write one level per snapshot).
 * Throws on two rows for the same contract.
 */
export function groupIntoChains(rows: readonly ChainQuoteRow[], source: PriceSource): OptionChain[] {
  const groups = new Map<string, ChainQuoteRow[]>();
  for (const r of rows) {
    const k = `${r.quoteDate}|${r.expiry}|${r.root}`;
    let g = groups.get(k);
    if (g === undefined) {
      g = [];
      groups.set(k, g);
    }
    g.push(r);
  }
  const keys = [...groups.keys()].sort();
  return keys.map((k) => buildChain(groups.get(k)!, source));
}

function buildChain(rows: ChainQuoteRow[], source: PriceSource): OptionChain {
  const first = rows[0]!;
  const strikeSet = new Set<number>();
  for (const r of rows) strikeSet.add(r.strike);
  const strikes = Float64Array.from([...strikeSet].sort((a, b) => a - b));
  const n = strikes.length;
  const index = new Map<number, number>();
  for (let i = 0; i < n; i++) index.set(strikes[i]!, i);
  const nan = (): Float64Array => new Float64Array(n).fill(Number.NaN);
  const chain: OptionChain = {
    asOf: first.quoteDate,
    quoteTimeUtcMs: quoteInstantUtcMs(first.quoteDate, first.quoteTimeEt),
    expiry: first.expiry,
    root: first.root,
    settlement: first.settlement,
    underlying: first.underlyingPrice,
    strikes,
    callBid: nan(),
    callAsk: nan(),
    putBid: nan(),
    putAsk: nan(),
    callFlags: new Uint8Array(n).fill(quoteFlags(Number.NaN, Number.NaN)),
    putFlags: new Uint8Array(n).fill(quoteFlags(Number.NaN, Number.NaN)),
    callIv: nan(),
    putIv: nan(),
    source,
  };
  const filled = new Uint8Array(n);
  for (const r of rows) {
    const i = index.get(r.strike)!;
    const bit = r.right === 'call' ? 1 : 2;
    if (filled[i]! & bit) {
      throw new InvalidInputError(
        `two ${r.right} quotes for ${r.root} ${r.expiry} strike ${r.strike} on ${r.quoteDate}`,
        'rows',
        'keep one quote per contract and day',
      );
    }
    filled[i]! |= bit;
    if (r.right === 'call') {
      chain.callBid[i] = r.bid;
      chain.callAsk[i] = r.ask;
      chain.callFlags[i] = r.flags;
      chain.callIv[i] = r.vendorIv;
    } else {
      chain.putBid[i] = r.bid;
      chain.putAsk[i] = r.ask;
      chain.putFlags[i] = r.flags;
      chain.putIv[i] = r.vendorIv;
    }
  }
  return chain;
}

/** The key a chain is grouped under. */
export function chainKey(asOf: IsoDate, expiry: IsoDate, root: OptionRoot): string {
  return `${asOf}|${expiry}|${root}`;
}
