/**
 * A body that is not JSON (a blob) is hashed as it arrives, within the route's bound. Up to `IN_MEMORY` bytes (a
 * scan's page, as a JSON body of that size is) it is kept in memory; past that it is streamed to a temporary file, so
 * that a large one is never held in memory before the device's signature over its hash is checked. A body past the
 * bound is dropped as it comes, with nothing kept. The file goes when the answer has been sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { drainBody } from './gate';

export interface Upload {
  /** The temporary file holding the body, or '' when it is in `bytes`. */
  file: string;
  bytes?: Buffer;
  sha256: string;
  size: number;
}

/** Bodies up to this size are kept in memory: a file's open, writes, close and read back cost more than the body. */
const IN_MEMORY = 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    upload?: Upload;
  }
}

export class UploadTooLarge extends Error {
  readonly code = 'FST_ERR_CTP_BODY_TOO_LARGE';
  readonly statusCode = 413;
}

/**
 * Takes the request's body with its SHA-256: in memory up to IN_MEMORY bytes, past that into `file`; rejects with
 * UploadTooLarge past `limit` bytes.
 */
function receive(request: FastifyRequest, file: string, limit: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const raw = request.raw;
    const hash = createHash('sha256');
    let chunks: Buffer[] | null = [];
    let out: WriteStream | null = null;
    let size = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      chunks = null;
      raw.removeListener('data', onData);
      raw.removeListener('end', onEnd);
      if (out) {
        raw.unpipe(out);
        out.destroy();
        rmSync(file, { force: true });
      }
      // The rest of an oversized body is read and dropped, so the client gets the answer, not a broken connection.
      void drainBody(request).then(() => reject(error));
    };
    const toFile = () => {
      out = createWriteStream(file, { mode: 0o600 });
      out.once('error', fail);
      out.once('finish', () => {
        if (!failed) resolve({ file, sha256: hash.digest('hex'), size });
      });
      for (const c of chunks!) out.write(c);
      chunks = null;
      raw.removeListener('end', onEnd);
      raw.pipe(out);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return fail(new UploadTooLarge());
      hash.update(chunk);
      if (chunks) {
        chunks.push(chunk);
        if (size > IN_MEMORY) toFile();
      }
    };
    const onEnd = () => {
      if (!failed && chunks) resolve({ file: '', bytes: Buffer.concat(chunks), sha256: hash.digest('hex'), size });
    };
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('error', fail);
    raw.once('close', () => {
      if (!raw.complete) fail(new Error('the upload was cut short'));
    });
  });
}

/**
 * Registers the streaming parser for every non-JSON body, in a temporary folder of its own removed at close: inside
 * `near` when given (the blob cache's folder, so that a blob received whole is moved into the cache, not copied).
 */
export function registerBlobUpload(app: FastifyInstance, limitOf: (request: FastifyRequest) => number, near?: string): void {
  if (near) mkdirSync(near, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(path.join(near ?? os.tmpdir(), near ? 'uploads-' : 'jardem-server-uploads-'));
  const drop = (request: FastifyRequest) => {
    if (request.upload?.file) rmSync(request.upload.file, { force: true });
  };
  app.addContentTypeParser('*', (request, _payload, done) => {
    // The folder is made again should the cache's folder have been deleted under a running server.
    if (near) mkdirSync(dir, { recursive: true, mode: 0o700 });
    receive(request, path.join(dir, randomBytes(12).toString('hex')), limitOf(request)).then(
      (upload) => {
        request.upload = upload;
        done(null, upload);
      },
      (error: Error) => done(error, undefined),
    );
  });
  app.addHook('onResponse', async (request) => drop(request));
  app.addHook('onRequestAbort', async (request) => drop(request));
  app.addHook('onClose', async () => rmSync(dir, { recursive: true, force: true }));
}
