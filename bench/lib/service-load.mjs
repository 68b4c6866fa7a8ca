// Load generators of `npm run bench -- service`, each run as its own process so it never shares an
// event loop (or a time slice) with the server it measures. Plain JavaScript: no tsx start-up.
//
//   node bench/lib/service-load.mjs '{"mode":"autocannon","url":"...","connections":50,"duration":20,"rate":500}'
//   node bench/lib/service-load.mjs '{"mode":"open","url":"...","connections":50,"duration":20,"rate":500}'
//
// autocannon: `overallRate` splits the rate over the connections; each connection sends its share
//   back to back at the start of every second, then waits for the next second (bursts of `connections`
//   requests in flight), and records latency from each request's own send.
// open: an open-loop generator (the wrk2 idea): request i is *due* at start + i / rate, evenly spaced,
//   whatever the server did before; latency counts from the due time, so a stall also delays the
//   requests queued behind it (no coordinated omission). Keep-alive sockets, at most `connections`.
// Prints one JSON line: {requests, latency: {p50, p90, p99, p99_9, max, average} in ms, errors, ...}.
import http from 'node:http';
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2] ?? '{}');
const connections = opts.connections ?? 50;
const duration = opts.duration ?? 20;
const rate = opts.rate ?? 500;

function pct(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
function summary(values) {
  const s = Float64Array.from(values).sort();
  const r3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000);
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    p50: r3(pct(s, 50)),
    p90: r3(pct(s, 90)),
    p99: r3(pct(s, 99)),
    p99_9: r3(pct(s, 99.9)),
    max: r3(s[s.length - 1] ?? null),
    average: r3(values.length ? sum / values.length : null),
  };
}

async function runAutocannon() {
  const r = await autocannon({ url: opts.url, connections, duration, overallRate: rate });
  return {
    mode: 'autocannon',
    requests: { total: r.requests.total, average: r.requests.average },
    latency: r.latency,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

function runOpen() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const n = Math.round(rate * duration);
  const interval = 1000 / rate;
  const fromDue = [];
  const fromSend = [];
  let errors = 0;
  let non2xx = 0;
  let finished = 0;
  let fired = 0;
  let maxLateMs = 0;
  const start = performance.now() + 20;
  return new Promise((resolve) => {
    const done = () => {
      finished++;
      if (finished === n) {
        agent.destroy();
        const wall = (performance.now() - start) / 1000;
        resolve({
          mode: 'open',
          requests: { total: n, average: n / wall },
          latency: summary(fromDue),
          latencyFromSend: summary(fromSend),
          generatorMaxLateMs: Math.round(maxLateMs * 1000) / 1000,
          errors,
          timeouts: 0,
          non2xx,
        });
      }
    };
    const fire = (due) => {
      const sent = performance.now();
      maxLateMs = Math.max(maxLateMs, sent - due);
      const req = http.get(opts.url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          const now = performance.now();
          fromDue.push(now - due);
          fromSend.push(now - sent);
          if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
          done();
        });
      });
      req.on('error', () => {
        errors++;
        done();
      });
    };
    const tick = () => {
      const now = performance.now();
      while (fired < n && start + fired * interval <= now) {
        fire(start + fired * interval);
        fired++;
      }
      if (fired < n) setTimeout(tick, Math.max(0, start + fired * interval - performance.now()));
    };
    setTimeout(tick, 20);
  });
}

const result = opts.mode === 'open' ? await runOpen() : await runAutocannon();
process.stdout.write(`${JSON.stringify(result)}\n`);
