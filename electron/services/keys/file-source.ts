/**
 * A PKCS#12 key file opened by the services (node/pki/pkcs12.ts): the simulated PKI's files and a real НУЦ file
 * alike. The password was asked once; the opened key signs here and nothing of it is written to disk.
 */
import { signDetached, type Signer } from '../../../node/pki/cms';
import type { KeySource } from './source';

export function fileKeySource(signer: Signer, now: () => Date = () => new Date()): KeySource {
  return {
    kind: 'file',
    sign: async (content: Buffer) => signDetached(content, signer, now()),
  };
}
