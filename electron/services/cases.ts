import { v7 as uuidv7 } from 'uuid';
import type { CaseScreen, RegisterResult, SearchResult } from '../../shared/contract/types';
import type { ParsedInputOf } from '../../shared/contract/methods';
import { AppError } from '../../shared/errors';
import { checkIin } from '../../shared/domain/iin';
import { CURRENT_RULES_VERSION } from '../../shared/domain/workflow';
import { eventCanonical as canonicalOf } from '../../shared/events/event';
import { formatNumber, sequenceScope } from '../../shared/numbers';
import { officeDate } from '../../shared/local-date';
import { openCaseOfApplicant } from '../../db/repositories/cases';
import { summaryOf } from '../../shared/contract/case-detail';
import { createCaseSearch } from '../../db/repositories/case-search';
import { toCaseEvent, type EventRow } from '../../db/repositories/events';
import { nextInSequence, readWorkstation } from '../../db/repositories/settings';
import { sha256Hex } from '../../node/events';
import { signerFor } from './signing';
import type { ServicesContext, Session } from './context';
import { channelOf, commitActs } from './case-acts';
import { rolesActingIn } from '../../shared/events/catalogue';
import { syncSettings } from './sync/settings';
import { centerCodeOf } from './center';
import { caseScreen } from './case-screen';

/**
 * An event's canonical form (what is hashed and signed), from its stored row: everything but its hash and
 * signature, as canonical JSON. Its SHA-256 is the event's hash, which the next event names (the hash chain).
 */
export function eventCanonical(e: Omit<EventRow, 'hash' | 'signature'>): string {
  return canonicalOf(toCaseEvent({ ...e, hash: '', signature: null }));
}

/** The event's hash: SHA-256 of its canonical form, hex. */
export function hashCanonical(canonical: string | Buffer): string {
  return sha256Hex(canonical);
}

export function eventHash(e: Omit<EventRow, 'hash' | 'signature'>): string {
  return hashCanonical(eventCanonical(e));
}

/**
 * Intake (item 11.1 stage 1, item 11.2 stage 1): the applicant registered, a case opened with its number
 * (office + workstation + year + sequence, unique without any server and never reused) and the deadlines of
 * its channel's first step.
 */
export function registerApplicant(ctx: ServicesContext, session: Session, input: ParsedInputOf<'cases.registerApplicant'>): RegisterResult {
  const workstation = readWorkstation(ctx.db);
  if (!workstation) throw new AppError('workstation.not_configured');
  const me = session.identity;
  const now = ctx.now();
  // The number's year is the office's year (Almaty time), not UTC's.
  const year = officeDate(now).slice(0, 4);
  const warnings = checkIin(input.iin, { birthDate: input.birthDate }).warnings;
  // A Center case lives in the partition of the district it is addressed to and names the Center that took it.
  const officeCode = workstation.serves ? (workstation.serves[0]?.code ?? workstation.officeCode) : workstation.officeCode;
  // Before the password is asked for: an act that will be refused does not need it.
  refuseSecondOpenCase(ctx, input.iin, officeCode);
  // The act is signed with the actor's ECP key: unlocked now, or the person is asked for the password first.
  const sign = signerFor(ctx, session);
  const channel = channelOf(me.role);
  const centerCode = channel === 'center' ? centerCodeOf(workstation, me.officeBin) : undefined;
  const caseId = uuidv7();
  let caseNumber = '';
  const p = ctx.db
    .transaction(() => {
      // Again inside the transaction: the command line may register beside the app.
      refuseSecondOpenCase(ctx, input.iin, officeCode);
      caseNumber = formatNumber('case', workstation.officeCode, workstation.workstationCode, year, nextInSequence(ctx.db, sequenceScope('case', workstation.officeCode, workstation.workstationCode, year)));
      const type = channel === 'center' ? 'center.intake_registered' : 'intake.registered';
      return commitActs(ctx, session, caseId, null, [{ type, payload: { applicant: input, caseNumber, channel, rulesVersion: CURRENT_RULES_VERSION, officeCode, ...(centerCode ? { centerCode } : {}) } }], sign, { now });
    })
    .immediate();
  return { case: summaryOf(p.case), warnings };
}

/**
 * A family has one open application at a time: an applicant with an open case of this office
 * is refused, and the refusal names that case so the person can open it. A closed or refused case does not block.
 */
function refuseSecondOpenCase(ctx: ServicesContext, iin: string, officeCode: string): void {
  const other = openCaseOfApplicant(ctx.db, iin, officeCode);
  if (other) throw new AppError('case.open_case_exists', { caseNumber: other.case_number, caseId: other.id }, { iin: 'family.open_case' });
}

export function caseQueries(ctx: ServicesContext) {
  const search = createCaseSearch(ctx.db);
  return {
    search: (input: ParsedInputOf<'cases.search'>): SearchResult => {
      const result = search(input.query, input.limit, input.after, input.sort);
      // Who acts next, from the workflow (the list is a work queue, not only a register).
      return { ...result, items: result.items.map((c) => ({ ...c, actingRoles: rolesActingIn(c.stage, c.channel) })) };
    },
    get: (input: ParsedInputOf<'cases.get'>, session: Session): CaseScreen => caseScreen(ctx.db, input.caseId, session.identity.role, syncSettings(ctx.db) !== null),
  };
}
