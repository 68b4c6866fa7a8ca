import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../src/index';

describe('engine state in the journal (issue 15 case 9)', () => {
  it('engine state case 9: kept per preset, the next signal loads the latest state before its date, survives a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-state-'));
    const path = join(dir, 'journal.sqlite');
    try {
      const j = openJournal(path);
      const s1 = { gate: { holding: true }, triggeredLayers: 1, chainEntrySpot: { c7: 2762.13 } };
      j.saveEngineState('seed', '2018-02-02', s1);
      j.saveEngineState('seed', '2018-02-05', { ...s1, triggeredLayers: 2 });
      j.saveEngineState('vixshield', '2018-02-05', {
        gate: { holding: false },
        triggeredLayers: 0,
        chainEntrySpot: {},
      });
      // the same session stored again replaces its state (a re-run of the day)
      j.saveEngineState('seed', '2018-02-02', { ...s1, triggeredLayers: 1 });
      j.close();
      const r = openJournal(path);
      expect(r.migrations()).toEqual([1, 2, 3]);
      expect(r.engineStateBefore('seed', '2018-02-05')).toEqual({ date: '2018-02-02', state: s1 });
      expect(r.engineStateBefore('seed', '2018-02-06')?.state).toEqual({ ...s1, triggeredLayers: 2 });
      expect(r.engineStateBefore('seed', '2018-02-02')).toBeUndefined();
      expect(r.engineStateBefore('balanced', '2018-02-06')).toBeUndefined();
      r.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
