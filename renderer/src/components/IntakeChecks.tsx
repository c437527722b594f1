/**
 * The information-system checks and the counter's next step (regulation item 11.1 stage 2): ask, wait (the
 * request is queued and retried on its own while offline), read each answer beside what was declared, then
 * accept, or print the notice to bring the originals, record that they were brought, or refuse to accept after
 * the 3 working days. A demo office can move its clock forward to show the refusal.
 */
import { Alert, App as AntApp, Button, Checkbox, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, CasePage, IsStatus, OfficeStatus } from '../../../shared/contract/types';
import type { AppErrorValue } from '../../../shared/errors';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import type { EventType } from '../../../shared/events/catalogue';
import { receiptForm } from '../../../shared/domain/acts';
import { declaredValue, displayValue } from '../../../shared/domain/originals';
import { useSigning } from './useSigning';
import { showPdf } from './showPdf';
import { atOffice, formatDay } from '../time';
import { useSession } from '../store/session';
import { ROLE } from '../../../shared/roles';

type Request = IsStatus['requests'][number];


export function IntakeChecks(props: { detail: CaseDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { signed, modal } = useSigning();
  const [status, setStatus] = useState<IsStatus | null>(null);
  const [office, setOffice] = useState<OfficeStatus | null>(null);
  const [days, setDays] = useState(4);
  const caseId = props.detail.id;

  const reload = useCallback(async () => {
    const r = await call('intake.status', { caseId });
    if (r.ok) setStatus(r.value);
  }, [caseId]);
  useEffect(() => {
    void call('office.status', {}).then((r) => r.ok && setOffice(r.value));
  }, []);
  // Again whenever the case changes, here or by sync (an answer recorded on another workstation comes as its act).
  useEffect(() => {
    void reload();
  }, [reload, props.detail.version]);
  // The answer arrives in the background (or an attempt fails): the services say so, and only then is it read.
  usePush((event) => {
    if ((event.type === 'is.answered' || event.type === 'is.waiting') && event.caseId === caseId) void reload();
    // The administrator moved the demo clock: the deadline shown here may have passed.
    if (event.type === 'clock.changed') {
      void call('office.status', {}).then((r) => r.ok && setOffice(r.value));
      props.onChanged();
    }
  });
  // Only the administrator moves the demo office's clock; everyone sees that it moved.
  const isAdmin = useSession((s) => s.identity?.role === ROLE.admin);

  const fail = (error: AppErrorValue) => {
    const field = Object.values(error.fieldErrors ?? {})[0];
    void message.error(field ? t(field, error.params) : t(`errors.${error.code}`, { ...error.params, defaultValue: t('errors.internal') }));
  };
  const act = async (run: () => Promise<{ ok: boolean; error?: AppErrorValue; value?: unknown }>, done?: string) => {
    const r = await run();
    if (!r.ok && r.error) fail(r.error);
    else {
      if (done) void message.success(done);
      const pdf = (r.value as { pdfBase64?: string } | undefined)?.pdfBase64;
      if (pdf) showPdf(pdf);
    }
    await reload();
    props.onChanged();
  };

  // Registration in the journal: every scan compared with its original, each flagged page looked at (item 11.1 stage 3).
  const [registration, setRegistration] = useState<{ flagged: CasePage[]; reviewed: string[]; compared: boolean } | null>(null);
  const openRegistration = async () => {
    const r = await call('pages.list', { caseId });
    if (r.ok) setRegistration({ flagged: r.value.pages.filter((p) => p.quality.length > 0), reviewed: [], compared: false });
  };
  const register = async () => {
    if (!registration) return;
    const r = await signed('journal.register', { caseId, scansCompared: registration.compared, flagsReviewed: registration.reviewed });
    if (!r.ok) return fail(r.error);
    setRegistration(null);
    void message.success(t('journal.registered', { number: r.value.journalNumber }));
    await reload();
    props.onChanged();
  };

  const latest: Request | undefined = status?.requests[0];
  // What the signed-in person may do now comes from the workflow (the services' list), never re-coded here.
  const can = (type: EventType) => props.detail.available.includes(type);
  const askAgain = can('is.requested_again') || can('is.requested_at_center');
  const deadline = props.detail.deadlines.find((d) => d.id === 'originals_and_consent' && !d.stoppedOn);

  return (
    <div data-testid="intake-checks">
      {modal}
      <Space wrap style={{ marginBottom: 12 }}>
        {(can('is.requested') || (askAgain && latest?.status !== 'queued' && (can('is.requested_at_center') || latest !== undefined))) && (
          <Button type="primary" onClick={() => void act(() => signed('intake.requestChecks', { caseId }))}>
            {t('is.send')}
          </Button>
        )}
        {can('is.all_confirmed') && latest?.allConfirmed === true && (
          <Button type="primary" onClick={() => void act(() => signed('intake.accept', { caseId }), t('intake.accepted'))}>
            {t('intake.accept')}
          </Button>
        )}
        {can('is.mismatch_notified') && latest?.allConfirmed === false && (
          <Button danger onClick={() => void act(() => signed('intake.notifyMismatch', { caseId }))}>
            {t('intake.notify')}
          </Button>
        )}
        {can('originals.brought') && (
          <Button type="primary" onClick={() => void act(() => signed('intake.originalsBrought', { caseId }))}>
            {t('intake.originalsBrought')}
          </Button>
        )}
        {can('acceptance.refused') && (
          <Button danger onClick={() => void act(() => signed('intake.refuseAcceptance', { caseId }))}>
            {t('intake.refuse')}
          </Button>
        )}
        {can('form.issued') && receiptForm(props.detail.channel, props.detail.stage) !== null && (
          <Button
            type="primary"
            onClick={() =>
              void act(async () => {
                const r = await signed('forms.issueReceipt', { caseId });
                if (r.ok) void message.success(t('forms.issued', { code: r.value.verificationCode }));
                return r;
              })
            }
          >
            {t('forms.printReceipt')}
          </Button>
        )}
        {can('journal.registered') && (
          <Button onClick={() => void openRegistration()}>{t('journal.register')}</Button>
        )}
        {deadline && (
          <Tag color="orange" data-testid="originals-deadline">
            {t('deadline.originals_and_consent')}: {formatDay(deadline.due)}
          </Tag>
        )}
      </Space>
      <Modal open={registration !== null} title={t('journal.register')} okText={t('journal.register')} onOk={() => void register()} onCancel={() => setRegistration(null)} destroyOnHidden>
        <Checkbox checked={registration?.compared ?? false} onChange={(e) => registration && setRegistration({ ...registration, compared: e.target.checked })}>
          {t('journal.confirmScans')}
        </Checkbox>
        {registration && registration.flagged.length > 0 && (
          <div style={{ marginTop: 12 }} data-testid="flagged-pages">
            <Typography.Text strong>{t('journal.flagged')}</Typography.Text>
            {registration.flagged.map((p) => (
              <div key={p.pageId}>
                <Checkbox
                  checked={registration.reviewed.includes(p.pageId)}
                  onChange={(e) => setRegistration({ ...registration, reviewed: e.target.checked ? [...registration.reviewed, p.pageId] : registration.reviewed.filter((x) => x !== p.pageId) })}
                >
                  {t(`document.${p.documentKind}`, { defaultValue: p.documentKind })}, {t('pages.page', { n: p.position })}: {p.quality.map((f) => t(`quality.${f}`)).join(', ')}
                </Checkbox>
              </div>
            ))}
          </div>
        )}
      </Modal>
      {office?.clock.timeTravelAllowed && (isAdmin || office.clock.offsetDays > 0) && (
        <Space style={{ marginBottom: 12 }} wrap>
          {isAdmin && (
            <>
              <Typography.Text type="secondary">{t('demo.timeTravel')}</Typography.Text>
              <InputNumber aria-label={t('demo.timeTravel')} min={0} max={60} value={days} onChange={(v) => setDays(v ?? 0)} />
              <Button
                onClick={() =>
                  void call('demo.timeTravel', { days }).then((r) => {
                    if (!r.ok) return fail(r.error);
                    void message.info(t('demo.clockShifted', { days: r.value.days, today: formatDay(r.value.today) }));
                    void call('office.status', {}).then((s) => s.ok && setOffice(s.value));
                  })
                }
              >
                OK
              </Button>
            </>
          )}
          {office.clock.offsetDays > 0 && <Tag color="purple">{t('demo.clockShifted', { days: office.clock.offsetDays, today: formatDay(office.clock.today) })}</Tag>}
        </Space>
      )}
      {(status?.requests ?? []).map((r) => (
        <div key={r.requestId} style={{ marginBottom: 16 }} data-testid="is-request">
          <Typography.Text strong>
            {t('is.title')} · {atOffice(r.createdAt)}
          </Typography.Text>{' '}
          {r.status === 'queued' && <Tag color="blue">{t('is.waiting', { attempts: r.attempts })}</Tag>}
          {/* Offline is normal: the request waits here and is retried by itself; the person is told why it waits. */}
          {r.unreachable && <Alert style={{ marginTop: 8 }} type="warning" showIcon message={t('is.unreachable')} data-testid="is-unreachable" />}
          {r.status === 'rejected' && <Alert type="error" showIcon message={`${t('is.rejectedAnswer')}: ${t(`errors.${r.lastError}`, { defaultValue: r.lastError ?? '' })}`} />}
          {r.status === 'answered' && <Tag color={r.allConfirmed ? 'green' : 'red'}>{r.allConfirmed ? t('is.allConfirmed') : t('is.someNotConfirmed')}</Tag>}
          {r.answer && (
            <Table
              size="small"
              pagination={false}
              style={{ marginTop: 8 }}
              rowKey={(row) => `${row.iin}-${row.field}`}
              dataSource={r.answer.subjects.flatMap((s) => {
                const subject = r.declared.find((x) => x.iin === s.iin);
                const d = subject?.declared;
                return s.fields.map((f) => {
                  // What was declared for this field, as the notice prints it (shared/domain/originals.ts).
                  const declared = subject ? declaredValue(subject, f.field, props.detail.iin) : null;
                  return {
                    iin: s.iin,
                    person: d ? `${d.surname} ${d.givenName}` : s.iin,
                    field: f.field,
                    declared: declared ? displayValue(declared) : '—',
                    registry: f.registry ? displayValue(f.registry) : '—',
                    result: f.result,
                  };
                });
              })}
              columns={[
                { title: t('application.member'), dataIndex: 'person' },
                { title: t('is.fieldColumn'), dataIndex: 'field', render: (f: string) => t(`is.field.${f}`) },
                { title: t('is.declared'), dataIndex: 'declared' },
                { title: t('is.registry'), dataIndex: 'registry' },
                { title: t('application.status'), dataIndex: 'result', render: (x: string) => <Tag color={x === 'confirmed' ? 'green' : x === 'mismatch' ? 'red' : 'orange'}>{t(`is.result.${x}`)}</Tag> },
              ]}
            />
          )}
        </div>
      ))}
    </div>
  );
}
