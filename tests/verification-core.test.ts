import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalAsHashed, checkSignedEvent, signEvents } from '../node/events';
import { eventCanonical, eventCanonicalAsStored } from '../shared/events/event';
import { canonicalJson } from '../shared/text';
import { UnsupportedAlgorithmError } from '../node/pki/algorithms';
import { CmsFormatError, signDetached, verifyDetached } from '../node/pki/cms';
import { revoke } from '../node/pki/crl';
import { children, DerError, oidText, readTlv } from '../node/pki/der';
import { openKeyFile, trustStoreFromPem } from '../node/pki/keyfile';
import { trustStoreVersion } from '../node/pki/trust';
import { verifySignature } from '../node/pki/verdict';
import { pkiTrust } from '../server/src/trust';
import { makePki, tempDir } from './helpers';

const tmp = tempDir('verification-core');
let pki: ReturnType<typeof makePki>;
let person: { sign: (b: Buffer, at?: Date) => Buffer; actor: { iin: string; role: string; certSha256: string }; serial: string; validTo: Date };

const trustOf = (dir: string) => trustStoreFromPem(readFileSync(path.join(dir, 'root.crt.pem'), 'utf8'), readFileSync(path.join(dir, 'issuing.crt.pem'), 'utf8'));
const signedEvent = (n: number, at?: Date) => signEvents(`case-${n}`, { version: 0, headHash: null }, [{ id: `e-${n}`, type: 'intake.registered', payload: { n }, at: new Date().toISOString() }], person.actor, (b) => person.sign(b, at))[0]!;

beforeAll(() => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  const opened = openKeyFile(Buffer.from(pki.issue(), 'base64'), 'pw');
  const leaf = new X509Certificate(opened.chainPem[0]!);
  person = {
    sign: (b, at) => signDetached(b, { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem }, at ?? new Date()),
    actor: { iin: '900512400018', role: 'specialist', certSha256: leaf.fingerprint256.replace(/:/g, '').toLowerCase() },
    serial: leaf.serialNumber,
    validTo: new Date(leaf.validTo),
  };
});
afterAll(() => tmp.remove());

describe('the DER reader', () => {
  it('reads nested elements and OIDs, and refuses lengths past the end', () => {
    const sha256Oid = Buffer.from('0609608648016503040201', 'hex');
    const seq = Buffer.concat([Buffer.from([0x30, sha256Oid.length + 2]), sha256Oid, Buffer.from([0x05, 0x00])]);
    const top = readTlv(seq, 0);
    const [oid, nul] = children(seq, top);
    expect(oidText(seq, oid!)).toBe('2.16.840.1.101.3.4.2.1');
    expect(nul!.tag).toBe(5);
    expect(() => readTlv(Buffer.from([0x30, 0x05, 0x01]), 0)).toThrow(DerError);
    expect(() => readTlv(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), 0)).toThrow(DerError);
    expect(() => readTlv(Buffer.from([0x30]), 0)).toThrow(DerError);
  });

  it('never crashes on a damaged signature: truncated, bytes changed, or garbage', () => {
    const good = signedEvent(1).signature;
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), fc.nat({ max: 255 }), fc.boolean(), (at, byte, truncate) => {
        const bad = truncate ? good.subarray(0, at) : Buffer.from(good).fill(byte, at, at + 1);
        try {
          verifyDetached(Buffer.from('x'), bad);
        } catch (error) {
          expect(error instanceof CmsFormatError || error instanceof UnsupportedAlgorithmError).toBe(true);
        }
      }),
      { seed: 20261204, numRuns: 400 },
    );
  });
});

describe('one verdict per certificate and trust store, checked per event where it must be', () => {
  it('verifies events by the same signer from the cache, and a changed event is still refused', () => {
    const trust = trustOf(pki.dir);
    for (let i = 0; i < 20; i++) {
      const e = signedEvent(i);
      expect(checkSignedEvent(e, e.signature, trust).ok).toBe(true);
    }
    const e = signedEvent(100);
    expect(checkSignedEvent({ ...e, payload: '{"n":101}' }, e.signature, trust)).toEqual({ ok: false, reason: 'hash_mismatch' });
    const other = signedEvent(101);
    expect(checkSignedEvent(e, other.signature, trust)).toEqual({ ok: false, reason: 'signature_invalid' });
  });

  it('a certificate revoked in a newly loaded CRL is refused from then on (workstation store and the server’s)', () => {
    const before = trustOf(pki.dir);
    const e = signedEvent(200);
    expect(checkSignedEvent(e, e.signature, before).ok).toBe(true);
    const server = pkiTrust(pki.dir);
    expect(checkSignedEvent(e, e.signature, server.store()).ok).toBe(true);
    const versionBefore = trustStoreVersion(server.store());

    revoke(pki.dir, person.serial, 'keyCompromise');
    const after = { ...before, revoked: new Set([person.serial.toUpperCase().replace(/^0+(?=.)/, '')]) };
    expect(trustStoreVersion(after)).not.toBe(trustStoreVersion(before));
    expect(checkSignedEvent(e, e.signature, after)).toEqual({ ok: false, reason: 'signer_revoked' });
    expect(trustStoreVersion(server.store())).not.toBe(versionBefore);
    expect(checkSignedEvent(e, e.signature, server.store())).toEqual({ ok: false, reason: 'signer_revoked' });
    expect(verifySignature(Buffer.from('x'), person.sign(Buffer.from('x')), after).errors).toContain('revoked');
    // The store it was judged in before still says what it said: a verdict belongs to its store's version.
    expect(checkSignedEvent(e, e.signature, before).ok).toBe(true);
  });

  it('a signature made after the certificate expired is refused, though the certificate’s chain is cached as good', () => {
    const trust = trustOf(pki.dir);
    const late = signedEvent(300, new Date(person.validTo.getTime() + 86_400_000));
    expect(checkSignedEvent(late, late.signature, trust)).toEqual({ ok: false, reason: 'signer_untrusted' });
    expect(verifySignature(Buffer.from('y'), person.sign(Buffer.from('y'), new Date(person.validTo.getTime() + 1000)), trust).errors).toContain('expired');
  });
});

describe('algorithms we cannot check', () => {
  it('a GOST signature is refused by the algorithm’s name, never accepted and never a crash', () => {
    const e = signedEvent(400);
    // The signerInfo's signature algorithm (the last rsaEncryption OID in the CMS) swapped for GOST 34.310-2004's.
    const rsa = Buffer.from('06092a864886f70d010101', 'hex');
    const gost = Buffer.from('06092a830e030a01010102', 'hex');
    const at = e.signature.lastIndexOf(rsa);
    const forged = Buffer.concat([e.signature.subarray(0, at), gost, e.signature.subarray(at + rsa.length)]);
    const trust = trustOf(pki.dir);
    expect(checkSignedEvent(e, forged, trust)).toEqual({ ok: false, reason: 'unsupported_algorithm', algorithm: 'GOST 34.310-2004 (1.2.398.3.10.1.1.1.2)' });
    const verdict = verifySignature(Buffer.from('z'), forged, trust);
    expect(verdict.valid).toBe(false);
    expect(verdict.errors).toEqual(['unsupported_algorithm']);
    expect(verdict.algorithm).toContain('GOST 34.310');
  });
});

describe('an event checked from its stored payload text', () => {
  it('is, for a payload written as canonical JSON, exactly the canonical form', () => {
    const word = fc.string({ unit: 'grapheme', maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.nat(), fc.nat(), word, fc.jsonValue(), word, fc.option(word, { nil: null }), word, word, word, (id, caseId, seq, caseVersion, type, payload, at, prevHash, iin, role, certSha256) => {
        const e = { id, caseId, seq, caseVersion, type, payload: canonicalJson(payload), at, prevHash, actor: { iin, role, certSha256 } };
        expect(eventCanonicalAsStored(e)).toBe(eventCanonical(e));
      }),
      { numRuns: 300 },
    );
  });

  it('takes the text as it is when the hash says so, writes it again when not, and a changed payload fails either way', () => {
    const e = signedEvent(41);
    const fast = canonicalAsHashed(e);
    expect(fast.hashOk).toBe(true);
    expect(fast.canonical.toString('utf8')).toBe(eventCanonical(e));
    expect(checkSignedEvent(e, e.signature, trustOf(pki.dir)).ok).toBe(true);
    // The same payload written with spaces and its keys in another order (not as this app writes one): the hash
    // over the canonical form still matches, and the signature over it still holds.
    const spaced = { ...e, payload: JSON.stringify({ n: 41 }, null, 2) };
    expect(spaced.payload).not.toBe(e.payload);
    expect(canonicalAsHashed(spaced)).toMatchObject({ hashOk: true });
    expect(checkSignedEvent(spaced, e.signature, trustOf(pki.dir)).ok).toBe(true);
    // Another payload: no form of it matches the hash.
    const changed = { ...e, payload: JSON.stringify({ n: 42 }) };
    expect(canonicalAsHashed(changed).hashOk).toBe(false);
    expect(checkSignedEvent(changed, e.signature, trustOf(pki.dir))).toEqual({ ok: false, reason: 'hash_mismatch' });
  });
});
