// The floor peers of `npm run bench -- service`, each answering every request with the same bytes as
// GET /api/signal and nothing else (no validation, no cache lookup, no rate limit, no logger):
//   node:     a bare node:http server: what Node's HTTP stack alone costs on this machine;
//   fastify:  a bare fastify 5 app with one route: what the framework adds on top of that.
// Run in its own process with the same load generator, they show what the server's figures would be
// with none of our code, under the machine's load of the moment.
// Usage: node bench/lib/service-peer.mjs node|fastify <body-file>   (prints "listening on http://...")
import { readFileSync } from 'node:fs';
import http from 'node:http';
import Fastify from 'fastify';

const [kind, file] = process.argv.slice(2);
const body = readFileSync(file);
const type = 'application/json; charset=utf-8';
let address;
let close;
if (kind === 'fastify') {
  const text = body.toString('utf8');
  const app = Fastify({ logger: false });
  app.get('/api/signal', async (_req, reply) => reply.type(type).send(text));
  address = await app.listen({ port: 0, host: '127.0.0.1' });
  close = () => app.close();
} else {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': type, 'content-length': body.length });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  address = `http://127.0.0.1:${server.address().port}`;
  close = () => new Promise((ok) => server.close(ok));
}
process.stderr.write(`listening on ${address}\n`);
process.once('SIGTERM', async () => {
  await close();
  process.exit(0);
});
