/**
 * The case screen's data from what `cases.get` answers: the stored view parsed once, where it is shown (the
 * renderer), with the timeline's acts out of the line and their flags, and deadlines in the order they started.
 */
import type { CaseProjection } from '../events/projection-types';
import type { CaseDetail, CaseEventView, CaseScreen, CaseSummary } from './types';

// Code-point order, as the tables' ORDER BY gives it (ISO days and ASCII ids).
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byStart = (a: CaseProjection['deadlines'][number], b: CaseProjection['deadlines'][number]) =>
  cmp(a.startedOn, b.startedOn) || cmp(a.id, b.id) || a.startedSeq - b.startedSeq;

/** The summary of a projected case, as the lists show it. */
export function summaryOf(c: CaseProjection['case']): CaseSummary {
  return {
    id: c.id,
    caseNumber: c.caseNumber,
    stage: c.stage,
    channel: c.channel,
    iin: c.applicantIin,
    surname: c.surname,
    givenName: c.givenName,
    patronymic: c.patronymic,
    birthDate: c.birthDate,
    docLanguage: c.docLanguage,
    createdAt: c.createdAt,
  };
}

export function caseDetailOf(screen: CaseScreen): CaseDetail {
  const state = JSON.parse(screen.view) as CaseProjection;
  let events: CaseEventView[] = state.timeline;
  if (screen.outOfLine.length > 0) events = [...events, ...screen.outOfLine].sort((a, b) => a.seq - b.seq);
  events = events.map((e) => (screen.flags[e.id] ? { ...e, flags: screen.flags[e.id] } : e));
  const c = state.case;
  return {
    ...summaryOf(c),
    sample: screen.sample,
    rulesVersion: c.rulesVersion,
    deadlines: [...state.deadlines].sort(byStart).map((d) => ({ id: d.id, startedOn: d.startedOn, due: d.due, stoppedOn: d.stoppedOn, met: d.met === null ? null : d.met ? 1 : 0 })),
    address: c.address,
    phone: c.phone,
    officeCode: c.officeCode,
    version: c.version,
    events,
    forms: [...new Set(state.documents.map((d) => d.form))],
    returnedIncomplete: state.facts.returnedIncomplete ?? [],
    available: screen.available,
    sync: screen.sync,
  };
}
