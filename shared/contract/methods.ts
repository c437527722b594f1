/**
 * The one method contract. Electron's IPC bridge, the browser host and the CLI are built from this table;
 * the services validate every input with its schema and check the caller's role before running a method.
 */
import type { z } from 'zod';
import type { Role } from '../roles';
import * as s from './schemas';
import type {
  CaseDetail,
  DemoKey,
  OfficeStatus,
  RegisterResult,
  SearchResult,
  SessionInfo,
  Identity,
  CalendarCorrection,
  CaseVerification,
} from './types';

/** 'public' methods need no sign-in (status, demo office, sign-in itself). */
export type Access = 'public' | readonly Role[];

export interface MethodDef<S extends z.ZodType = z.ZodType, R = unknown> {
  input: S;
  access: Access;
  summary: string;
  /** Phantom: the result type, for typed clients. */
  readonly _result?: R;
}

function method<R>() {
  return <S extends z.ZodType>(def: { input: S; access: Access; summary: string }): MethodDef<S, R> => def;
}

const STAFF: readonly Role[] = ['specialist', 'head', 'center', 'secretary', 'admin'];

export const methods = {
  'office.status': method<OfficeStatus>()({
    input: s.emptyInput,
    access: 'public',
    summary: 'Workstation, schema version, demo office and case count',
  }),
  'demo.createOffice': method<OfficeStatus>()({
    input: s.emptyInput,
    access: 'public',
    summary: 'Create the demo office: simulated PKI, one district department, three staff key files',
  }),
  'demo.keyFile': method<DemoKey & { p12Base64: string }>()({
    input: s.demoKeyInput,
    access: 'public',
    summary: "A demo office key file, so a newcomer need not look for it on disk",
  }),
  'session.signIn': method<SessionInfo>()({
    input: s.signInInput,
    access: 'public',
    summary: 'Sign in with a PKCS#12 signing key file and its password',
  }),
  'session.current': method<Identity>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'The signed-in person, from the certificate',
  }),
  'session.unlock': method<{ until: string }>()({
    input: s.unlockInput,
    access: STAFF,
    summary: 'Unlock the signing key for a while (at most UNLOCK_MINUTES) with its password',
  }),
  'session.signOut': method<{ signedOut: true }>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'End the session',
  }),
  'cases.registerApplicant': method<RegisterResult>()({
    input: s.registerApplicantInput,
    access: ['specialist', 'center'],
    summary: 'Register an applicant: creates a case at the intake stage',
  }),
  'cases.search': method<SearchResult>()({
    input: s.searchCasesInput,
    access: STAFF,
    summary: 'Find cases by IIN, name prefix or case number',
  }),
  'cases.get': method<CaseDetail>()({
    input: s.caseIdInput,
    access: STAFF,
    summary: 'One case with its event log',
  }),
  'cases.verify': method<CaseVerification>()({
    input: s.caseIdInput,
    access: STAFF,
    summary: 'Re-verify every event of a case: hashes, the hash chain, each CMS signature and the signer’s role',
  }),
  'calendar.addWorkingDays': method<{ date: string }>()({
    input: s.addWorkingDaysInput,
    access: STAFF,
    summary: 'The n-th working day after a date, on this workstation’s calendar',
  }),
  'calendar.corrections': method<CalendarCorrection[]>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'The administrator’s corrections of the working-day calendar',
  }),
  'calendar.correctDay': method<CalendarCorrection>()({
    input: s.correctCalendarDayInput,
    access: ['admin'],
    summary: 'Make a day a working day or a day off (e.g. a Government transfer decree)',
  }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type InputOf<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Methods[M]['input']>;
export type ResultOf<M extends MethodName> = NonNullable<Methods[M]['_result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** What crosses every transport: the method, its raw input, and the session token from sign-in. */
export interface CallEnvelope {
  method: string;
  input: unknown;
  session?: string;
}
