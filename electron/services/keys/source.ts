/**
 * Where a person's key is: a PKCS#12 file that the services open themselves, or NCALayer (the national signing
 * app, a WebSocket service on wss://127.0.0.1:13579) that keeps the key in a file, a Kaztoken or an ID card and asks
 * the person in its own dialog. Both give the same detached CMS (CAdES-BES) that node/pki/cms.ts verifies.
 */
export type KeyPurpose = 'auth' | 'sign';

/** NCALayer's storage types a person chooses from. */
export const KEY_STORAGES = ['PKCS12', 'AKKaztokenStore', 'AKKZIDCardStore'] as const;
export type KeyStorage = (typeof KEY_STORAGES)[number];

export interface KeySource {
  readonly kind: 'file' | 'ncalayer';
  /** Where NCALayer is and the storage the person chose: kept by the session, so that acts are signed the same way. */
  readonly settings?: NcalayerSettings;
  /** A detached CMS over `content`, by the key for `purpose` (AUTH_RSA256_… to sign in, RSA256_… to sign an act). */
  sign(content: Buffer, purpose: KeyPurpose): Promise<Buffer>;
}

/** How the workstation reaches NCALayer: its address, the certificate its TLS is trusted by, the storage chosen. */
export interface NcalayerSettings {
  url: string;
  /** PEM of the CA (or the self-signed certificate) NCALayer's TLS is checked against; Node's roots when absent. */
  caPem?: string;
  storage: KeyStorage;
  /** Content from this size up is signed by its SHA-256 (createCAdESFromBase64Hash): NCALayer need not carry it. */
  hashFromBytes?: number;
}

export const DEFAULT_NCALAYER_URL = 'wss://127.0.0.1:13579';
