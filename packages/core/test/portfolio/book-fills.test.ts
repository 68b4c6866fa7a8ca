import { describe, expect, it } from 'vitest';
import {
  apiFillField,
  type BookFill,
  bookFromFills,
  ConflictError,
  condorSettlementValue,
  InvalidInputError,
  type IsoDate,
  settleExpiredBook,
  validateFills,
} from '../../src/index';

const ctx = { hedgeLayers: 3, name: apiFillField };
const open: BookFill = {
  id: 'o1',
  instrument: 'condor',
  action: 'open',
  positionId: 'ic',
  date: '2024-03-15',
  tier: 'balanced',
  expiry: '2024-03-18',
  strikes: { putLong: 5040, putShort: 5050, callShort: 5140, callLong: 5150 },
  quantity: 2,
  price: 1.25,
};
const close = { ...open, id: 'c1', action: 'close' as const, date: '2024-03-18', quantity: 1, price: 0.2 };

describe('validateFills: the one validation of the book', () => {
  it('accepts an open and a partial close; the book keeps the rest open', () => {
    const fills = validateFills([open, close], [], ctx);
    const book = bookFromFills(fills);
    expect(book.condors).toHaveLength(1);
    expect(book.condors[0]).toMatchObject({ id: 'ic', quantity: 1, settlement: 'PM', root: 'SPXW' });
  });

  it.each([
    [{ date: '2024-02-30' }, 'fills[0].date'],
    [{ expiry: '2024-02-31' }, 'fills[0].expiry'],
    [{ expiry: '2024-03-15' }, 'fills[0].expiry'], // not after the fill date
    [{ expiry: '2024-03-16' }, 'fills[0].expiry'], // a Saturday: no SPXW expiration
    [{ root: 'SPX', expiry: '2024-03-18' }, 'fills[0].expiry'], // SPX monthlies: the third Friday
    [{ strikes: { putLong: 5050, putShort: 5040, callShort: 5140, callLong: 5150 } }, 'fills[0].strikes'],
    [{ strikes: { putLong: 5040, putShort: 5150, callShort: 5140, callLong: 5160 } }, 'fills[0].strikes'],
    [{ quantity: -1 }, 'fills[0].quantity'],
    [{ extra: 1 }, 'fills[0]'],
  ])('refuses %j (field %s) as invalid input', (patch, field) => {
    try {
      validateFills([{ ...open, ...patch }], [], ctx);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).field.startsWith(field)).toBe(true);
      expect((e as Error).message).toContain("(id 'o1')");
    }
  });

  it('an SPX monthly on its third Friday is accepted (AM settlement)', () => {
    const [f] = validateFills([{ ...open, root: 'SPX', expiry: '2024-03-15', date: '2024-03-01' }], [], ctx);
    expect(bookFromFills([f!]).condors[0]?.settlement).toBe('AM');
  });

  it('hedges: VIX expirations and the config layers only', () => {
    const h = {
      id: 'h',
      instrument: 'hedge',
      action: 'open',
      positionId: 'v',
      date: '2024-02-20',
      layer: 3,
      expiry: '2024-03-20',
      strike: 13,
      quantity: 1,
      price: 1,
    };
    expect(validateFills([h], [], ctx)).toHaveLength(1);
    expect(() => validateFills([{ ...h, layer: 4 }], [], ctx)).toThrow(
      /fills\[0\] \(id 'h'\)\.layer: 4 is not a hedge layer/,
    );
    expect(() => validateFills([{ ...h, expiry: '2024-03-19' }], [], ctx)).toThrow(
      /not a VIX options expiration/,
    );
  });

  it('against the recorded book: a close needs an open position with the same terms and quantity', () => {
    const conflict = (fills: unknown[], recorded: BookFill[], text: RegExp) => {
      expect(() => validateFills(fills, recorded, ctx)).toThrow(ConflictError);
      expect(() => validateFills(fills, recorded, ctx)).toThrow(text);
    };
    conflict([close], [], /no open position 'ic' to close/);
    conflict([{ ...close, quantity: 3 }], [open], /closes more than the 2 open/);
    conflict([{ ...close, strikes: { ...open.strikes, callLong: 5160 } }], [open], /the close says/);
    conflict([{ ...open, id: 'o2', expiry: '2024-03-19' }], [open], /use a new position id/);
    expect(validateFills([close], [open], ctx)).toHaveLength(1);
    // A recorded id is left to the journal (same content: unchanged); it does not count twice.
    expect(validateFills([open, close], [open], ctx)).toHaveLength(2);
  });
});

describe('settleExpiredBook', () => {
  const book = bookFromFills([open]);
  const day = { open: 5154.77, close: 5149.42 };
  const prints = {
    spxDay: (d: IsoDate) => (d === '2024-03-18' ? day : undefined),
    vro: () => undefined,
  };

  it('keeps a position on its expiry day; settles it the day after at the PM close', () => {
    expect(settleExpiredBook(book, '2024-03-18' as IsoDate, prints).book).toEqual(book);
    const r = settleExpiredBook(book, '2024-03-19' as IsoDate, prints);
    expect(r.book.condors).toEqual([]);
    // By hand: the 5140/5150 call spread at 5149.42 pays 9.42; credit 1.25; 2 condors x 100.
    expect(r.settled).toEqual([
      expect.objectContaining({
        settlementPrice: 5149.42,
        valuePts: condorSettlementValue(open.strikes, 5149.42),
      }),
    ]);
    expect(r.settled[0]!.valuePts).toBeCloseTo(-9.42, 9);
    expect(r.settled[0]!.pnlUsd).toBeCloseTo(-1634, 6);
  });

  it('an AM-settled SPX monthly settles at the open; a missing print leaves it awaiting', () => {
    const am = {
      ...book,
      condors: book.condors.map((c) => ({ ...c, settlement: 'AM' as const, root: 'SPX' as const })),
    };
    expect(settleExpiredBook(am, '2024-03-19' as IsoDate, prints).settled[0]!.settlementPrice).toBe(5154.77);
    const r = settleExpiredBook(book, '2024-03-19' as IsoDate, {
      spxDay: () => undefined,
      vro: () => undefined,
    });
    expect(r.settled).toEqual([]);
    expect(r.book.condors).toEqual([]);
    expect(r.awaiting).toEqual([
      expect.objectContaining({ positionId: 'ic', reason: expect.stringMatching(/not known yet/) }),
    ]);
  });
});
