// The floor peer of `npm run bench -- service`: a bare node:http server (no framework, no validation,
// no cache lookup) answering every request with the same bytes as GET /api/signal. Run in its own
// process with the same load generator, it shows what Node's HTTP stack alone costs on this machine
// under the load of the moment, so the server's figures can be read as a ratio to it.
// Usage: node bench/lib/service-peer.mjs <body-file>   (prints "listening on http://127.0.0.1:PORT")
import { readFileSync } from 'node:fs';
import http from 'node:http';

const body = readFileSync(process.argv[2]);
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
