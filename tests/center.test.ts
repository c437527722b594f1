/**
 * The Center channel end to end through the services (regulation item 11.2): a Center workstation
 * (CON-AUE, its own data folder and device), the district's (AUE) and the server, with real signatures, real
 * SQLite files, real PGlite/PostgreSQL and real HTTP. The request, a return with the Appendix 4 notice, the
 * correction, the district's stages, the handover at the Center; and a refusal taken back to the Center.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { WireEvent } from '../shared/contract/sync-protocol';
import { signEvents } from '../node/events';
import { signerFor } from '../electron/services/signing';
import { applyPush } from '../server/src/sync/apply';
import { pkiTrust } from '../server/src/trust';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseVerification, CenterPackageView, CenterQueue, IssuedForm, RegisterResult } from '../shared/contract/types';
import { officeDate } from '../shared/local-date';
import { errorMessage } from '../shared/i18n/messages';
import { blobPath } from '../electron/services/blob-store';
import { syncCounts } from '../db/repositories/sync';
import { documentPage, REQUIRED_SCANS } from './intake-helpers';
import { as, centerWorld, refusal, version } from './center-helpers';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { BoardList, CaseScreen } from '../shared/contract/types';
import { DEADLINE_SIDE } from '../shared/domain/deadlines';

const world = centerWorld();

describe('a Center case, request to handover (item 11.2)', () => {
  it('is sent, returned with Appendix 4, corrected and re-sent, registered and decided at the district, handed over at the Center; both verify clean', async () => {
    const { tmp, con, aue, centerToken, specialistToken, familyOf, pdfText, qrOf, centerIntake, districtStages } = world;
    const center = as(con, centerToken);
    const centerFails = refusal(con, centerToken);
    const specialist = as(aue, specialistToken);
    const specialistFails = refusal(aue, specialistToken);
    const skip = new Set<number>();
    const { c, receipt } = await centerIntake(center, familyOf(true, skip), 'kk', ['bank_account']);
    expect(c.caseNumber).toMatch(/^CON-AUE-W1-\d{4}-\d{6}$/);

    // Bad input: a district the Center does not serve; nothing written.
    const before = version(con, c.id);
    const notServed = await centerFails('center.sendRequest', { caseId: c.id, district: 'BOS' });
    expect(notServed).toMatchObject({ code: 'center.district_not_served', params: { district: 'BOS' } });
    expect(version(con, c.id)).toBe(before);

    // Bad input: a page whose bytes no longer match its signature is not sent.
    const first = con.ctx.db.prepare('SELECT blob_sha256 FROM case_pages WHERE case_id = ? AND removed = 0 ORDER BY event_seq LIMIT 1').pluck().get(c.id) as string;
    const scan = readFileSync(blobPath(con.ctx.dataDir, first));
    writeFileSync(blobPath(con.ctx.dataDir, first), Buffer.concat([scan, Buffer.from('x')]));
    expect((await centerFails('center.sendRequest', { caseId: c.id })).code).toBe('center.page_signature_invalid');
    expect(version(con, c.id)).toBe(before);
    writeFileSync(blobPath(con.ctx.dataDir, first), scan);

    // The request, one signed act naming every blob; the district's 2 working days start.
    const sent = await center<{ stage: string; items: number; due: string }>('center.sendRequest', { caseId: c.id });
    expect(sent).toMatchObject({ stage: 'center_sent', due: con.ctx.calendar().addWorkingDays(officeDate(new Date()), 2) });
    expect(sent.items).toBe(REQUIRED_SCANS.length - 1 + 3);
    expect(await con.sync()).toMatchObject({ completed: true, refused: 0 });
    expect(await aue.sync()).toMatchObject({ completed: true, held: 0 });

    // The district's incoming list, with the deadline; the act and every page verify.
    const incoming = (await specialist<CenterQueue>('center.queue', {})).incoming;
    expect(incoming).toEqual([expect.objectContaining({ caseId: c.id, deadline: 'district_check_center_package', due: sent.due })]);
    const view = await specialist<CenterPackageView>('center.inspect', { caseId: c.id });
    expect(view.request).toMatchObject({ actValid: true, missingBlobs: 0, items: sent.items, signer: expect.stringContaining('Иванова') });
    expect(view.pages.every((p) => p.valid)).toBe(true);
    expect(view.checklistComplete).toBe(false);

    // Incomplete (no bank account proof): the checklist refuses acceptance; the Appendix 4 notice goes back.
    expect((await specialistFails('center.acceptPackage', { caseId: c.id, pagesChecked: true })).fieldErrors).toMatchObject({ event: 'workflow.guard.checklist_complete' });
    expect((await specialistFails('center.returnIncomplete', { caseId: c.id, missing: [] })).fieldErrors).toMatchObject({ missing: 'center.missing_empty' });
    const notice = await specialist<IssuedForm>('center.returnIncomplete', { caseId: c.id, missing: [{ documentKind: 'bank_account', note: 'Банктік шот нөмірі туралы анықтама жоқ' }] });
    const noticeText = pdfText(notice, 'missing-documents-kk');
    expect(noticeText).toContain('Ережеге 4-қосымша');
    expect(noticeText).toContain('ЖЕТІСПЕЙТІН ҚҰЖАТТАР ТУРАЛЫ ХАБАРЛАМА');
    expect(noticeText).toContain('Банктік шот нөмірі туралы анықтама жоқ');
    expect(qrOf('missing-documents-kk')).toBe(`JARDEM:${c.caseNumber}:${notice.verificationCode}`);
    await aue.sync();
    await con.sync();
    const returned = (await center<CenterQueue>('center.queue', {})).returned;
    expect(returned).toEqual([expect.objectContaining({ caseId: c.id, deadline: 'center_correct_and_resend', due: con.ctx.calendar().addWorkingDays(officeDate(new Date()), 3) })]);
    // The Center's board has its own deadline and not the district's.
    const board = await center<BoardList>('board.list', { mine: false, limit: 50 });
    expect(board.rows.filter((r) => r.caseId === c.id).map((r) => r.deadline)).toEqual(['center_correct_and_resend']);
    // Its counts count the Center's deadlines only, the rows listed.
    expect(board.rows.every((r) => DEADLINE_SIDE[r.deadline] === 'center')).toBe(true);
    expect(board.rows.length).toBeLessThan(50);
    expect(board.counts!.byState.total).toBe(board.rows.length);
    expect(board.counts!.byStage.reduce((n, s) => n + s.counts.total, 0)).toBe(board.rows.length);

    // A re-send without the missing document is refused; with it, the 2-day check starts again.
    const without = await centerFails('center.sendRequest', { caseId: c.id });
    expect(without.code).toBe('center.resend_without_missing');
    // Told in the reader's language, the document named in it too.
    expect(errorMessage('ru', without)).toBe('Нет нового скана документа «Договор с банком (счёт)», названного в уведомлении: запрос не направлен повторно');
    expect(errorMessage('kk', without)).toBe('Хабарламада аталған «Банкпен шарт (шот)» құжатының жаңа скан-көшірмесі жоқ: өтінім қайта жіберілмеді');
    await center('pages.import', { caseId: c.id, documentKind: 'bank_account', fileName: 'bank.png', base64: await documentPage() });
    expect((await center<{ stage: string }>('center.sendRequest', { caseId: c.id })).stage).toBe('center_sent');
    await con.sync();
    await aue.sync();
    expect((await specialist<CenterPackageView>('center.inspect', { caseId: c.id })).request).toMatchObject({ resent: true, actValid: true });

    // A page whose bytes changed fails its signature: the package is not accepted, nothing is written.
    const blob = aue.ctx.db.prepare('SELECT blob_sha256 FROM case_pages WHERE case_id = ? AND removed = 0 ORDER BY event_seq LIMIT 1').pluck().get(c.id) as string;
    const file = blobPath(aue.ctx.dataDir, blob);
    const bytes = readFileSync(file);
    writeFileSync(file, Buffer.concat([bytes, Buffer.from('x')]));
    const v = version(aue, c.id);
    const tampered = await specialistFails('center.acceptPackage', { caseId: c.id, pagesChecked: true });
    expect(tampered.code).toBe('center.page_signature_invalid');
    expect(errorMessage('ru', tampered)).toMatch(/^Подпись страницы 1 документа «Заявление» недействительна: пакет не принят, ничего не записано$/);
    expect(errorMessage('kk', notServed)).toBe('ХҚКО BOS бөліміне қызмет көрсетпейді: өтінім жіберілмеді');
    expect(version(aue, c.id)).toBe(v);
    // Verify case names the request whose item changed.
    expect((await specialist<CaseVerification>('cases.verify', { caseId: c.id })).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^request:\d+:items_changed_or_missing:\d+$/)]));
    writeFileSync(file, bytes);

    // Before the notification arrives the Center has nothing to hand over.
    expect((await centerFails('center.handover', { caseId: c.id, receiptCode: receipt.verificationCode })).code).toBe('center.handover_before_notification');

    expect((await specialist<{ stage: string }>('center.acceptPackage', { caseId: c.id, pagesChecked: true })).stage).toBe('completeness_check');
    await districtStages(c.id, 'assign');
    await aue.sync();
    await con.sync();
    expect((await center<CenterQueue>('center.queue', {})).toHandOver.map((r) => r.caseId)).toEqual([c.id]);
    expect((await centerFails('center.handover', { caseId: c.id, receiptCode: 'WRONGCODE1' })).fieldErrors).toMatchObject({ receiptCode: 'center.receipt_mismatch' });
    const record = await center<IssuedForm>('center.handover', { caseId: c.id, receiptCode: receipt.verificationCode });
    const recordText = pdfText(record, 'handover-record-kk');
    expect(recordText).toContain('ҚЫЗМЕТ НӘТИЖЕСІН ТАПСЫРУ ТУРАЛЫ ЖАЗБА');
    expect(recordText).toContain(receipt.verificationCode);
    expect(qrOf('handover-record-kk')).toBe(`JARDEM:${c.caseNumber}:${record.verificationCode}`);
    await con.sync();
    await aue.sync();
    for (const [ws, token] of [[con, centerToken], [aue, specialistToken]] as const) {
      const call = as(ws, token);
      expect((caseDetailOf(await call<CaseScreen>('cases.get', { caseId: c.id }))).stage, ws.ctx.dataDir).toBe('closed');
      expect((await call<CaseVerification>('cases.verify', { caseId: c.id })).problems, ws.ctx.dataDir).toEqual([]);
      expect(syncCounts(ws.ctx.db)).toEqual({ pending: 0, refused: 0, held: 0, conflicts: 0 });
    }
    // `jardem forms render` reprints both new forms byte for byte.
    for (const [ws, form, want] of [[aue, 'missing_documents', notice], [con, 'handover_record', record]] as const) {
      const out = path.join(tmp.dir, `${form}.pdf`);
      execFileSync(process.execPath, [path.resolve('bin/jardem.cjs'), 'forms', 'render', form, '--case', c.caseNumber, '--out', out, '--data-dir', ws.ctx.dataDir], { env: process.env });
      expect(readFileSync(out).equals(Buffer.from(want.pdfBase64, 'base64')), form).toBe(true);
    }
  }, 240_000);

  it('a refusal goes back to the Center with its reasons and is handed over there (item 10 paragraph 9); the forms print in Russian', async () => {
    const { con, aue, centerToken, specialistToken, familyOf, pdfText, centerIntake, districtStages } = world;
    const center = as(con, centerToken);
    const specialist = as(aue, specialistToken);
    const { c, receipt } = await centerIntake(center, familyOf(false, new Set([0, 1, 2, 3, 4, 5].filter(() => false))), 'ru');
    await center('center.sendRequest', { caseId: c.id });
    await con.sync();
    await aue.sync();
    // Returned once (the notice in Russian, the applicant's language), corrected and re-sent.
    const notice = pdfText(await specialist<IssuedForm>('center.returnIncomplete', { caseId: c.id, missing: [{ documentKind: 'family_income_form', note: 'Нет сведений о доходах супруга за август' }] }), 'missing-documents-ru');
    expect(notice).toContain('Приложение 4 к Правилам');
    expect(notice).toContain('УВЕДОМЛЕНИЕ О НЕДОСТАЮЩИХ ДОКУМЕНТАХ');
    expect(notice).toContain('Центр обслуживания населения Ауэзовского района');
    await aue.sync();
    await con.sync();
    await center('pages.import', { caseId: c.id, documentKind: 'family_income_form', fileName: 'income.png', base64: await documentPage() });
    await center('center.sendRequest', { caseId: c.id });
    await con.sync();
    await aue.sync();
    expect((await specialist<{ stage: string }>('center.acceptPackage', { caseId: c.id, pagesChecked: true })).stage).toBe('completeness_check');
    await districtStages(c.id, 'refuse');
    const detail = caseDetailOf(await specialist<CaseScreen>('cases.get', { caseId: c.id }));
    expect(detail.stage).toBe('notification_at_center');
    expect(detail.events.at(-1)!.type).toBe('refusal.returned_to_center');
    // The refused package's 7 days count from the corrected package's receipt (item 10 paragraph 9).
    const resent = detail.events.filter((e) => e.type === 'center.request_resent').at(-1)!;
    expect(detail.deadlines.find((d) => d.id === 'center_refusal_return')).toMatchObject({ startedOn: officeDate(new Date(resent.at)), due: aue.ctx.calendar().addWorkingDays(officeDate(new Date(resent.at)), 7), met: 1 });
    await aue.sync();
    await con.sync();
    const record = await center<IssuedForm>('center.handover', { caseId: c.id, receiptCode: receipt.verificationCode.toLowerCase() });
    const text = pdfText(record, 'handover-record-refusal-ru');
    expect(text).toContain('ЗАПИСЬ О ВЫДАЧЕ РЕЗУЛЬТАТА');
    expect(text).toContain('об отказе в назначении пособия');
    expect(text).toContain('Причины отказа');
    expect(text).toContain('продовольственной');
    await con.sync();
    await aue.sync();
    expect((caseDetailOf(await specialist<CaseScreen>('cases.get', { caseId: c.id }))).stage).toBe('closed');
    expect((await specialist<CaseVerification>('cases.verify', { caseId: c.id })).problems).toEqual([]);
  }, 240_000);
});

describe('what the server lets a Center device push (server/README.md, "The Center channel")', () => {
  it('refuses a case for a district the Center does not serve, and an act on a case it did not take; a district case stays the district’s', async () => {
    const { pki, server, con, aue, centerToken, specialistToken } = world;
    const session = con.ctx.sessions.get(centerToken)!;
    const sign = signerFor(con.ctx, session);
    const me = session.identity;
    const actor = { iin: me.iin, role: me.role, certSha256: me.certificateSha256 };
    const wire = (e: ReturnType<typeof signEvents>[number]): WireEvent => ({ ...e, signature: e.signature.toString('base64') });
    const bin = (await server.store.query<{ bin: string }>("SELECT bin FROM offices WHERE code = 'CON-AUE'"))[0]!.bin;
    const device = { officeCode: 'CON-AUE', workstationCode: 'W1', certSha256: createHash('sha256').update(new X509Certificate(con.device.certPem).raw).digest('hex'), bin };
    const trust = pkiTrust(pki.dir).store();
    const at = new Date().toISOString();
    const applicant = { iin: '850615300012', surname: 'Сейітова', givenName: 'Әйгерім', patronymic: '', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
    const intake = (officeCode: string, n: number) =>
      wire(signEvents(uuidv7(), { version: 0, headHash: null }, [{ id: uuidv7(), type: 'center.intake_registered', payload: { applicant, caseNumber: `CON-AUE-W1-2026-000${n}`, channel: 'center', officeCode, centerCode: 'CON-AUE', starts: [] }, at }], actor, sign)[0]!);

    // Бостандық is not served by the Әуезов Center: refused, nothing stored in either partition.
    const [notServed] = await applyPush(server.store, device, trust, [intake('BOS', 901)]);
    expect(notServed).toMatchObject({ status: 'refused', reason: 'other_office', params: { office: 'BOS' } });
    expect(await server.store.query("SELECT 1 FROM cases WHERE office_code = 'BOS'")).toEqual([]);

    // A case the district took itself: the Center may not act on it, and does not pull it.
    const specialist = as(aue, specialistToken);
    const own = (await specialist<RegisterResult>('cases.registerApplicant', { iin: '850615300012', surname: 'Сейітова', givenName: 'Әйгерім', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
    await aue.sync();
    const head = (await server.store.query<{ head_hash: string }>('SELECT head_hash FROM cases WHERE office_code = $1 AND case_id = $2', ['AUE', own.id]))[0]!.head_hash;
    const act = wire(signEvents(own.id, { version: 1, headHash: head }, [{ id: uuidv7(), type: 'originals.returned', payload: { pages: 1 }, at }], actor, sign)[0]!);
    expect((await applyPush(server.store, device, trust, [act]))[0]).toMatchObject({ status: 'refused', reason: 'other_office' });
    expect((await server.store.query<{ version: number }>('SELECT version FROM cases WHERE office_code = $1 AND case_id = $2', ['AUE', own.id]))[0]!.version).toBe(1);
    await con.sync();
    expect(con.ctx.db.prepare('SELECT count(*) FROM cases WHERE id = ?').pluck().get(own.id)).toBe(0);
    // A case for a district it serves, naming itself: applied in the district's partition, with the Center's code.
    const served = intake('AUE', 902);
    expect((await applyPush(server.store, device, trust, [served]))[0]).toMatchObject({ status: 'applied' });
    expect(await server.store.query('SELECT office_code, center_code FROM cases WHERE case_id = $1', [served.caseId])).toEqual([{ office_code: 'AUE', center_code: 'CON-AUE' }]);
  }, 120_000);
});
