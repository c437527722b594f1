/**
 * The backup archive's bytes. A backup holds applicants' personal data and the device key, and goes to a removable
 * drive: everything after the header is encrypted and authenticated (AES-256-GCM, node:crypto's OpenSSL), the key
 * stretched from the passphrase with scrypt.
 *
 *   "JRDMBAK1" | u32 header length | header (JSON, plain: who made it, the KDF's salt, a key check)
 *   chunk* : u32 plaintext length | ciphertext | 16-byte tag
 *
 * Each chunk's nonce is the header's random prefix and the chunk's index; its additional data is the header's
 * SHA-256, the index and whether it is the last. So a chunk cannot be moved, dropped, or the header changed
 * without the tag failing; a file cut short lacks its last chunk (truncated), and bytes after the last are
 * tampering. The key check (an HMAC under a second derived key) tells a wrong passphrase apart from tampering.
 */
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/errors';

export const MAGIC = Buffer.from('JRDMBAK1', 'latin1');
export const FORMAT = 1;
/** Plaintext per chunk: large enough for throughput, small enough to stream a large database. */
export const CHUNK = 1 << 20;
export const TAG = 16;
/** scrypt's cost: about 0.1 s and 32 MiB on an office PC, per try at the passphrase. */
const KDF = { N: 1 << 15, r: 8, p: 1 } as const;
/** A passphrase shorter than this is refused at create (it would protect the data in name only). */
export const MIN_PASSPHRASE = 10;

export interface BackupHeader {
  format: number;
  kdf: { name: 'scrypt'; salt: string; N: number; r: number; p: number };
  check: string;
  noncePrefix: string;
  officeCode: string;
  workstationCode: string;
  createdAt: string;
  appVersion: string;
}

export interface Keys {
  enc: Buffer;
  check: Buffer;
}

export async function deriveKeys(passphrase: string, kdf: BackupHeader['kdf']): Promise<Keys> {
  const out = await new Promise<Buffer>((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 64, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r }, (e, k) => (e ? reject(e) : resolve(k))),
  );
  return { enc: out.subarray(0, 32), check: out.subarray(32) };
}

const checkValue = (keys: Keys) => createHmac('sha256', keys.check).update('jardem-backup-key-check').digest();

/** A new header and its keys, for an archive about to be written. */
export async function newHeader(who: { officeCode: string; workstationCode: string; appVersion: string }, passphrase: string, now: Date): Promise<{ header: BackupHeader; keys: Keys }> {
  if (passphrase.length < MIN_PASSPHRASE) throw new AppError('backup.passphrase_short', { min: MIN_PASSPHRASE });
  const kdf = { name: 'scrypt' as const, salt: randomBytes(16).toString('base64'), ...KDF };
  const keys = await deriveKeys(passphrase, kdf);
  const header: BackupHeader = { format: FORMAT, kdf, check: checkValue(keys).toString('base64'), noncePrefix: randomBytes(4).toString('base64'), ...who, createdAt: now.toISOString() };
  return { header, keys };
}

export function encodeHeader(header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, len, json]);
}

/** The header at the start of `head` (the file's first bytes), and where the chunks begin. */
export function decodeHeader(head: Buffer): { header: BackupHeader; bytes: Buffer; end: number } {
  if (head.length < 12 || !head.subarray(0, 8).equals(MAGIC)) throw new AppError('backup.not_a_backup');
  const len = head.readUInt32BE(8);
  if (len > 64 * 1024) throw new AppError('backup.not_a_backup');
  if (head.length < 12 + len) throw new AppError('backup.truncated');
  let header: BackupHeader;
  try {
    header = JSON.parse(head.subarray(12, 12 + len).toString('utf8')) as BackupHeader;
  } catch {
    throw new AppError('backup.tampered');
  }
  if (typeof header.format !== 'number' || header.kdf?.name !== 'scrypt') throw new AppError('backup.tampered');
  if (header.format > FORMAT) throw new AppError('backup.newer_format', { format: header.format });
  return { header, bytes: head.subarray(0, 12 + len), end: 12 + len };
}

/** The keys for `header` from the passphrase, or backup.wrong_passphrase. */
export async function openKeys(header: BackupHeader, passphrase: string): Promise<Keys> {
  const { N, r, p } = header.kdf;
  // A header changed to ask for an absurd cost would hang the machine: only the costs this format writes are run.
  if (N !== KDF.N || r !== KDF.r || p !== KDF.p) throw new AppError('backup.tampered');
  const keys = await deriveKeys(passphrase, header.kdf);
  const expected = Buffer.from(header.check, 'base64');
  const got = checkValue(keys);
  if (expected.length !== got.length || !timingSafeEqual(expected, got)) throw new AppError('backup.wrong_passphrase');
  return keys;
}

/** The nonce and additional data of chunk `index`. */
export function chunkParams(header: BackupHeader, headerBytes: Buffer, index: number, last: boolean): { iv: Buffer; aad: Buffer } {
  const iv = Buffer.alloc(12);
  Buffer.from(header.noncePrefix, 'base64').copy(iv, 0, 0, 4);
  iv.writeBigUInt64BE(BigInt(index), 4);
  const aad = Buffer.alloc(32 + 9);
  createHash('sha256').update(headerBytes).digest().copy(aad, 0);
  aad.writeBigUInt64BE(BigInt(index), 32);
  aad[40] = last ? 1 : 0;
  return { iv, aad };
}

/** A chunk's first 4 bytes: its length, the top bit marking the last chunk (authenticated through the additional data too). */
export function chunkPrefix(plainLength: number, last: boolean): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE((plainLength | (last ? 0x80000000 : 0)) >>> 0);
  return len;
}

/** The length and last-mark of the chunk whose 4-byte prefix is `prefix`, and its whole size on disk. */
export function chunkFrame(prefix: Buffer): { plainLength: number; last: boolean; size: number } {
  const raw = prefix.readUInt32BE(0);
  const plainLength = raw & 0x7fffffff;
  if (plainLength > CHUNK) throw new AppError('backup.tampered');
  return { plainLength, last: (raw & 0x80000000) !== 0, size: 4 + plainLength + TAG };
}
