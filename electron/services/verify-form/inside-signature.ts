/**
 * The signature inside a PDF (PAdES, ETSI EN 319 142-1), checked on this workstation's trust store: the signature
 * dictionary's /ByteRange names the signed bytes (the whole file but the /Contents hex string that holds the CMS),
 * the CMS is checked by the same verifier as every other signature of Jardem, at the time the dictionary's /M claims
 * (a PAdES CMS carries no signing time of its own). Bytes written after the signed range (an incremental update) are
 * a change after signing, as pdfsig's "Total document signed" says otherwise.
 */
import { CmsFormatError } from '../../../node/pki/cms';
import { readTlv } from '../../../node/pki/der';
import { verifySignature } from '../../../node/pki/verdict';
import type { TrustStore } from '../../../node/pki/trust';
import type { InsideSignature } from '../../../shared/contract/areas/paper';

/** How far past /Contents the dictionary's other entries (/M among them) are looked for. */
const DICTIONARY_TAIL = 4096;

interface SignatureDictionary {
  signed: Buffer;
  cms: Buffer;
  claimedTime: Date | null;
  coversWholeFile: boolean;
}

/** PDF date D:YYYYMMDDHHmmSS+HH'mm' (PDF 32000-1, 7.9.4), as an instant. */
export function pdfDate(text: string): Date | null {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|([+-])(\d{2})'?(\d{2})'?)?/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone, sign, zh, zm] = m;
  const offset = !zone || zone === 'Z' ? '+00:00' : `${sign}${zh}:${zm}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The last signature dictionary of the file (the one that covers the most), or null when the PDF has none. */
function lastSignatureDictionary(pdf: Buffer): SignatureDictionary | 'damaged' | null {
  const text = pdf.toString('latin1');
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges.at(-1);
  if (!last) return null;
  const [a, b, c, d] = last.slice(1, 5).map(Number) as [number, number, number, number];
  // The gap must be exactly the /Contents hex string: anything else is not a signature a reader can trust.
  if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length || text[b] !== '<' || text[c - 1] !== '>') return 'damaged';
  const hex = text.slice(b + 1, c - 1);
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) return 'damaged';
  const padded = Buffer.from(hex, 'hex');
  let cms: Buffer;
  try {
    // The placeholder is padded with zeros after the CMS: its own DER length says where it ends.
    cms = padded.subarray(0, readTlv(padded, 0).end);
  } catch {
    return 'damaged';
  }
  const tail = text.slice(c, c + DICTIONARY_TAIL);
  const m = /\/M\s*\((D:[^)]*)\)/.exec(tail) ?? /\/M\s*\((D:[^)]*)\)/.exec(text.slice(Math.max(0, last.index - DICTIONARY_TAIL), last.index));
  return { signed: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]), cms, claimedTime: m ? pdfDate(m[1]!) : null, coversWholeFile: c + d === pdf.length };
}

/** The verdict on the signature inside `pdf`; `present: false` when it carries none. */
export function verifyInsideSignature(pdf: Buffer, trust: TrustStore): InsideSignature {
  const none: InsideSignature = { present: false, valid: false, signer: null, signingTime: null, errors: [] };
  const dict = lastSignatureDictionary(pdf);
  if (dict === null) return none;
  if (dict === 'damaged') return { ...none, present: true, errors: ['signature_damaged'] };
  let v;
  try {
    v = verifySignature(dict.signed, dict.cms, trust, undefined, dict.claimedTime ?? undefined);
  } catch (error) {
    if (error instanceof CmsFormatError) return { ...none, present: true, errors: ['signature_damaged'] };
    throw error;
  }
  const errors: string[] = [...v.errors];
  if (!dict.coversWholeFile) errors.push('changed_after_signing');
  return { present: true, valid: errors.length === 0, signer: v.signer, signingTime: v.signingTime, errors };
}
