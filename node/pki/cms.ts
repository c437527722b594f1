/**
 * Detached CMS SignedData with SHA-256 and the CAdES-BES signed attributes (contentType, signingTime,
 * messageDigest, signingCertificateV2), as Kazakh ECP signatures are made (benefit.md §5). forge writes the
 * ASN.1; node:crypto computes the digests and the RSA signature (forge's pure-JS RSA is ~25× slower).
 * Anyone can check a signature without our code:
 *   openssl cms -verify -binary -inform DER -content FILE -in FILE.p7s -CAfile root.pem -purpose any
 */
import { createHash, createPrivateKey, sign as rsaSign, verify as rsaVerify, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
const T = asn1.Type;
const C = asn1.Class;

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
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
    const certs = signer.chainPem.map((pem) => Buffer.from(new X509Certificate(pem).raw));
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
}

export function signDetached(content: Buffer, signer: Signer, signingTime: Date = new Date(), options: SignOptions = {}): Buffer {
  const { key, certs, leafHash, sid } = prepare(signer);
  const signedAttrs = [
    attribute(OID.contentType, oid(OID.data)),
    ...(options.pades ? [] : [attribute(OID.signingTime, asn1.create(C.UNIVERSAL, T.UTCTIME, false, asn1.dateToUtcTime(signingTime)))]),
    attribute(OID.messageDigest, octets(createHash('sha256').update(content).digest())),
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
}

export class CmsFormatError extends Error {}

/** The certificates a signature carries (the signer's and its chain), e.g. to find the CA that signed a CRL. */
export function signatureCertificates(p7s: Buffer): X509Certificate[] {
  return verifyDetached(Buffer.alloc(0), p7s).certificates;
}

/** Checks a detached signature against its content: integrity and the signature itself (not the chain). */
export function verifyDetached(content: Buffer, p7s: Buffer): ParsedSignature {
  try {
    return verifyParsed(content, p7s);
  } catch (error) {
    // Any structure that is not what CMS SignedData must be is unusable input, never a crash.
    if (error instanceof CmsFormatError) throw error;
    throw new CmsFormatError(error instanceof Error ? error.message : String(error));
  }
}

function verifyParsed(content: Buffer, p7s: Buffer): ParsedSignature {
  let root: forge.asn1.Asn1;
  try {
    root = parse(p7s);
  } catch {
    throw new CmsFormatError('not DER');
  }
  const top = root.value as forge.asn1.Asn1[];
  if (!Array.isArray(top) || top.length < 2 || asn1.derToOid(top[0]!.value as string) !== OID.signedData) throw new CmsFormatError('not CMS SignedData');
  const sd = ((top[1]!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[]) ?? [];
  const certsNode = sd.find((n) => n.tagClass === C.CONTEXT_SPECIFIC && n.type === 0);
  const certificates = ((certsNode?.value as forge.asn1.Asn1[]) ?? []).map((c) => new X509Certificate(der(c)));
  const signerInfos = sd[sd.length - 1]!.value as forge.asn1.Asn1[];
  const si = signerInfos[0]?.value as forge.asn1.Asn1[] | undefined;
  if (!si) throw new CmsFormatError('no signer');
  const sid = der(si[1]!);
  const attrsNode = si.find((n) => n.tagClass === C.CONTEXT_SPECIFIC && n.type === 0);
  if (!attrsNode) throw new CmsFormatError('no signed attributes');
  const signature = Buffer.from(si[si.length - 1]!.value as string, 'binary');

  let digest: Buffer | null = null;
  let signingTime: Date | null = null;
  for (const attr of attrsNode.value as forge.asn1.Asn1[]) {
    const [type, values] = attr.value as forge.asn1.Asn1[];
    const value = (values!.value as forge.asn1.Asn1[])[0]!;
    const t = asn1.derToOid(type!.value as string);
    if (t === OID.messageDigest) digest = Buffer.from(value.value as string, 'binary');
    if (t === OID.signingTime) signingTime = value.type === T.UTCTIME ? asn1.utcTimeToDate(value.value as string) : asn1.generalizedTimeToDate(value.value as string);
  }
  const signerCertificate = certificates.find((c) => Buffer.compare(der(issuerAndSerial(Buffer.from(c.raw))), sid) === 0) ?? null;
  const attrsDer = der(attrsNode);
  attrsDer[0] = 0x31; // verify over the attributes as a SET, from their received bytes
  const contentIntact = digest !== null && createHash('sha256').update(content).digest().equals(digest);
  const signatureValid = signerCertificate !== null && rsaVerify('sha256', attrsDer, signerCertificate.publicKey, signature);
  return { signingTime, signerCertificate, certificates, contentIntact, signatureValid };
}
