/**
 * The monthly report, certified: rendered in kk or ru, signed inside the PDF (PAdES, like every form) and detached
 * (.p7s over that final PDF) with the signed-in head's ECP key. It names no applicant: it is not stored in a case.
 */
import type { ParsedInputOf } from '../../../shared/contract/methods';
import { readWorkstation } from '../../../db/repositories/settings';
import type { ServicesContext, Session } from '../context';
import { officeDateTime, renderPdf } from '../forms/pdf';
import { signPades } from '../forms/pades';
import { signerFor } from '../signing';
import { districtReport } from './district';
import { reportPdfDefinition } from './report-pdf';

export async function signedReportPdf(ctx: ServicesContext, session: Session, input: ParsedInputOf<'reports.pdf'>): Promise<{ pdfBase64: string; p7sBase64: string }> {
  const report = districtReport(ctx, input.from, input.to);
  const ws = readWorkstation(ctx.db);
  const me = session.identity;
  const now = ctx.now();
  const { date, time } = officeDateTime(now);
  const sign = signerFor(ctx, session);
  const definition = reportPdfDefinition({
    language: input.language,
    officeName: (input.language === 'ru' ? ws?.officeNameRu : undefined) ?? ws?.officeName ?? report.office,
    report,
    stamp: { signer: `${me.surname} ${me.givenName}`.trim(), serial: me.certificateSerial, time: `${date} ${time}` },
  });
  const pdf = await signPades(await renderPdf(definition), sign, { name: `IIN${me.iin}`, reason: `Jardem report ${input.from} ${input.to}`, location: 'Almaty, KZ', signingTime: now });
  return { pdfBase64: pdf.toString('base64'), p7sBase64: sign(pdf).toString('base64') };
}
