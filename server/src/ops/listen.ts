/**
 * How the server listens: HTTPS with the operator's certificate and key (`--tls-cert/--tls-key`, or
 * JARDEM_TLS_CERT/JARDEM_TLS_KEY), or plain HTTP only on the loopback interface (a developer's machine, or TLS
 * ended by a proxy on the same host) or with `--insecure-http`, which the startup log warns about: device
 * signatures protect integrity, not confidentiality, and the payloads carry personal data.
 */
import { readFileSync } from 'node:fs';

export type ListenPlan =
  | { ok: true; https: { key: string; cert: string } | null; warning: string | null }
  | { ok: false; message: string };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

export function listenPlan(opts: { host: string; certFile?: string; keyFile?: string; insecureHttp: boolean }): ListenPlan {
  if (!!opts.certFile !== !!opts.keyFile) return { ok: false, message: 'give both --tls-cert and --tls-key (or JARDEM_TLS_CERT and JARDEM_TLS_KEY), or neither' };
  if (opts.certFile && opts.keyFile) {
    let cert: string;
    let key: string;
    try {
      cert = readFileSync(opts.certFile, 'utf8');
      key = readFileSync(opts.keyFile, 'utf8');
    } catch (error) {
      return { ok: false, message: `cannot read the TLS certificate or key: ${(error as Error).message}` };
    }
    if (!cert.includes('-----BEGIN CERTIFICATE-----')) return { ok: false, message: `${opts.certFile} holds no PEM certificate` };
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) return { ok: false, message: `${opts.keyFile} holds no PEM private key` };
    return { ok: true, https: { key, cert }, warning: null };
  }
  if (isLoopback(opts.host)) return { ok: true, https: null, warning: null };
  if (!opts.insecureHttp) {
    return { ok: false, message: `refusing plain HTTP on ${opts.host}: give --tls-cert and --tls-key, listen on 127.0.0.1 behind a TLS proxy, or pass --insecure-http` };
  }
  return { ok: true, https: null, warning: `plain HTTP on ${opts.host} (--insecure-http): workstations' data cross the network unencrypted` };
}
