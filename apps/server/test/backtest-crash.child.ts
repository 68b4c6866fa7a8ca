// Child process for the unclean-stop test: builds the server on a data dir with a runner that never
// answers, submits two runs (one running on the single thread, one queued), prints their ids and
// waits to be killed with SIGKILL (no close, no shutdown hooks).
import { openJournal } from '@vixshield/journal';
import { buildServer } from '../src/index';

const dataDir = process.argv[2]!;
const token = 'crash-test-token-0123456789';
const app = await buildServer({
  journal: openJournal(':memory:'),
  dataDir,
  token,
  backtests: { threads: 1, run: () => new Promise(() => {}) },
});
const post = async (payload: object): Promise<string> => {
  const r = await app.inject({
    method: 'POST',
    url: '/api/backtests',
    payload,
    headers: { authorization: `Bearer ${token}` },
  });
  return (r.json() as { id: string }).id;
};
const running = await post({ preset: 'vixshield', equity: 250000 });
const queued = await post({ from: '2024-06-03' });
process.stdout.write(`${JSON.stringify({ running, queued })}\n`);
setInterval(() => {}, 60_000);
