import {
  type ChainSource,
  expirationsOn,
  type IsoDate,
  isTradable,
  midPrice,
  type OptionChain,
  quoteFlags,
  session,
  settlementInstantUtcMs,
  yearFraction,
} from '@vixshield/core';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The contract every ChainSource implementation passes (real quotes and the surface model alike).
 * It knows nothing about any data set: the subject says which as-of dates to probe.
 */
export interface ChainSourceSubject {
  readonly source: ChainSource;
  /** Trading dates on which the source has chains (at least one). */
  readonly asOfDates: readonly IsoDate[];
}

export interface ChainSourceContractOptions {
  /**
   * Minimum number of tradable near-the-money call/put pairs the parity check must see over all
   * probed chains (default 1), so the check cannot pass vacuously.
   */
  readonly minParityPairs?: number;
  /** Moneyness band |K/S - 1| for "near the money" pairs (default 0.03). */
  readonly parityBand?: number;
}

/** Rate and dividend-yield bounds the parity check allows (continuously compounded, per year). */
export const PARITY_RATE_RANGE = [-0.01, 0.1] as const;
export const PARITY_YIELD_RANGE = [0, 0.05] as const;

/** The first Saturday after `d` (UTC arithmetic on the calendar date only). */
export function nextSaturday(d: IsoDate): IsoDate {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const t = Date.UTC(y, m - 1, day);
  const dow = new Date(t).getUTCDay();
  const s = new Date(t + ((6 - dow + 7) % 7 || 7) * 86_400_000);
  return s.toISOString().slice(0, 10) as IsoDate;
}

function allChains(s: ChainSourceSubject): OptionChain[] {
  const out: OptionChain[] = [];
  for (const d of s.asOfDates) {
    for (const e of s.source.expirations(d)) {
      const c = s.source.chain(d, e);
      if (c) out.push(c);
    }
  }
  return out;
}

export function describeChainSourceContract(
  name: string,
  makeSource: () => ChainSourceSubject | Promise<ChainSourceSubject>,
  options: ChainSourceContractOptions = {},
): void {
  describe(`ChainSource contract: ${name}`, () => {
    let subject: ChainSourceSubject;
    let chains: OptionChain[];
    beforeAll(async () => {
      subject = await makeSource();
      chains = allChains(subject);
    });

    it('serves at least one chain on the probed dates (the suite is not vacuous)', () => {
      expect(subject.asOfDates.length).toBeGreaterThan(0);
      expect(chains.length).toBeGreaterThan(0);
    });

    it('expirations are ascending, unique, on or after asOf, and each has its chain', () => {
      for (const d of subject.asOfDates) {
        const ex = subject.source.expirations(d);
        expect(ex.length, `expirations(${d})`).toBeGreaterThan(0);
        for (let i = 0; i < ex.length; i++) {
          expect(ex[i]! >= d, `${ex[i]} >= ${d}`).toBe(true);
          if (i > 0) expect(ex[i]! > ex[i - 1]!, `${ex[i - 1]} < ${ex[i]}`).toBe(true);
          const c = subject.source.chain(d, ex[i]!);
          expect(c, `chain(${d}, ${ex[i]})`).toBeDefined();
          expect(c!.asOf).toBe(d);
          expect(c!.expiry).toBe(ex[i]);
        }
      }
    });

    it('answers undefined for an expired expiry and for a weekend (never an expiry)', () => {
      const d = subject.asOfDates[0]!;
      expect(subject.source.chain(d, '1999-01-15' as IsoDate)).toBeUndefined();
      expect(subject.source.chain(d, nextSaturday(d))).toBeUndefined();
    });

    it('strikes are finite, positive, ascending and unique; every array has one value per strike', () => {
      for (const c of chains) {
        const n = c.strikes.length;
        expect(n).toBeGreaterThan(0);
        for (let i = 0; i < n; i++) {
          expect(Number.isFinite(c.strikes[i]!) && c.strikes[i]! > 0).toBe(true);
          if (i > 0) expect(c.strikes[i]!).toBeGreaterThan(c.strikes[i - 1]!);
        }
        for (const a of [
          c.callBid,
          c.callAsk,
          c.putBid,
          c.putAsk,
          c.callFlags,
          c.putFlags,
          c.callIv,
          c.putIv,
        ]) {
          expect(a.length).toBe(n);
        }
        expect(Number.isFinite(c.underlying) && c.underlying > 0).toBe(true);
      }
    });

    it('no look-ahead: quote instant on asOf, not after its close; settlement not before the quote', () => {
      for (const c of chains) {
        const s = session(c.asOf);
        expect(c.quoteTimeUtcMs, `${c.asOf} quote <= close`).toBeLessThanOrEqual(s.closeUtcMs);
        expect(c.quoteTimeUtcMs, `${c.asOf} quote after the previous day`).toBeGreaterThan(
          s.openUtcMs - 10 * 3_600_000,
        );
        const settle = settlementInstantUtcMs(c.expiry, c.settlement);
        expect(settle, `${c.asOf} ${c.root} ${c.expiry} settles after the quote`).toBeGreaterThanOrEqual(
          c.quoteTimeUtcMs,
        );
      }
    });

    it('settlement style matches the root, and the root expires on that day by the calendar', () => {
      for (const c of chains) {
        expect(c.settlement).toBe(c.root === 'SPX' ? 'AM' : 'PM');
        expect(expirationsOn(c.expiry).some((e) => e.root === c.root && e.settlement === c.settlement)).toBe(
          true,
        );
      }
    });

    it('flags are quoteFlags(bid, ask); quotes are NaN (missing) or >= 0', () => {
      for (const c of chains) {
        for (let i = 0; i < c.strikes.length; i++) {
          expect(c.callFlags[i]).toBe(quoteFlags(c.callBid[i]!, c.callAsk[i]!));
          expect(c.putFlags[i]).toBe(quoteFlags(c.putBid[i]!, c.putAsk[i]!));
          for (const v of [c.callBid[i]!, c.callAsk[i]!, c.putBid[i]!, c.putAsk[i]!]) {
            expect(Number.isNaN(v) || v >= 0).toBe(true);
          }
        }
      }
    });

    it('midPrice never turns NaN (missing) into a price; tradable mids lie inside bid..ask', () => {
      for (const c of chains) {
        for (let i = 0; i < c.strikes.length; i++) {
          for (const right of ['call', 'put'] as const) {
            const flags = right === 'call' ? c.callFlags[i]! : c.putFlags[i]!;
            const bid = right === 'call' ? c.callBid[i]! : c.putBid[i]!;
            const ask = right === 'call' ? c.callAsk[i]! : c.putAsk[i]!;
            const m = midPrice(c, i, right);
            if (Number.isNaN(bid) || Number.isNaN(ask)) expect(m).toBeNaN();
            if (isTradable(flags)) {
              expect(Number.isFinite(m)).toBe(true);
              expect(m).toBeGreaterThanOrEqual(bid);
              expect(m).toBeLessThanOrEqual(ask);
            } else expect(m).toBeNaN();
          }
        }
      }
    });

    it('quotesOn (when the source has it): real chains of that day and expiry only, ascending, never after the close', () => {
      const quotesOn = subject.source.quotesOn?.bind(subject.source);
      if (!quotesOn) {
        // A source without intraday quotes: the runner's intraday marks ask chain() of a real source only.
        expect(subject.source.quotesOn).toBeUndefined();
        return;
      }
      let seen = 0;
      for (const d of subject.asOfDates) {
        for (const e of subject.source.expirations(d)) {
          const list = quotesOn(d, e);
          for (let i = 0; i < list.length; i++) {
            const c = list[i]!;
            seen++;
            expect(c.source.kind, `${d} ${e}`).toBe('real');
            expect(c.asOf).toBe(d);
            expect(c.expiry).toBe(e);
            expect(c.quoteTimeUtcMs).toBeLessThanOrEqual(session(d).closeUtcMs);
            if (i > 0) expect(c.quoteTimeUtcMs).toBeGreaterThanOrEqual(list[i - 1]!.quoteTimeUtcMs);
          }
        }
        expect(quotesOn(d, nextSaturday(d))).toEqual([]);
      }
      if (subject.source.pricesSource === 'real') expect(seen).toBeGreaterThan(0);
    });

    it('the price source matches pricesSource', () => {
      for (const c of chains) {
        expect(c.source.kind).toBe(subject.source.pricesSource);
      }
    });

    it('put-call parity roughly holds for tradable near-the-money pairs', () => {
      const band = options.parityBand ?? 0.03;
      let pairs = 0;
      for (const c of chains) {
        const T = yearFraction(c.quoteTimeUtcMs, settlementInstantUtcMs(c.expiry, c.settlement));
        const S = c.underlying;
        for (let i = 0; i < c.strikes.length; i++) {
          const K = c.strikes[i]!;
          if (Math.abs(K / S - 1) > band) continue;
          if (!isTradable(c.callFlags[i]!) || !isTradable(c.putFlags[i]!)) continue;
          if (!(c.callBid[i]! > 0 && c.putBid[i]! > 0)) continue;
          pairs++;
          // C - P = S e^{-qT} - K e^{-rT} for some r, q in the allowed ranges; the quotes give
          // C - P between (callBid - putAsk) and (callAsk - putBid). Slack: 0.2% of S for snapshot skew.
          const [rLo, rHi] = PARITY_RATE_RANGE;
          const [qLo, qHi] = PARITY_YIELD_RANGE;
          const lo = S * Math.exp(-qHi * T) - K * Math.exp(-rLo * T);
          const hi = S * Math.exp(-qLo * T) - K * Math.exp(-rHi * T);
          const slack = 0.002 * S;
          const ctx = `${c.asOf} ${c.root} ${c.expiry} K=${K}`;
          expect(c.callAsk[i]! - c.putBid[i]!, ctx).toBeGreaterThanOrEqual(lo - slack);
          expect(c.callBid[i]! - c.putAsk[i]!, ctx).toBeLessThanOrEqual(hi + slack);
        }
      }
      expect(pairs).toBeGreaterThanOrEqual(options.minParityPairs ?? 1);
    });
  });
}
