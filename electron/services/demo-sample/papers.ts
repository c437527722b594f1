/**
 * The papers of the sample cases: each printed form is a real PDF, marked as sample data in both languages, with
 * its detached CMS by the person who signs the act (FORM_ACTS); the information systems' answers are signed by
 * the demo PKI's sample gateway. Blobs are stored as every form's are (content-addressed, recorded at commit).
 */
import { canonicalJson } from '../../../shared/text';
import type { IsAnswer } from '../../../shared/contract/is-protocol';
import { signDetached, type Signer } from '../../../node/pki/cms';
import { renderPdf } from '../forms/pdf';
import { writeBlobFile } from '../blob-store';
import { recordBlob } from '../../../db/repositories/blobs';
import type { Db } from '../../../db/connection';

/** The mark every sample paper carries, as the glossary words it. */
export const SAMPLE_MARK = { kk: 'Үлгі (демо деректер)', ru: 'Пример (демо-данные)' } as const;

const TITLES: Record<string, { kk: string; ru: string }> = {
  notice_originals: { kk: 'Түпнұсқаларды ұсыну туралы хабарлама', ru: 'Уведомление о представлении оригиналов' },
  refusal_acceptance: { kk: 'Құжаттарды қабылдаудан бас тарту', ru: 'Отказ в приёме документов' },
  commission_referral: { kk: 'Учаскелік комиссияға жолдама', ru: 'Направление в участковую комиссию' },
  decision: { kk: 'Шешім', ru: 'Решение' },
  notification: { kk: 'Хабарлама', ru: 'Уведомление' },
};

/** A blob written now and recorded in the commit's transaction (`record` goes in the commit's `before`). */
export interface StoredBlob {
  sha: string;
  bytes: number;
  mediaType: string;
}
export function storeBlob(dataDir: string, bytes: Buffer, mediaType: string): StoredBlob {
  return { sha: writeBlobFile(dataDir, bytes), bytes: bytes.length, mediaType };
}
export function recordBlobs(db: Db, blobs: readonly StoredBlob[], at: string): void {
  for (const b of blobs) recordBlob(db, b.sha, b.mediaType, b.bytes, at);
}

/** Ten characters without look-alikes, from the seeded generator (the same seed, the same codes). */
export function sampleCode(next: () => number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 10 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

/** A form of a sample case: the PDF (marked as sample data) and its detached CMS, signed at the act's time. */
export async function sampleForm(
  dataDir: string,
  form: keyof typeof TITLES,
  lines: { caseNumber: string; applicant: string; date: string; details: string[] },
  signer: Signer,
  at: Date,
): Promise<{ pdf: StoredBlob; p7s: StoredBlob }> {
  const title = TITLES[form]!;
  const pdf = await renderPdf({
    content: [
      { text: `${SAMPLE_MARK.kk} / ${SAMPLE_MARK.ru}`, bold: true, color: '#b00020', margin: [0, 0, 0, 12] },
      { text: `${title.kk} / ${title.ru}`, fontSize: 14, bold: true, margin: [0, 0, 0, 8] },
      `№ ${lines.caseNumber} · ${lines.date}`,
      lines.applicant,
      ...lines.details,
    ],
    // A fixed creation date: the same seed gives the same bytes, so the same blob.
    info: { title: `${title.ru} (${SAMPLE_MARK.ru})`, creationDate: at },
  });
  const p7s = signDetached(pdf, signer, at);
  return { pdf: storeBlob(dataDir, pdf, 'application/pdf'), p7s: storeBlob(dataDir, p7s, 'application/pkcs7-signature') };
}

/** The sample gateway's answer to a request: every declared field confirmed, or the birth date not as declared. */
export function sampleAnswer(dataDir: string, requestId: string, subjects: readonly string[], at: Date, gateway: Signer, mismatchOf?: string) {
  const answer: IsAnswer = {
    requestId,
    answeredAt: at.toISOString(),
    gateway: 'demo-sample',
    subjects: subjects.map((iin) => ({
      iin,
      fields: (['surname', 'givenName', 'patronymic', 'birthDate', 'address', 'income'] as const).map((field) => ({
        field,
        result: iin === mismatchOf && field === 'birthDate' ? ('mismatch' as const) : ('confirmed' as const),
        registry: field === 'income' ? 'ЕНПФ' : 'ГБД ФЛ',
      })),
    })),
  };
  const bytes = Buffer.from(canonicalJson(answer), 'utf8');
  return { answer: storeBlob(dataDir, bytes, 'application/json'), signature: storeBlob(dataDir, signDetached(bytes, gateway, at), 'application/pkcs7-signature') };
}

export function randomPageId(next: () => number): string {
  // A UUID v4 from the seeded generator, so the same seed gives the same page ids.
  const b = Buffer.from(Array.from({ length: 16 }, () => Math.floor(next() * 256)));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
