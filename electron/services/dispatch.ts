/**
 * The one entry to the services for every host: validates the input with the contract's schema, checks the caller's
 * role (the office's staff register, read at sign-in), runs the method, turns every failure into a typed error.
 */
import { isMethodName, methods, type CallEnvelope, type MethodName, type ParsedInputOf, type ResultOf } from '../../shared/contract/methods';
import { AppError, type Result } from '../../shared/errors';
import { toFieldErrors } from './field-errors';
import { getCaseNumber } from '../../db/repositories/cases';
import { readWorkstation } from '../../db/repositories/settings';
import type { ServicesContext, Session } from './context';
import { caseQueries, registerApplicant } from './cases';
import { createDemoOffice, demoKeyFile, readDemoKeys } from './demo-office';
import { createDemoOfficeWithSampleYear } from './demo-sample/sample-year';
import { signInByChallenge } from './keys/challenge';
import { ncalayerKeySource } from './keys/ncalayer-source';
import { ncalayerSettings } from './keys/settings';
import { idleTooLong, lockSession, resumeSession, signIn, sweepExpiredKeys, unlockSigning } from './session';
import { audit, auditServices, caseOpened } from './audit';
import { tightenTree } from './data-folder';
import { demoTimeTravelAllowed, officeStatus } from './office-status';
import { unsafeText } from '../../shared/text';
import { verifyCase } from './case-integrity';
import { pageServices } from './pages';
import { watchScannerFolder } from './scan/folder-watch';
import { syncRound, type RoundReport } from './sync/agent';
import { syncProblems, syncStatus } from './sync/status';
import { conflictServices } from './conflicts';
import { formServices } from './forms/forms';
import { applicationServices } from './application';
import { intakeServices } from './intake';
import { journalServices } from './journal';
import { boardServices } from './board';
import { referenceServices } from './reference';
import { listStaff, staffView } from './staff';
import { endStaffRole, enterStaffAct } from './staff-admin';
import { enterReferenceAct, isCityAdmin } from './reference-sync';
import { commissionServices } from './commission';
import { decisionServices } from './decision';
import { notificationServices } from './notification';
import { centerServices } from './center';
import { backupServices } from './backup/service';
import { scanPaper, verifyPaper } from './verify-form/service';
import { verifyFormCode } from './verify-form/check';
import { informationSystemStatus } from './information-systems';
import { DomainError } from '../../shared/domain/errors';
import { officeDate } from '../../shared/local-date';
import { seedCalendarYears, WorkCalendar } from '../../shared/domain/calendar';
import { listCorrections, saveCorrection } from '../../db/repositories/calendar';
import { districtReport } from './reports/district';
import { reportCases } from './reports/cases';
import { reportXlsx } from './reports/xlsx';
import { signedReportPdf } from './reports/signed-pdf';
import { cityReport } from './reports/city';

/** What a locked session may still do: give the password, lock (again), or sign out. */
const WHILE_LOCKED: ReadonlySet<MethodName> = new Set(['session.resume', 'session.lock', 'session.signOut']);

type Handler<M extends MethodName> = (input: ParsedInputOf<M>, session: Session | null) => ResultOf<M> | Promise<ResultOf<M>>;
type Handlers = { [M in MethodName]: Handler<M> };

export function createDispatcher(ctx: ServicesContext, hooks: { onRequestQueued?: () => void; syncNow?: () => Promise<RoundReport> } = {}) {
  const cases = caseQueries(ctx);
  const pages = pageServices(ctx);
  const forms = formServices(ctx);
  const applications = applicationServices(ctx);
  const intake = intakeServices(ctx, () => hooks.onRequestQueued?.());
  const journal = journalServices(ctx);
  const board = boardServices(ctx);
  const reference = referenceServices(ctx);
  const commission = commissionServices(ctx);
  const decision = decisionServices(ctx);
  const notification = notificationServices(ctx);
  const conflicts = conflictServices(ctx);
  const center = centerServices(ctx);
  const auditTrail = auditServices(ctx);
  const backups = backupServices(ctx);
  const mustHave = (session: Session | null): Session => {
    if (!session) throw new AppError('unauthenticated');
    return session;
  };
  const timeTravelAllowed = () => demoTimeTravelAllowed(ctx);
  const status = () => officeStatus(ctx);
  /** A person looked at a case's data (the audit trail, one line per case and session per while). */
  const opened = (session: Session | null, caseId: string) => {
    if (!session) return;
    const c = getCaseNumber(ctx.db, caseId);
    if (c) caseOpened(ctx, session, { id: caseId, caseNumber: c });
  };

  const handlers: Handlers = {
    'office.status': () => status(),
    'demo.createOffice': async (input) => {
      // The demo office never takes over a workstation that is set up for real work.
      if (readWorkstation(ctx.db) && !readDemoKeys(ctx)) throw new AppError('demo.workstation_configured');
      if (input.withSampleYear) {
        try {
          await createDemoOfficeWithSampleYear(ctx, { onProgress: (done, total) => ctx.push({ type: 'demo.progress', progress: { done, total } }) });
        } finally {
          ctx.push({ type: 'demo.progress', progress: null });
        }
      } else await createDemoOffice(ctx);
      // The demo office's files (its passwords among them) are the owner's only, whatever the umask.
      tightenTree(ctx.dataDir);
      return status();
    },
    'demo.keyFile': (input) => demoKeyFile(ctx, input.role, input.office),
    'session.signIn': (input) => signIn(ctx, input),
    'session.signInNcalayer': (input) => signInByChallenge(ctx, ncalayerKeySource(ncalayerSettings(input.storage))),
    'session.current': (_input, session) => mustHave(session).identity,
    'session.unlock': (input, session) => unlockSigning(ctx, mustHave(session), input.password),
    'session.lock': (_input, session) => {
      lockSession(ctx, mustHave(session), 'asked');
      return { locked: true as const };
    },
    'session.resume': (input, session) => resumeSession(ctx, mustHave(session), input.password),
    'audit.list': (input) => auditTrail.list(input),
    'cases.verify': (input) => verifyCase(ctx, input.caseId, input.sinceSeq),
    'session.signOut': (_input, session) => {
      // The decrypted key goes with the session.
      mustHave(session).unlocked = null;
      ctx.sessions.delete(mustHave(session).token);
      audit(ctx, 'signout', { identity: mustHave(session).identity, keyId: mustHave(session).keyId });
      return { signedOut: true as const };
    },
    'cases.registerApplicant': (input, session) => registerApplicant(ctx, mustHave(session), input),
    'cases.search': (input) => cases.search(input),
    'cases.get': (input, session) => {
      const found = cases.get(input, mustHave(session));
      opened(session, input.caseId);
      return found;
    },
    'pages.list': (input, session) => {
      const list = pages.list(input);
      opened(session, input.caseId);
      return list;
    },
    'pages.import': (input, session) => pages.importFile(mustHave(session), input),
    'pages.scan': (input, session) => pages.scan(mustHave(session), input),
    'pages.rotate': (input, session) => pages.rotate(mustHave(session), input),
    'pages.move': (input, session) => pages.move(mustHave(session), input),
    'pages.remove': (input, session) => pages.remove(mustHave(session), input),
    'pages.image': (input, session) => {
      opened(session, input.caseId);
      return pages.image(input);
    },
    'pages.originalsReturned': (input, session) => pages.originalsReturned(mustHave(session), input),
    'application.record': (input, session) => applications.record(mustHave(session), input),
    'application.get': (input, session) => {
      const view = applications.get(input);
      opened(session, input.caseId);
      return view;
    },
    'intake.requestChecks': (input, session) => intake.requestChecks(mustHave(session), input),
    'intake.status': (input) => informationSystemStatus(ctx, input.caseId),
    'intake.accept': (input, session) => intake.accept(mustHave(session), input),
    'intake.notifyMismatch': (input, session) => intake.notifyMismatch(mustHave(session), input),
    'intake.originalsBrought': (input, session) => intake.originalsBrought(mustHave(session), input),
    'intake.refuseAcceptance': (input, session) => intake.refuseAcceptance(mustHave(session), input),
    'demo.timeTravel': (input) => {
      // Only the administrator (the contract), and only where nothing real is at stake: the demo office, or a test
      // host started with JARDEM_TIME_TRAVEL=1.
      if (!timeTravelAllowed()) throw new AppError('demo.time_travel_off');
      ctx.shiftClock(input.days);
      const today = officeDate(ctx.now());
      // Every open screen shows the moved clock (the specialist sees the deadline pass).
      ctx.push({ type: 'clock.changed', offsetDays: input.days, today });
      return { days: input.days, today };
    },
    'journal.register': (input, session) => journal.register(mustHave(session), input),
    'journal.list': (input) => journal.list(input),
    'board.list': (input, session) => board.list(mustHave(session), input),
    'reference.precincts': () => reference.precincts(),
    'reference.thresholds': () => reference.thresholds(),
    'reference.setThreshold': (input, session) => reference.setThreshold(mustHave(session), input),
    'reference.setPrecinct': (input, session) => reference.setPrecinct(mustHave(session), input),
    'reference.publishOffices': (input, session) => reference.publishOffices(mustHave(session), input),
    'reference.addTrustRoot': (input, session) => reference.addTrustRoot(mustHave(session), input),
    'staff.list': () => listStaff(ctx).map(staffView),
    'staff.grant': (input, session) => staffView(enterStaffAct(ctx, mustHave(session), input).entry),
    'staff.end': (input, session) => staffView(endStaffRole(ctx, mustHave(session), input).entry),
    'commission.status': (input) => commission.status(input),
    'commission.refer': (input, session) => commission.refer(mustHave(session), input),
    'commission.conclude': (input, session) => commission.conclude(mustHave(session), input),
    'commission.reuse': (input, session) => commission.reuse(mustHave(session), input),
    'decision.calculate': (input) => decision.calculate(input),
    'decision.draft': (input, session) => decision.draft(mustHave(session), input),
    'decision.review': (input) => decision.review(input),
    'decision.sign': (input, session) => decision.sign(mustHave(session), input),
    'decision.return': (input, session) => decision.returnToSpecialist(mustHave(session), input),
    'decision.correct': (input, session) => decision.correct(mustHave(session), input),
    'notification.issue': (input, session) => notification.issue(mustHave(session), input),
    'notification.deliver': (input, session) => notification.deliver(mustHave(session), input),
    'notification.centerHandedOver': (input, session) => notification.centerHandedOver(mustHave(session), input),
    'center.sendRequest': (input, session) => center.sendRequest(mustHave(session), input),
    'center.inspect': (input, session) => {
      opened(session, input.caseId);
      return center.inspect(input);
    },
    'center.returnIncomplete': (input, session) => center.returnIncomplete(mustHave(session), input),
    'center.acceptPackage': (input, session) => center.acceptPackage(mustHave(session), input),
    'center.handover': (input, session) => center.handover(mustHave(session), input),
    'center.queue': (_input, session) => center.queue(mustHave(session)),
    'journal.pdf': (input) => journal.pdf(input),
    'forms.issueReceipt': (input, session) => forms.issueReceipt(mustHave(session), input),
    'forms.reprint': (input, session) => {
      opened(session, input.caseId);
      return forms.reprint(input);
    },
    'scanner.status': () => pages.scannerStatus(),
    'scanner.configure': (input) => {
      const settings = pages.configureScanner(input);
      watchScannerFolder(ctx);
      return settings;
    },
    'sync.status': () => syncStatus(ctx),
    'backup.status': () => backups.status(),
    'backup.configure': (input) => backups.configure(input),
    'backup.create': (input) => backups.create(input),
    'backup.restore': (input) => backups.restore(input),
    'paper.verify': (input) => verifyPaper(ctx, input),
    'paper.scan': () => scanPaper(ctx),
    'paper.verifyCode': (input) => verifyFormCode(ctx, input.qr),
    // In the services process the agent runs the round (never two at once); here, on its own.
    'sync.now': () => (hooks.syncNow ? hooks.syncNow() : syncRound(ctx)),
    'sync.problems': () => syncProblems(ctx),
    'conflicts.list': (_input, session) => conflicts.list(mustHave(session)),
    'conflicts.resolve': (input, session) => conflicts.resolve(mustHave(session), input),
    'reports.district': (input) => districtReport(ctx, input.from, input.to),
    'reports.city': (input, session) => cityReport(ctx, mustHave(session), input.from, input.to),
    'reports.cases': (input) => reportCases(ctx, input),
    'reports.xlsx': async (input) => ({ xlsxBase64: (await reportXlsx(districtReport(ctx, input.from, input.to), input.language)).toString('base64') }),
    'reports.pdf': (input, session) => signedReportPdf(ctx, mustHave(session), input),
    'calendar.addWorkingDays': (input) => ({ date: ctx.calendar().addWorkingDays(input.from, input.n) }),
    'calendar.corrections': () => listCorrections(ctx.db),
    'calendar.correctDay': (input, session) => {
      // The city department's administrator corrects the calendar of the whole city: a signed reference act.
      if (isCityAdmin(ctx, mustHave(session))) {
        const act = enterReferenceAct(ctx, mustHave(session), 'calendar', { date: input.date, working: input.working, reason: input.reason }, { act: input.reason, assumed: false });
        return { ...input, correctedByIin: mustHave(session).identity.iin, correctedAt: act.at };
      }
      const correction = { ...input, correctedByIin: mustHave(session).identity.iin, correctedAt: ctx.now().toISOString() };
      // Checked against the calendar's years before it is stored: a day outside them is refused.
      new WorkCalendar(seedCalendarYears(), [{ date: input.date, working: input.working, reason: input.reason }]);
      saveCorrection(ctx.db, correction);
      ctx.calendarChanged();
      return correction;
    },
  };

  return async function dispatch(envelope: CallEnvelope): Promise<Result<unknown>> {
    try {
      if (typeof envelope?.method !== 'string' || !isMethodName(envelope.method)) throw new AppError('unknown_method');
      const name: MethodName = envelope.method;
      const def = methods[name];
      let session: Session | null = null;
      sweepExpiredKeys(ctx);
      if (def.access !== 'public') {
        session = (typeof envelope.session === 'string' && ctx.sessions.get(envelope.session)) || null;
        const now = ctx.realNow().getTime();
        if (session && session.expiresAt <= now) {
          session.unlocked = null;
          ctx.sessions.delete(session.token);
          session = null;
        }
        if (!session) throw new AppError('unauthenticated');
        if (!def.access.includes(session.identity.role)) throw new AppError('forbidden');
        // The idle timeout: a locked screen answers nothing but the password (or signing out).
        if (session.lockedAt === null && idleTooLong(ctx, session, now)) lockSession(ctx, session, 'idle');
        if (session.lockedAt !== null && !WHILE_LOCKED.has(name)) {
          const who = session.identity;
          throw new AppError('session.locked', { holder: [who.surname, who.givenName, who.patronymic].filter(Boolean).join(' '), iin: who.iin });
        }
        session.lastSeenAt = now;
      }
      // Junk text is refused in every field, named; so is an input nested beyond any method's.
      const junk = unsafeText(envelope.input);
      if (junk?.problem === 'depth') throw new AppError('request.too_deep', { path: junk.path });
      if (junk) throw new AppError('validation', { field: junk.path }, { [junk.path]: 'field.invalid_characters' });
      const parsed = def.input.safeParse(envelope.input ?? {});
      if (!parsed.success) throw new AppError('validation', undefined, toFieldErrors(parsed.error));
      const handler = handlers[name] as Handler<MethodName>;
      return { ok: true, value: await handler(parsed.data as never, session) };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toValue() };
      // A domain rule refused its input: shown beside the field it names.
      if (error instanceof DomainError) return { ok: false, error: { code: 'validation', params: error.params, fieldErrors: { [error.field]: error.code } } };
      console.error('[services] internal error', error);
      return { ok: false, error: { code: 'internal' } };
    }
  };
}
