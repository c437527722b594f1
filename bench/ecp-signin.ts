/**
 * Sign-in's key work: open the PKCS#12 file (native, node/pki/pkcs12.ts), check the certificate and prove the key
 * by a signature, p95 over repeated sign-ins, against a bare crypto.pbkdf2Sync of the file's own PBKDF2 parameters
 * (the part no reader can skip). forge's full open of the same file is printed beside it, as the path it replaced.
 */
import { pbkdf2Sync } from 'node:crypto';
import forge from 'node-forge';
import { openKeyFile, provePossession, verifyStaffCertificate, type TrustStore } from '../node/pki/keyfile';
import { percentile, report } from './stats';

export function benchSignIn(file: Buffer, password: string, trust: TrustStore) {
  const kdf = pbkdf2Of(file);
  const signIn = () => {
    const opened = openKeyFile(file, password);
    verifyStaffCertificate(opened, trust, new Date());
    provePossession(opened);
  };
  const bare = () => pbkdf2Sync(password, kdf.salt, kdf.iterations, 32, kdf.prf);
  const forgeOpen = () => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(file.toString('binary'))), password);
  const p95 = (fn: () => unknown, n: number) => {
    for (let i = 0; i < 3; i++) fn();
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      fn();
      out.push(performance.now() - t);
    }
    return percentile(out.sort((a, b) => a - b), 95);
  };
  report('ecp.signin_open_key.p95', p95(signIn, 40), 'ms', p95(bare, 40), {
    baselineIs: `crypto.pbkdf2Sync(${kdf.prf}, ${kdf.iterations} iterations, 32 bytes): the key file's own derivation`,
    includes: 'native PKCS#12 open (MAC, PBKDF2, AES-CBC, PKCS#8, certificates), certificate checks, proof of possession',
    forgeOpenP95Ms: Number(p95(forgeOpen, 10).toFixed(2)),
    target: '< 1000 ms',
  });
}

/** The PBKDF2 salt, count and PRF of the file's shrouded key, read with forge (apart from the reader it measures). */
function pbkdf2Of(file: Buffer): { salt: Buffer; iterations: number; prf: string } {
  const a = forge.asn1;
  type N = forge.asn1.Asn1;
  const kids = (n: N) => n.value as N[];
  const pfx = a.fromDer(forge.util.createBuffer(file.toString('binary')));
  const authSafe = a.fromDer(kids(kids(kids(pfx)[1]!)[1]!)[0]!.value as string);
  for (const info of kids(authSafe)) {
    if (a.derToOid(kids(info)[0]!.value as string) !== forge.pki.oids.data) continue;
    const safe = a.fromDer(kids(kids(info)[1]!)[0]!.value as string);
    for (const bag of kids(safe)) {
      if (a.derToOid(kids(bag)[0]!.value as string) !== forge.pki.oids.pkcs8ShroudedKeyBag) continue;
      const algId = kids(kids(kids(bag)[1]!)[0]!)[0]!;
      const params = kids(kids(kids(algId)[1]!)[0]!)[1]!;
      const p = kids(params);
      const prfOid = p[2] ? a.derToOid(kids(p[p.length - 1]!)[0]!.value as string) : '1.2.840.113549.2.7';
      return { salt: Buffer.from(p[0]!.value as string, 'binary'), iterations: forge.util.createBuffer(p[1]!.value as string).getInt((p[1]!.value as string).length * 8), prf: prfOid === '1.2.840.113549.2.9' ? 'sha256' : 'sha1' };
    }
  }
  throw new Error('no shrouded key in the bench key file');
}
