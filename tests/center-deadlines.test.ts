/**
 * Every deadline of item 11.2 (the Center channel), counted by the workflow on the real calendar around holidays:
 * Nauryz 2026 (21–23 March, carried to 24 and 25 March) and May 2026 (7 May; 9 May a Saturday carried to Monday
 * 11 May; Kurban Ait on 27 May). The due dates were counted by hand from the calendar (shared/domain/README.md).
 */
import { describe, expect, it } from 'vitest';
import { seedCalendar } from '../shared/domain/calendar';
import { DEADLINE_SIDE, DEADLINES, citeDeadline, type DeadlineId } from '../shared/domain/deadlines';
import { applyEvent, startCase, type CaseState, type GuardContext } from '../shared/domain/workflow';
import type { Role } from '../shared/roles';

const cal = seedCalendar();
const go = (s: CaseState, type: string, role: Role, on: string, ctx: GuardContext = {}) => applyEvent(s, { type, role, on }, ctx, cal);
const open = (s: CaseState, id: DeadlineId) => s.deadlines.find((d) => d.id === id);

describe('item 11.2 deadlines around Nauryz 2026, through a return and a refusal', () => {
  it('counts each from its own day, starts the 2-day check again on the re-send, and the refusal return from the full package', () => {
    for (const day of ['2026-03-21', '2026-03-23', '2026-03-24', '2026-03-25']) expect(cal.isWorkingDay(day), day).toBe(false);
    // Taken on Thursday 19 March: 3 working days to send (Fri 20, Thu 26, Fri 27).
    let s = startCase('center', { type: 'center.intake_registered', role: 'center', on: '2026-03-19' }, cal).state;
    expect(open(s, 'center_send_request')).toEqual({ id: 'center_send_request', startedOn: '2026-03-19', due: '2026-03-27' });
    // Sent on Friday 20 March: the district's 2 days are Thu 26 and Fri 27.
    const sent = go(s, 'center.request_sent', 'center', '2026-03-20');
    expect(sent.stopped).toEqual([expect.objectContaining({ id: 'center_send_request', met: true })]);
    expect(sent.started).toEqual([{ id: 'district_check_center_package', startedOn: '2026-03-20', due: '2026-03-27' }]);
    // Returned on Thursday 26 March: the Center's 3 days are Fri 27, Mon 30, Tue 31.
    const returned = go(sent.state, 'center.returned_incomplete', 'specialist', '2026-03-26');
    expect(returned.started).toEqual([{ id: 'center_correct_and_resend', startedOn: '2026-03-26', due: '2026-03-31' }]);
    // Re-sent on Monday 30 March: the 2-day check starts again (Tue 31, Wed 1 April).
    const resent = go(returned.state, 'center.request_resent', 'center', '2026-03-30');
    expect(resent.started).toEqual([{ id: 'district_check_center_package', startedOn: '2026-03-30', due: '2026-04-01' }]);
    expect(resent.state.fullPackageOn).toBe('2026-03-30');
    // Only the Center may re-send, only the district may return or accept.
    expect(() => go(returned.state, 'center.request_resent', 'specialist', '2026-03-30')).toThrow();
    expect(() => go(resent.state, 'center.package_accepted', 'center', '2026-03-31', { checklistComplete: true })).toThrow();
    s = go(resent.state, 'center.package_accepted', 'specialist', '2026-03-31', { checklistComplete: true }).state;
    // Registered on Tuesday 31 March: 7 working days for the decision (1, 2, 3, 6, 7, 8, 9 April).
    const registered = go(s, 'journal.registered', 'specialist', '2026-03-31', { checklistComplete: true });
    expect(registered.started).toEqual(expect.arrayContaining([{ id: 'decision', startedOn: '2026-03-31', due: '2026-04-09' }, { id: 'send_to_commission', startedOn: '2026-03-31', due: '2026-04-02' }]));
    s = go(registered.state, 'commission.referred', 'specialist', '2026-04-01').state;
    s = go(s, 'commission.concluded', 'specialist', '2026-04-02').state;
    s = go(s, 'decision.drafted', 'specialist', '2026-04-03', { conclusionOrReason: true, outcome: 'refuse', refusalGrounds: ['income_not_below_threshold'] }).state;
    // Refused on Monday 6 April: 5 days to notify (7, 8, 9, 10, 13 April); the full package goes back within 7
    // working days of its receipt on 30 March (31 March, 1, 2, 3, 6, 7, 8 April), item 10 paragraph 9.
    const signed = go(s, 'decision.signed', 'head', '2026-04-06', { outcome: 'refuse', refusalGrounds: ['income_not_below_threshold'], calculationChecked: true });
    expect(signed.started).toEqual([
      { id: 'notification', startedOn: '2026-04-06', due: '2026-04-13' },
      { id: 'center_refusal_return', startedOn: '2026-03-30', due: '2026-04-08' },
    ]);
    const back = go(signed.state, 'refusal.returned_to_center', 'specialist', '2026-04-09');
    expect(back.stopped.map((d) => [d.id, d.met])).toEqual([
      ['notification', true],
      ['center_refusal_return', false],
    ]);
    expect(go(back.state, 'center.notification_handed_over', 'center', '2026-04-10').state.stage).toBe('closed');
  });
});

describe('item 11.2 deadlines around the May holidays of 2026', () => {
  it('skips 7 May, the carried 11 May and Kurban Ait on 27 May', () => {
    for (const day of ['2026-05-07', '2026-05-11', '2026-05-27']) expect(cal.isWorkingDay(day), day).toBe(false);
    expect(cal.isWorkingDay('2026-05-08')).toBe(true);
    // Taken on Wednesday 6 May: Fri 8, Tue 12, Wed 13 May.
    let s = startCase('center', { type: 'center.intake_registered', role: 'center', on: '2026-05-06' }, cal).state;
    expect(open(s, 'center_send_request')?.due).toBe('2026-05-13');
    // Sent on Friday 8 May: Tue 12 and Wed 13 May to check.
    const sent = go(s, 'center.request_sent', 'center', '2026-05-08');
    expect(sent.started).toEqual([{ id: 'district_check_center_package', startedOn: '2026-05-08', due: '2026-05-13' }]);
    // Returned on Tuesday 26 May: Thu 28, Fri 29 May, Mon 1 June to correct.
    s = go(sent.state, 'center.returned_incomplete', 'specialist', '2026-05-26').state;
    expect(open(s, 'center_correct_and_resend')?.due).toBe('2026-06-01');
    s = go(s, 'center.request_resent', 'center', '2026-05-29').state;
    s = go(s, 'center.package_accepted', 'specialist', '2026-05-29', { checklistComplete: true }).state;
    // Registered at the district on Friday 29 May: 7 working days are 1, 2, 3, 4, 5, 8, 9 June.
    s = go(s, 'journal.registered', 'specialist', '2026-05-29', { checklistComplete: true }).state;
    expect(open(s, 'decision')?.due).toBe('2026-06-09');
    s = go(s, 'commission.referred', 'specialist', '2026-06-01').state;
    s = go(s, 'commission.concluded', 'specialist', '2026-06-02').state;
    s = go(s, 'decision.drafted', 'specialist', '2026-06-03', { conclusionOrReason: true, outcome: 'assign', refusalGrounds: [] }).state;
    const signed = go(s, 'decision.signed', 'head', '2026-06-05', { outcome: 'assign', refusalGrounds: [], calculationChecked: true });
    // An assignment starts no refusal return; the notification is due 5 working days on (8–12 June).
    expect(signed.started).toEqual([{ id: 'notification', startedOn: '2026-06-05', due: '2026-06-12' }]);
    const passed = go(signed.state, 'notification.passed_to_center', 'specialist', '2026-06-08');
    expect(passed.state.stage).toBe('notification_at_center');
    expect(() => go(passed.state, 'center.notification_handed_over', 'specialist', '2026-06-08')).toThrow();
  });
});

describe('who must meet each deadline, and where the law says it', () => {
  it('puts the sending and the correction on the Center’s board and the rest on the district’s, each with its source and starting day', () => {
    expect(Object.entries(DEADLINE_SIDE).filter(([, side]) => side === 'center').map(([id]) => id).sort()).toEqual(['center_correct_and_resend', 'center_queue', 'center_send_request']);
    const rows = (['center_send_request', 'district_check_center_package', 'center_correct_and_resend', 'decision', 'notification', 'center_refusal_return'] as const).map((id) => [id, DEADLINES[id].limit, DEADLINE_SIDE[id], citeDeadline(id, 'ru'), DEADLINES[id].countedFrom.ru]);
    expect(rows).toEqual([
      ['center_send_request', 3, 'center', 'подпункт 2) пункта 11 Регламента', 'с приёма в ЦОН'],
      ['district_check_center_package', 2, 'district', 'абзац 10 пункта 10 Регламента', 'с получения электронного запроса'],
      ['center_correct_and_resend', 3, 'center', 'подпункт 2) пункта 11 Регламента', 'с получения уведомления'],
      ['decision', 7, 'district', 'подпункт 1) пункта 11 Регламента', 'с регистрации документов'],
      ['notification', 5, 'district', 'подпункт 1) пункта 11 Регламента', 'с решения'],
      ['center_refusal_return', 7, 'district', 'абзац 9 пункта 10 Регламента', 'с получения полного пакета'],
    ]);
  });
});
