// Child process for the kill -9 test: runs an update that stops (forever) after writing its new files
// and before switching manifest.json to them; the parent kills it there.
import { writeFileSync } from 'node:fs';
import type { IsoDate } from '@vixshield/core';
import { exchangeIsTradingDay, runDataUpdate } from '../../src/index';

const [dataDir, fromDir, to, marker] = process.argv.slice(2) as [string, string, string, string];
await runDataUpdate({
  dataDir,
  fromDir,
  to: to as IsoDate,
  nowUtcMs: Date.UTC(2026, 9, 6),
  isTradingDay: exchangeIsTradingDay,
  beforeCommit: () => {
    writeFileSync(marker, 'files written, manifest not yet');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // blocks until killed
  },
});
