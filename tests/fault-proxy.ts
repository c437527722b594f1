/**
 * A fault-injecting HTTP proxy of the project's own, and a small round-robin balancer to put
 * several server instances behind one address. The proxy reads each request whole, then, drawn from a seeded PRNG,
 * does one of:
 *
 * - `drop`: closes the connection without an answer, before the server sees the request;
 * - `reset`: the same with a TCP RST;
 * - `http5xx`: answers 502/503/504 itself with a page that is not the server's (the server never sees it);
 * - `delay`: waits up to `maxDelayMs` (2 s by default), then passes it on;
 * - `truncated`: passes it on, then sends the status, the headers and only part of the answer's body;
 * - `lostAnswer`: passes it on, waits for the whole answer (the server applied the request), then closes without it;
 * - `duplicate`: sends the same request twice at once (same signature, same nonce) and answers with one of the two;
 * - `none`: passes it on untouched.
 *
 * The draw order follows the order requests arrive, so two runs of one seed are alike, not identical (the network's
 * timing decides arrivals); the seed is printed on failure by the tests that use it.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from '../shared/random';

export const FAULT_KINDS = ['drop', 'reset', 'http5xx', 'delay', 'truncated', 'lostAnswer', 'duplicate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultCounts = Record<FaultKind | 'none', number>;

export interface FaultProxy {
  url: string;
  seed: number;
  counts: FaultCounts;
  /** Requests seen, and those in flight to the server right now. */
  requests: number;
  /** Stops faults (the run's end: the loops must converge through a clean link). */
  heal(): void;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  target: string;
  seed: number;
  /** The share of requests given each fault (the rest pass untouched). */
  rates?: Partial<Record<FaultKind, number>>;
  maxDelayMs?: number;
  /** Forces one kind for every request (the proxy's own test). */
  only?: FaultKind;
}

const DEFAULT_RATES: Record<FaultKind, number> = { drop: 0.04, reset: 0.04, http5xx: 0.05, delay: 0.08, truncated: 0.04, lostAnswer: 0.05, duplicate: 0.05 };

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** One request to the target, its answer read whole. */
function forward(target: URL, req: http.IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const out = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host, connection: 'close' } },
      (res) => void readAll(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject),
    );
    out.on('error', reject);
    out.end(body);
  });
}

const headersOf = (h: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([k]) => !['connection', 'transfer-encoding', 'keep-alive'].includes(k)));

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const random = seededRandom(opts.seed);
  const rates = { ...DEFAULT_RATES, ...(opts.rates ?? {}) };
  const maxDelayMs = opts.maxDelayMs ?? 2000;
  const target = new URL(opts.target);
  const counts = Object.fromEntries([...FAULT_KINDS, 'none'].map((k) => [k, 0])) as FaultCounts;
  let healed = false;
  const sockets = new Set<Socket>();

  const draw = (): FaultKind | 'none' => {
    if (opts.only) return opts.only;
    if (healed) return 'none';
    let x = random();
    for (const kind of FAULT_KINDS) {
      if ((x -= rates[kind]) < 0) return kind;
    }
    return 'none';
  };

  const proxy: FaultProxy = {
    url: '',
    seed: opts.seed,
    counts,
    requests: 0,
    heal: () => (healed = true),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      proxy.requests++;
      const kind = draw();
      counts[kind]++;
      const send = (u: Upstream, bytes = u.body) => {
        res.writeHead(u.status, { ...headersOf(u.headers), 'content-length': String(u.body.length) });
        res.write(bytes);
      };
      switch (kind) {
        case 'drop':
          return req.socket.destroy();
        case 'reset':
          return req.socket.resetAndDestroy();
        case 'http5xx': {
          const status = [502, 503, 504][Math.floor(random() * 3)]!;
          res.writeHead(status, { 'content-type': 'text/html' });
          return res.end(`<html><body>${status} Bad Gateway (fault proxy)</body></html>`);
        }
        case 'delay':
          await new Promise((r) => setTimeout(r, Math.floor(random() * maxDelayMs)));
          break;
        case 'truncated': {
          const u = await forward(target, req, body);
          const cut = Math.floor(u.body.length * random() * 0.9);
          send(u, u.body.subarray(0, cut));
          // The connection ends before the promised length: the client reads a cut answer.
          return setTimeout(() => req.socket.destroy(), 5);
        }
        case 'lostAnswer':
          await forward(target, req, body);
          return req.socket.destroy();
        case 'duplicate': {
          const both = await Promise.allSettled([forward(target, req, body), forward(target, req, body)]);
          const pick = both[Math.floor(random() * 2)]!;
          const other = both.find((b) => b !== pick)!;
          const u = pick.status === 'fulfilled' ? pick.value : other.status === 'fulfilled' ? other.value : null;
          if (!u) return req.socket.destroy();
          send(u);
          return res.end();
        }
        default:
      }
      const u = await forward(target, req, body);
      send(u);
      res.end();
    })().catch(() => req.socket.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

export interface Balancer {
  url: string;
  /** Requests sent to each upstream, and those it has not answered yet. */
  sent: number[];
  inFlight: number[];
  close(): Promise<void>;
}

/**
 * Round-robin over `upstreams` (server instances that share one database): each request goes to the next one,
 * streamed both ways. An upstream that refuses the connection (killed, restarting) gets the request's turn passed to
 * the next one; when none answers the caller gets a 502.
 */
export async function startBalancer(upstreams: readonly string[]): Promise<Balancer> {
  const targets = upstreams.map((u) => new URL(u));
  let next = 0;
  const sockets = new Set<Socket>();
  const b: Balancer = {
    url: '',
    sent: targets.map(() => 0),
    inFlight: targets.map(() => 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    void readAll(req).then((body) => {
      const attempt = (tries: number) => {
        const i = next++ % targets.length;
        const t = targets[i]!;
        b.sent[i]!++;
        b.inFlight[i]!++;
        let done = false;
        const finish = () => {
          if (!done) b.inFlight[i]!--;
          done = true;
        };
        const out = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host, connection: 'close' } }, (up) => {
          res.writeHead(up.statusCode ?? 502, headersOf(up.headers));
          up.pipe(res);
          up.on('end', finish);
          up.on('error', () => {
            finish();
            req.socket.destroy();
          });
          up.on('aborted', () => req.socket.destroy());
        });
        out.on('error', (error: NodeJS.ErrnoException) => {
          finish();
          if (res.headersSent) return req.socket.destroy();
          if (error.code === 'ECONNREFUSED' && tries + 1 < targets.length) return attempt(tries + 1);
          // The instance died with the request: the caller sees the link break, as behind a real balancer.
          if (error.code !== 'ECONNREFUSED') return req.socket.destroy();
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end('no server instance answers');
        });
        out.end(body);
      };
      attempt(0);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  b.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return b;
}
