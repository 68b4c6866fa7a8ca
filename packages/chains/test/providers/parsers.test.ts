import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QuoteFlag } from '@vixshield/core';
import { ProviderError } from '@vixshield/data';
import { describe, expect, it } from 'vitest';
import { CBOE_DELAY_SECONDS, parseCboeChain, parseSpxOsi } from '../../src/index';

/* The Cboe delayed-quote parser on recorded payloads (test/fixtures/providers/README.md says where each came from). */

const FIX = fileURLToPath(new URL('../fixtures/providers/', import.meta.url));
const read = (p: string) => readFileSync(`${FIX}${p}`, 'utf8');

describe('Cboe delayed quotes (_SPX.json)', () => {
  const hint = 'offline hint';

  it('a real _VIX.json capture: the envelope and the option objects read; VIX options are refused by the SPX chain, named', () => {
    const text = read('cboe-chain/_VIX-2026-05-20-excerpt.json');
    // the excerpt keeps the first option objects only, not data.current_price (README)
    expect(() => parseCboeChain(text, 'u', hint)).toThrow(/"data\.current_price" undefined is not a price/);
    const withPrice = text.replace('"data": {', '"data": {"current_price": 17.39, ');
    expect(() => parseCboeChain(withPrice, 'u', hint)).toThrow(ProviderError);
    expect(() => parseCboeChain(withPrice, 'u', hint)).toThrow(
      /Cboe delayed quotes: malformed payload: 'VIX260617C00010000' is not an SPX or SPXW option symbol \(u\); offline hint/,
    );
  });

  it('the 2019-06-26 15:45 SPXW chain (real DataShop quotes in the _SPX.json layout)', () => {
    const s = parseCboeChain(read('cboe-chain/_SPX-2019-06-26-1545-reencoded.json'), 'u', hint);
    expect(s.publishedUtcMs).toBe(Date.UTC(2019, 5, 26, 20, 0, 0));
    expect(s.quoteTimeUtcMs).toBe(Date.UTC(2019, 5, 26, 19, 45, 0)); // 15:45 EDT
    expect(s.delaySeconds).toBe(CBOE_DELAY_SECONDS);
    expect(s.underlyingPrice).toBe(2918.11);
    expect(s.rows.length).toBe(486);
    const at = (expiry: string, strike: number, right: string) =>
      s.rows.find((r) => r.expiry === expiry && r.strike === strike && r.right === right)!;
    // the source rows (DataShop bid_1545/ask_1545): 2019-06-28 2900 P 5.5/5.7, 2925 C 8.3/8.6, 2019-06-26 2700 P 0/0.05
    expect(at('2019-06-28', 2900, 'put')).toMatchObject({
      bid: 5.5,
      ask: 5.7,
      root: 'SPXW',
      settlement: 'PM',
      quoteTimeEt: '15:45',
    });
    expect(at('2019-06-28', 2925, 'call')).toMatchObject({ bid: 8.3, ask: 8.6, openInterest: 25881 });
    expect(at('2019-06-26', 2700, 'put')).toMatchObject({ bid: 0, ask: 0.05, flags: QuoteFlag.zeroBid });
    expect(Number.isNaN(at('2019-06-26', 2915, 'call').vendorIv)).toBe(true); // not in the payload
  });

  it('OSI symbols of both roots; theta per day and vega per vol point are converted', () => {
    expect(parseSpxOsi('SPXW250904P05580000')).toEqual({
      root: 'SPXW',
      expiry: '2025-09-04',
      right: 'put',
      strike: 5580,
    });
    expect(parseSpxOsi('SPX260618C07380000')).toEqual({
      root: 'SPX',
      expiry: '2026-06-18',
      right: 'call',
      strike: 7380,
    });
    expect(parseSpxOsi('VIX260617C00010000')).toBeUndefined();
    const one = JSON.stringify({
      timestamp: '2026-09-22 19:48:44',
      data: {
        current_price: 7777,
        options: [
          {
            option: 'SPXW260925C07800000',
            bid: 41.5,
            ask: 42.3,
            iv: 0.1432,
            delta: 0.4812,
            theta: -8.7311,
            vega: 3.9102,
          },
        ],
      },
    });
    const r = parseCboeChain(one, 'u', hint).rows[0]!;
    expect(r.vendorTheta).toBeCloseTo(-8.7311 * 365, 9);
    expect(r.vendorVega).toBeCloseTo(391.02, 9);
    expect(r.vendorIv).toBe(0.1432);
    expect(r.quoteTimeEt).toBe('15:33'); // 19:48:44 UTC - 15 min = 15:33:44 EDT
  });
});
