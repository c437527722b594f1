/**
 * A data folder whose modes a person loosened by hand (the device key made readable to all, a blob and its folder
 * opened inside a blob store that stayed closed, a file deep in a closed folder) is tightened whole at the next
 * start, the device key first, and the person is told on screen how many files and folders were closed. Real files
 * on disk, a real workstation with its device key, the real start.
 */
import { chmodSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OfficeStatus } from '../shared/contract/types';
import { formatMessage } from '../shared/i18n/messages';
import { issueDeviceCertificate } from '../node/pki/machine-certs';
import { createContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { setUpWorkstation } from '../electron/services/workstation';
import { writeBlobFile } from '../electron/services/blob-store';
import { makePki, tempDir } from './helpers';

const tmp = tempDir('data-folder-modes');
afterAll(() => tmp.remove());

/** Every file and folder under `dir` open to the group or to others, with its mode. */
function loose(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const mode = statSync(path.join(dir, name)).mode & 0o777;
    if (mode & 0o077) out.push(`${name} ${mode.toString(8)}`);
  }
  return out;
}

describe('modes a person loosened are tightened at the next start', () => {
  it('every file the data folder holds, the device key first, and the person is told', async () => {
    const pki = makePki(path.join(tmp.dir, 'pki'));
    const dataDir = path.join(tmp.dir, 'data');
    const first = createContext({ dataDir, appVersion: 'test' });
    const device = issueDeviceCertificate({ dir: pki.dir, officeCode: 'AUE', workstationCode: 'W1' });
    setUpWorkstation(first, { pkiDir: pki.dir, officeCode: 'AUE', workstationCode: 'W1', device: { certsPem: [device.certPem, ...device.chainPem].join(''), keyPem: device.keyPem }, devicePassphrase: { value: process.env.JARDEM_DEVICE_PASSPHRASE! } });
    const blobs = ['a scanned page', 'another page', 'a third page'].map((t) => writeBlobFile(dataDir, Buffer.from(t)));
    first.db.close();
    expect(loose(dataDir)).toEqual([]);

    // By hand: the device key readable to all (its folder left closed), a blob and its folder opened (the blob store
    // left closed), a blob readable to all in a folder still closed, the database and the folder itself opened.
    const key = path.join(dataDir, 'device', 'device.key.pem');
    const blobFile = (sha: string) => path.join(dataDir, 'blobs', sha.slice(0, 2), sha);
    chmodSync(key, 0o644);
    chmodSync(path.dirname(blobFile(blobs[0]!)), 0o755);
    chmodSync(blobFile(blobs[0]!), 0o644);
    chmodSync(blobFile(blobs[1]!), 0o644);
    chmodSync(path.join(dataDir, 'jardem.sqlite'), 0o644);
    chmodSync(dataDir, 0o755);
    expect(loose(dataDir).length).toBeGreaterThanOrEqual(4);

    const ctx = createContext({ dataDir, appVersion: 'test' });
    await ctx.dataFolder.done;
    expect(loose(dataDir)).toEqual([]);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    // A blob is read-only to its owner, as it was written: content-addressed, it never changes.
    for (const sha of blobs) expect(statSync(blobFile(sha)).mode & 0o777).toBe(0o400);
    // The device key first: the one file that lets anyone speak to the server as this workstation.
    expect(ctx.dataFolder.tightened[0]).toBe(path.join('device', 'device.key.pem'));
    expect(ctx.dataFolder.tightenedCount).toBe(6);
    // On screen, as every start that closed something says it, with the whole count.
    const status = (await createDispatcher(ctx)({ method: 'office.status', input: {} })) as { ok: true; value: OfficeStatus };
    const notice = status.value.notices.find((n) => n.key === 'notice.data_folder_tightened')!;
    expect(notice.params).toMatchObject({ count: 6, dir: dataDir });
    expect(formatMessage('ru', notice.key, notice.params)).toContain('device/device.key.pem');
    expect(formatMessage('kk', notice.key, notice.params)).toContain('6');
    ctx.db.close();
    // Tight already: nothing to tell the next time.
    const again = createContext({ dataDir, appVersion: 'test' });
    await again.dataFolder.done;
    expect(again.dataFolder.tightenedCount).toBe(0);
    again.db.close();
  });
});
