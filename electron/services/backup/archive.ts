/**
 * The records inside the encrypted stream (format.ts): each file as `u8 kind | u16 name length | name | u64 size |
 * bytes`, and last the manifest (kind 2): every file's name, size and SHA-256, and what the database held. Written
 * and read as streams, so a database of gigabytes never sits in memory whole.
 */
import type { FileHandle } from 'node:fs/promises';
import fsp from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { CHUNK, chunkParams, chunkPrefix, TAG, type BackupHeader, type Keys } from './format';
import { CipherThread } from './cipher-thread';
import { sha256Hex } from '../../../node/events';

export interface ManifestFile {
  name: string;
  size: number;
  sha256: string;
}
export interface Manifest {
  files: ManifestFile[];
  database: { name: string; cases: number; events: number; blobs: number };
  /** Blobs the log names whose file was missing or damaged when the backup was made (kept out, and said). */
  missingBlobs: string[];
}

/** A record's kind: a file of the data folder, or the manifest (the last record). */
export const FILE = 1;
export const MANIFEST = 2;

/** Chunks out at once on the cipher thread: it always has the next one while this thread fills or parses another. */
export const IN_FLIGHT = 3;
/** A whole chunk on disk at most: its prefix, a full chunk's ciphertext and its tag. */
export const FRAME = 4 + CHUNK + TAG;

export class ArchiveWriter {
  /** The chunk being filled: bytes are copied in once, and sealed when it is full (no concatenation). */
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK);
  private filled = 0;
  private index = 0;
  private readonly thread: CipherThread;
  /** Chunks on the sealing thread, oldest first; each comes back as a buffer to fill again. */
  private inFlight: Promise<Buffer>[] = [];
  written = 0;

  constructor(
    private readonly fh: FileHandle,
    keys: Keys,
    private readonly header: BackupHeader,
    private readonly headerBytes: Buffer,
    private readonly onBytes: (n: number) => void = () => {},
  ) {
    this.thread = new CipherThread(keys.enc, fh.fd);
  }

  async start(): Promise<void> {
    await this.fh.write(this.headerBytes);
    this.written += this.headerBytes.length;
  }

  private async push(bytes: Buffer): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      const n = bytes.copy(this.chunk, this.filled, at);
      this.filled += n;
      at += n;
      if (this.filled === CHUNK) await this.seal(false);
    }
  }

  /** Hands the filled chunk to the sealing thread and takes a free buffer: a new one, or the oldest back. */
  private async seal(last: boolean): Promise<void> {
    const { iv, aad } = chunkParams(this.header, this.headerBytes, this.index++, last);
    const sealed = this.thread.seal({ iv, aad, buffer: this.chunk, length: this.filled }, chunkPrefix(this.filled, last));
    // Awaited when its buffer is wanted again or at the end; until then a failure must not escape unobserved.
    sealed.catch(() => undefined);
    this.inFlight.push(sealed);
    this.written += 4 + this.filled + TAG;
    this.filled = 0;
    this.chunk = this.inFlight.length < IN_FLIGHT ? Buffer.allocUnsafe(CHUNK) : await this.inFlight.shift()!;
  }

  private recordHead(kind: number, name: string, size: number): Buffer {
    const n = Buffer.from(name, 'utf8');
    // From Node's pool of small buffers: one record head a blob, tens of thousands a backup.
    const head = Buffer.allocUnsafe(1 + 2 + n.length + 8);
    head[0] = kind;
    head.writeUInt16BE(n.length, 1);
    n.copy(head, 3);
    head.writeBigUInt64BE(BigInt(size), 3 + n.length);
    return head;
  }

  /** A file given whole; its hash for the manifest. */
  async addBytes(name: string, bytes: Buffer, sha256?: string): Promise<ManifestFile> {
    await this.push(this.recordHead(FILE, name, bytes.length));
    await this.push(bytes);
    this.onBytes(bytes.length);
    return { name, size: bytes.length, sha256: sha256 ?? sha256Hex(bytes) };
  }

  /** A file read from disk in pieces (the database). */
  async addFile(name: string, file: string): Promise<ManifestFile> {
    const fh = await fsp.open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      const hash = createHash('sha256');
      await this.push(this.recordHead(FILE, name, size));
      let done = 0;
      while (done < size) {
        const buf = Buffer.alloc(Math.min(CHUNK, size - done));
        const { bytesRead } = await fh.read(buf, 0, buf.length, done);
        if (bytesRead === 0) throw new Error(`${file} shrank while it was read`);
        const part = buf.subarray(0, bytesRead);
        hash.update(part);
        await this.push(part);
        this.onBytes(bytesRead);
        done += bytesRead;
      }
      return { name, size, sha256: hash.digest('hex') };
    } finally {
      await fh.close();
    }
  }

  async finish(manifest: Manifest): Promise<void> {
    const json = Buffer.from(JSON.stringify(manifest), 'utf8');
    await this.push(this.recordHead(MANIFEST, 'manifest.json', json.length));
    await this.push(json);
    // What is left goes out as the last chunk (it may be empty).
    await this.seal(true);
    await Promise.all(this.inFlight);
  }

  /** Ends the sealing thread (after finish, or when the backup failed part way). */
  async close(): Promise<void> {
    await this.thread.close();
  }
}
