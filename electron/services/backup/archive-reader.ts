/**
 * Reads an archive back (archive.ts writes it): every chunk opened and authenticated, every record parsed, every
 * file hashed and checked against the manifest, as a stream, so a database of gigabytes never sits in memory whole.
 */
import { createHash, type Hash } from 'node:crypto';
import fsp from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import { DATA_FILES } from '../data-files';
import { sha256Hex } from '../../../node/events';
import { FILE, FRAME, IN_FLIGHT, MANIFEST, type Manifest, type ManifestFile } from './archive';
import { CipherError, CipherThread } from './cipher-thread';
import { chunkFrame, chunkParams, decodeHeader, openKeys, type BackupHeader, type Keys } from './format';

export interface ReadOptions {
  /** The writer verifying what it just wrote has the keys already (scrypt is slow on purpose). */
  keys?: Keys;
  /** Given by the writer only: blobs whose bytes do not hash to their names are listed here instead of refused. */
  damagedBlobs?: string[];
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
  opts: ReadOptions = {},
): Promise<{ header: BackupHeader; manifest: Manifest; files: ManifestFile[] }> {
  const { header, bytes: headerBytes, end } = await readHeader(file);
  onHeader(header);
  const keys = opts.keys ?? (await openKeys(header, passphrase));
  const fh = await fsp.open(file, 'r');
  const files: ManifestFile[] = [];
  let manifestJson: Buffer[] | null = null;
  // The record parser's state: the bytes of a record head being gathered, or the file being streamed.
  let headBuf = Buffer.alloc(0);
  let current: { name: string; size: number; left: number; hash: Hash | null; kind: number } | null = null;
  const feed = async (plain: Buffer) => {
    let at = 0;
    while (at < plain.length) {
      if (current) {
        const take = Math.min(current.left, plain.length - at);
        if (current.kind === FILE && take === current.size) {
          // The whole file inside this chunk (a page, usually): hashed in one call, no hash object kept.
          const part = plain.subarray(at, at + take);
          await sink.data?.(part);
          const done = { name: current.name, size: current.size, sha256: sha256Hex(part) };
          files.push(done);
          await sink.end?.(done);
          current = null;
          at += take;
          continue;
        }
        const part = plain.subarray(at, at + take);
        current.hash ??= createHash('sha256');
        current.hash.update(part);
        if (current.kind === FILE) await sink.data?.(part);
        else manifestJson!.push(Buffer.from(part));
        current.left -= take;
        at += take;
        if (current.left === 0) {
          const done = { name: current.name, size: current.size, sha256: (current.hash ?? createHash('sha256')).digest('hex') };
          if (current.kind === FILE) {
            files.push(done);
            await sink.end?.(done);
          }
          current = null;
        }
        continue;
      }
      if (manifestJson && !current) throw new AppError('backup.tampered');
      // A head inside this chunk is read where it lies; one cut by a chunk's end is gathered in two steps (its first
      // 3 bytes say how long the rest is).
      let head: Buffer;
      const whole = headBuf.length === 0 && plain.length - at >= 3 ? 3 + plain.readUInt16BE(at + 1) + 8 : 0;
      if (whole > 0 && plain.length - at >= whole) {
        head = plain.subarray(at, at + whole);
        at += whole;
      } else {
        const want = headBuf.length < 3 ? 3 - headBuf.length : 3 + headBuf.readUInt16BE(1) + 8 - headBuf.length;
        const take = Math.min(want, plain.length - at);
        headBuf = Buffer.concat([headBuf, plain.subarray(at, at + take)]);
        at += take;
        if (headBuf.length < 3 || headBuf.length < 3 + headBuf.readUInt16BE(1) + 8) continue;
        head = headBuf;
        headBuf = Buffer.alloc(0);
      }
      const nameLength = head.readUInt16BE(1);
      const kind = head[0]!;
      if (kind !== FILE && kind !== MANIFEST) throw new AppError('backup.tampered');
      const name = head.subarray(3, 3 + nameLength).toString('utf8');
      const size = Number(head.readBigUInt64BE(3 + nameLength));
      current = { name, size, left: size, hash: null, kind };
      if (kind === MANIFEST) manifestJson = [];
      else await sink.start?.(name, size);
      if (size === 0) {
        // An empty file: ended at once.
        const done = { name, size, sha256: sha256Hex(Buffer.alloc(0)) };
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
    // Frames are read ahead and opened on the cipher thread while this one parses and hashes the chunk before.
    const thread = new CipherThread(keys.enc);
    const free: Buffer[] = [];
    const ahead: { opened: Promise<Buffer>; plainLength: number; size: number; last: boolean }[] = [];
    let pos = end;
    let index = 0;
    let sawLast = false;
    try {
      for (;;) {
        while (!sawLast && ahead.length < IN_FLIGHT) {
          if (pos + 4 > size) throw new AppError('backup.truncated');
          const buffer = free.pop() ?? Buffer.allocUnsafe(FRAME);
          const { bytesRead } = await fh.read(buffer, 0, Math.min(FRAME, size - pos), pos);
          const frame = chunkFrame(buffer);
          if (pos + frame.size > size || frame.size > bytesRead) throw new AppError('backup.truncated');
          const { iv, aad } = chunkParams(header, headerBytes, index++, frame.last);
          const opened = thread.open({ iv, aad, buffer, length: frame.plainLength });
          // Awaited in its turn; a failure before that must not escape unobserved.
          opened.catch(() => undefined);
          ahead.push({ opened, plainLength: frame.plainLength, size: frame.size, last: frame.last });
          pos += frame.size;
          sawLast = frame.last;
        }
        const next = ahead.shift()!;
        let plain: Buffer;
        try {
          plain = await next.opened;
        } catch (error) {
          throw error instanceof CipherError && error.reason === 'tampered' ? new AppError('backup.tampered') : error;
        }
        onBytes(next.size);
        await feed(plain.subarray(0, next.plainLength));
        free.push(plain);
        if (next.last) break;
      }
    } finally {
      await thread.close();
    }
    // Bytes after the last chunk, or a record cut off inside the stream: not what was written.
    if (pos !== size || current || headBuf.length > 0 || !manifestJson) throw new AppError('backup.tampered');
  } finally {
    await fh.close();
  }
  const manifest = JSON.parse(Buffer.concat(manifestJson as Buffer[]).toString('utf8')) as Manifest;
  checkAgainstManifest(files, manifest, opts.damagedBlobs);
  return { header, manifest, files };
}

function checkAgainstManifest(files: readonly ManifestFile[], manifest: Manifest, damagedBlobs?: string[]): void {
  if (files.length !== manifest.files.length) throw new AppError('backup.tampered');
  for (const [i, f] of files.entries()) {
    const m = manifest.files[i]!;
    if (m.name !== f.name || m.size !== f.size) throw new AppError('backup.tampered');
    if (m.sha256 === f.sha256) continue;
    // The chunks authenticated, so the archive holds what was written: a page that differs from its name was
    // damaged on the disk it was copied from. Its writer wants to know which; anyone else refuses the archive.
    if (damagedBlobs && m.name.startsWith(`${DATA_FILES.blobsDir}/`)) damagedBlobs.push(m.name);
    else throw new AppError('backup.tampered');
  }
}
