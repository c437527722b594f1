/**
 * Signing through NCALayer with the commonUtils module: the person's chosen storage is checked among the active
 * tokens first (a Kaztoken or an ID card must be plugged in; a file is always there), then NCALayer signs in its own
 * dialog: the content itself, or its SHA-256 when the content is large.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { withNcalayer } from './ncalayer-client';
import type { KeyPurpose, KeySource, NcalayerSettings } from './source';

/** Above this size NCALayer signs the hash (its WebSocket frames carry the content as base64 otherwise). */
const HASH_FROM_BYTES = 1024 * 1024;

export function ncalayerKeySource(settings: NcalayerSettings): KeySource {
  return {
    kind: 'ncalayer',
    async sign(content: Buffer, purpose: KeyPurpose): Promise<Buffer> {
      const keyType = purpose === 'auth' ? 'AUTHENTICATION' : 'SIGNATURE';
      return withNcalayer(settings, async (client) => {
        if (settings.storage !== 'PKCS12') {
          const active = await client.getActiveTokens();
          if (!active.includes(settings.storage)) throw new AppError('keys.no_storage', { storage: `keys.storage.${settings.storage}` });
        }
        const byHash = content.length >= (settings.hashFromBytes ?? HASH_FROM_BYTES);
        const b64 = byHash
          ? await client.createCAdESFromBase64Hash(settings.storage, createHash('sha256').update(content).digest('base64'), keyType)
          : await client.createCAdESFromBase64(settings.storage, content.toString('base64'), keyType, false);
        return Buffer.from(b64, 'base64');
      });
    },
  };
}
