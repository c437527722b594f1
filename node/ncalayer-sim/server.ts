/**
 * A small NCALayer of our own for tests and demos: wss on 127.0.0.1 with a self-signed certificate, the same JSON
 * messages (./protocol.ts), simulated keys and a scripted "person" instead of a dialog. A control module of its own
 * (`jardem.ncalayer-sim`) sets the script: which key is picked, the next dialogs cancelled, a restart before an
 * answer, a token pulled out; `stop` makes the service absent and `start` brings it back.
 */
import { createServer, type Server } from 'node:https';
import { WebSocketServer, type WebSocket } from 'ws';
import { answer, type Request, type SimScript } from './protocol';
import type { SimKey } from './keys';
import { selfSignedTls, type SimTls } from './tls';

export const SIM_CONTROL_MODULE = 'jardem.ncalayer-sim';
/** NCALayer's own version string answers every connection first. */
const VERSION = '1.4';

export interface NcalayerSim {
  url: string;
  port: number;
  /** The self-signed certificate a client is told to trust. */
  caPem: string;
  script: SimScript;
  /** Dialogs answered so far (signatures, cancels), for tests that wait on them. */
  dialogs: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(downMs?: number): Promise<void>;
  /** Resolves when the service is up (at once, or when a restart in progress is over): tests wait on it. */
  whenUp(): Promise<void>;
}

export async function startNcalayerSim(opts: { port: number; keys: SimKey[]; tls?: SimTls; restartMs?: number }): Promise<NcalayerSim> {
  const tls = opts.tls ?? selfSignedTls();
  let server: Server | null = null;
  let wss: WebSocketServer | null = null;
  let restarting: Promise<void> | null = null;
  const sim: NcalayerSim = {
    url: `wss://127.0.0.1:${opts.port}`,
    port: opts.port,
    caPem: tls.certPem,
    script: { outcomes: [], removed: [] },
    dialogs: 0,
    async start() {
      if (server) return;
      server = createServer({ cert: tls.certPem, key: tls.keyPem });
      wss = new WebSocketServer({ server });
      wss.on('connection', (socket) => {
        socket.send(JSON.stringify({ result: { version: VERSION } }));
        socket.on('message', (raw) => onMessage(socket, raw.toString()));
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(opts.port, '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      const s = server;
      const w = wss;
      server = null;
      wss = null;
      if (!s || !w) return;
      for (const client of w.clients) client.terminate();
      await new Promise<void>((resolve) => w.close(() => resolve()));
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    restart(downMs = opts.restartMs ?? 300) {
      restarting = (async () => {
        await sim.stop();
        await new Promise((r) => setTimeout(r, downMs));
        await sim.start();
      })().finally(() => {
        restarting = null;
      });
      return restarting;
    },
    async whenUp() {
      await restarting;
    },
  };

  function onMessage(socket: WebSocket, text: string) {
    let request: Request;
    try {
      request = JSON.parse(text) as Request;
    } catch {
      socket.send(JSON.stringify({ code: '500', message: 'request.malformed' }));
      return;
    }
    if (request.module === SIM_CONTROL_MODULE) {
      socket.send(JSON.stringify(control(request)));
      return;
    }
    const result = answer(request, opts.keys, sim.script);
    sim.dialogs += 1;
    // NCALayer restarted before answering: the connection drops mid-request, and the service comes back.
    if ('restart' in result) void sim.restart();
    else socket.send(JSON.stringify(result.reply));
  }

  function control(request: Request) {
    const args = (request.args ?? {}) as Partial<SimScript>;
    if (request.method === 'script') {
      sim.script = { outcomes: args.outcomes ?? [], removed: args.removed ?? [], choose: args.choose };
      return { code: '200', responseObject: { keys: opts.keys.map((k) => ({ name: k.name, iin: k.iin, storage: k.storage, keyType: k.keyType })), dialogs: sim.dialogs } };
    }
    if (request.method === 'state') return { code: '200', responseObject: { dialogs: sim.dialogs, script: sim.script } };
    return { code: '500', message: 'method.not.found' };
  }

  await sim.start();
  return sim;
}
