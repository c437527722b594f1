/**
 * A body that is not JSON (a blob) is streamed to a temporary file as it arrives, hashed on the way, within the
 * route's bound: it is never held in memory before the device's signature over its hash is checked, and a body
 * past the bound is dropped as it comes, with nothing kept. The file goes when the answer has been sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { drainBody } from './gate';

export interface Upload {
  file: string;
  sha256: string;
  size: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    upload?: Upload;
  }
}

export class UploadTooLarge extends Error {
  readonly code = 'FST_ERR_CTP_BODY_TOO_LARGE';
  readonly statusCode = 413;
}

/** Streams the request's body into `file` with its SHA-256; rejects with UploadTooLarge past `limit` bytes. */
function receive(request: FastifyRequest, file: string, limit: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const raw = request.raw;
    const hash = createHash('sha256');
    const out = createWriteStream(file, { mode: 0o600 });
    let size = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      raw.unpipe(out);
      out.destroy();
      rmSync(file, { force: true });
      // The rest of an oversized body is read and dropped, so the client gets the answer, not a broken connection.
      raw.removeListener('data', onData);
      void drainBody(request).then(() => reject(error));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return fail(new UploadTooLarge());
      hash.update(chunk);
    };
    raw.on('data', onData);
    raw.once('error', fail);
    raw.once('close', () => {
      if (!raw.complete) fail(new Error('the upload was cut short'));
    });
    out.once('error', fail);
    out.once('finish', () => {
      if (!failed) resolve({ file, sha256: hash.digest('hex'), size });
    });
    raw.pipe(out);
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
    if (request.upload) rmSync(request.upload.file, { force: true });
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
