/**
 * A connection the server closes on its own is logged at `warn`, with what closed it: Node's header and request
 * time-outs and malformed requests (its `clientError`, which Fastify logs only at `trace`), and a socket silent past
 * its idle or keep-alive time-out. Without it a client that saw its connection broken mid-upload finds nothing in
 * the server's log to tell which time-out, if any, ended it. What the server then does is Node's and Fastify's own.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

interface ConnectionFacts {
  remotePort: number | undefined;
  bytesRead: number;
  bytesWritten: number;
  /** The request being read when it happened, if any. */
  url?: string;
}

const incomingOf = (socket: Socket) => (socket as Socket & { parser?: { incoming?: http.IncomingMessage | null } }).parser?.incoming;

function factsOf(socket: Socket): ConnectionFacts {
  const incoming = incomingOf(socket);
  return { remotePort: socket.remotePort, bytesRead: socket.bytesRead, bytesWritten: socket.bytesWritten, ...(incoming?.url ? { url: incoming.url } : {}) };
}

const answerOf = (code: string | undefined): [number, string] =>
  code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Client Timeout'] : code === 'HPE_HEADER_OVERFLOW' ? [431, 'Exceeded maximum allowed HTTP header size'] : [400, 'Client Error'];

/** Fastify's `clientErrorHandler`: logs, then answers and closes as Fastify's default does. */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  // A connection the client reset is gone already: nothing to answer, nothing the server did.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  this.log.warn({ event: 'connection_closed', reason: err.code ?? 'client_error', ...factsOf(socket) }, 'connection closed by the server');
  const [status, message] = answerOf(err.code);
  const body = JSON.stringify({ error: http.STATUS_CODES[status], message, statusCode: status });
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  socket.destroy(err);
}

/**
 * Node destroys a silent socket unless something listens for its time-out; listening here, the socket is destroyed
 * here too, once its time-out is logged.
 */
export function logSocketTimeouts(server: http.Server, log: FastifyBaseLogger): void {
  server.on('timeout', (socket: Socket) => {
    const incoming = incomingOf(socket);
    const outgoing = (socket as Socket & { _httpMessage?: http.ServerResponse | null })._httpMessage;
    // A request or answer that listens for its own time-out decides for itself, as Node lets it.
    if ((incoming && !incoming.complete && incoming.listenerCount('timeout') > 0) || (outgoing?.listenerCount('timeout') ?? 0) > 0) return;
    log.warn({ event: 'connection_closed', reason: 'socket_timeout', ...factsOf(socket) }, 'connection closed by the server');
    socket.destroy();
  });
}
