/**
 * Signing through NCALayer with the commonUtils module: the person's chosen storage is checked among the active
 * tokens first (a Kaztoken or an ID card must be plugged in; a file is always there), then NCALayer signs in its own
 * dialog: the content itself, or its SHA-256 when the content is large.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { withNcalayer } from './ncalayer-client';
import type { NCALayerClient } from 'ncalayer-js-client';
import type { KeyPurpose, KeySource, NcalayerSettings } from './source';

/** Above this size NCALayer signs the hash (its WebSocket frames carry the content as base64 otherwise). */
export const HASH_FROM_BYTES = 1024 * 1024;

/** What NCALayer is asked to sign: the content, or only its SHA-256 (a PDF's byte range, large content). */
export type SignInput = { content: Buffer } | { digest: Buffer };

async function checkStorage(client: NCALayerClient, settings: NcalayerSettings): Promise<void> {
  if (settings.storage === 'PKCS12') return;
  const active = await client.getActiveTokens();
  if (!active.includes(settings.storage)) throw new AppError('keys.no_storage', { storage: `keys.storage.${settings.storage}` });
}

/** One detached CMS from NCALayer's dialog, by the key for `purpose`. */
export function ncalayerSign(settings: NcalayerSettings, input: SignInput, purpose: KeyPurpose): Promise<Buffer> {
  const keyType = purpose === 'auth' ? 'AUTHENTICATION' : 'SIGNATURE';
  return withNcalayer(settings, async (client) => {
    await checkStorage(client, settings);
    const digest = 'digest' in input ? input.digest : input.content.length >= (settings.hashFromBytes ?? HASH_FROM_BYTES) ? createHash('sha256').update(input.content).digest() : null;
    const b64 = digest
      ? await client.createCAdESFromBase64Hash(settings.storage, digest.toString('base64'), keyType)
      : await client.createCAdESFromBase64(settings.storage, (input as { content: Buffer }).content.toString('base64'), keyType, false);
    return Buffer.from(b64, 'base64');
  });
}

/** The certificate (PEM) of the key the person picks in NCALayer's dialog: the signing key an act will be signed by. */
export function ncalayerKeyCertificate(settings: NcalayerSettings): Promise<string> {
  return withNcalayer(settings, async (client) => {
    await checkStorage(client, settings);
    const info = await client.getKeyInfo(settings.storage);
    if (!info.pem) throw new AppError('keys.failed', { detail: 'getKeyInfo: no certificate' });
    return info.pem.includes('BEGIN CERTIFICATE') ? info.pem : `-----BEGIN CERTIFICATE-----\n${info.pem}\n-----END CERTIFICATE-----\n`;
  });
}

export function ncalayerKeySource(settings: NcalayerSettings): KeySource {
  return {
    kind: 'ncalayer',
    settings,
    sign: (content: Buffer, purpose: KeyPurpose) => ncalayerSign(settings, { content }, purpose),
  };
}
