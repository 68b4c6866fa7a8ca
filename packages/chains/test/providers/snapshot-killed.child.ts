// Child process for the kill -9 test: stores a snapshot but stops (forever) after its metadata and
// before its rows; the parent kills it there.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ChainStore, parseCboeChain, storeSnapshot } from '../../src/index';

const [dir, marker, mode] = process.argv.slice(2) as [string, string, string | undefined];
const text = readFileSync(
  fileURLToPath(
    new URL('../fixtures/providers/cboe-chain/_SPX-2019-06-26-1545-reencoded.json', import.meta.url),
  ),
  'utf8',
);
const store = await ChainStore.open(dir);
// 'run': announce the import and go on (the parent kills at some moment inside it); else stop before it
await storeSnapshot(store, parseCboeChain(text, 'fixture', 'hint'), Date.UTC(2019, 5, 26, 20, 5), () => {
  writeFileSync(marker, 'metadata written, rows not yet');
  if (mode !== 'run') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // blocks until killed
});
store.close();
