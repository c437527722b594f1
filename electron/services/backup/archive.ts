/**
 * The records inside the encrypted stream (format.ts): each file as `u8 kind | u16 name length | name | u64 size |
 * bytes`, and last the manifest (kind 2): every file's name, size and SHA-256, and what the database held. Written
 * and read as streams, so a database of gigabytes never sits in memory whole.
 */
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import fsp from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import { CHUNK, chunkFrame, decodeHeader, openChunk, openKeys, sealChunk, TAG, type BackupHeader, type Keys } from './format';

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

const FILE = 1;
const MANIFEST = 2;

export class ArchiveWriter {
  /** The chunk being filled: bytes are copied in once, and sealed when it is full (no concatenation). */
  private chunk = Buffer.allocUnsafe(CHUNK);
  private filled = 0;
  private index = 0;
  private inFlight: Promise<unknown> = Promise.resolve();
  written = 0;

  constructor(
    private readonly fh: FileHandle,
    private readonly keys: Keys,
    private readonly header: BackupHeader,
    private readonly headerBytes: Buffer,
    private readonly onBytes: (n: number) => void = () => {},
  ) {}

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
      if (this.filled === CHUNK) {
        await this.seal(this.chunk, false);
        this.filled = 0;
      }
    }
  }

  /**
   * Seals a chunk and writes it while the next one is read and sealed: one write in flight, so the disk and the
   * processor work at once, and the chunks still reach the file in order.
   */
  private async seal(plain: Buffer, last: boolean): Promise<void> {
    const pieces = sealChunk(this.keys, this.header, this.headerBytes, this.index++, plain, last);
    await this.inFlight;
    const write = this.fh.writev(pieces);
    // Awaited before the next write and at the end; until then a failure must not escape unobserved.
    write.catch(() => undefined);
    this.inFlight = write;
    for (const p of pieces) this.written += p.length;
  }

  private recordHead(kind: number, name: string, size: number): Buffer {
    const n = Buffer.from(name, 'utf8');
    const head = Buffer.alloc(1 + 2 + n.length + 8);
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
    return { name, size: bytes.length, sha256: sha256 ?? createHash('sha256').update(bytes).digest('hex') };
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
    await this.seal(this.chunk.subarray(0, this.filled), true);
    await this.inFlight;
  }
}

/** What a reader is told of each file in the archive, in order. */
export interface ReadSink {
  start?: (name: string, size: number) => Promise<void> | void;
  data?: (bytes: Buffer) => Promise<void> | void;
  end?: (file: ManifestFile) => Promise<void> | void;
}

/** The header only (who made the backup, when): no passphrase needed. */
export async function readHeader(file: string): Promise<{ header: BackupHeader; bytes: Buffer; end: number }> {
  const fh = await fsp.open(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024 + 12);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return decodeHeader(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * Reads, decrypts and parses the whole archive, hashing each file, and checks every file against the manifest.
 * Throws backup.wrong_passphrase, .truncated or .tampered; nothing is trusted before the manifest agrees.
 */
export async function readArchive(
  file: string,
  passphrase: string,
  sink: ReadSink = {},
  onBytes: (n: number) => void = () => {},
  onHeader: (header: BackupHeader) => void = () => {},
  knownKeys?: Keys,
): Promise<{ header: BackupHeader; manifest: Manifest; files: ManifestFile[] }> {
  const { header, bytes: headerBytes, end } = await readHeader(file);
  onHeader(header);
  // The writer verifying what it just wrote has the keys already (scrypt is slow on purpose).
  const keys = knownKeys ?? (await openKeys(header, passphrase));
  const fh = await fsp.open(file, 'r');
  const files: ManifestFile[] = [];
  let manifestJson: Buffer[] | null = null;
  // The record parser's state: the bytes of a record head being gathered, or the file being streamed.
  let headBuf = Buffer.alloc(0);
  let current: { name: string; size: number; left: number; hash: Hash; kind: number } | null = null;
  const feed = async (plain: Buffer) => {
    let at = 0;
    while (at < plain.length) {
      if (current) {
        const take = Math.min(current.left, plain.length - at);
        const part = plain.subarray(at, at + take);
        current.hash.update(part);
        if (current.kind === FILE) await sink.data?.(part);
        else manifestJson!.push(Buffer.from(part));
        current.left -= take;
        at += take;
        if (current.left === 0) {
          const done = { name: current.name, size: current.size, sha256: current.hash.digest('hex') };
          if (current.kind === FILE) {
            files.push(done);
            await sink.end?.(done);
          }
          current = null;
        }
        continue;
      }
      if (manifestJson && !current) throw new AppError('backup.tampered');
      // The head comes in two steps: its first 3 bytes say how long the rest is.
      const want = headBuf.length < 3 ? 3 - headBuf.length : 3 + headBuf.readUInt16BE(1) + 8 - headBuf.length;
      const take = Math.min(want, plain.length - at);
      headBuf = Buffer.concat([headBuf, plain.subarray(at, at + take)]);
      at += take;
      if (headBuf.length < 3) continue;
      const nameLength = headBuf.readUInt16BE(1);
      if (headBuf.length < 3 + nameLength + 8) continue;
      const kind = headBuf[0]!;
      if (kind !== FILE && kind !== MANIFEST) throw new AppError('backup.tampered');
      const name = headBuf.subarray(3, 3 + nameLength).toString('utf8');
      const size = Number(headBuf.readBigUInt64BE(3 + nameLength));
      headBuf = Buffer.alloc(0);
      current = { name, size, left: size, hash: createHash('sha256'), kind };
      if (kind === MANIFEST) manifestJson = [];
      else await sink.start?.(name, size);
      if (size === 0) {
        // An empty file: ended at once.
        const done = { name, size, sha256: current.hash.digest('hex') };
        if (kind === FILE) {
          files.push(done);
          await sink.end?.(done);
        }
        current = null;
      }
    }
  };
  try {
    const size = (await fh.stat()).size;
    // A whole frame in one read, the next one read while this one is decrypted and hashed.
    const readFrom = (at: number) => {
      const buf = Buffer.allocUnsafe(Math.max(0, Math.min(4 + CHUNK + TAG, size - at)));
      const read = fh.read(buf, 0, buf.length, at).then(({ bytesRead }) => buf.subarray(0, bytesRead));
      read.catch(() => undefined);
      return read;
    };
    let pos = end;
    let index = 0;
    let ahead = readFrom(pos);
    for (;;) {
      if (pos + 4 > size) throw new AppError('backup.truncated');
      const block = await ahead;
      const frame = chunkFrame(block);
      if (pos + frame.size > size || frame.size > block.length) throw new AppError('backup.truncated');
      if (!frame.last) ahead = readFrom(pos + frame.size);
      const { plain, last } = openChunk(keys, header, headerBytes, index++, block.subarray(0, frame.size));
      pos += frame.size;
      onBytes(frame.size);
      for (const part of plain) await feed(part);
      if (last) break;
    }
    // Bytes after the last chunk, or a record cut off inside the stream: not what was written.
    if (pos !== size || current || headBuf.length > 0 || !manifestJson) throw new AppError('backup.tampered');
  } finally {
    await fh.close();
  }
  const manifest = JSON.parse(Buffer.concat(manifestJson as Buffer[]).toString('utf8')) as Manifest;
  checkAgainstManifest(files, manifest);
  return { header, manifest, files };
}

function checkAgainstManifest(files: readonly ManifestFile[], manifest: Manifest): void {
  if (files.length !== manifest.files.length) throw new AppError('backup.tampered');
  for (const [i, f] of files.entries()) {
    const m = manifest.files[i]!;
    if (m.name !== f.name || m.size !== f.size || m.sha256 !== f.sha256) throw new AppError('backup.tampered');
  }
}
