/**
 * Every sync request is signed with the workstation's device key (not TLS client certificates): the signature covers
 * the method, the path with its query, the time it was signed at (the server's time as the device estimates it), a
 * nonce and the body's SHA-256, so it survives any proxy, load balancer or fault injector between the two (TLS would
 * end at the first of them), and the server refuses a time outside its replay window and a replay by its nonce. The office and workstation come from the enrolled certificate the request names.
 * In a real deployment the link is TLS too; this signature is what authenticates the device.
 */
import { createHash, createPrivateKey, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';

export const AUTH_HEADERS = {
  device: 'x-jardem-device',
  time: 'x-jardem-time',
  nonce: 'x-jardem-nonce',
  signature: 'x-jardem-signature',
  protocol: 'x-jardem-protocol',
  /** The device's own clock minus the server's, as the device measured it (metadata, beside the signed time). */
  clockOffset: 'x-jardem-clock-offset',
} as const;

/** The workstation's app version, sent as metadata beside the signature (the server's device list shows it). */
export const APP_VERSION_HEADER = 'x-jardem-app-version';

/** office/workstation/sha256 of the device certificate. */
export function deviceId(d: { officeCode: string; workstationCode: string; certSha256: string }): string {
  return `${d.officeCode}/${d.workstationCode}/${d.certSha256}`;
}

export function parseDeviceId(value: string | undefined): { officeCode: string; workstationCode: string; certSha256: string } | null {
  const m = /^([A-Z0-9]+(?:-[A-Z0-9]+)*)\/([A-Z0-9]{1,8})\/([0-9a-f]{64})$/.exec(value ?? '');
  return m ? { officeCode: m[1]!, workstationCode: m[2]!, certSha256: m[3]! } : null;
}

/** The body, or its SHA-256 as hex when it was hashed as it arrived (a blob streamed to a file). */
type SignedBody = Buffer | { sha256: string };

function signedString(method: string, pathWithQuery: string, time: string, nonce: string, body: SignedBody): string {
  const sha = Buffer.isBuffer(body) ? createHash('sha256').update(body).digest('hex') : body.sha256;
  return [method.toUpperCase(), pathWithQuery, time, nonce, sha].join('\n');
}

/**
 * A device's key parsed once, not per request (a pull of a thousand blobs signs a thousand requests); a process
 * that serves several devices (a test's or a bench's workstations) keeps a few.
 */
const keys = new Map<string, KeyObject>();
function privateKeyOf(pem: string): KeyObject {
  let key = keys.get(pem);
  if (!key) {
    if (keys.size >= 256) keys.clear();
    key = createPrivateKey(pem);
    keys.set(pem, key);
  }
  return key;
}

export function signRequest(opts: { method: string; pathWithQuery: string; body: Buffer; device: string; privateKeyPem: string; protocol: number; now?: Date; clockOffsetMs?: number }): Record<string, string> {
  const time = (opts.now ?? new Date()).toISOString();
  const nonce = randomBytes(16).toString('base64url');
  const signature = sign('sha256', Buffer.from(signedString(opts.method, opts.pathWithQuery, time, nonce, opts.body)), privateKeyOf(opts.privateKeyPem));
  return {
    [AUTH_HEADERS.device]: opts.device,
    [AUTH_HEADERS.time]: time,
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.signature]: signature.toString('base64'),
    [AUTH_HEADERS.protocol]: String(opts.protocol),
    ...(opts.clockOffsetMs ? { [AUTH_HEADERS.clockOffset]: String(Math.round(opts.clockOffsetMs)) } : {}),
  };
}

/**
 * A device's certificate read once (its serial for the revocation list, its public key for the signatures), not on
 * every request: a city's few hundred devices, each sending thousands of requests a day.
 */
const devices = new Map<string, { serialNumber: string; publicKey: KeyObject }>();
const DEVICE_CACHE_LIMIT = 2048;
export function deviceCertificate(certPem: string): { serialNumber: string; publicKey: KeyObject } {
  let known = devices.get(certPem);
  if (!known) {
    const cert = new X509Certificate(certPem);
    known = { serialNumber: cert.serialNumber, publicKey: cert.publicKey };
    if (devices.size >= DEVICE_CACHE_LIMIT) devices.delete(devices.keys().next().value!);
    devices.set(certPem, known);
  }
  return known;
}

/** True when `headers` carry a valid signature of this request by the holder of `certPem`'s key. */
export function requestSignatureValid(headers: Record<string, string | string[] | undefined>, method: string, pathWithQuery: string, body: SignedBody, certPem: string): boolean {
  const h = (k: string) => (typeof headers[k] === 'string' ? (headers[k] as string) : '');
  const time = h(AUTH_HEADERS.time);
  const nonce = h(AUTH_HEADERS.nonce);
  const signature = h(AUTH_HEADERS.signature);
  if (!time || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce) || !signature) return false;
  try {
    return verify('sha256', Buffer.from(signedString(method, pathWithQuery, time, nonce, body)), deviceCertificate(certPem).publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
