/**
 * A small, strict DER reader: enough to walk CMS SignedData, X.509 certificates and CRLs without building a tree
 * of objects (node-forge's parser costs more than the RSA verification it serves). Every length is checked
 * against the bytes that hold it; anything else is a DerError.
 */
export class DerError extends Error {}

export interface Tlv {
  /** The tag's class: 0 universal, 1 application, 2 context-specific, 3 private. */
  cls: number;
  constructed: boolean;
  /** The tag number (low form only: DER in certificates and CMS never needs the high form). */
  tag: number;
  /** Where the whole element starts and ends in the buffer, header included. */
  start: number;
  end: number;
  /** Where its contents start. */
  body: number;
}

export const TAG = { INTEGER: 2, BIT_STRING: 3, OCTET_STRING: 4, NULL: 5, OID: 6, UTF8: 12, SEQUENCE: 16, SET: 17, UTC_TIME: 23, GENERALIZED_TIME: 24 } as const;

/** Reads the element at `offset`, which must end within `limit`. */
export function readTlv(buf: Buffer, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated header');
  const first = buf[offset]!;
  const tag = first & 0x1f;
  if (tag === 0x1f) throw new DerError('high tag form');
  let lengthByte = buf[offset + 1]!;
  let body = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const n = lengthByte & 0x7f;
    if (n === 0 || n > 4) throw new DerError('unsupported length');
    if (body + n > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[body + i]!;
    body += n;
    lengthByte = 0;
  }
  const end = body + length;
  if (end > limit) throw new DerError('length past the end');
  return { cls: first >> 6, constructed: (first & 0x20) !== 0, tag, start: offset, end, body };
}

/** The elements inside a constructed one. */
export function children(buf: Buffer, parent: Tlv): Tlv[] {
  if (!parent.constructed) throw new DerError('not constructed');
  const out: Tlv[] = [];
  for (let at = parent.body; at < parent.end; ) {
    const t = readTlv(buf, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

/** The element's contents, without copying. */
export const contents = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.body, t.end);
/** The whole element, header included, without copying. */
export const whole = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.start, t.end);

export function expect(t: Tlv | undefined, cls: number, tag: number, what: string): Tlv {
  if (!t || t.cls !== cls || t.tag !== tag) throw new DerError(`${what}: wrong tag`);
  return t;
}

/** An OBJECT IDENTIFIER's dotted form. */
export function oidText(buf: Buffer, t: Tlv): string {
  if (t.cls !== 0 || t.tag !== TAG.OID || t.end === t.body) throw new DerError('not an OID');
  const parts: number[] = [];
  let value = 0;
  for (let i = t.body; i < t.end; i++) {
    const b = buf[i]!;
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** A UTCTime or GeneralizedTime (DER: always Zulu, seconds present). */
export function timeOf(buf: Buffer, t: Tlv): Date {
  const s = contents(buf, t).toString('latin1');
  const m = t.tag === TAG.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m || (t.tag !== TAG.UTC_TIME && t.tag !== TAG.GENERALIZED_TIME)) throw new DerError('not a time');
  let year = Number(m[1]);
  if (t.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900; // RFC 5280 §4.1.2.5.1
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** Encodes one element from its tag byte and contents (DER's definite lengths). */
export function encodeTlv(tagByte: number, body: Buffer): Buffer {
  const length = body.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tagByte, length]);
  else {
    const bytes: number[] = [];
    for (let l = length; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
    header = Buffer.from([tagByte, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, body]);
}
