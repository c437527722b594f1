/**
 * A backup onto a drive with no room left (a real, small tmpfs mounted for the test; the machine's root may mount
 * it, as CI's does): the person is told the drive is full and how much room is needed, in Kazakh and Russian, and
 * no unfinished file stays on the drive. A restore into a full disk says the same, and leaves no half folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors';
import { errorMessage } from '../shared/i18n/messages';
import { createContext } from '../electron/services/context';
import { setUpWorkstation } from '../electron/services/workstation';
import { createBackup } from '../electron/services/backup/create';
import { restoreBackup } from '../electron/services/backup/restore';
import { CipherThread } from '../electron/services/backup/cipher-thread';
import { makePki, tempDir } from './helpers';

const tmp = tempDir('backup-drive-full');
const PASS = 'a long office passphrase';
const small = path.join(tmp.dir, 'small-drive');
let ctx: ReturnType<typeof createContext>;
let mounted = false;

/** A 256 KiB tmpfs: room for a little, not for a backup (its database alone is larger). */
function mountSmallDrive(): boolean {
  mkdirSync(small, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small]).status === 0;
}

beforeAll(() => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  ctx = createContext({ dataDir: path.join(tmp.dir, 'w1'), appVersion: 'test' });
  setUpWorkstation(ctx, { pkiDir: pki.dir, officeCode: 'AUE', workstationCode: 'W1' });
  mounted = mountSmallDrive();
}, 60_000);
afterAll(() => {
  ctx?.db.close();
  if (mounted) spawnSync('umount', [small]);
  tmp.remove();
});

describe('a drive with no room left', () => {
  it('the cipher thread reports a full device (/dev/full) as ENOSPC', async () => {
    const { openSync, closeSync } = await import('node:fs');
    const fd = openSync('/dev/full', 'w');
    const thread = new CipherThread(Buffer.alloc(32, 1), fd);
    try {
      const buffer = Buffer.from(new ArrayBuffer(4096));
      await expect(thread.seal({ iv: Buffer.alloc(12), aad: Buffer.alloc(0), buffer, length: 4096 }, Buffer.alloc(4))).rejects.toMatchObject({ reason: 'ENOSPC' });
    } finally {
      await thread.close();
      closeSync(fd);
    }
  });

  it.runIf(process.getuid?.() === 0)('a backup to it says the drive is full and the room needed; nothing is left on it', async () => {
    expect(mounted, 'mount -t tmpfs failed: this test needs root, as CI has').toBe(true);
    // Something of the person's already on the drive.
    writeFileSync(path.join(small, 'letter.txt'), 'keep me');
    const error = await createBackup({ dataDir: ctx.dataDir, db: ctx.db, outDir: small, passphrase: PASS, appVersion: 'test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.code).toBe('backup.drive_full');
    expect(Number(e.params?.needed)).toBeGreaterThan(0);
    expect(errorMessage('ru', e.toValue())).toContain('не хватает места');
    expect(errorMessage('kk', e.toValue())).toContain('орын жетпейді');
    expect(errorMessage('ru', e.toValue())).toContain(small);
    expect(readdirSync(small).sort()).toEqual(['letter.txt']);
  });

  it.runIf(process.getuid?.() === 0)('a restore into it says the same, and leaves no half folder', async () => {
    const made = await createBackup({ dataDir: ctx.dataDir, db: ctx.db, outDir: path.join(tmp.dir, 'big-drive'), passphrase: PASS, appVersion: 'test' });
    const error = await restoreBackup({ from: made.file, dataDir: path.join(small, 'restored'), passphrase: PASS }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('backup.drive_full');
    expect(readdirSync(small).sort()).toEqual(['letter.txt']);
  });
});
