import { type Book, type CondorPosition, isoDate } from '@vixshield/core';
import { openJournal } from '@vixshield/journal';
import { describe, expect, it, vi } from 'vitest';
import {
  ACCOUNT_EQUITY_USD,
  buildServer,
  isAccountRequest,
  type SignalJob,
  SignalPool,
  signalFor,
} from '../src/index';

/**
 * ADR 0005 item 29: the engine state kept between live signals is the account's. An ad-hoc request
 * (another equity, another book) for the same preset and day reads it but never replaces it, so the
 * next day's scheduled signal continues from the account's state, not from the ad-hoc one.
 */
describe('engine state keying (issue 15 leftover: an ad-hoc signal must not overwrite the account state)', () => {
  it('worker path: default signal, ad-hoc signal with another equity the same day, next day continues from the default state', async () => {
    const jobs: SignalJob[] = [];
    // The state a job leaves depends on its equity here, so an overwrite is visible in the next job.
    const stateAfter = (job: SignalJob) => ({
      gate: { holding: job.equity !== ACCOUNT_EQUITY_USD },
      triggeredLayers: job.equity === ACCOUNT_EQUITY_USD ? 1 : 2,
      chainEntrySpot: { [`c-${job.date}-${job.equity}`]: 5400 },
    });
    const pool = new SignalPool({
      run: async (job) => {
        jobs.push(job);
        return {
          ok: true,
          signal: { date: job.date, equity: job.equity, stub: true },
          state: stateAfter(job),
        };
      },
    });
    const j = openJournal(':memory:');
    const before = { gate: { holding: false }, triggeredLayers: 0, chainEntrySpot: {} };
    j.saveEngineState('vixshield', '2024-06-21', before);
    const srv = await buildServer({ journal: j, signalPool: pool });
    try {
      const d1 = await srv.inject('/api/signal?date=2024-06-24');
      expect(d1.statusCode).toBe(200);
      const adHoc = await srv.inject('/api/signal?date=2024-06-24&equity=250000');
      expect(adHoc.statusCode).toBe(200);
      const d2 = await srv.inject('/api/signal?date=2024-06-25');
      expect(d2.statusCode).toBe(200);
      expect(jobs.map((x) => [x.date, x.equity])).toEqual([
        ['2024-06-24', ACCOUNT_EQUITY_USD],
        ['2024-06-24', 250000],
        ['2024-06-25', ACCOUNT_EQUITY_USD],
      ]);
      // the ad-hoc request starts from the account's state of the session before ...
      expect(jobs[1]!.priorState).toEqual({ date: '2024-06-21', state: before });
      // ... and leaves it: the next day continues from the default signal's state
      expect(jobs[2]!.priorState).toEqual({ date: '2024-06-24', state: stateAfter(jobs[0]!) });
      expect(j.engineStateBefore('vixshield', '2024-06-26')).toEqual({
        date: '2024-06-25',
        state: stateAfter(jobs[2]!),
      });
    } finally {
      await srv.close();
      await pool.close();
      j.close();
    }
  });

  it('synchronous path: an ad-hoc equity computes from the stored state and writes nothing; the next default day reads the default state', () => {
    const j = openJournal(':memory:');
    try {
      const save = vi.spyOn(j, 'saveEngineState');
      signalFor(j, { date: '2024-06-24', preset: 'vixshield' });
      expect(save).toHaveBeenCalledTimes(1);
      const stored = j.engineStateBefore('vixshield', '2024-06-25');
      expect(stored?.date).toBe('2024-06-24');
      const read = vi.spyOn(j, 'engineStateBefore');
      const adHoc = signalFor(j, { date: '2024-06-24', preset: 'vixshield', equity: 250000 });
      expect((adHoc.signal as { equity?: number }).equity).toBe(250000);
      expect(read).toHaveBeenCalled(); // it did start from the stored memory
      expect(save).toHaveBeenCalledTimes(1); // and did not replace it
      expect(j.engineStateBefore('vixshield', '2024-06-25')).toEqual(stored);
      signalFor(j, { date: '2024-06-25', preset: 'vixshield' });
      expect(save).toHaveBeenCalledTimes(2);
      expect(save.mock.calls[1]![1]).toBe('2024-06-25');
      expect(read).toHaveBeenLastCalledWith('vixshield', '2024-06-25');
      expect(read.mock.results.at(-1)!.value).toEqual(stored);
    } finally {
      j.close();
    }
  });

  it('the account request is decided on the values: the account equity and the journal book of the day', () => {
    const j = openJournal(':memory:');
    try {
      const day = isoDate('2024-06-24');
      const empty: Book = { condors: [], hedges: [] };
      expect(isAccountRequest(j, day, ACCOUNT_EQUITY_USD, empty)).toBe(true); // book=none over an empty journal
      expect(isAccountRequest(j, day, 250000, empty)).toBe(false);
      const condor = {
        id: 'ic-2024-06-21',
        chainId: 'ic-2024-06-21',
        openedOn: isoDate('2024-06-21'),
        expiry: isoDate('2024-06-24'),
        strikes: { putLong: 5400, putShort: 5405, callShort: 5500, callLong: 5505 },
        quantity: 1,
        entryCredit: 0.7,
      } as unknown as CondorPosition;
      // a book the journal does not hold (e.g. a what-if book) is ad hoc
      expect(isAccountRequest(j, day, ACCOUNT_EQUITY_USD, { condors: [condor], hedges: [] })).toBe(false);
    } finally {
      j.close();
    }
  });
});
