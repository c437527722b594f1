/**
 * The simulator's keys: PKCS#12 files in a folder, each with its password and the storage it pretends to be on
 * (a file, a Kaztoken, an ID card). The folder's keys.json lists them: the demo office's own index (fileName, path,
 * password) works as it is; `storage` is optional and defaults to a file (PKCS12).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { certificateInfo } from '../pki/certificate-info';
import { openKeyFile } from '../pki/keyfile';
import type { Signer } from '../pki/cms';

export const STORAGES = ['PKCS12', 'AKKaztokenStore', 'AKKZIDCardStore'] as const;
export type Storage = (typeof STORAGES)[number];

export interface SimKey {
  name: string;
  storage: Storage;
  signer: Signer;
  iin: string;
  /** AUTHENTICATION (digitalSignature + keyEncipherment, AUTH_RSA256_…) or SIGNATURE (nonRepudiation, RSA256_…). */
  keyType: 'SIGNATURE' | 'AUTHENTICATION';
}

interface Entry {
  fileName?: string;
  path?: string;
  password: string;
  storage?: Storage;
}

/** Reads keys.json in `dir` (or every *.p12 with `password`, when there is no index). */
export function loadSimKeys(dir: string, password = ''): SimKey[] {
  const index = path.join(dir, 'keys.json');
  const entries: Entry[] = existsSync(index)
    ? (JSON.parse(readFileSync(index, 'utf8')) as Entry[])
    : readdirSync(dir).filter((f) => f.endsWith('.p12')).map((fileName) => ({ fileName, password }));
  return entries.map((e) => {
    const file = e.path && existsSync(e.path) ? e.path : path.join(dir, e.fileName ?? path.basename(e.path ?? ''));
    const opened = openKeyFile(readFileSync(file), e.password);
    const info = certificateInfo(Buffer.from(opened.certificate.raw));
    const storage = e.storage && (STORAGES as readonly string[]).includes(e.storage) ? e.storage : 'PKCS12';
    return {
      name: path.basename(file),
      storage,
      signer: { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem },
      iin: info.iin,
      keyType: info.keyUsage.nonRepudiation ? 'SIGNATURE' : 'AUTHENTICATION',
    };
  });
}
