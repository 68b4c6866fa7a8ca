// Child process for the kill -9 test: writes signals forever, printing each committed index.
import { openJournal } from '../src/journal';

const path = process.argv[2]!;
const j = openJournal(path);
const big = 'x'.repeat(4000); // makes each row span pages so a kill can land mid-write
for (let i = 0; ; i++) {
  const date = `2020-01-${String((i % 28) + 1).padStart(2, '0')}`;
  const preset = `p${Math.floor(i / 28)}`;
  const inputs = { date, preset, i };
  const r = j.storeSignal(date, preset, inputs, { i, date, preset, big });
  // Storing the same inputs again must be a no-op, even under crashes.
  j.storeSignal(date, preset, inputs, { i, date, preset, big });
  process.stdout.write(`${r.status}:${i}\n`);
}
