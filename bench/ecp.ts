/**
 * ECP benchmarks: a detached CMS signature of a 2 MB scan and its verification, each against crypto.sign /
 * crypto.verify over the same bytes in the same run; and the full check of one signed event, as a push, a pull
 * and Verify case make it, against crypto.verify of the same signature over the same signed attributes.
 */
import { createPrivateKey, randomBytes, sign as rsaSign, verify as rsaVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initPki } from '../node/pki/ca';
import { issueStaffKey } from '../node/pki/staff-keys';
import { signDetached, verifyDetached } from '../node/pki/cms';
import { openKeyFile, trustStoreFromPem } from '../node/pki/keyfile';
import { checkSignedEvent, signEvents } from '../node/events';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { percentile, report } from './stats';
import { benchSignIn } from './ecp-signin';

export function benchEcp() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-bench-pki-'));
  initPki(dir);
  const keyFile = issueStaffKey({ dir, role: 'specialist', iin: '900512400018', surname: 'Бенч', givenName: 'Тест', officeCode: 'AUE', password: 'pw' });
  const opened = openKeyFile(keyFile, 'pw');
  const signer = { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem };
  const key = createPrivateKey(opened.privateKeyPem);
  const cert = new X509Certificate(opened.chainPem[0]!);
  const scan = randomBytes(2 * 1024 * 1024);
  const p7s = signDetached(scan, signer);
  const raw = rsaSign('sha256', scan, key);

  const time = (fn: () => unknown, n = 40) => {
    for (let i = 0; i < 5; i++) fn();
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      fn();
      out.push(performance.now() - t);
    }
    return percentile(out.sort((a, b) => a - b), 50);
  };
  report('ecp.cms_sign.2MB.median', time(() => signDetached(scan, signer)), 'ms', time(() => rsaSign('sha256', scan, key)), { baselineIs: 'crypto.sign(sha256) over the same 2 MB', target: '≤ 2×' });
  report('ecp.cms_verify.2MB.median', time(() => verifyDetached(scan, p7s)), 'ms', time(() => rsaVerify('sha256', scan, cert.publicKey, raw)), { baselineIs: 'crypto.verify(sha256) over the same 2 MB', target: '≤ 2×' });
  benchSignIn(keyFile, 'pw', trustStoreFromPem(readFileSync(path.join(dir, 'root.crt.pem'), 'utf8'), readFileSync(path.join(dir, 'issuing.crt.pem'), 'utf8')));
  benchEventCheck(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Many distinct events by a handful of signers: what a page of a pull or a push holds. */
function benchEventCheck(dir: string) {
  const people = ['specialist', 'head', 'center'].map((role, i) => {
    const opened = openKeyFile(issueStaffKey({ dir, role: role as 'specialist', iin: ['900512400018', '780304300003', '851120400008'][i]!, surname: 'Бенч', givenName: 'Тест', officeCode: 'AUE', password: 'pw' }), 'pw');
    const leaf = new X509Certificate(opened.chainPem[0]!);
    const actor = { iin: ['900512400018', '780304300003', '851120400008'][i]!, role, certSha256: leaf.fingerprint256.replace(/:/g, '').toLowerCase() };
    const signer = { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem };
    return { actor, leaf, sign: (b: Buffer) => signDetached(b, signer) };
  });
  const events = Array.from({ length: 600 }, (_, i) => {
    const p = people[i % people.length]!;
    const [e] = signEvents(`case-${i}`, { version: 0, headHash: null }, [{ id: `e-${i}`, type: 'intake.registered', payload: { n: i }, at: new Date().toISOString() }], p.actor, p.sign);
    return { event: e!, leaf: p.leaf };
  });
  const trust = trustStoreFromPem(readFileSync(path.join(dir, 'root.crt.pem'), 'utf8'), readFileSync(path.join(dir, 'issuing.crt.pem'), 'utf8'));
  // The signed attributes and raw signature of each event's CMS, for the baseline: the native verification alone.
  const natives = events.map(({ event }) => {
    const parsed = verifyDetached(Buffer.alloc(0), event.signature);
    return { attrs: signedAttributesOf(event.signature), sig: rawSignatureOf(event.signature), key: parsed.signerCertificate!.publicKey };
  });
  const cold = performance.now();
  const first = checkSignedEvent(events[0]!.event, events[0]!.event.signature, trust);
  const coldMs = performance.now() - cold;
  if (!first.ok) throw new Error(`the bench event does not verify: ${first.reason}`);
  const keys = natives.map((n) => n.key);
  const perEvent = (fn: (i: number) => unknown) => {
    const out: number[] = [];
    for (let round = 0; round < 7; round++) {
      const t = performance.now();
      for (let i = 0; i < events.length; i++) fn(i);
      out.push((performance.now() - t) / events.length);
    }
    return percentile(out.slice(2).sort((a, b) => a - b), 50);
  };
  const checked = perEvent((i) => {
    if (!checkSignedEvent(events[i]!.event, events[i]!.event.signature, trust).ok) throw new Error('refused');
  });
  const native = perEvent((i) => rsaVerify('sha256', natives[i]!.attrs, keys[i]!, natives[i]!.sig));
  report('ecp.verify_event.per_event.median', checked * 1000, 'µs', native * 1000, {
    baselineIs: 'crypto.verify(sha256) of the same RSA-2048 signature over the same signed attributes, key already parsed',
    includes: 'event hash, CMS parse, signer lookup, cached chain/CRL verdict, validity at signing time, one crypto.verify',
    coldFirstEventMs: Number(coldMs.toFixed(3)),
    events: events.length,
    signers: people.length,
    target: '≤ 3×',
  });
}

/** The signed attributes as the SET they are signed as, and the signature: read with forge, apart from our reader. */
function signedAttributesOf(p7s: Buffer): Buffer {
  const si = signerInfo(p7s);
  const attrs = Buffer.from(forge.asn1.toDer(si[3]!).getBytes(), 'binary');
  attrs[0] = 0x31;
  return attrs;
}
const rawSignatureOf = (p7s: Buffer) => Buffer.from(signerInfo(p7s)[5]!.value as string, 'binary');
function signerInfo(p7s: Buffer): forge.asn1.Asn1[] {
  const top = forge.asn1.fromDer(forge.util.createBuffer(p7s.toString('binary'))).value as forge.asn1.Asn1[];
  const sd = ((top[1]!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[]);
  return ((sd[sd.length - 1]!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[]);
}
