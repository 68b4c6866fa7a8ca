import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError, InvalidInputError, NotFoundError, type PositionSettlement } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../src/journal';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'vixshield-journal-book-')), 'journal.sqlite');
const open = {
  id: 'f1',
  instrument: 'condor' as const,
  action: 'open' as const,
  positionId: 'ic-1',
  date: '2024-03-15',
  tier: 'balanced' as const,
  expiry: '2024-03-18',
  strikes: { putLong: 5040, putShort: 5050, callShort: 5140, callLong: 5150 },
  quantity: 2,
  price: 1.25,
};
const settlement: PositionSettlement = {
  positionId: 'ic-1',
  instrument: 'condor',
  expiry: '2024-03-18' as PositionSettlement['expiry'],
  quantity: 2,
  settlementBasis: 'SPXW PM close',
  settlementPrice: 5149.42,
  valuePts: -9.42,
  pnlUsd: -1634,
};

describe('journal: the book', () => {
  it('a void keeps the fill listed with the reason and takes it out of the counted fills and positions', () => {
    const path = tmp();
    const j = openJournal(path, { now: () => Date.UTC(2026, 0, 2) });
    j.recordFills([open, { ...open, id: 'f2', positionId: 'ic-2' }]);
    expect(j.voidFill('f2', ' wrong account ')).toMatchObject({
      status: 'voided',
      void: { fillId: 'f2', reason: 'wrong account', voidedAt: '2026-01-02T00:00:00.000Z' },
    });
    expect(j.voidFill('f2', 'wrong account').status).toBe('unchanged');
    expect(j.fills().map((f) => f.id)).toEqual(['f1']);
    expect(j.openPositions().map((p) => p.positionId)).toEqual(['ic-1']);
    expect(j.listFills().map((f) => [f.id, f.voided?.reason])).toEqual([
      ['f1', undefined],
      ['f2', 'wrong account'],
    ]);
    expect(() => j.voidFill('nope', 'typo')).toThrow(NotFoundError);
    expect(() => j.voidFill('f1', '  ')).toThrow(InvalidInputError);
    // Re-posting a voided fill does not bring it back (same id, same content: unchanged).
    expect(j.recordFills([{ ...open, id: 'f2', positionId: 'ic-2' }])).toEqual({ recorded: 0, unchanged: 1 });
    j.close();
    const r = openJournal(path);
    expect(r.listFills()[1]?.voided?.reason).toBe('wrong account');
    r.close();
  });

  it('settlements are journaled once per position with the print and the P&L, and close the position', () => {
    const j = openJournal(tmp());
    j.recordFills([open]);
    expect(j.recordSettlements([settlement], '2024-03-21')).toBe(1);
    expect(j.recordSettlements([{ ...settlement, pnlUsd: 0 }], '2024-03-22')).toBe(0);
    expect(j.settlements()).toEqual([expect.objectContaining({ ...settlement, recordedFor: '2024-03-21' })]);
    expect(j.openPositions()).toEqual([]);
    j.close();
  });

  describe('recordFills runs the full fill validation itself (no caller can store nonsense)', () => {
    const hedge = {
      id: 'h1',
      instrument: 'hedge' as const,
      action: 'open' as const,
      positionId: 'vc-1',
      date: '2024-03-15',
      layer: 1,
      expiry: '2024-03-20',
      strike: 20,
      quantity: 3,
      price: 0.9,
    };
    // Each bad fill goes second in a batch after a good one, so "nothing written" covers the batch.
    const bad: Array<[string, Record<string, unknown>, string, RegExp]> = [
      [
        'a date that is not a calendar day',
        { ...open, id: 'b1', date: '2024-02-30' },
        'date',
        /not a calendar date/,
      ],
      [
        'an expiry not after the fill date',
        { ...open, id: 'b2', expiry: '2024-03-15' },
        'expiry',
        /must be after the fill date/,
      ],
      [
        'an expiry the calendar does not list (a Saturday)',
        { ...open, id: 'b3', expiry: '2024-03-16' },
        'expiry',
        /not an SPXW expiration/,
      ],
      [
        'an SPX monthly that is not the third Friday',
        { ...open, id: 'b4', root: 'SPX' },
        'expiry',
        /third Friday/,
      ],
      [
        'strikes out of order',
        { ...open, id: 'b5', strikes: { putLong: 5050, putShort: 5040, callShort: 5140, callLong: 5150 } },
        'strikes',
        /putLong < putShort/,
      ],
      [
        'a hedge layer the config does not have',
        { ...hedge, id: 'b6', layer: 9 },
        'layer',
        /not a hedge layer: the config has layers 1\.\.3/,
      ],
      [
        'a VIX expiry that is not a VIX expiration',
        { ...hedge, id: 'b7', expiry: '2024-03-19' },
        'expiry',
        /not a VIX options expiration/,
      ],
      ['a negative quantity', { ...open, id: 'b8', quantity: -1 }, 'quantity', /./],
      ['an unknown field', { ...open, id: 'b9', colour: 'red' }, 'fill', /colour/],
    ];
    it.each(bad)(
      '%s: refused naming the fill and the field, nothing of the batch written',
      (_what, fill, field, msg) => {
        const j = openJournal(tmp());
        const batch = [{ ...open, id: 'good', positionId: 'ic-good' }, fill];
        let err: unknown;
        try {
          j.recordFills(batch);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(InvalidInputError);
        const text = (err as Error).message;
        expect(text).toContain(`fills[1] (id '${fill.id}').${field}`);
        expect(text).toMatch(msg);
        expect(j.listFills()).toEqual([]);
        expect(j.localWriteCount).toBe(0);
        j.close();
      },
    );

    it('a close of a position that is not open, or of more than is open, is a conflict; nothing written', () => {
      const j = openJournal(tmp());
      j.recordFills([open]);
      const close = { ...open, id: 'c1', action: 'close' as const, date: '2024-03-18', price: 0.4 };
      for (const [fill, field, msg] of [
        [{ ...close, positionId: 'nope' }, 'positionId', /no open position 'nope' to close/],
        [{ ...close, quantity: 3 }, 'quantity', /closes more than the 2 open/],
        [{ ...close, expiry: '2024-03-19' }, 'positionId', /the close says/],
      ] as const) {
        let err: unknown;
        try {
          j.recordFills([{ ...hedge, id: 'ok-hedge' }, fill]);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ConflictError);
        expect((err as Error).message).toContain(`fills[1] (id 'c1').${field}`);
        expect((err as Error).message).toMatch(msg);
        expect(j.listFills().map((f) => f.id)).toEqual(['f1']);
      }
      // A close within the batch of its own opening is fine, and so is the valid close.
      expect(j.recordFills([close]).recorded).toBe(1);
      expect(j.openPositions()).toEqual([]);
      j.close();
    });

    it('a voided opening no longer counts: closing it is refused', () => {
      const j = openJournal(tmp());
      j.recordFills([open]);
      j.voidFill('f1', 'wrong account');
      expect(() =>
        j.recordFills([{ ...open, id: 'c1', action: 'close', date: '2024-03-18', price: 0.4 }]),
      ).toThrow(/no open position 'ic-1' to close/);
      j.close();
    });

    it('the hedge layers come from the options (a journal of a one-layer config refuses layer 2)', () => {
      const j = openJournal(tmp(), { hedgeLayers: 1 });
      expect(() => j.recordFills([{ ...hedge, layer: 2 }])).toThrow(/layers 1\.\.1/);
      expect(j.recordFills([hedge]).recorded).toBe(1);
      j.close();
    });
  });
});
