// The part of ncalayer-js-client 1.5 that Jardem uses (the package ships JSDoc, no types).
declare module 'ncalayer-js-client' {
  export class NCALayerError extends Error {
    canceledByUser?: boolean;
  }
  export class NCALayerClient {
    constructor(url?: string, allowKmdHttpApi?: boolean);
    wsConnection: { close(): void } | null;
    connect(): Promise<string>;
    getActiveTokens(): Promise<string[]>;
    getKeyInfo(storageType: string): Promise<Record<string, string>>;
    createCAdESFromBase64(storageType: string, data: string, keyType?: string, attach?: boolean): Promise<string>;
    createCAdESFromBase64Hash(storageType: string, hash: string, keyType?: string): Promise<string>;
    basicsSignCMS(allowedStorages: string[] | null, data: string, signingParams: Record<string, unknown>, signerParams: Record<string, unknown>, locale?: string): Promise<string | string[]>;
  }
}
