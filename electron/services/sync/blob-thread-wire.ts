/**
 * What the pull's thread and the file download thread (./blob-thread.ts) say to each other. An error crosses as its
 * kind and code and comes back as the same class, so the round tells a broken link from a hostile answer as it does
 * for a download made on its own thread.
 */
import { AppError, type ErrorCode } from '../../../shared/errors';
import type { DeviceIdentity } from '../device';
import { ServerError } from './client';
import type { Downloaded } from './blob-fetch';

/** How the thread reaches the server as this workstation does. */
export interface BlobLine {
  serverUrl: string;
  device: DeviceIdentity;
  /** The CA the server was set up with (`jardem setup --server-ca`), or null for the system's. */
  caPem: string | null;
  appVersion: string;
}

export interface BlobJob {
  id: number;
  dataDir: string;
  line: BlobLine;
  shas: string[];
  /** The pull's clock minus this machine's (the requests are signed at the pull's time). */
  clockDeltaMs: number;
  /** This device's clock minus the server's, as last measured (./client.ts ClockSkew). */
  clockOffsetMs: number | null;
}

export type WireError = { kind: 'app'; code: string; params?: Record<string, string | number> } | { kind: 'server'; status: number; code: string; params: Record<string, string | number> } | { kind: 'other'; name: string; message: string };

/** Bytes arrived (`bytes` alone), or the job's outcome (`done`/`failed`, or `thrown`). */
export interface BlobThreadMessage {
  id: number;
  bytes: number;
  done?: [string, Downloaded][];
  failed?: [string, WireError][];
  thrown?: WireError;
}

export function errorToWire(error: unknown): WireError {
  if (error instanceof AppError) return { kind: 'app', code: error.code, ...(error.params ? { params: error.params } : {}) };
  if (error instanceof ServerError) return { kind: 'server', status: error.status, code: error.code, params: error.params };
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'other', name: e.name, message: e.message };
}

export function errorFromWire(w: WireError): Error {
  if (w.kind === 'app') return new AppError(w.code as ErrorCode, w.params);
  if (w.kind === 'server') return new ServerError(w.status, w.code, w.params);
  // A broken link ("fetch failed", "terminated"), as fetch threw it on the thread.
  const e = w.name === 'TypeError' ? new TypeError(w.message) : new Error(w.message);
  if (w.name !== 'TypeError') e.name = w.name;
  return e;
}
