/**
 * Opening a PKCS#12 key file (RFC 7292) with node:crypto: every sign-in and every unlock pays for it, and
 * node-forge's pure-JavaScript PBKDF2 and RSA parsing made that cost most of a second on a busy machine.
 *
 * What is native: PBKDF2 and AES/3DES-CBC (PBES2, as OpenSSL 3 and forge write files), the PKCS#12 key derivation
 * (a loop of native hashes, RFC 7292 appendix B.2) for the MAC and the legacy pbeWithSHAAnd3-KeyTripleDES-CBC
 * that Java-made НУЦ files use, HMAC, and the key and certificates themselves. forge is kept only for what Node's
 * OpenSSL 3 does not load by default: RC2 (the 40-bit certificate encryption of older OpenSSL files), and for
 * reading a file in BER with indefinite lengths (re-encoded to DER before our strict reader walks it).
 */
import { createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, pbkdf2Sync, timingSafeEqual, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../../shared/errors';
import { algorithmName, algorithmShortName } from './algorithms';
import { children as kids, contents, DerError, oidText, readTlv, TAG, type Tlv } from './der';

export interface Pkcs12Contents {
  privateKey: KeyObject;
  /** The leaf first (the certificate of the key), then the file's other certificates. */
  certificates: X509Certificate[];
}

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  rsa: '1.2.840.113549.1.1.1',
} as const;

/** Hashes by OID, as MACs and PRFs name them: [node's name, block size v of RFC 7292 B.2]. */
const HASHES: Record<string, [string, number]> = {
  '1.3.14.3.2.26': ['sha1', 64],
  '2.16.840.1.101.3.4.2.1': ['sha256', 64],
  '2.16.840.1.101.3.4.2.2': ['sha384', 128],
  '2.16.840.1.101.3.4.2.3': ['sha512', 128],
  '1.2.840.113549.2.7': ['sha1', 64],
  '1.2.840.113549.2.9': ['sha256', 64],
  '1.2.840.113549.2.10': ['sha384', 128],
  '1.2.840.113549.2.11': ['sha512', 128],
};
/** PBES2 encryption schemes: [node's cipher, key length]. */
const PBES2_CIPHERS: Record<string, [string, number]> = {
  '2.16.840.1.101.3.4.1.2': ['aes-128-cbc', 16],
  '2.16.840.1.101.3.4.1.22': ['aes-192-cbc', 24],
  '2.16.840.1.101.3.4.1.42': ['aes-256-cbc', 32],
  '1.2.840.113549.3.7': ['des-ede3-cbc', 24],
};
/** PKCS#12 password-based schemes (RFC 7292 appendix C): [cipher, key length, IV length]. */
const PKCS12_PBE: Record<string, [string, number, number]> = {
  '1.2.840.113549.1.12.1.3': ['des-ede3-cbc', 24, 8],
  '1.2.840.113549.1.12.1.4': ['des-ede-cbc', 16, 8],
  '1.2.840.113549.1.12.1.5': ['rc2-128', 16, 8],
  '1.2.840.113549.1.12.1.6': ['rc2-40', 5, 8],
};

class WrongPassword extends Error {}
const unsupported = (oid: string) => new AppError('ecp.unsupported_encryption', { algorithm: algorithmName(oid) });

/** Decrypts the file natively. Throws signin.not_pkcs12, signin.wrong_password, signin.no_certificate, signin.key_mismatch, ecp.not_rsa_key, ecp.unsupported_encryption. */
export function openPkcs12(file: Buffer, password: string): Pkcs12Contents {
  const buf = definite(file);
  let authSafe: Buffer;
  let macData: Tlv | undefined;
  try {
    const pfx = kids(buf, readTlv(buf, 0));
    authSafe = dataOf(buf, pfx[1]!);
    macData = pfx[2];
  } catch {
    throw new AppError('signin.not_pkcs12');
  }
  if (macData) checkMac(buf, macData, authSafe, password);
  const keys: Buffer[] = [];
  const certs: Buffer[] = [];
  try {
    const top = readTlv(authSafe, 0);
    for (const info of kids(authSafe, top)) {
      const [type, content] = kids(authSafe, info);
      const oid = oidText(authSafe, type!);
      if (oid === OIDS.data) readBags(dataOf(authSafe, info), password, keys, certs);
      else if (oid === OIDS.encryptedData) {
        // EncryptedData: SEQUENCE { version, EncryptedContentInfo { type, algorithm, [0] IMPLICIT ciphertext } }.
        const eci = kids(authSafe, kids(authSafe, kids(authSafe, content!)[0]!)[1]!);
        readBags(decrypt(authSafe, eci[1]!, octets(authSafe, eci[2]!), password), password, keys, certs);
      }
    }
  } catch (error) {
    if (error instanceof WrongPassword) throw new AppError('signin.wrong_password');
    if (error instanceof AppError) throw error;
    throw new AppError('signin.not_pkcs12');
  }
  if (keys.length === 0) throw new AppError('signin.wrong_password');
  const keyOid = pkcs8Algorithm(keys[0]!);
  if (keyOid === null) throw new AppError('signin.wrong_password');
  if (keyOid !== OIDS.rsa) throw new AppError('ecp.not_rsa_key', { algorithm: algorithmShortName(keyOid) });
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: keys[0]!, format: 'der', type: 'pkcs8' });
  } catch {
    throw new AppError('signin.wrong_password');
  }
  if (certs.length === 0) throw new AppError('signin.no_certificate');
  const x509s = certs.map((der) => new X509Certificate(der));
  const own = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const leaf = x509s.find((c) => c.publicKey.export({ format: 'der', type: 'spki' }).equals(own));
  if (!leaf) throw new AppError('signin.key_mismatch');
  return { privateKey, certificates: [leaf, ...x509s.filter((c) => c !== leaf)] };
}

/** Files in BER (indefinite lengths) are re-encoded with definite ones; a DER file is read as it is. */
function definite(file: Buffer): Buffer {
  try {
    const top = readTlv(file, 0);
    if (top.end === file.length) return file;
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
  }
  try {
    return Buffer.from(forge.asn1.toDer(forge.asn1.fromDer(forge.util.createBuffer(file.toString('binary')), false)).getBytes(), 'binary');
  } catch {
    throw new AppError('signin.not_pkcs12');
  }
}

/** A ContentInfo of type data: the octets of its [0] EXPLICIT OCTET STRING. */
function dataOf(buf: Buffer, contentInfo: Tlv): Buffer {
  const [type, explicit] = kids(buf, contentInfo);
  if (oidText(buf, type!) !== OIDS.data) throw new DerError('not data');
  const octetString = kids(buf, explicit!)[0]!;
  return Buffer.from(octets(buf, octetString));
}

/** A primitive or constructed OCTET STRING's bytes. */
function octets(buf: Buffer, t: Tlv): Buffer {
  return t.constructed ? Buffer.concat(kids(buf, t).map((c) => octets(buf, c))) : contents(buf, t);
}

function intOf(buf: Buffer, t: Tlv): number {
  if (t.tag !== TAG.INTEGER) throw new DerError('not an integer');
  return contents(buf, t).reduce((n, b) => n * 256 + b, 0);
}

/** MacData ::= SEQUENCE { DigestInfo { AlgorithmIdentifier, digest }, macSalt, iterations DEFAULT 1 }. */
function checkMac(buf: Buffer, macData: Tlv, authSafe: Buffer, password: string): void {
  let hash: [string, number] | undefined;
  let digest: Buffer, salt: Buffer, iterations: number;
  try {
    const [digestInfo, saltNode, iterNode] = kids(buf, macData);
    const [algId, digestNode] = kids(buf, digestInfo!);
    const oid = oidText(buf, kids(buf, algId!)[0]!);
    hash = HASHES[oid];
    if (!hash) throw unsupported(oid);
    digest = contents(buf, digestNode!);
    salt = contents(buf, saltNode!);
    iterations = iterNode ? intOf(buf, iterNode) : 1;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('signin.not_pkcs12');
  }
  const size = createHash(hash[0]).digest().length;
  const key = pkcs12Kdf(hash, password, salt, 3, iterations, size);
  const mac = createHmac(hash[0], key).update(authSafe).digest();
  if (mac.length !== digest.length || !timingSafeEqual(mac, digest)) throw new AppError('signin.wrong_password');
}

/** The PKCS#12 key derivation (RFC 7292 appendix B.2), with the password as a BMPString ending in two zero bytes. */
export function pkcs12Kdf([hash, v]: [string, number], password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, size: number): Buffer {
  const pw = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) pw.writeUInt16BE(password.charCodeAt(i), i * 2);
  // Each of salt and password repeated to a whole number of v-byte blocks.
  const fill = (b: Buffer) => {
    const out = Buffer.alloc(Math.ceil(b.length / v) * v);
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length]!;
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(pw)]);
  const D = Buffer.alloc(v, id);
  const out: Buffer[] = [];
  let have = 0;
  while (have < size) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    out.push(A);
    have += A.length;
    if (have >= size) break;
    const B = fill(A).subarray(0, v);
    // I_j = (I_j + B + 1) mod 2^(8v), each block of I as a big-endian number.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, size);
}

/** Decrypts a password-based ciphertext by its AlgorithmIdentifier; a wrong password is a WrongPassword. */
function decrypt(buf: Buffer, algId: Tlv, ciphertext: Buffer, password: string): Buffer {
  const [oidNode, params] = kids(buf, algId);
  const oid = oidText(buf, oidNode!);
  let cipher: string, key: Buffer, iv: Buffer;
  if (oid === OIDS.pbes2) {
    const [kdf, scheme] = kids(buf, params!);
    const [kdfOid, kdfParams] = kids(buf, kdf!);
    if (oidText(buf, kdfOid!) !== OIDS.pbkdf2) throw unsupported(oidText(buf, kdfOid!));
    const p = kids(buf, kdfParams!);
    const salt = contents(buf, p[0]!);
    const iterations = intOf(buf, p[1]!);
    const prfNode = p.slice(2).find((t) => t.tag === TAG.SEQUENCE);
    const prfOid = prfNode ? oidText(buf, kids(buf, prfNode)[0]!) : '1.2.840.113549.2.7';
    const prf = HASHES[prfOid];
    if (!prf) throw unsupported(prfOid);
    const [schemeOid, ivNode] = kids(buf, scheme!);
    const known = PBES2_CIPHERS[oidText(buf, schemeOid!)];
    if (!known) throw unsupported(oidText(buf, schemeOid!));
    cipher = known[0];
    // OpenSSL and forge give PBES2 the password's bytes as they are (UTF-8).
    key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, known[1], prf[0]);
    iv = contents(buf, ivNode!);
  } else if (PKCS12_PBE[oid]) {
    const [name, keyLength, ivLength] = PKCS12_PBE[oid]!;
    const [saltNode, iterNode] = kids(buf, params!);
    const salt = contents(buf, saltNode!);
    const iterations = intOf(buf, iterNode!);
    cipher = name;
    key = pkcs12Kdf(HASHES['1.3.14.3.2.26']!, password, salt, 1, iterations, keyLength);
    iv = pkcs12Kdf(HASHES['1.3.14.3.2.26']!, password, salt, 2, iterations, ivLength);
  } else throw unsupported(oid);
  if (cipher.startsWith('rc2-')) return rc2Decrypt(key, iv, ciphertext);
  try {
    const decipher = createDecipheriv(cipher, key, iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new WrongPassword();
  }
}

/** RC2-CBC, which Node's OpenSSL 3 keeps in its legacy provider: forge alone does it here. */
function rc2Decrypt(key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  const decipher = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), key.length * 8);
  decipher.start(forge.util.createBuffer(iv.toString('binary')));
  decipher.update(forge.util.createBuffer(ciphertext.toString('binary')));
  if (!decipher.finish()) throw new WrongPassword();
  return Buffer.from(decipher.output.getBytes(), 'binary');
}

/** SafeContents ::= SEQUENCE OF SafeBag { bagId, [0] EXPLICIT bagValue, attributes OPTIONAL }. */
function readBags(safe: Buffer, password: string, keys: Buffer[], certs: Buffer[], depth = 0): void {
  let top: Tlv;
  try {
    top = readTlv(safe, 0);
    if (top.tag !== TAG.SEQUENCE) throw new DerError('not SafeContents');
  } catch {
    // Decrypted with a wrong password that still ended in valid padding: garbage, not a structure.
    throw new WrongPassword();
  }
  for (const bag of kids(safe, top)) {
    const [idNode, explicit] = kids(safe, bag);
    const id = oidText(safe, idNode!);
    const value = kids(safe, explicit!)[0]!;
    if (id === OIDS.keyBag) keys.push(Buffer.from(safe.subarray(value.start, value.end)));
    else if (id === OIDS.shroudedKeyBag) {
      const [algId, data] = kids(safe, value);
      keys.push(decrypt(safe, algId!, octets(safe, data!), password));
    } else if (id === OIDS.certBag) {
      const [certType, certValue] = kids(safe, value);
      if (oidText(safe, certType!) === OIDS.x509Certificate) certs.push(Buffer.from(octets(safe, kids(safe, certValue!)[0]!)));
    } else if (id === OIDS.safeContentsBag && depth < 4) readBags(Buffer.from(safe.subarray(value.start, value.end)), password, keys, certs, depth + 1);
  }
}

/** The algorithm OID of a PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier { oid, … }, key }. */
function pkcs8Algorithm(der: Buffer): string | null {
  try {
    const parts = kids(der, readTlv(der, 0));
    return oidText(der, kids(der, parts[1]!)[0]!);
  } catch {
    return null;
  }
}
