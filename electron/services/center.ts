/**
 * The Center channel after the intake (regulation item 11.2). The Center (its own office and
 * workstation) sends the district an electronic request: one act, a manifest naming every blob it sends by hash
 * (the scans with their signatures, the information-system answers, the application, the қолхат), certified with the
 * Center specialist's ECP (stage 2). The district checks every page and its signature and the item-13 checklist,
 * then returns it with the missing-document notice (Rules, Appendix 4) or accepts it for registration in the
 * journal (stages 3–4). The Center corrects and re-sends. After the decision the notification, or the refusal with
 * its reasons and the package, reaches the Center, which hands it over against its receipt (stage 5; item 10
 * paragraph 9). Every step is a signed catalogue event through the one commit path.
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { CenterPackageView, CenterQueue, IssuedForm } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { checklistComplete } from '../../shared/domain/checklist';
import { dueDate } from '../../shared/domain/deadlines';
import { formatMessage, messages, type Language } from '../../shared/i18n/messages';
import { officeDate } from '../../shared/local-date';
import { canonicalJson } from '../../shared/text';
import { readPayload } from '../../shared/events/payloads';
import { readWorkstation, type WorkstationConfig } from '../../db/repositories/settings';
import { centerQueue } from '../../db/repositories/center';
import { sha256Hex } from '../../node/events';
import { verifySignature } from '../../node/pki/verdict';
import { registerRolesOf } from './staff';
import type { ServicesContext, Session } from './context';
import { checklistOf } from './application';
import { commitActs, loadCase, planAct, type CaseProjection } from './case-acts';
import { eventsOfType } from '../../db/repositories/events';
import { newestRequest } from './information-systems';
import { pageSignature } from './pages';
import { readBlob, recordBlob, writeBlobFile } from './blob-store';
import { signerFor } from './signing';
import { formContext, issueForm } from './forms/forms';
import { formatDay } from './forms/pdf';
import { handoverRecordDefinition, missingDocumentsDefinition } from './forms/center-forms';
import { signedDecision } from './decision';

/** A document's name in `lang`: its own kind ('identity_document:citizen_id'), else its kind without the child ('birth_certificate:c1'). */
export function documentLabel(lang: Language, kind: string): string {
  return formatMessage(lang, messages.ru[`document.${kind}`] ? `document.${kind}` : `document.${kind.split(':')[0]}`);
}

type RequestItem = { kind: 'page' | 'is_answer' | 'application' | 'form'; ref: string; documentKind?: string; blob: string; signature?: string };

/** The districts a Center's staff may address from this workstation: a Center's own (the districts it serves), or the district itself. */
export function servedDistricts(workstation: WorkstationConfig): string[] {
  return workstation.serves ? workstation.serves.map((d) => d.code) : [workstation.officeCode];
}

/** The Center that took a case, as this workstation knows it: its own code on a Center workstation, else the signer's Center. */
export function centerCodeOf(workstation: WorkstationConfig, officeBin: string): string | undefined {
  if (workstation.serves) return workstation.officeCode;
  return workstation.centers?.find((c) => c.bin === officeBin)?.code;
}

/** Every active page's own signature over its bytes; the first that fails is refused by name (its document, as a message key, and place). */
function checkPages(ctx: ServicesContext, p: CaseProjection) {
  const trust = ctx.trust();
  const rolesOf = registerRolesOf(ctx);
  const active = p.pages.filter((x) => !x.removed);
  for (const page of active) {
    const { blobOk, signature } = pageSignature(ctx, page, trust, undefined, rolesOf);
    if (!blobOk || !signature?.valid) {
      throw new AppError('center.page_signature_invalid', { document: `document.${page.documentKind}`, position: page.position, reason: signature?.errors[0] ?? 'content_changed' });
    }
  }
  return active;
}

function lastOf(ctx: ServicesContext, caseId: string, types: string[]) {
  return eventsOfType(ctx.db, caseId, types).at(-1) ?? null;
}

/**
 * Verify case, for the Center's requests (item 11.2 stage 2): each request's act (the manifest) re-hashed and its
 * detached signature checked for the act 'center.request', and every blob it names present and intact.
 */
export function requestProblems(ctx: ServicesContext, rows: readonly { seq: number; type: string; payload: string }[], trust = ctx.trust()): string[] {
  const problems: string[] = [];
  for (const row of rows.filter((r) => r.type === 'center.request_sent' || r.type === 'center.request_resent')) {
    const r = JSON.parse(row.payload) as { act: string; actSignature: string; items: { blob: string }[] };
    const act = readBlob(ctx.dataDir, r.act);
    const sig = readBlob(ctx.dataDir, r.actSignature);
    if (!act || !sig || sha256Hex(act) !== r.act) problems.push(`request:${row.seq}:act_changed_or_missing`);
    else for (const e of verifySignature(act, sig, trust, 'center.request', undefined, registerRolesOf(ctx)).errors) problems.push(`request:${row.seq}:signature:${e}`);
    const broken = r.items.filter((i) => {
      const b = readBlob(ctx.dataDir, i.blob);
      return !b || sha256Hex(b) !== i.blob;
    });
    if (broken.length > 0) problems.push(`request:${row.seq}:items_changed_or_missing:${broken.length}`);
  }
  return problems;
}

export function centerServices(ctx: ServicesContext) {
  /** Stage 2 or 3: the request (first or corrected), one manifest naming every blob, certified, then the event. */
  function send(session: Session, input: ParsedInputOf<'center.sendRequest'>) {
    const workstation = readWorkstation(ctx.db);
    if (!workstation) throw new AppError('workstation.not_configured');
    const p = loadCase(ctx, input.caseId);
    if (p.case.channel !== 'center') throw new AppError('center.not_center_case');
    const district = input.district ?? p.case.officeCode;
    // A Center sends only to the districts it serves (offices.json "serves"), and a case to the district it was taken for.
    if (!servedDistricts(workstation).includes(district) || district !== p.case.officeCode) throw new AppError('center.district_not_served', { district });
    const resend = p.case.stage === 'returned_to_center';
    const type = resend ? 'center.request_resent' : 'center.request_sent';
    // The workflow decides first (stage, role, 3-day deadline started), before any key is used.
    const planned = planAct(ctx, session, p, { type, payload: {} });
    // The item 13 checklist is the district's to judge (stage 3: an incomplete package comes back with Appendix 4).
    if (!p.facts.application) throw new AppError('is.no_application');
    const pages = checkPages(ctx, p);
    const extra: Record<string, unknown> = {};
    if (resend) {
      // Item 11.2 stage 3: the correction answers the notice; each document it named must have a page added since.
      const notice = lastOf(ctx, p.case.id, ['center.returned_incomplete'])!;
      const missing = readPayload('center.returned_incomplete', notice.payload).missing;
      const added = pages.filter((x) => x.eventSeq > notice.seq);
      for (const m of missing) {
        if (!added.some((x) => x.documentKind === m.documentKind || x.documentKind.startsWith(`${m.documentKind}:`))) {
          throw new AppError('center.resend_without_missing', { document: `document.${m.documentKind}` });
        }
      }
      Object.assign(extra, { answers: notice.seq, added: added.map((x) => x.pageId) });
    }
    const items: RequestItem[] = pages.map((x) => ({ kind: 'page', ref: x.pageId, documentKind: x.documentKind, blob: x.blob, signature: x.signature }));
    const is = newestRequest(ctx, p.case.id);
    if (is?.answer_sha256) items.push({ kind: 'is_answer', ref: is.request_id, blob: is.answer_sha256, ...(is.signature_sha256 ? { signature: is.signature_sha256 } : {}) });
    const application = Buffer.from(canonicalJson(p.facts.application), 'utf8');
    items.push({ kind: 'application', ref: `seq:${p.facts.applicationSeq}`, blob: sha256Hex(application) });
    for (const d of p.documents.filter((x) => x.form === 'center_receipt')) items.push({ kind: 'form', ref: d.form, blob: d.blob, signature: d.signature });
    const manifest = Buffer.from(canonicalJson({ kind: 'jardem.center_request', caseId: p.case.id, caseNumber: p.case.caseNumber, center: p.case.centerCode ?? null, district, version: p.case.version, items }), 'utf8');
    const sign = signerFor(ctx, session, 'center.request');
    const p7s = sign(manifest);
    const files = [
      { bytes: application, type: 'application/json' },
      { bytes: manifest, type: 'application/json' },
      { bytes: p7s, type: 'application/pkcs7-signature' },
    ].map((f) => ({ ...f, sha: writeBlobFile(ctx.dataDir, f.bytes) }));
    const at = ctx.now().toISOString();
    const after = commitActs(ctx, session, p.case.id, p, [{ type, payload: { ...planned.payload, district, act: files[1]!.sha, actSignature: files[2]!.sha, items, ...extra } }], sign, {
      planned: true,
      before: () => {
        for (const f of files) recordBlob(ctx.db, f.sha, f.type, f.bytes.length, at);
      },
    });
    return { stage: after.case.stage, items: items.length, due: after.deadlines.find((d) => d.id === 'district_check_center_package' && d.stoppedOn === null)?.due ?? null };
  }

  return {
    sendRequest: send,

    /** What the district sees of the request: the act's signature, every item and page checked, the checklist. */
    inspect(input: ParsedInputOf<'center.inspect'>): CenterPackageView {
      const p = loadCase(ctx, input.caseId);
      const row = lastOf(ctx, p.case.id, ['center.request_sent', 'center.request_resent']);
      const trust = ctx.trust();
      const rolesOf = registerRolesOf(ctx);
      const pages = p.pages.filter((x) => !x.removed).map((x) => {
        const { blobOk, signature } = pageSignature(ctx, x, trust, undefined, rolesOf);
        return { pageId: x.pageId, documentKind: x.documentKind, position: x.position, valid: blobOk && signature?.valid === true, errors: blobOk ? (signature?.errors ?? ['signature_invalid']) : ['content_changed'] };
      });
      let request: CenterPackageView['request'] = null;
      if (row) {
        const r = readPayload(row.type as 'center.request_sent', row.payload);
        const act = readBlob(ctx.dataDir, r.act);
        const sig = readBlob(ctx.dataDir, r.actSignature);
        const verdict = act && sig && sha256Hex(act) === r.act ? verifySignature(act, sig, trust, 'center.request', undefined, registerRolesOf(ctx)) : null;
        const missingBlobs = r.items.filter((i) => {
          const b = readBlob(ctx.dataDir, i.blob);
          return !b || sha256Hex(b) !== i.blob;
        }).length;
        request = { seq: row.seq, resent: row.type === 'center.request_resent', sentAt: row.at, district: r.district, items: r.items.length, missingBlobs, actValid: verdict?.valid === true, signer: verdict?.signer?.name ?? null };
      }
      const checklist = checklistOf(p, p.facts.application);
      return { stage: p.case.stage, request, pages, checklistComplete: checklist.length > 0 && checklistComplete(checklist), deadlines: p.deadlines.filter((d) => d.stoppedOn === null).map((d) => ({ id: d.id, due: d.due })) };
    },

    /** Stage 3 (Appendix 4): the package is incomplete; the notice, signed, goes back to the Center with what is missing. */
    async returnIncomplete(session: Session, input: ParsedInputOf<'center.returnIncomplete'>): Promise<IssuedForm> {
      const p = loadCase(ctx, input.caseId);
      const request = lastOf(ctx, p.case.id, ['center.request_sent', 'center.request_resent']);
      if (!request || p.case.stage !== 'center_sent') throw new AppError('center.no_request');
      const f = formContext(ctx, session, p);
      const lang = p.case.docLanguage;
      // The Center's 3 working days count from the notice's receipt (item 11.2 stage 3): it reaches the Center the day it is sent.
      const due = dueDate('center_correct_and_resend', officeDate(f.now), ctx.calendar());
      const workstation = readWorkstation(ctx.db);
      const center = workstation?.centers?.find((c) => c.code === p.case.centerCode);
      const me = session.identity;
      const definition = missingDocumentsDefinition({
        ...f.base,
        centerName: (center && (lang === 'ru' ? center.nameRu : center.nameKk)) || p.case.centerCode || '—',
        request: { number: p.case.caseNumber, receivedOn: formatDay(officeDate(new Date(request.at))) },
        missing: input.missing.map((m) => ({ document: documentLabel(lang, m.documentKind), note: m.note })),
        deadline: formatDay(due),
        specialist: `${me.surname} ${me.givenName} ${me.patronymic}`.trim(),
      });
      const { after: _after, ...issued } = await issueForm(ctx, session, p, 'missing_documents', definition, f.base.verificationCode, { request: request.seq, missing: input.missing, due }, { type: 'center.returned_incomplete' }, { now: f.now });
      return issued;
    },

    /** Stage 4: every page and its signature checked, the item-13 checklist complete: accepted, to be registered in the journal. */
    acceptPackage(session: Session, input: ParsedInputOf<'center.acceptPackage'>): { stage: string } {
      const p = loadCase(ctx, input.caseId);
      const request = lastOf(ctx, p.case.id, ['center.request_sent', 'center.request_resent']);
      if (!request || p.case.stage !== 'center_sent') throw new AppError('center.no_request');
      if (!input.pagesChecked) throw new AppError('validation', undefined, { pagesChecked: 'center.pages_not_checked' });
      const pages = checkPages(ctx, p);
      const complete = checklistComplete(checklistOf(p, p.facts.application));
      const after = commitActs(ctx, session, p.case.id, p, [{ type: 'center.package_accepted', payload: { request: request.seq, pagesChecked: pages.length, checklist: true }, guards: { checklistComplete: complete } }]);
      return { stage: after.case.stage };
    },

    /** Stage 5: the result handed to the applicant against the receipt given at intake; the handover record is signed; the case closes. */
    async handover(session: Session, input: ParsedInputOf<'center.handover'>): Promise<IssuedForm> {
      const p = loadCase(ctx, input.caseId);
      if (p.case.stage !== 'notification_at_center') throw new AppError('center.handover_before_notification');
      const receipt = p.documents.filter((d) => d.form === 'center_receipt').at(-1);
      if (!receipt || receipt.verificationCode !== input.receiptCode) throw new AppError('validation', undefined, { receiptCode: 'center.receipt_mismatch' });
      const signed = signedDecision(ctx, p.case.id);
      const f = formContext(ctx, session, p);
      const workstation = readWorkstation(ctx.db);
      const center = workstation?.serves ? null : workstation?.centers?.find((c) => c.code === p.case.centerCode);
      const lang = p.case.docLanguage;
      const me = session.identity;
      const definition = handoverRecordDefinition({
        ...f.base,
        ...(center ? { officeName: lang === 'ru' ? center.nameRu : center.nameKk } : {}),
        outcome: signed?.decision.outcome ?? 'assign',
        decision: { number: signed?.decisionNumber ?? '—', date: signed ? formatDay(officeDate(new Date(signed.at))) : '—' },
        receiptCode: input.receiptCode,
        handedTo: input.handedTo || f.base.applicant.name,
        reasons: (signed?.decision.refusalGrounds ?? []).map((g) => formatMessage(lang, `ground.${g}`)),
        specialist: `${me.surname} ${me.givenName} ${me.patronymic}`.trim(),
      });
      const { after: _after, ...issued } = await issueForm(ctx, session, p, 'handover_record', definition, f.base.verificationCode, { on: officeDate(f.now), receiptCode: input.receiptCode, handedTo: input.handedTo || f.base.applicant.name }, { type: 'center.notification_handed_over' }, { now: f.now });
      return issued;
    },

    /** The Center's and the district's work lists: incoming requests (2-day check), returns to correct, results to hand over. */
    queue(session: Session): CenterQueue {
      const workstation = readWorkstation(ctx.db);
      if (!workstation) throw new AppError('workstation.not_configured');
      return centerQueue(ctx.db, { role: session.identity.role, offices: servedDistricts(workstation), centerCode: centerCodeOf(workstation, session.identity.officeBin) ?? null });
    },
  };
}
