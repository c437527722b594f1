/** The workstation, the demo office, sign-in and the session, the audit trail, the calendar and the scanner. */
import * as s from '../schemas';
import * as o from '../schemas-office';
import type { DemoKey, OfficeStatus, SessionInfo, Identity, CalendarCorrection, ScannerSettings, ScannerStatus, AuditList } from '../types';
import { method, STAFF } from '../method-def';

export const officeMethods = {
  'office.status': method<OfficeStatus>()({
    input: s.emptyInput,
    access: 'public',
    summary: 'Workstation, schema version, demo office and case count',
  }),
  'demo.createOffice': method<OfficeStatus>()({
    input: s.demoCreateInput,
    access: 'public',
    summary: 'Create the demo office: simulated PKI, one district department, staff key files; with a year of sample cases if asked',
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
  'session.lock': method<{ locked: true }>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'Lock the screen now (the idle timeout does it too): the key is dropped, drafts are kept, the password resumes',
  }),
  'session.resume': method<SessionInfo>()({
    input: s.resumeInput,
    access: STAFF,
    summary: 'Resume a locked session with the same key file’s password',
  }),
  'audit.list': method<AuditList>()({
    input: o.auditListInput,
    access: ['head'],
    summary: 'The audit trail: sign-ins, failed sign-ins and case opens, with who, when and which workstation (no payloads)',
  }),
  'session.signOut': method<{ signedOut: true }>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'End the session',
  }),
  'demo.timeTravel': method<{ days: number; today: string }>()({
    input: s.timeTravelInput,
    // The legal clock is the administrator's, and only in the demo office.
    access: ['admin'],
    summary: 'Demo and tests only: move the services’ clock forward by N days (0 returns to today); the administrator',
  }),
  'scanner.status': method<ScannerStatus>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'The configured scanner source and the devices it finds now',
  }),
  'scanner.configure': method<ScannerSettings>()({
    input: s.scannerSettingsInput,
    // The source names a program to run (NAPS2) and folders to read and move: the administrator's setting.
    access: ['admin'],
    summary: 'Choose the scanner source: SANE, NAPS2, a watched folder, or none (administrator)',
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
