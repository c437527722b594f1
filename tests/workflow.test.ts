import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedCalendar } from '../shared/domain/calendar';
import { citeDeadline, DEADLINES, deadlineState } from '../shared/domain/deadlines';
import { DomainError } from '../shared/domain/errors';
import { applyEvent, availableTransitions, inspectionNeeded, startCase, transitionsOf, CURRENT_RULES_VERSION, TERMINAL_STAGES, type CaseState, type GuardContext } from '../shared/domain/workflow';
import type { Role } from '../shared/roles';

const cal = seedCalendar();
const go = (state: CaseState, type: string, role: Role, on: string, ctx: GuardContext = {}) => applyEvent(state, { type, role, on }, ctx, cal);

describe('district channel (item 11.1)', () => {
  it('runs from intake to the delivered notification, starting and stopping each deadline on working days', () => {
    let s = startCase('district', { type: 'intake.registered', role: 'specialist', on: '2026-03-16' }, cal).state;
    expect(s.stage).toBe('intake');
    s = go(s, 'is.requested', 'specialist', '2026-03-16').state;
    s = go(s, 'is.all_confirmed', 'specialist', '2026-03-16').state;
    // Registered on Friday 20 Mar 2026, just before Nauryz (21–25 Mar off).
    const reg = go(s, 'journal.registered', 'specialist', '2026-03-20', { checklistComplete: true });
    expect(reg.started).toEqual([
      // Nauryz takes Mon 23 – Wed 25 Mar: the 7th working day is Friday 3 April.
      { id: 'service_total', startedOn: '2026-03-20', due: '2026-04-03' },
      { id: 'decision', startedOn: '2026-03-20', due: '2026-04-03' },
      { id: 'send_to_commission', startedOn: '2026-03-20', due: '2026-03-27' },
    ]);
    const referred = go(reg.state, 'commission.referred', 'specialist', '2026-03-26');
    expect(referred.stopped).toEqual([{ id: 'send_to_commission', startedOn: '2026-03-20', due: '2026-03-27', stoppedOn: '2026-03-26', met: true }]);
    expect(referred.started).toEqual([{ id: 'commission_conclusion', startedOn: '2026-03-26', due: '2026-03-31' }]);
    s = go(referred.state, 'commission.concluded', 'secretary', '2026-03-30').state;
    s = go(s, 'decision.drafted', 'specialist', '2026-03-30', { conclusionOrReason: true, outcome: 'assign' }).state;
    // The head returns it once, then signs it a working day late.
    s = go(s, 'decision.returned', 'head', '2026-03-31').state;
    s = go(s, 'decision.drafted', 'specialist', '2026-03-31', { conclusionOrReason: true, outcome: 'assign' }).state;
    expect(() => go(s, 'decision.signed', 'head', '2026-04-06', { outcome: 'assign' })).toThrowError(expect.objectContaining({ code: 'workflow.guard.calculation_checked' }) as Error);
    const signed = go(s, 'decision.signed', 'head', '2026-04-06', { outcome: 'assign', calculationChecked: true });
    expect(signed.stopped.map((d) => [d.id, d.met])).toEqual([['service_total', false], ['decision', false]]);
    expect(signed.started).toEqual([{ id: 'notification', startedOn: '2026-04-06', due: '2026-04-13' }]);
    const done = go(signed.state, 'notification.delivered', 'specialist', '2026-04-07');
    expect(done.state.stage).toBe('closed');
    expect(done.state.deadlines).toEqual([]);
    expect(() => go(done.state, 'decision.signed', 'head', '2026-04-08')).toThrowError(expect.objectContaining({ code: 'workflow.case_closed' }) as Error);
  });

  it('refuses acceptance only after the 3 working days for the originals have passed', () => {
    let s = startCase('district', { type: 'intake.registered', role: 'specialist', on: '2026-11-20' }, cal).state;
    s = go(s, 'is.requested', 'specialist', '2026-11-20').state;
    const notice = go(s, 'is.mismatch_notified', 'specialist', '2026-11-20');
    expect(notice.started).toEqual([{ id: 'originals_and_consent', startedOn: '2026-11-20', due: '2026-11-25' }]);
    const ground = { refusalGrounds: ['originals_not_brought'] as const };
    expect(() => go(notice.state, 'acceptance.refused', 'specialist', '2026-11-25', ground)).toThrowError(expect.objectContaining({ code: 'workflow.guard.originals_overdue' }) as Error);
    // A refusal states its ground (Appendix 20), and only a ground of its kind.
    expect(() => go(notice.state, 'acceptance.refused', 'specialist', '2026-11-26')).toThrowError(expect.objectContaining({ code: 'workflow.guard.refusal_grounded' }) as Error);
    expect(() => go(notice.state, 'acceptance.refused', 'specialist', '2026-11-26', { refusalGrounds: ['unreliable_information'] })).toThrowError(
      expect.objectContaining({ code: 'workflow.guard.refusal_grounded' }) as Error,
    );
    // Originals brought after the 3 days are too late, and no event may be dated before the last one.
    expect(() => go(notice.state, 'originals.brought', 'specialist', '2026-11-26')).toThrowError(expect.objectContaining({ code: 'workflow.guard.originals_in_time' }) as Error);
    expect(go(notice.state, 'originals.brought', 'specialist', '2026-11-25').state.stage).toBe('is_check');
    expect(() => go(notice.state, 'originals.brought', 'specialist', '2026-11-19')).toThrowError(expect.objectContaining({ code: 'workflow.date_before_last_event', field: 'on' }) as Error);
    expect(() => go(notice.state, 'acceptance.refused', 'specialist', '2026-11-3', ground)).toThrowError(expect.objectContaining({ code: 'date.invalid', field: 'on' }) as Error);
    const refused = go(notice.state, 'acceptance.refused', 'specialist', '2026-11-26', ground);
    expect(refused.state.stage).toBe('refused_to_accept');
    expect(refused.stopped).toEqual([{ id: 'originals_and_consent', startedOn: '2026-11-20', due: '2026-11-25', stoppedOn: '2026-11-26', met: false }]);
    expect(refused.state.deadlines).toEqual([]);
  });

  it('checks roles and preconditions: no registration with an incomplete checklist, no head decision by a specialist', () => {
    let s = startCase('district', { type: 'intake.registered', role: 'specialist', on: '2026-11-02' }, cal).state;
    s = go(s, 'is.requested', 'specialist', '2026-11-02').state;
    s = go(s, 'is.all_confirmed', 'specialist', '2026-11-02').state;
    expect(() => go(s, 'journal.registered', 'specialist', '2026-11-02', { checklistComplete: false })).toThrowError(expect.objectContaining({ code: 'workflow.guard.checklist_complete' }) as Error);
    s = go(s, 'journal.registered', 'specialist', '2026-11-02', { checklistComplete: true }).state;
    expect(() => go(s, 'commission.referred', 'center', '2026-11-03')).toThrowError(expect.objectContaining({ code: 'workflow.role_not_allowed', field: 'role' }) as Error);
    expect(() => go(s, 'decision.signed', 'head', '2026-11-03')).toThrowError(expect.objectContaining({ code: 'workflow.not_allowed_now' }) as Error);
    expect(() => go(s, 'center.request_sent', 'center', '2026-11-03')).toThrowError(expect.objectContaining({ code: 'workflow.not_allowed_now' }) as Error);
    expect(() => go(s, 'commission.act_reused', 'specialist', '2026-11-03', { reuseAllowed: false })).toThrowError(expect.objectContaining({ code: 'workflow.guard.reuse_allowed' }) as Error);
    const reused = go(s, 'commission.act_reused', 'specialist', '2026-11-03', { reuseAllowed: true });
    expect(reused.state.stage).toBe('conclusion_received');
    expect(() => go(reused.state, 'decision.drafted', 'specialist', '2026-11-03')).toThrowError(expect.objectContaining({ code: 'workflow.guard.conclusion_or_reason' }) as Error);
    expect(() => go(reused.state, 'decision.drafted', 'specialist', '2026-11-03', { conclusionOrReason: true })).toThrowError(expect.objectContaining({ code: 'workflow.guard.outcome_stated' }) as Error);
    expect(() => go(reused.state, 'decision.drafted', 'specialist', '2026-11-03', { conclusionOrReason: true, outcome: 'refuse' })).toThrowError(
      expect.objectContaining({ code: 'workflow.guard.refusal_grounded' }) as Error,
    );
    expect(() => go(reused.state, 'decision.drafted', 'specialist', '2026-11-03', { conclusionOrReason: true, outcome: 'assign', refusalGrounds: ['incomplete_information'] })).toThrowError(
      expect.objectContaining({ code: 'workflow.guard.refusal_grounded' }) as Error,
    );
    const drafted = go(reused.state, 'decision.drafted', 'specialist', '2026-11-03', { conclusionOrReason: true, outcome: 'refuse', refusalGrounds: ['income_not_below_threshold'] }).state;
    expect(() => go(drafted, 'decision.signed', 'specialist', '2026-11-04')).toThrowError(expect.objectContaining({ code: 'workflow.role_not_allowed' }) as Error);
    expect(go(drafted, 'decision.signed', 'head', '2026-11-04', { outcome: 'refuse', refusalGrounds: ['income_not_below_threshold'], calculationChecked: true }).state.decision).toEqual({
      outcome: 'refuse',
      refusalGrounds: ['income_not_below_threshold'],
    });
    expect(availableTransitions(drafted, 'head').map((t) => t.event)).toEqual(['decision.returned', 'decision.signed']);
  });
});

describe('Center channel (item 11.2)', () => {
  it('sends, is returned incomplete, re-sends, is accepted, and a refusal goes back to the Center within 7 days of the full package', () => {
    const start = startCase('center', { type: 'center.intake_registered', role: 'center', on: '2026-11-02' }, cal);
    expect(start.started).toEqual([{ id: 'center_send_request', startedOn: '2026-11-02', due: '2026-11-05' }]);
    let s = go(start.state, 'center.request_sent', 'center', '2026-11-03').state;
    expect(s.deadlines).toEqual([{ id: 'district_check_center_package', startedOn: '2026-11-03', due: '2026-11-05' }]);
    const returned = go(s, 'center.returned_incomplete', 'specialist', '2026-11-04');
    expect(returned.started).toEqual([{ id: 'center_correct_and_resend', startedOn: '2026-11-04', due: '2026-11-09' }]);
    s = go(returned.state, 'center.request_resent', 'center', '2026-11-06').state;
    expect(() => go(s, 'center.package_accepted', 'center', '2026-11-06', { checklistComplete: true })).toThrowError(expect.objectContaining({ code: 'workflow.role_not_allowed' }) as Error);
    s = go(s, 'center.package_accepted', 'specialist', '2026-11-09', { checklistComplete: true }).state;
    expect(s.fullPackageOn).toBe('2026-11-06');
    s = go(s, 'journal.registered', 'specialist', '2026-11-09', { checklistComplete: true }).state;
    s = go(s, 'commission.referred', 'specialist', '2026-11-10').state;
    s = go(s, 'commission.concluded', 'specialist', '2026-11-11').state;
    const refuse = { outcome: 'refuse' as const, refusalGrounds: ['unreliable_information'] as const };
    s = go(s, 'decision.drafted', 'specialist', '2026-11-12', { conclusionOrReason: true, ...refuse }).state;
    const signed = go(s, 'decision.signed', 'head', '2026-11-13', { ...refuse, calculationChecked: true });
    // Item 10 paragraph 9: 7 working days from the day the full package was received (re-sent on 6 Nov).
    expect(signed.started).toContainEqual({ id: 'center_refusal_return', startedOn: '2026-11-06', due: '2026-11-17' });
    // The signed refusal is kept on the case: a caller cannot pass it on as an assignment.
    expect(() => go(signed.state, 'notification.passed_to_center', 'specialist', '2026-11-16', { outcome: 'assign' })).toThrowError(expect.objectContaining({ code: 'workflow.guard.signed_assignment' }) as Error);
    expect(() => go(signed.state, 'notification.delivered', 'specialist', '2026-11-16')).toThrowError(expect.objectContaining({ code: 'workflow.wrong_channel' }) as Error);
    s = go(signed.state, 'refusal.returned_to_center', 'specialist', '2026-11-16').state;
    const closed = go(s, 'center.notification_handed_over', 'center', '2026-11-17');
    expect(closed.state).toMatchObject({ stage: 'closed', deadlines: [] });
  });
});

describe('deadlines', () => {
  it('each cites its item, sub-item or paragraph of the seed regulation in Kazakh, Russian and English', () => {
    expect(citeDeadline('send_to_commission', 'ru')).toBe('подпункт 1) пункта 11 Регламента');
    expect(citeDeadline('send_to_commission', 'kk')).toBe('Регламенттің 11-тармағының 1) тармақшасы');
    expect(citeDeadline('service_total', 'en')).toBe('Regulation, item 4, sub-item 1)');
    expect(citeDeadline('center_refusal_return', 'ru')).toBe('абзац 9 пункта 10 Регламента');
    expect(citeDeadline('district_check_center_package', 'kk')).toBe('Регламенттің 10-тармағының 10-азат жолы');
    expect(DEADLINES.center_queue).toMatchObject({ limit: 30, unit: 'minutes', source: { item: '4', subItem: '2)' } });
    // Every item-11 deadline names its sub-item: 1) the district, 2) the Center.
    for (const rule of Object.values(DEADLINES)) if (rule.source.item === '11') expect(['1)', '2)']).toContain(rule.source.subItem);
  });

  it('refuses a deadline counted in minutes where days are counted, and a bad date', async () => {
    const { currentDeadlines, dueDate } = await import('../shared/domain/deadlines');
    expect(() => dueDate('center_queue', '2026-11-24', cal)).toThrowError(expect.objectContaining({ code: 'deadline.not_in_days' }) as Error);
    expect(() => currentDeadlines([{ caseId: 'x', deadlines: [{ id: 'center_queue', startedOn: '2026-11-24' }] }], '2026-11-24', cal)).toThrowError(
      expect.objectContaining({ code: 'deadline.not_in_days' }) as Error,
    );
    expect(() => deadlineState('2026-11-24', 'garbage', cal)).toThrowError(expect.objectContaining({ code: 'date.invalid', field: 'today' }) as Error);
  });

  it('stands overdue, due today, due tomorrow (next working day) or on time', () => {
    expect(deadlineState('2026-11-24', '2026-11-25', cal)).toBe('overdue');
    expect(deadlineState('2026-11-24', '2026-11-24', cal)).toBe('due_today');
    expect(deadlineState('2026-11-30', '2026-11-27', cal)).toBe('due_tomorrow'); // Friday → Monday
    expect(deadlineState('2026-12-01', '2026-11-27', cal)).toBe('on_time');
  });
});

describe('the repeat-application rule', () => {
  const previous = { applicationDate: '2026-02-10', actId: 'act-1', residence: 'Алматы, Аксай-4, 12', composition: ['a', 'b', 'c'], incomeTiyn: 100_00 };
  const current = { residence: 'Алматы, Аксай-4, 12', composition: ['c', 'b', 'a'], incomeTiyn: 100_00 };
  it('reuses the last act within the year when nothing changed, and inspects otherwise', () => {
    expect(inspectionNeeded({ applicationDate: '2026-05-10', previous, current })).toEqual({ needed: false, reuseActId: 'act-1' });
    expect(inspectionNeeded({ applicationDate: '2026-05-10', previous: null, current })).toEqual({ needed: true, reason: 'first_application' });
    expect(inspectionNeeded({ applicationDate: '2027-01-10', previous, current })).toEqual({ needed: true, reason: 'earlier_year' });
    expect(inspectionNeeded({ applicationDate: '2026-05-10', previous, current: { ...current, residence: 'Алматы, Аксай-5, 1' } })).toMatchObject({ reason: 'residence_changed' });
    expect(inspectionNeeded({ applicationDate: '2026-05-10', previous, current: { ...current, composition: ['a', 'b'] } })).toMatchObject({ reason: 'composition_changed' });
    expect(inspectionNeeded({ applicationDate: '2026-05-10', previous, current: { ...current, incomeTiyn: 101_00 } })).toMatchObject({ reason: 'income_changed' });
  });
});

describe('versioning', () => {
  it('pins the rules version on the case and refuses an unknown one', () => {
    const s = startCase('district', { type: 'intake.registered', role: 'specialist', on: '2026-11-02' }, cal).state;
    expect(s.rulesVersion).toBe(CURRENT_RULES_VERSION);
    expect(() => go({ ...s, rulesVersion: 'regulation-1999' }, 'is.requested', 'specialist', '2026-11-02')).toThrow(DomainError);
    expect(() => transitionsOf('nope')).toThrowError(expect.objectContaining({ code: 'workflow.unknown_version', field: 'rulesVersion' }) as Error);
  });
});

describe('workflow properties', () => {
  const ALL_ROLES: Role[] = ['specialist', 'head', 'center', 'secretary'];
  it('any walk of allowed events keeps a known stage, and a closed case has no open deadline', () => {
    fc.assert(
      fc.property(fc.constantFrom('district', 'center'), fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), fc.nat({ max: 200 }), (channel, choices, startOffset) => {
        let on = cal.addWorkingDays('2026-01-05', startOffset);
        let s = startCase(channel as 'district' | 'center', { type: channel === 'center' ? 'center.intake_registered' : 'intake.registered', role: channel === 'center' ? 'center' : 'specialist', on }, cal).state;
        for (const c of choices) {
          if (TERMINAL_STAGES.includes(s.stage)) break;
          const options = ALL_ROLES.flatMap((role) => availableTransitions(s, role).map((t) => ({ t, role })));
          if (options.length === 0) break;
          const { t, role } = options[c % options.length]!;
          on = cal.addWorkingDays(on, c % 5);
          // The decision goes either way; every other fact is offered.
          const outcome = c % 3 === 0 ? 'refuse' : 'assign';
          const refusalGrounds = t.event === 'acceptance.refused' ? (['originals_not_brought'] as const) : outcome === 'refuse' ? (['incomplete_information'] as const) : [];
          try {
            s = go(s, t.event, role, on, { checklistComplete: true, conclusionOrReason: true, reuseAllowed: true, calculationChecked: true, outcome, refusalGrounds }).state;
          } catch (e) {
            // Only the time-based guards, and the kept outcome of a signed decision, may refuse such a walk.
            expect(['workflow.guard.originals_overdue', 'workflow.guard.originals_in_time', 'workflow.guard.signed_refusal', 'workflow.guard.signed_assignment']).toContain((e as DomainError).code);
          }
          for (const d of s.deadlines) expect(d.due > d.startedOn).toBe(true);
        }
        if (TERMINAL_STAGES.includes(s.stage)) expect(s.deadlines).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the deadlines board computation', () => {
  it('gives every case its due dates and states, agreeing with deadlineState one by one', async () => {
    const { currentDeadlines, deadlineState: one } = await import('../shared/domain/deadlines');
    const { formatDay: fmt } = await import('../shared/domain/dates');
    const starts = ['2026-11-10', '2026-11-13', '2026-11-16', '2026-11-19', '2026-11-20', '2026-11-23'];
    const board = currentDeadlines(starts.map((s, i) => ({ caseId: `c${i}`, deadlines: [{ id: 'send_to_commission' as const, startedOn: s }, { id: 'decision' as const, startedOn: s }] })), '2026-11-24', cal);
    expect(board).toHaveLength(6);
    for (const c of board) {
      for (const d of c.deadlines) expect(d.state).toBe(one(fmt(d.due), '2026-11-24', cal));
    }
    expect(board[0]!.deadlines[0]).toMatchObject({ state: 'overdue' });
    // 2 working days: Thu 19 → Mon 23 (overdue on the 24th), Fri 20 → Tue 24, Mon 23 → Wed 25.
    expect(board.map((c) => c.deadlines[0]!.state)).toEqual(['overdue', 'overdue', 'overdue', 'overdue', 'due_today', 'due_tomorrow']);
  });
});
