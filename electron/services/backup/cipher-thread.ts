/**
 * The archive's cipher on a thread of its own. Writing, it seals the filled chunks (AES-256-GCM, node:crypto's
 * OpenSSL) and appends them to the file in the order they were handed over, while the main thread reads and hashes
 * the next blobs. Reading, it opens the chunks read ahead while the main thread parses and hashes the one before. A
 * chunk's buffer is moved across, not copied, and comes back to be used again.
 *
 * The thread's code is the few lines below, run from source: the same in the tests, the command line and the
 * packaged app, with no bundle of its own to find. What a chunk is (its nonce, additional data and length prefix)
 * stays in format.ts; the thread only seals, writes and opens what it is given.
 */
import { Worker } from 'node:worker_threads';

const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { createCipheriv, createDecipheriv } = require('node:crypto');
const { writeSync } = require('node:fs');
// The cipher's output comes slice by slice: a 1 MiB output at a time is a fresh mapping of memory each; 32 KiB
// measured fastest on this thread (64 KiB 20% slower, 256 KiB twice as slow).
const SLICE = 32 * 1024;
function writeAll(fd, bytes) {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}
function seal(m, bytes) {
  const c = createCipheriv('aes-256-gcm', workerData.key, m.iv);
  c.setAAD(m.aad);
  writeAll(workerData.fd, m.prefix);
  for (let at = 0; at < m.length; at += SLICE) writeAll(workerData.fd, c.update(bytes.subarray(at, Math.min(m.length, at + SLICE))));
  writeAll(workerData.fd, c.final());
  writeAll(workerData.fd, c.getAuthTag());
}
// The plaintext is written over its own frame, from the start: each slice lands before the next one is read.
function open(m, bytes) {
  const d = createDecipheriv('aes-256-gcm', workerData.key, m.iv);
  d.setAAD(m.aad);
  d.setAuthTag(bytes.subarray(4 + m.length, 4 + m.length + 16));
  let out = 0;
  for (let at = 4; at < 4 + m.length; at += SLICE) out += d.update(bytes.subarray(at, Math.min(4 + m.length, at + SLICE))).copy(bytes, out);
  d.final();
}
// After a failure nothing more is written: a chunk after a missing one would make an archive with a hole.
let broken = null;
parentPort.on('message', (m) => {
  const bytes = Buffer.from(m.buffer);
  try {
    if (broken) throw broken;
    if (m.op === 'seal') seal(m, bytes);
    else open(m, bytes);
    parentPort.postMessage({ id: m.id, buffer: m.buffer }, [m.buffer]);
  } catch (e) {
    broken = broken || e;
    parentPort.postMessage({ id: m.id, buffer: m.buffer, error: m.op === 'open' ? 'tampered' : String((e && e.code) || e) }, [m.buffer]);
  }
});
`;

export interface ChunkOrder {
  iv: Buffer;
  aad: Buffer;
  /** The chunk's buffer (its own memory, handed over and handed back). */
  buffer: Buffer;
  /** The plaintext's length: from the buffer's start to seal, after the 4-byte prefix to open. */
  length: number;
}

export class CipherError extends Error {
  constructor(readonly reason: string) {
    super(`backup cipher thread: ${reason}`);
  }
}

export class CipherThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failed: Error | null = null;

  /** `fd`: the archive being written (sealed chunks are appended to it); none when only opening. */
  constructor(key: Buffer, fd = -1) {
    this.worker = new Worker(THREAD, { eval: true, workerData: { fd, key } });
    this.worker.on('message', (m: { id: number; buffer: ArrayBuffer; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (!m.error) w?.resolve(Buffer.from(m.buffer));
      else {
        // The first failure is every later chunk's too (the thread refuses them).
        const e = new CipherError(m.error);
        w?.reject(e);
        this.fail(e);
      }
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', () => this.fail(new CipherError('ended')));
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  private send(op: 'seal' | 'open', order: ChunkOrder, prefix?: Buffer): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    const ab = order.buffer.buffer as ArrayBuffer;
    if (order.buffer.byteOffset !== 0 || ab.byteLength !== order.buffer.length) throw new Error('a chunk must own its memory to be handed over');
    const id = this.nextId++;
    const done = new Promise<Buffer>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.worker.postMessage({ op, id, iv: order.iv, aad: order.aad, prefix, buffer: ab, length: order.length }, [ab]);
    return done;
  }

  /** Seals and appends one chunk after its prefix; resolves with its buffer, free to fill again, once written. */
  seal(order: ChunkOrder, prefix: Buffer): Promise<Buffer> {
    return this.send('seal', order, prefix);
  }

  /** Opens one framed chunk; resolves with its buffer holding the plaintext from its start, or CipherError 'tampered'. */
  open(order: ChunkOrder): Promise<Buffer> {
    return this.send('open', order);
  }

  async close(): Promise<void> {
    this.failed ??= new CipherError('closed');
    await this.worker.terminate();
  }
}
