/**
 * A certified form is also signed inside the PDF, so that any PDF reader shows it as signed: PAdES baseline B
 * (ETSI EN 319 142-1), SubFilter ETSI.CAdES.detached, by the same ECP key that signs the detached .p7s.
 *
 * Route: pdf-lib adds an invisible signature field with a placeholder (@signpdf/placeholder-pdf-lib), and
 * @signpdf/signpdf computes the byte range and puts in the CMS that our own signer returns. The CMS is made by
 * node/pki/cms.ts, the code every other signature of Jardem is made by (CAdES-BES with signing-certificate-v2,
 * the certificate chain carried), with the signing-time attribute left out as PAdES requires: the time is the
 * dictionary's /M. No second CMS implementation (e.g. @signpdf/signer-p12 and its forge signer) to keep in step.
 */
import { PDFDocument } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import type { KeySigner } from '../signing';

export interface PadesInfo {
  /** The signature dictionary's text fields are PDF literal strings: ASCII only (the certificate names the signer). */
  name: string;
  reason: string;
  location: string;
  signingTime: Date;
}

/** The signer @signpdf calls with the bytes of the byte range: it returns our CMS. */
class JardemSigner extends Signer {
  constructor(private readonly key: KeySigner) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    return this.key(content, { pades: true });
  }
}

const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

/** The PDF signed inside (PAdES-B-B): the bytes to store, print and sign detached. */
export async function signPades(pdf: Buffer, sign: KeySigner, info: PadesInfo): Promise<Buffer> {
  // Keep pdfmake's own metadata: pdf-lib would otherwise stamp its producer and a modification date.
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  pdflibAddPlaceholder({
    pdfDoc: doc,
    name: ascii(info.name),
    reason: ascii(info.reason),
    location: ascii(info.location),
    contactInfo: '',
    signingTime: info.signingTime,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    // The placeholder holds the CMS as hex: twice its bytes, sized by what this key's signatures measure.
    signatureLength: 2 * sign.signatureLength({ pades: true }),
    appName: 'Jardem',
  });
  // No object streams: the signature dictionary must stay a plain object where the byte range can be found.
  const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
  return new SignPdf().sign(prepared, new JardemSigner(sign), info.signingTime);
}
