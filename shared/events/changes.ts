/**
 * What an act would change on a case, in words: the Conflicts screen shows it for both acts of a
 * conflict, each projected on the same state they were both made on. Pure: the same projection the commit path
 * and the server run, and message keys (shared/i18n) with their parameters, never sentences.
 */
import { DomainError } from '../domain/errors';
import type { CaseEvent } from './event';
import { NO_LEGACY, projectEvent, type CaseProjection, type LegacyFacts } from './projection';

export interface ChangeItem {
  /** A message key of shared/i18n (change.*); a parameter named like a key is read with {{name, msg}}. */
  key: string;
  params?: Record<string, string | number>;
}

export function describeChange(before: CaseProjection | null, event: CaseEvent, legacy: LegacyFacts = NO_LEGACY): ChangeItem[] {
  let after: CaseProjection;
  try {
    after = projectEvent(before, event, legacy);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return [{ key: 'change.not_allowed', params: { reason: error.code } }];
  }
  const items: ChangeItem[] = [];
  if (!before) {
    items.push({ key: 'change.case_opened', params: { caseNumber: after.case.caseNumber, applicant: [after.case.surname, after.case.givenName, after.case.patronymic].filter(Boolean).join(' ') } });
  } else if (before.case.stage !== after.case.stage) {
    items.push({ key: 'change.stage', params: { from: `stage.${before.case.stage}`, to: `stage.${after.case.stage}` } });
  }
  const pagesBefore = new Map(before?.pages.map((p) => [p.pageId, p]));
  const added = after.pages.filter((p) => !pagesBefore.has(p.pageId)).length;
  const removed = after.pages.filter((p) => p.removed && pagesBefore.get(p.pageId)?.removed === false).length;
  if (added > 0) items.push({ key: 'change.pages_added', params: { count: added } });
  if (removed > 0) items.push({ key: 'change.pages_removed', params: { count: removed } });
  if (before && after.pages.some((p) => pagesBefore.has(p.pageId) && pagesBefore.get(p.pageId)!.position !== p.position)) items.push({ key: 'change.pages_reordered' });
  for (const d of after.documents.slice(before?.documents.length ?? 0)) items.push({ key: 'change.document', params: { form: `form.${d.form}` } });
  for (const d of after.deadlines.filter((x) => x.startedSeq === event.seq)) items.push({ key: 'change.deadline_started', params: { deadline: `deadline.${d.id}`, due: d.due } });
  const openBefore = new Set(before?.deadlines.filter((d) => d.stoppedOn === null).map((d) => `${d.startedSeq}|${d.id}`));
  for (const d of after.deadlines.filter((x) => x.stoppedOn !== null && openBefore.has(`${x.startedSeq}|${x.id}`))) items.push({ key: 'change.deadline_stopped', params: { deadline: `deadline.${d.id}` } });
  if (!before?.journal && after.journal) items.push({ key: 'change.journal', params: { number: after.journal.journalNumber } });
  if (before?.facts.decision === undefined && after.facts.decision) items.push({ key: 'change.decision', params: { outcome: `decision.ui.outcome_${after.facts.decision.outcome}` } });
  if ((before?.facts.applicationSeq ?? 0) !== after.facts.applicationSeq && after.facts.application) {
    items.push({ key: 'change.application', params: { members: after.facts.application.members.length, address: after.facts.application.registrationAddress } });
  }
  if (items.length === 0) items.push({ key: 'change.recorded', params: { event: `event.${event.type}` } });
  return items;
}
