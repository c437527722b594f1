/**
 * ECP benchmarks (issue 4): a detached CMS signature of a 2 MB scan and its verification, each against
 * crypto.sign / crypto.verify over the same bytes in the same run.
 */
import { createPrivateKey, randomBytes, sign as rsaSign, verify as rsaVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initPki, issueStaffKey } from '../node/pki/ca';
import { signDetached, verifyDetached } from '../node/pki/cms';
import { openKeyFile } from '../node/pki/keyfile';
import { percentile, report } from './stats';

export function benchEcp() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-bench-pki-'));
  initPki(dir);
  const opened = openKeyFile(issueStaffKey({ dir, role: 'specialist', iin: '900512400018', surname: 'Бенч', givenName: 'Тест', officeCode: 'AUE', password: 'pw' }), 'pw');
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
  rmSync(dir, { recursive: true, force: true });
}
