/**
 * The one entry to the services for every host. It validates the input with the contract's schema, checks the
 * caller's role from the signed-in certificate, runs the method, and turns every failure into a typed error.
 * The renderer, the CLI and HTTP callers are never trusted.
 */
import type { z } from 'zod';
import { isMethodName, methods, type CallEnvelope, type MethodName, type ParsedInputOf, type ResultOf } from '../../shared/contract/methods';
import { AppError, type FieldErrors, type Result } from '../../shared/errors';
import { countCases } from '../../db/repositories/cases';
import { readWorkstation } from '../../db/repositories/settings';
import { schemaVersion } from '../../db/open';
import type { ServicesContext, Session } from './context';
import { caseQueries, registerApplicant } from './cases';
import { createDemoOffice, demoKeyFile, readDemoKeys } from './demo-office';
import { signIn, unlockSigning } from './session';
import { verifyCase } from './case-integrity';
import { DomainError } from '../../shared/domain/errors';
import { seedCalendarYears, WorkCalendar } from '../../shared/domain/calendar';
import { listCorrections, saveCorrection } from '../../db/repositories/calendar';

type Handler<M extends MethodName> = (input: ParsedInputOf<M>, session: Session | null) => ResultOf<M> | Promise<ResultOf<M>>;
type Handlers = { [M in MethodName]: Handler<M> };

const KNOWN_FIELD_MESSAGE = /^(field|iin)\.[a-z_]+$/;

/** zod issues → one message key per field path, e.g. { iin: 'iin.checksum', surname: 'field.required' }. */
export function toFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    if (out[key]) continue;
    out[key] = KNOWN_FIELD_MESSAGE.test(issue.message) ? issue.message : issue.code === 'invalid_type' ? 'field.required' : 'field.invalid';
  }
  return out;
}

export function createDispatcher(ctx: ServicesContext) {
  const cases = caseQueries(ctx);
  const mustHave = (session: Session | null): Session => {
    if (!session) throw new AppError('unauthenticated');
    return session;
  };
  const status = () => {
    const ws = readWorkstation(ctx.db);
    const keys = readDemoKeys(ctx);
    return {
      appVersion: ctx.appVersion,
      schemaVersion: schemaVersion(ctx.db),
      workstation: ws,
      demo: keys ? { keys } : null,
      totalCases: countCases(ctx.db),
    };
  };

  const handlers: Handlers = {
    'office.status': () => status(),
    'demo.createOffice': () => {
      // The demo office never takes over a workstation that is set up for real work.
      if (readWorkstation(ctx.db) && !readDemoKeys(ctx)) throw new AppError('demo.workstation_configured');
      createDemoOffice(ctx);
      return status();
    },
    'demo.keyFile': (input) => demoKeyFile(ctx, input.role),
    'session.signIn': (input) => signIn(ctx, input),
    'session.current': (_input, session) => mustHave(session).identity,
    'session.unlock': (input, session) => unlockSigning(ctx, mustHave(session), input.password),
    'cases.verify': (input) => verifyCase(ctx, input.caseId),
    'session.signOut': (_input, session) => {
      // The decrypted key goes with the session.
      mustHave(session).unlocked = null;
      ctx.sessions.delete(mustHave(session).token);
      return { signedOut: true as const };
    },
    'cases.registerApplicant': (input, session) => registerApplicant(ctx, mustHave(session), input),
    'cases.search': (input) => cases.search(input),
    'cases.get': (input) => cases.get(input),
    'calendar.addWorkingDays': (input) => ({ date: ctx.calendar().addWorkingDays(input.from, input.n) }),
    'calendar.corrections': () => listCorrections(ctx.db),
    'calendar.correctDay': (input, session) => {
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
      if (def.access !== 'public') {
        session = (typeof envelope.session === 'string' && ctx.sessions.get(envelope.session)) || null;
        if (session && session.expiresAt <= ctx.now().getTime()) {
          session.unlocked = null;
          ctx.sessions.delete(session.token);
          session = null;
        }
        if (!session) throw new AppError('unauthenticated');
        if (!def.access.includes(session.identity.role)) throw new AppError('forbidden');
      }
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
