import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, NotFoundError, type PositionSettlement } from '@vixshield/core';
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
});
