import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback HTTP server for provider tests: it serves recorded payloads by path and injects the
 * faults a real source can show. Bound to 127.0.0.1 on a random port; no test touches the internet.
 *
 * A route key is a path, optionally with query parameters: it matches a request with that path
 * whose query holds at least those parameters (so `/graph/fredgraph.csv?id=DFF` matches
 * `?id=DFF&cosd=2026-08-10`). Unknown paths answer 404.
 */
export type Fault =
  /** Accept the request and never answer (the client's timeout fires). */
  | 'timeout'
  /** Announce the full length, send half of the body, then drop the connection. */
  | 'cut-connection';

export interface Route {
  readonly status?: number;
  readonly body?: string;
  readonly contentType?: string;
  readonly fault?: Fault;
}

export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface FixtureServer {
  /** `http://127.0.0.1:<port>`: pass it as VIXSHIELD_PROVIDER_BASE_URL or to hostsAt(). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Adds or replaces a route. */
  route(key: string, r: Route): void;
  close(): Promise<void>;
}

function matches(key: string, reqUrl: URL): boolean {
  const k = new URL(key, 'http://x');
  if (k.pathname !== reqUrl.pathname) return false;
  for (const [name, value] of k.searchParams) if (reqUrl.searchParams.get(name) !== value) return false;
  return true;
}

export async function startFixtureServer(routes: Record<string, Route> = {}): Promise<FixtureServer> {
  const table = new Map<string, Route>(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: `${url.pathname}${url.search}`, headers: req.headers });
    // the most specific key first (more query parameters)
    const key = [...table.keys()]
      .filter((k) => matches(k, url))
      .sort((a, b) => new URL(b, 'http://x').searchParams.size - new URL(a, 'http://x').searchParams.size)[0];
    const r = key === undefined ? { status: 404, body: 'not found' } : table.get(key)!;
    if (r.fault === 'timeout') return; // never answer
    const body = Buffer.from(r.body ?? '', 'utf8');
    res.writeHead(r.status ?? 200, {
      'Content-Type': r.contentType ?? 'text/plain; charset=utf-8',
      'Content-Length': String(body.length),
    });
    if (r.fault === 'cut-connection') {
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    res.end(body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (k, r) => {
      table.set(k, r);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
