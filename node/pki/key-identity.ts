/**
 * What names a key for its sign-in lockout when the password is not known (a wrong password decrypts nothing).
 *
 * A guess is tested against the file's password-protected parts: the private key's ciphertext (a shrouded key bag)
 * and any encrypted ContentInfo (which holds the certificates, or the key: with the right password either decrypts,
 * and what the file then says tells it). Those ciphertexts cannot be made again without the password, so every copy
 * of the file that can be made without it (its MAC dropped or changed, an empty or a foreign ContentInfo added, the
 * parts reordered, some left out, the encryption's parameters changed) still carries the ciphertext the guess is
 * tested against, or no longer opens with the right password either. The key is therefore named by each of its
 * ciphertexts: a wrong password counts against every name the file carries, and the file is locked while any of
 * them is. A part added without the password adds a name but takes none away.
 *
 * The certificate is deliberately not a name, encrypted or not (node-forge writes it unencrypted, as the demo PKI's
 * files have it; OpenSSL 3 encrypts it). Without the password nothing binds it to the key: anyone may put another
 * person's certificate (it travels with every act they sign) into a file of junk and lock that person out with five
 * guesses, and a copy with the certificate left out would escape a count kept by it. A copy in new ciphertext (the
 * key exported again) needs the password, and whoever has it needs no guesses.
 *
 * A file with no ciphertext at all (not PKCS#12, or nothing encrypted) is named by its bytes: no password is tested
 * against it. Every name is the SHA-256 (hex) of its kind and its bytes.
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';

const { asn1, pki } = forge;
type Asn1 = forge.asn1.Asn1;

const named = (kind: 'key' | 'part' | 'file', bytes: Buffer | string) =>
  createHash('sha256').update(`jardem-key-name:${kind}\0`).update(typeof bytes === 'string' ? Buffer.from(bytes, 'binary') : bytes).digest('hex');
const children = (a: Asn1 | undefined): Asn1[] => (a && Array.isArray(a.value) ? (a.value as Asn1[]) : []);
const oidOf = (a: Asn1 | undefined): string => (a && a.type === asn1.Type.OID ? asn1.derToOid(a.value as string) : '');
/** The octets of a primitive or constructed (BER) OCTET STRING, as binary. */
const octets = (a: Asn1 | undefined): string => (!a ? '' : typeof a.value === 'string' ? a.value : children(a).map(octets).join(''));

const OID = { data: pki.oids.data!, encryptedData: pki.oids.encryptedData!, shroudedKeyBag: pki.oids.pkcs8ShroudedKeyBag!, safeContentsBag: pki.oids.safeContentsBag! };

/** The shrouded keys' ciphertexts in a SafeContents (nested ones included). */
function keysIn(safeContents: Asn1, names: Set<string>, depth = 0): void {
  for (const bag of children(safeContents)) {
    const [type, value] = children(bag);
    const oid = oidOf(type);
    // EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier, OCTET STRING ciphertext }.
    if (oid === OID.shroudedKeyBag) {
      const ciphertext = octets(children(children(value)[0])[1]);
      if (ciphertext) names.add(named('key', ciphertext));
    } else if (oid === OID.safeContentsBag && depth < 4) keysIn(children(value)[0]!, names, depth + 1);
  }
}

/** Every name of the key a PKCS#12 file holds (see above); never empty. */
export function keyFileIds(bytes: Buffer): string[] {
  const names = new Set<string>();
  try {
    const authSafe = children(asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')), true))[1];
    for (const info of children(asn1.fromDer(octets(children(children(authSafe)[1])[0]), true))) {
      const [type, content] = children(info);
      try {
        if (oidOf(type) === OID.data) keysIn(asn1.fromDer(octets(children(content)[0]), true), names);
        // EncryptedData: SEQUENCE { version, EncryptedContentInfo: SEQUENCE { type, algorithm, [0] IMPLICIT ciphertext } }.
        else if (oidOf(type) === OID.encryptedData) {
          const ciphertext = octets(children(children(children(content)[0])[1])[2]);
          if (ciphertext) names.add(named('part', ciphertext));
        }
      } catch {
        // A part that does not parse names nothing; the others still do.
      }
    }
  } catch {
    // Not PKCS#12: named by its bytes below.
  }
  return names.size > 0 ? [...names] : [named('file', bytes)];
}
