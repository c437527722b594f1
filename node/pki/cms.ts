/**
 * Detached CMS SignedData with SHA-256 and the CAdES-BES signed attributes (contentType, signingTime,
 * messageDigest, signingCertificateV2), as Kazakh ECP signatures are made (benefit.md §5). forge writes the
 * ASN.1; node:crypto computes the digests and the RSA signature (forge's pure-JS RSA is ~25× slower).
 * Anyone can check a signature without our code:
 *   openssl cms -verify -binary -inform DER -content FILE -in FILE.p7s -CAfile root.pem -purpose any
 */
import { createHash, createPrivateKey, sign as rsaSign, verify as rsaVerify, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { algorithmName, UnsupportedAlgorithmError } from './algorithms';
import { certificateInfo, type CertificateInfo } from './certificate-info';
import { children, contents, expect, oidText, readTlv, TAG, timeOf, whole, type Tlv } from './der';

const { asn1 } = forge;
const T = asn1.Type;
const C = asn1.Class;

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

const bin = (b: Buffer) => b.toString('binary');
const oid = (o: string) => asn1.create(C.UNIVERSAL, T.OID, false, asn1.oidToDer(o).getBytes());
const seq = (v: forge.asn1.Asn1[]) => asn1.create(C.UNIVERSAL, T.SEQUENCE, true, v);
const set = (v: forge.asn1.Asn1[]) => asn1.create(C.UNIVERSAL, T.SET, true, v);
const octets = (b: Buffer) => asn1.create(C.UNIVERSAL, T.OCTETSTRING, false, bin(b));
const nul = () => asn1.create(C.UNIVERSAL, T.NULL, false, '');
const algorithm = (o: string) => seq([oid(o), nul()]);
const der = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
const parse = (b: Buffer) => asn1.fromDer(forge.util.createBuffer(bin(b)), true);

/** The issuer Name and serialNumber of a certificate, as its own DER bytes (never re-encoded). */
function issuerAndSerial(certDer: Buffer): forge.asn1.Asn1 {
  const tbs = (parse(certDer).value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  const offset = tbs[0]!.tagClass === C.CONTEXT_SPECIFIC ? 1 : 0; // [0] version is optional
  return seq([tbs[offset + 2]!, tbs[offset]!]);
}

function attribute(type: string, value: forge.asn1.Asn1) {
  return seq([oid(type), set([value])]);
}

/** DER SET OF: elements sorted by their encodings. */
function derSetOf(nodes: forge.asn1.Asn1[]): Buffer {
  const encoded = nodes.map(der).sort(Buffer.compare);
  const body = Buffer.concat(encoded);
  return Buffer.concat([lengthPrefix(0x31, body.length), body]);
}

function lengthPrefix(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length]);
  const bytes: number[] = [];
  for (let l = length; l > 0; l >>= 8) bytes.unshift(l & 0xff);
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
}

export interface Signer {
  privateKeyPem: string;
  /** The signer's certificate first, then its chain, as PEM. */
  chainPem: string[];
}

/** Parsed keys and certificates of the signers in use: a scan session signs many pages with one key. */
const prepared = new Map<string, { key: KeyObject; certs: Buffer[]; leafHash: Buffer; sid: forge.asn1.Asn1; lengths: Map<boolean, number> }>();

function prepare(signer: Signer) {
  const id = `${signer.privateKeyPem}\n${signer.chainPem.join('')}`;
  let p = prepared.get(id);
  if (!p) {
    // The signer's certificate and its intermediates; never a root: the one who checks the signature trusts a root of
    // their own, and a root carried in each of an office's hundreds of thousands of acts is a kilobyte of each for nothing.
    const certs = signer.chainPem.map((pem) => new X509Certificate(pem)).filter((c, i) => i === 0 || c.issuer !== c.subject).map((c) => Buffer.from(c.raw));
    p = { key: createPrivateKey(signer.privateKeyPem), certs, leafHash: createHash('sha256').update(certs[0]!).digest(), sid: issuerAndSerial(certs[0]!), lengths: new Map() };
    if (prepared.size > 16) prepared.clear();
    prepared.set(id, p);
  }
  return p;
}

export interface SignOptions {
  /**
   * Leave out the signingTime attribute: a PAdES baseline signature (ETSI EN 319 142-1, 5.3) claims its time in
   * the PDF signature dictionary's /M entry, and its CMS must not carry signing-time.
   */
  pades?: boolean;
  /**
   * The content's SHA-256, given instead of the content: a signature by hash, as NCALayer's
   * createCAdESFromBase64Hash makes one for large content. The content argument is then ignored.
   */
  digest?: Buffer;
}

export function signDetached(content: Buffer, signer: Signer, signingTime: Date = new Date(), options: SignOptions = {}): Buffer {
  const { key, certs, leafHash, sid } = prepare(signer);
  const signedAttrs = [
    attribute(OID.contentType, oid(OID.data)),
    ...(options.pades ? [] : [attribute(OID.signingTime, asn1.create(C.UNIVERSAL, T.UTCTIME, false, asn1.dateToUtcTime(signingTime)))]),
    attribute(OID.messageDigest, octets(options.digest ?? createHash('sha256').update(content).digest())),
    // ESSCertIDv2 with the default hash (SHA-256) omitted, as RFC 5035 asks.
    attribute(OID.signingCertificateV2, seq([seq([seq([octets(leafHash)])])])),
  ];
  // The signature covers the DER of the attributes as a SET (RFC 5652 §5.4).
  const attrsSet = derSetOf(signedAttrs);
  const signature = rsaSign('sha256', attrsSet, key);
  const attrsImplicit = Buffer.concat([Buffer.from([0xa0]), attrsSet.subarray(1)]);

  const signerInfo = seq([
    asn1.create(C.UNIVERSAL, T.INTEGER, false, String.fromCharCode(1)),
    sid,
    algorithm(OID.sha256),
    parse(attrsImplicit),
    algorithm(OID.rsaEncryption),
    octets(signature),
  ]);
  const signedData = seq([
    asn1.create(C.UNIVERSAL, T.INTEGER, false, String.fromCharCode(1)),
    set([algorithm(OID.sha256)]),
    seq([oid(OID.data)]), // detached: no eContent
    asn1.create(C.CONTEXT_SPECIFIC, 0, true, certs.map((c) => parse(c))),
    set([signerInfo]),
  ]);
  return der(seq([oid(OID.signedData), asn1.create(C.CONTEXT_SPECIFIC, 0, true, [signedData])]));
}

/**
 * The length in bytes of the signatures this signer makes. It does not depend on the content (a fixed-size digest,
 * an RSA signature as long as the modulus), so one signature over nothing measures it, once per key: what a PDF's
 * signature placeholder is sized by.
 */
export function signatureLength(signer: Signer, options: SignOptions = {}): number {
  const p = prepare(signer);
  const pades = options.pades === true;
  let length = p.lengths.get(pades);
  if (length === undefined) {
    length = signDetached(Buffer.alloc(0), signer, new Date(), options).length;
    p.lengths.set(pades, length);
  }
  return length;
}

export interface ParsedSignature {
  signingTime: Date | null;
  /** The signer's certificate and every other certificate the signature carries. */
  signerCertificate: X509Certificate | null;
  certificates: X509Certificate[];
  /** Whether the content's digest equals the signed messageDigest attribute. */
  contentIntact: boolean;
  /** Whether the RSA signature over the signed attributes verifies with the signer's key. */
  signatureValid: boolean;
  /** The same certificates as the verifier keeps them (./certificate-info.ts). */
  signer: CertificateInfo | null;
  carried: CertificateInfo[];
}

/** Input that is not a CMS SignedData we can read; UnsupportedAlgorithmError (./algorithms.ts) for one we cannot check. */
export class CmsFormatError extends Error {}

/** The certificates a signature carries (the signer's and its chain), e.g. to find the CA that signed a CRL. */
export function signatureCertificates(p7s: Buffer): X509Certificate[] {
  return readSignedData(p7s).carried.map((c) => c.x509);
}

/** The messageDigest a signature's signed attributes carry: what was signed when content went by its hash. */
export function signedDigest(p7s: Buffer): Buffer | null {
  return readSignedData(p7s).digest;
}

/**
 * Checks a detached signature against its content: integrity and the signature itself (not the chain). The content
 * is given as its bytes, or as their SHA-256 when the caller has just hashed them (a stored page, named by its hash,
 * is then not hashed twice).
 */
export function verifyDetached(content: Buffer | { sha256: Buffer }, p7s: Buffer): ParsedSignature {
  const sd = readSignedData(p7s);
  const digest = Buffer.isBuffer(content) ? createHash('sha256').update(content).digest() : content.sha256;
  const contentIntact = sd.digest !== null && digest.equals(sd.digest);
  let signatureValid = false;
  if (sd.signer) {
    if (sd.signer.unsupportedKey) throw new UnsupportedAlgorithmError(sd.signer.unsupportedKey);
    try {
      signatureValid = rsaVerify('sha256', sd.signedAttributes, sd.signer.publicKey(), sd.signature);
    } catch {
      // A certificate whose key cannot be read (damaged) verifies nothing.
      signatureValid = false;
    }
  }
  return {
    signingTime: sd.signingTime,
    signerCertificate: sd.signer?.x509 ?? null,
    certificates: sd.carried.map((c) => c.x509),
    contentIntact,
    signatureValid,
    signer: sd.signer,
    carried: sd.carried,
  };
}

interface SignedDataParts {
  carried: CertificateInfo[];
  signer: CertificateInfo | null;
  /** The signed attributes re-tagged as the SET OF they are signed as (RFC 5652 §5.4), from their received bytes. */
  signedAttributes: Buffer;
  digest: Buffer | null;
  signingTime: Date | null;
  signature: Buffer;
}

/** Reads SignedData: structure errors are CmsFormatError, algorithms other than RSA with SHA-256 are refused by name. */
function readSignedData(p7s: Buffer): SignedDataParts {
  try {
    return readParts(p7s);
  } catch (error) {
    if (error instanceof CmsFormatError || error instanceof UnsupportedAlgorithmError) throw error;
    throw new CmsFormatError(error instanceof Error ? error.message : String(error));
  }
}

const algorithmOf = (buf: Buffer, t: Tlv | undefined) => oidText(buf, children(buf, expect(t, 0, TAG.SEQUENCE, 'algorithm'))[0]!);

function readParts(b: Buffer): SignedDataParts {
  const top = readTlv(b, 0);
  if (top.end !== b.length) throw new CmsFormatError('trailing bytes');
  const ci = children(b, expect(top, 0, TAG.SEQUENCE, 'ContentInfo'));
  if (ci.length < 2 || oidText(b, ci[0]!) !== OID.signedData) throw new CmsFormatError('not CMS SignedData');
  const sd = children(b, expect(children(b, expect(ci[1], 2, 0, 'content'))[0], 0, TAG.SEQUENCE, 'SignedData'));
  const certsNode = sd.find((t) => t.cls === 2 && t.tag === 0);
  const carried = certsNode ? children(b, certsNode).map((t) => certificateInfo(whole(b, t))) : [];
  const signerInfos = children(b, expect(sd[sd.length - 1], 0, TAG.SET, 'signerInfos'));
  if (signerInfos.length === 0) throw new CmsFormatError('no signer');
  const si = children(b, expect(signerInfos[0], 0, TAG.SEQUENCE, 'SignerInfo'));
  const sid = whole(b, si[1]!);
  const digestAlgorithm = algorithmOf(b, si[2]);
  if (digestAlgorithm !== OID.sha256) throw new UnsupportedAlgorithmError(algorithmName(digestAlgorithm));
  const attrs = si[3];
  if (!attrs || attrs.cls !== 2 || attrs.tag !== 0) throw new CmsFormatError('no signed attributes');
  const signatureAlgorithm = algorithmOf(b, si[4]);
  if (signatureAlgorithm !== OID.rsaEncryption && signatureAlgorithm !== OID.sha256WithRsa) throw new UnsupportedAlgorithmError(algorithmName(signatureAlgorithm));
  const signature = Buffer.from(contents(b, expect(si[5], 0, TAG.OCTET_STRING, 'signature')));

  let digest: Buffer | null = null;
  let signingTime: Date | null = null;
  for (const attr of children(b, attrs)) {
    const [type, values] = children(b, expect(attr, 0, TAG.SEQUENCE, 'attribute'));
    const value = children(b, expect(values, 0, TAG.SET, 'attribute values'))[0];
    if (!type || !value) throw new CmsFormatError('empty attribute');
    const t = oidText(b, type);
    if (t === OID.messageDigest) digest = Buffer.from(contents(b, expect(value, 0, TAG.OCTET_STRING, 'messageDigest')));
    if (t === OID.signingTime) signingTime = timeOf(b, value);
  }
  const signedAttributes = Buffer.from(whole(b, attrs));
  signedAttributes[0] = 0x31;
  const signer = carried.find((c) => c.sid.equals(sid)) ?? null;
  return { carried, signer, signedAttributes, digest, signingTime, signature };
}
