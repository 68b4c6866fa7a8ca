import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtraSeries } from '../../src/index';

/**
 * A fresh data directory holding one file under the manifest's `extra` key, as `data update` writes
 * it: `<kind>.1.csv` with `text`, its rows and first/last dates read from the text's first column.
 */
export function dataDirWithStoredExtra(kind: ExtraSeries, text: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), `vixshield-extra-${kind}-`));
  const file = `${kind}.1.csv`;
  writeFileSync(join(dataDir, file), text);
  const dates = text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]!);
  const entry = {
    file,
    importedFrom: `update: ${kind} (test)`,
    rows: dates.length,
    first: dates[0],
    last: dates.at(-1),
  };
  writeFileSync(
    join(dataDir, 'manifest.json'),
    JSON.stringify({ version: 1, series: {}, extra: { [kind]: entry } }),
  );
  return dataDir;
}
