import type { Role } from '../roles';
import type { Stage } from '../domain/workflow';
import type { DeadlineId } from '../domain/deadlines';

export interface Identity {
  /** CN: surname and given name. */
  commonName: string;
  surname: string;
  givenName: string;
  patronymic: string;
  iin: string;
  role: Role;
  roles: Role[];
  office: string;
  officeBin: string;
  certificateSerial: string;
  certificateSha256: string;
  validTo: string;
}

export interface SessionInfo {
  token: string;
  identity: Identity;
}

export type CaseStage = Stage;

export interface CaseSummary {
  id: string;
  caseNumber: string;
  stage: CaseStage;
  channel: 'district' | 'center';
  iin: string;
  surname: string;
  givenName: string;
  patronymic: string;
  birthDate: string;
  docLanguage: 'kk' | 'ru';
  createdAt: string;
}

export interface CaseEventView {
  id: string;
  seq: number;
  type: string;
  at: string;
  actorIin: string;
  actorRole: string;
  payload: unknown;
  hash: string;
  prevHash: string | null;
  signed: boolean;
}

export interface CaseDetail extends CaseSummary {
  /** The rules the case started under, and finishes under. */
  rulesVersion: string;
  deadlines: { id: DeadlineId; startedOn: string; due: string; stoppedOn: string | null; met: number | null }[];
  address: string;
  phone: string;
  officeCode: string;
  version: number;
  events: CaseEventView[];
}

export interface RegisterResult {
  case: CaseSummary;
  /** Message keys: e.g. the declared birth date disagrees with the IIN digits. Not errors. */
  warnings: string[];
}

export interface SearchResult {
  items: CaseSummary[];
  /** Matches, counted up to a cap: an exact total over a million cases would cost a full scan. */
  total: number;
  /** True when there are more matches than `total` says. */
  capped: boolean;
  kind: 'recent' | 'iin' | 'case_number' | 'name';
}

export interface DemoKey {
  role: 'specialist' | 'head' | 'center' | 'admin';
  fileName: string;
  path: string;
  password: string;
  holder: string;
}

export interface CaseVerification {
  caseId: string;
  valid: boolean;
  events: {
    seq: number;
    type: string;
    hashOk: boolean;
    chainOk: boolean;
    signature: { valid: boolean; signer: { iin: string; name: string; role: string | null } | null; signingTime: string | null; errors: string[] } | null;
    /** The signer's role may make this event (the workflow's table). */
    roleAllowed: boolean;
  }[];
  /** Each problem named: "event 1: payload changed", "event 2: not signed", … as stable codes. */
  problems: string[];
}

export interface CalendarCorrection {
  date: string;
  working: boolean;
  reason: string;
  correctedByIin: string;
  correctedAt: string;
}

export interface OfficeStatus {
  appVersion: string;
  schemaVersion: number;
  workstation: { officeCode: string; officeName: string; workstationCode: string } | null;
  demo: { keys: DemoKey[] } | null;
  totalCases: number;
}
