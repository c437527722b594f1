/**
 * The shape of a case's projection: the case row, its pages, certified documents, deadlines and journal row, the
 * facts the workflow's guards read, and the legacy facts of events written before the catalogue. projection.ts
 * computes it.
 */
import type { Channel, RefusalGround, Stage } from '../domain/workflow';
import type { DeadlineId } from '../domain/deadlines';
import type { ApplicationPayload } from './payloads';

export interface ProjectedCase {
  id: string;
  caseNumber: string;
  channel: Channel;
  stage: Stage;
  rulesVersion: string;
  applicantIin: string;
  surname: string;
  givenName: string;
  patronymic: string;
  fullNameFold: string;
  birthDate: string;
  address: string;
  phone: string;
  docLanguage: 'kk' | 'ru';
  officeCode: string;
  /** A Center case: the Center that took it; the case lives in the district's partition (officeCode). */
  centerCode?: string;
  createdByIin: string;
  createdAt: string;
  version: number;
  headHash: string;
}

export interface ProjectedPage {
  pageId: string;
  documentKind: string;
  position: number;
  blob: string;
  signature: string;
  thumbnail: string | null;
  mediaType: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  quality: string[];
  source: string;
  eventSeq: number;
  removed: boolean;
}

export interface ProjectedDocument {
  form: string;
  eventSeq: number;
  eventType: string;
  blob: string;
  signature: string;
  verificationCode: string;
  issuedAt: string;
  signerIin: string;
}

export interface ProjectedDeadline {
  id: DeadlineId;
  /** The event that started it (a deadline may start again on the same day, e.g. a Center package re-sent). */
  startedSeq: number;
  startedOn: string;
  due: string;
  stoppedOn: string | null;
  met: boolean | null;
  /** The case's stage and responsible person, for the board's counts (the stage as of the deadline's last change). */
  stage: Stage;
  responsibleIin: string;
}

export interface ProjectedJournal {
  journalNumber: string;
  officeCode: string;
  registeredOn: string;
  /** When the application was received (the case's creation): working days to the decision count from it. */
  appliedAt: string;
  registeredByIin: string;
  responsibleIin: string;
  channel: Channel;
  applicantIin: string;
  applicantName: string;
  address: string;
  children: number;
  /** JSON of [{kind, pages}], as registered. */
  documents: string;
  perCapitaTiyn: number | null;
  decision: 'assign' | 'refuse' | null;
  decisionNumber: string | null;
  decidedOn: string | null;
  monthlyAmountTiyn: number | null;
  periodFrom: string | null;
  periodTo: string | null;
  notifiedOn: string | null;
  note: string;
}

/** What the workflow's guards and the services need beyond the tables. */
export interface CaseFacts {
  lastEventOn: string;
  fullPackageOn?: string;
  decision?: { outcome: 'assign' | 'refuse'; refusalGrounds: readonly RefusalGround[] };
  application: ApplicationPayload | null;
  applicationSeq: number;
  lastDraft: { seq: number; perCapitaTiyn: number } | null;
  /** What the district's last notice to the Center says the package lacks (Appendix 4); absent until one is sent. */
  returnedIncomplete?: { documentKind: string; note: string }[];
}

/** One act of the case's line as its screen's timeline shows it (never its payload). */
export interface TimelineEntry {
  id: string;
  seq: number;
  type: string;
  at: string;
  actorIin: string;
  actorRole: string;
}

export interface CaseProjection {
  case: ProjectedCase;
  /** The line's acts in order: the case screen shows them without reading the log. */
  timeline: TimelineEntry[];
  pages: ProjectedPage[];
  documents: ProjectedDocument[];
  deadlines: ProjectedDeadline[];
  journal: ProjectedJournal | null;
  facts: CaseFacts;
}

/** Facts that events written before the catalogue did not carry, as the old code stored them. */
export interface LegacyFacts {
  createdAt(caseId: string): string | undefined;
  due(caseId: string, deadline: DeadlineId, startedOn: string): string | undefined;
}
export const NO_LEGACY: LegacyFacts = { createdAt: () => undefined, due: () => undefined };
