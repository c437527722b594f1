/**
 * NCALayer's JSON messages, answered from simulated keys: the `kz.gov.pki.knca.commonUtils` module (getActiveTokens,
 * getKeyInfo, createCAdESFromBase64, createCAdESFromBase64Hash) and the `kz.gov.pki.knca.basics` module (sign, CMS),
 * with NCALayer's own answer shapes: commonUtils { code: '200', responseObject } or { code: '500', message };
 * basics { status: true, body: { result } }, an empty body when the person closed the dialog.
 */
import { X509Certificate } from 'node:crypto';
import { signDetached } from '../pki/cms';
import type { SimKey, Storage } from './keys';

/** What the next dialog does: the person signs, closes it, or NCALayer restarts before answering. */
export type Outcome = 'sign' | 'cancel' | 'restart';

export interface SimScript {
  /** The key the person picks in the dialog: its file name, or its holder's IIN; the first that fits when unset. */
  choose?: string;
  /** Outcomes of the next dialogs, in order; then every dialog signs. */
  outcomes: Outcome[];
  /** Storages whose token or card is pulled out. */
  removed: Storage[];
}

export type Answer = { reply: Record<string, unknown> } | { restart: true };

export interface Request {
  module?: string;
  method?: string;
  args?: unknown;
}

const commonOk = (responseObject: unknown) => ({ reply: { code: '200', message: '', responseObject } });
const commonError = (message: string) => ({ reply: { code: '500', message } });

/** A dialog of NCALayer: the key the person picks in the storage, or why there is none. */
function pick(keys: SimKey[], script: SimScript, storages: readonly string[], keyType: string): SimKey | 'absent' | 'no_key' {
  const present = storages.filter((s) => !script.removed.includes(s as Storage) && keys.some((k) => k.storage === s));
  if (present.length === 0) return 'absent';
  const fits = keys.filter((k) => present.includes(k.storage) && (keyType !== 'SIGNATURE' && keyType !== 'AUTHENTICATION' ? true : k.keyType === keyType));
  // A scripted choice by file name is the person's own pick, fitting or not (the services check the usage again);
  // by IIN it is that person's key of the kind asked for.
  const chosen = script.choose ? keys.find((k) => present.includes(k.storage) && k.name === script.choose) ?? fits.find((k) => k.iin === script.choose) : fits[0];
  return chosen ?? 'no_key';
}

function keyInfo(key: SimKey) {
  const cert = new X509Certificate(key.signer.chainPem[0]!);
  return {
    alias: key.name,
    keyId: cert.serialNumber,
    algorithm: 'RSA',
    subjectCn: cert.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? '',
    subjectDn: cert.subject.split('\n').join(','),
    issuerCn: cert.issuer.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? '',
    issuerDn: cert.issuer.split('\n').join(','),
    serialNumber: cert.serialNumber,
    certNotBefore: String(new Date(cert.validFrom).getTime()),
    certNotAfter: String(new Date(cert.validTo).getTime()),
    pem: cert.toString(),
  };
}

/** Answers one request; a dialog takes the script's next outcome. */
export function answer(request: Request, keys: SimKey[], script: SimScript): Answer {
  const dialog = (): Outcome => script.outcomes.shift() ?? 'sign';
  if (request.module === 'kz.gov.pki.knca.commonUtils') {
    const args = Array.isArray(request.args) ? (request.args as unknown[]) : [];
    if (request.method === 'getActiveTokens') {
      return commonOk([...new Set(keys.map((k) => k.storage))].filter((s) => s !== 'PKCS12' && !script.removed.includes(s)));
    }
    if (!['getKeyInfo', 'createCAdESFromBase64', 'createCAdESFromBase64Hash'].includes(request.method ?? '')) return commonError('method.not.found');
    const storage = String(args[0] ?? '');
    const keyType = request.method === 'getKeyInfo' ? 'ANY' : String(args[1] ?? 'SIGNATURE');
    const outcome = dialog();
    if (outcome === 'restart') return { restart: true };
    if (outcome === 'cancel') return commonError('action.canceled');
    const key = pick(keys, script, [storage], keyType);
    if (key === 'absent') return commonError('storage.not.found');
    if (key === 'no_key') return commonError('key.not.found');
    if (request.method === 'getKeyInfo') return commonOk(keyInfo(key));
    const data = Buffer.from(String(args[2] ?? ''), 'base64');
    const p7s = request.method === 'createCAdESFromBase64Hash' ? signDetached(Buffer.alloc(0), key.signer, new Date(), { digest: data }) : signDetached(data, key.signer);
    return commonOk(p7s.toString('base64'));
  }
  if (request.module === 'kz.gov.pki.knca.basics' && request.method === 'sign') {
    const args = (request.args ?? {}) as { allowedStorages?: string[] | null; format?: string; data?: string; signingParams?: { digested?: boolean; encapsulate?: boolean }; signerParams?: { extKeyUsageOids?: string[] } };
    if (args.format !== 'cms' || args.signingParams?.encapsulate) return { reply: { status: false, code: '400', message: 'unsupported.in.simulator', details: 'detached CMS only' } };
    const outcome = dialog();
    if (outcome === 'restart') return { restart: true };
    if (outcome === 'cancel') return { reply: { status: true, body: {} } };
    const eku = args.signerParams?.extKeyUsageOids ?? [];
    // 1.3.6.1.5.5.7.3.2 (client authentication) is how eGov services ask for the AUTH_RSA256_… key.
    const keyType = eku.includes('1.3.6.1.5.5.7.3.2') ? 'AUTHENTICATION' : eku.includes('1.3.6.1.5.5.7.3.4') ? 'SIGNATURE' : 'ANY';
    const key = pick(keys, script, args.allowedStorages ?? ['PKCS12', 'AKKaztokenStore', 'AKKZIDCardStore'], keyType);
    if (typeof key === 'string') return { reply: { status: false, code: '500', message: key === 'absent' ? 'storage.not.found' : 'key.not.found', details: '' } };
    const data = Buffer.from(String(args.data ?? ''), 'base64');
    const p7s = args.signingParams?.digested ? signDetached(Buffer.alloc(0), key.signer, new Date(), { digest: data }) : signDetached(data, key.signer);
    return { reply: { status: true, body: { result: [p7s.toString('base64')] } } };
  }
  return commonError('module.not.found');
}
