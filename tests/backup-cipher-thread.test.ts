/**
 * The backup's cipher thread: what it seals is plain AES-256-GCM that node:crypto opens; what it opens is refused
 * when a byte was changed; and a write that fails fails the chunk, and every chunk after it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CipherError, CipherThread } from '../electron/services/backup/cipher-thread';
import { tempDir } from './helpers';

const tmp = tempDir('cipher-thread');
const dir = tmp.dir;
afterAll(() => tmp.remove());
const key = randomBytes(32);
let threads: CipherThread[] = [];
afterEach(async () => {
  await Promise.all(threads.map((t) => t.close()));
  threads = [];
});

/** A buffer that owns its memory (the thread takes it over), holding `bytes` from its start. */
function owned(bytes: Buffer, size = bytes.length): Buffer {
  const b = Buffer.from(new ArrayBuffer(size));
  bytes.copy(b);
  return b;
}

describe('the backup cipher thread', () => {
  it('appends each chunk after its prefix, in order, as AES-256-GCM that node:crypto opens', async () => {
    const file = path.join(dir, 'sealed.bin');
    const fd = openSync(file, 'w');
    const thread = new CipherThread(key, fd);
    threads.push(thread);
    const chunks = [randomBytes(200_000), randomBytes(70_000)];
    const ivs = chunks.map(() => randomBytes(12));
    const aad = Buffer.from('header and index');
    const back = await Promise.all(chunks.map((c, i) => thread.seal({ iv: ivs[i]!, aad, buffer: owned(c, 256 * 1024), length: c.length }, Buffer.from([0, 0, 0, i]))));
    closeSync(fd);
    expect(back.map((b) => b.length)).toEqual([256 * 1024, 256 * 1024]);
    const written = readFileSync(file);
    let at = 0;
    for (const [i, c] of chunks.entries()) {
      expect(written[at + 3]).toBe(i);
      const d = createDecipheriv('aes-256-gcm', key, ivs[i]!);
      d.setAAD(aad);
      d.setAuthTag(written.subarray(at + 4 + c.length, at + 4 + c.length + 16));
      expect(Buffer.concat([d.update(written.subarray(at + 4, at + 4 + c.length)), d.final()]).equals(c)).toBe(true);
      at += 4 + c.length + 16;
    }
    expect(at).toBe(written.length);
  });

  it('opens a framed chunk in place, and refuses one with a changed byte', async () => {
    const thread = new CipherThread(key);
    threads.push(thread);
    const plain = randomBytes(300_000);
    const iv = randomBytes(12);
    const aad = Buffer.from('aad');
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(aad);
    const framed = Buffer.concat([Buffer.alloc(4), c.update(plain), c.final(), c.getAuthTag()]);
    const opened = await thread.open({ iv, aad, buffer: owned(framed), length: plain.length });
    expect(opened.subarray(0, plain.length).equals(plain)).toBe(true);
    const changed = owned(framed);
    changed.writeUInt8(changed.readUInt8(4 + 1000) ^ 1, 4 + 1000);
    await expect(thread.open({ iv, aad, buffer: changed, length: plain.length })).rejects.toEqual(new CipherError('tampered'));
  });

  it('fails a chunk whose write fails, and every chunk after it', async () => {
    const file = path.join(dir, 'read-only.bin');
    writeFileSync(file, '');
    const fd = openSync(file, 'r');
    const thread = new CipherThread(key, fd);
    threads.push(thread);
    const order = () => ({ iv: randomBytes(12), aad: Buffer.alloc(0), buffer: owned(randomBytes(1000)), length: 1000 });
    const first = thread.seal(order(), Buffer.alloc(4));
    const second = thread.seal(order(), Buffer.alloc(4));
    await expect(first).rejects.toMatchObject({ reason: 'EBADF' });
    await expect(second).rejects.toMatchObject({ reason: 'EBADF' });
    await expect(thread.seal(order(), Buffer.alloc(4))).rejects.toMatchObject({ reason: 'EBADF' });
    closeSync(fd);
    expect(readFileSync(file).length).toBe(0);
  });
});
