/**
 * The projection of a case's log onto its current state: the case row, its pages, its certified documents, its
 * deadlines (with the stage and the responsible person the deadlines board counts by) and its journal row.
 * One pure function, `projectEvent(state, event)`, run by the workstation's commit path and rebuild and by the
 * central server. It never reads the calendar, the clock or a database: an event carries the due dates,
 * numbers and dates its projection needs. The one exception is the past: events written before the catalogue
 * (schema 7) lack some of those facts, and their projection reads them from `LegacyFacts`, which the migration
 * that introduced the catalogue froze from the tables the old code had written.
 */
import { applyTransition, transitionFor, CURRENT_RULES_VERSION, type CaseState, type OpenDeadline } from '../domain/workflow';
import type { DeadlineId } from '../domain/deadlines';
import type { Role } from '../roles';
import { DomainError } from '../domain/errors';
import { officeDateOf } from '../local-date';
import { foldName } from '../text';
import { parseNumber } from '../numbers';
import { EVENT_CATALOGUE, isEventType, recordAllowedIn } from './catalogue';
import { FORM_ACTS, isCertifiedForm, roleForAct } from '../domain/acts';
import type { CaseEvent } from './event';
import { checkPayload, type PayloadOf } from './payloads';
import { NO_LEGACY, type CaseProjection, type LegacyFacts, type ProjectedCase, type TimelineEntry } from './projection-types';

// Its readers import the projection's shape with the function that computes it.
export { NO_LEGACY, type CaseFacts, type CaseProjection, type LegacyFacts, type ProjectedCase, type ProjectedDeadline, type ProjectedDocument, type ProjectedJournal, type ProjectedPage, type TimelineEntry } from './projection-types';


const fail = (code: string, params: Record<string, string | number> = {}) => new DomainError(code, 'event', params);

/** The workflow's view of a projected case (what its guards read). */
export function workflowState(p: CaseProjection): CaseState {
  return {
    channel: p.case.channel,
    stage: p.case.stage,
    rulesVersion: p.case.rulesVersion,
    deadlines: p.deadlines.filter((d) => d.stoppedOn === null).map((d) => ({ id: d.id, startedOn: d.startedOn, due: d.due })),
    lastEventOn: p.facts.lastEventOn,
    fullPackageOn: p.facts.fullPackageOn,
    decision: p.facts.decision,
  };
}

/** Who is responsible for the case's deadlines: the journal's responsible specialist, else who registered it, else who took it. */
function responsibleOf(p: Pick<CaseProjection, 'case' | 'journal'>): string {
  return p.journal?.responsibleIin ?? p.journal?.registeredByIin ?? p.case.createdByIin;
}

/**
 * Checks an event against the catalogue (type, payload, role, stage) and returns the case's new state. Throws a
 * DomainError naming what is wrong; the state given is never changed.
 */
export function projectEvent(state: CaseProjection | null, event: CaseEvent, legacy: LegacyFacts = NO_LEGACY, opts: { trusted?: boolean } = {}): CaseProjection {
  if (!isEventType(event.type)) throw fail('event.unknown_type', { type: event.type });
  const entry = EVENT_CATALOGUE[event.type];
  let payload: unknown;
  // `trusted`: a rebuild of a log whose payloads the commit path checked when they were appended, or events whose
  // contents the verification threads checked with their signatures (node/verify-thread.ts).
  if (opts.trusted) payload = JSON.parse(event.payload);
  else {
    const checked = checkPayload(event.type, event.payload);
    if (!checked.ok) throw fail(checked.code, checked.params);
    payload = checked.value;
  }
  if (!entry.roles.includes(event.actor.role as Role)) throw fail('event.role_not_allowed', { type: event.type, role: event.actor.role });
  // A form is certified by the act it belongs to: a Center key cannot certify a decision, nor a secretary's a receipt.
  const form = (payload as { form?: unknown }).form;
  if (typeof form === 'string' && isCertifiedForm(form) && !roleForAct([event.actor.role as Role], FORM_ACTS[form])) throw fail('event.role_not_allowed', { type: event.type, role: event.actor.role });
  const creating = entry.kind === 'transition' && entry.from?.includes(null) === true;
  if (creating && state) throw fail('event.case_exists', { type: event.type });
  if (!creating && !state) throw fail('event.case_missing', { type: event.type });
  if ((state?.case.version ?? 0) !== event.caseVersion || event.seq !== event.caseVersion + 1) {
    throw fail('event.stale_version', { expected: state?.case.version ?? 0, given: event.caseVersion });
  }
  if ((state?.case.headHash ?? null) !== event.prevHash) throw fail('event.chain_broken', { seq: event.seq });
  const on = officeDateOf(event.at);
  const p = payload as Record<string, unknown>;

  if (creating) return opened(event, p as PayloadOf<'intake.registered'>, on, legacy);
  const before = state!;
  const next: CaseProjection = {
    case: { ...before.case, version: event.seq, headHash: event.hash },
    // A state the server stored before views kept a timeline has none (the server never reads it); a workstation's
    // views were rebuilt with theirs.
    timeline: [...((before.timeline as TimelineEntry[] | undefined) ?? []), timelineEntry(event)],
    pages: before.pages,
    documents: before.documents,
    deadlines: before.deadlines,
    journal: before.journal,
    facts: { ...before.facts, lastEventOn: on },
  };

  let started: OpenDeadline[] = [];
  if (entry.kind === 'transition') {
    const wf = workflowState(before);
    const t = transitionFor(wf, { type: event.type, role: event.actor.role as Role }, false);
    started = startsOf(event, p, t.starts, on, before, legacy);
    const signed = event.type === 'decision.signed' ? (p as PayloadOf<'decision.signed'>).decision : undefined;
    const step = applyTransition(wf, t, on, started, signed?.outcome, signed?.refusalGrounds);
    next.case.stage = step.state.stage;
    next.facts.fullPackageOn = step.state.fullPackageOn;
    next.facts.decision = step.state.decision;
    const stopped = new Set(step.stopped.map((d) => d.id));
    // Every deadline open before a step takes the case's new stage (those it stops keep it).
    next.deadlines = before.deadlines.map((d) =>
      d.stoppedOn !== null ? d : { ...d, stage: step.state.stage, ...(stopped.has(d.id) ? { stoppedOn: on, met: on <= d.due } : {}) },
    );
  } else if (!recordAllowedIn(entry, before.case.stage)) {
    throw fail(before.case.stage === 'closed' || before.case.stage === 'refused_to_accept' ? 'workflow.case_closed' : 'workflow.not_allowed_now', { event: event.type, stage: before.case.stage });
  }

  applyRecord(next, event, p, on);
  if (started.length > 0) {
    // Started after the record: a registration's deadlines are already the responsible specialist's.
    const responsible = responsibleOf(next);
    next.deadlines = [...next.deadlines, ...started.map((d) => ({ id: d.id, startedSeq: event.seq, startedOn: d.startedOn, due: d.due, stoppedOn: null, met: null, stage: next.case.stage, responsibleIin: responsible }))];
  }
  if (typeof p.form === 'string') {
    next.documents = [
      ...next.documents,
      { form: p.form, eventSeq: event.seq, eventType: event.type, blob: String(p.blob), signature: String(p.signature), verificationCode: String(p.verificationCode), issuedAt: event.at, signerIin: event.actor.iin },
    ];
  }
  return next;
}

/** The deadlines a transition started: as the event carries them, or (before the catalogue) as the old tables stored them. */
function startsOf(event: CaseEvent, p: Record<string, unknown>, ids: readonly DeadlineId[], on: string, before: CaseProjection | null, legacy: LegacyFacts): OpenDeadline[] {
  if (Array.isArray(p.starts)) return p.starts as OpenDeadline[];
  const started: OpenDeadline[] = ids.map((id) => ({ id, startedOn: on, due: legacyDue(legacy, event, id, on) }));
  const signed = event.type === 'decision.signed' ? (p as PayloadOf<'decision.signed'>).decision : undefined;
  if (signed?.outcome === 'refuse' && before?.case.channel === 'center' && before.facts.fullPackageOn) {
    started.push({ id: 'center_refusal_return', startedOn: before.facts.fullPackageOn, due: legacyDue(legacy, event, 'center_refusal_return', before.facts.fullPackageOn) });
  }
  return started;
}

function legacyDue(legacy: LegacyFacts, event: CaseEvent, id: DeadlineId, startedOn: string): string {
  const due = legacy.due(event.caseId, id, startedOn);
  if (!due) throw fail('event.deadline_missing', { type: event.type, deadline: id });
  return due;
}

function opened(event: CaseEvent, p: PayloadOf<'intake.registered'>, on: string, legacy: LegacyFacts): CaseProjection {
  const a = p.applicant;
  const officeCode = p.officeCode ?? parseNumber(p.caseNumber)?.office;
  if (!officeCode) throw fail('event.payload_invalid', { type: event.type, path: 'officeCode' });
  const c: ProjectedCase = {
    id: event.caseId,
    caseNumber: p.caseNumber,
    channel: p.channel,
    stage: p.channel === 'center' ? 'center_intake' : 'intake',
    rulesVersion: p.rulesVersion ?? CURRENT_RULES_VERSION,
    applicantIin: a.iin,
    surname: a.surname,
    givenName: a.givenName,
    patronymic: a.patronymic,
    fullNameFold: foldName(`${a.surname} ${a.givenName} ${a.patronymic}`),
    birthDate: a.birthDate,
    address: a.address,
    phone: a.phone,
    docLanguage: a.docLanguage,
    officeCode,
    ...(p.centerCode ? { centerCode: p.centerCode } : {}),
    createdByIin: event.actor.iin,
    createdAt: legacy.createdAt(event.caseId) ?? event.at,
    version: event.seq,
    headHash: event.hash,
  };
  // The opening step is the workflow's first transition of the channel: its stage and deadlines.
  const t = transitionFor({ channel: p.channel, stage: 'intake', rulesVersion: c.rulesVersion }, { type: event.type, role: event.actor.role as Role }, true);
  c.stage = t.to;
  const started = Array.isArray(p.starts) ? p.starts : t.starts.map((id) => ({ id, startedOn: on, due: legacyDue(legacy, event, id, on) }));
  return {
    case: c,
    timeline: [timelineEntry(event)],
    pages: [],
    documents: [],
    deadlines: started.map((d) => ({ id: d.id, startedSeq: event.seq, startedOn: d.startedOn, due: d.due, stoppedOn: null, met: null, stage: c.stage, responsibleIin: c.createdByIin })),
    journal: null,
    facts: { lastEventOn: on, application: null, applicationSeq: 0, lastDraft: null },
  };
}

function timelineEntry(e: CaseEvent): TimelineEntry {
  return { id: e.id, seq: e.seq, type: e.type, at: e.at, actorIin: e.actor.iin, actorRole: e.actor.role };
}

/** What each event records beyond the workflow's stage and deadlines. */
function applyRecord(next: CaseProjection, event: CaseEvent, p: Record<string, unknown>, on: string): void {
  switch (event.type) {
    case 'center.returned_incomplete': {
      const notice = p as PayloadOf<'center.returned_incomplete'>;
      next.facts = { ...next.facts, returnedIncomplete: notice.missing.map((m) => ({ documentKind: m.documentKind, note: m.note })) };
      return;
    }
    case 'application.recorded': {
      const recorded = p as PayloadOf<'application.recorded'>;
      next.facts = { ...next.facts, application: recorded.application, applicationSeq: event.seq };
      // A corrected name or birth date is the case's from now on: every view reads it from here.
      if (recorded.applicant) {
        const a = recorded.applicant;
        next.case = { ...next.case, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, fullNameFold: foldName(`${a.surname} ${a.givenName} ${a.patronymic}`) };
      }
      return;
    }
    case 'page.captured': {
      const page = p as PayloadOf<'page.captured'>;
      if (next.pages.some((x) => x.pageId === page.pageId)) throw fail('event.page_exists', { pageId: page.pageId });
      const pages = page.replaces ? next.pages.map((x) => (x.pageId === page.replaces ? { ...x, removed: true } : x)) : next.pages;
      next.pages = [
        ...pages,
        {
          pageId: page.pageId,
          documentKind: page.documentKind,
          position: page.position,
          blob: page.blob,
          signature: page.signature,
          thumbnail: page.thumbnail,
          mediaType: page.mediaType,
          width: page.width,
          height: page.height,
          dpi: page.dpi,
          quality: page.quality,
          source: page.source,
          eventSeq: event.seq,
          removed: false,
        },
      ];
      return;
    }
    case 'page.removed': {
      const { pageId } = p as PayloadOf<'page.removed'>;
      if (!next.pages.some((x) => x.pageId === pageId && !x.removed)) throw fail('event.page_missing', { pageId });
      next.pages = next.pages.map((x) => (x.pageId === pageId ? { ...x, removed: true } : x));
      return;
    }
    case 'pages.reordered': {
      const { order } = p as PayloadOf<'pages.reordered'>;
      const position = new Map(order.map((id, k) => [id, k + 1]));
      next.pages = next.pages.map((x) => (position.has(x.pageId) ? { ...x, position: position.get(x.pageId)! } : x));
      return;
    }
    case 'journal.registered': {
      const j = p as PayloadOf<'journal.registered'>;
      const c = next.case;
      const application = next.facts.application;
      next.journal = {
        journalNumber: j.journalNumber,
        officeCode: j.officeCode ?? c.officeCode,
        registeredOn: on,
        appliedAt: c.createdAt,
        registeredByIin: event.actor.iin,
        // The specialist who registers the case is its responsible specialist (item 11.1 stages 5 and 7).
        responsibleIin: event.actor.iin,
        channel: c.channel,
        applicantIin: c.applicantIin,
        applicantName: [c.surname, c.givenName, c.patronymic].filter(Boolean).join(' '),
        address: application?.registrationAddress ?? c.address,
        children: application?.members.filter((m) => m.relation === 'child').length ?? 0,
        documents: JSON.stringify(j.documents.map((d) => ({ kind: d.kind, pages: d.pages }))),
        perCapitaTiyn: null,
        decision: null,
        decisionNumber: null,
        decidedOn: null,
        monthlyAmountTiyn: null,
        periodFrom: null,
        periodTo: null,
        notifiedOn: null,
        note: '',
      };
      // The open deadlines are now the responsible specialist's.
      next.deadlines = next.deadlines.map((d) => (d.stoppedOn === null ? { ...d, responsibleIin: event.actor.iin } : d));
      return;
    }
    case 'decision.drafted': {
      const d = p as PayloadOf<'decision.drafted'>;
      next.facts = { ...next.facts, lastDraft: { seq: event.seq, perCapitaTiyn: d.calculation.explanation.perCapitaTiyn } };
      return;
    }
    case 'decision.signed': {
      const d = p as PayloadOf<'decision.signed'>;
      if (next.journal) {
        next.journal = {
          ...next.journal,
          perCapitaTiyn: d.perCapitaTiyn ?? next.facts.lastDraft?.perCapitaTiyn ?? null,
          decision: d.decision.outcome,
          decisionNumber: d.decisionNumber,
          decidedOn: on,
          monthlyAmountTiyn: d.decision.outcome === 'assign' ? d.monthlyAmountTiyn : null,
          periodFrom: d.period?.from ?? null,
          periodTo: d.period?.to ?? null,
        };
      }
      return;
    }
    case 'notification.delivered':
    case 'center.notification_handed_over': {
      // The applicant is notified when the notification is in their hands: for the Center, at its handover.
      if (next.journal) next.journal = { ...next.journal, notifiedOn: (p as { on: string }).on };
      return;
    }
    default:
      return;
  }
}

/** The state of a case from its whole log (rebuild, Verify case, and the commit path's starting point). */
export function projectCase(events: readonly CaseEvent[], legacy: LegacyFacts = NO_LEGACY): CaseProjection | null {
  let state: CaseProjection | null = null;
  for (const e of events) state = projectEvent(state, e, legacy);
  return state;
}
