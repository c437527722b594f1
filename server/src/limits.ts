/**
 * The server's limits against abuse, in one place: what a request may carry, how long its parts may take to arrive,
 * and how many connections one address may hold. Tests pass shorter ones (ServerOptions.limits).
 */
export interface ServerLimits {
  /** A push of 500 events with their payloads (the contract's bounds: 500 × a signed act with its CMS). */
  jsonBytes: number;
  /** A blob travels on its own: a scan is at most 25 MB at the workstation (PAGE_LIMITS), with room for its type. */
  blobBytes: number;
  /** A request to the information-system simulator: one family's subjects and declared facts. */
  isBytes: number;
  /** A request's headers must all arrive within this (a slow-loris connection is closed). */
  headersTimeoutMs: number;
  /**
   * A whole request, its body included: a 30 MB blob from a district office on a slow link (≈1 Mbit/s) takes about
   * four minutes. A long poll is not a slow request: its request arrives at once, only the answer waits.
   */
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long is closed; above the long poll's 25 s wait. */
  idleTimeoutMs: number;
  /** A kept-alive connection between two requests. */
  keepAliveTimeoutMs: number;
  /**
   * Open connections from one address: an office's workstations share one address behind its NAT, each holding a
   * long poll, a push and a blob transfer at most (≈20 workstations × 3, with room).
   */
  connectionsPerAddress: number;
  /** How often Node looks for requests past their time-outs. */
  checkIntervalMs: number;
}

export const LIMITS: ServerLimits = {
  jsonBytes: 16 * 1024 * 1024,
  blobBytes: 30 * 1024 * 1024,
  isBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 300_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 10_000,
  connectionsPerAddress: 100,
  checkIntervalMs: 1_000,
};

/** Fastify's options for these limits (the Node server's time-outs and connection checks). */
export function fastifyLimitOptions(limits: ServerLimits) {
  return {
    bodyLimit: limits.blobBytes,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: Math.min(limits.checkIntervalMs, limits.headersTimeoutMs) },
  };
}
