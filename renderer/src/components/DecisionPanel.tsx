/**
 * From registration to notification on one tab (regulation item 11.1 stages 4–7): the referral to the precinct
 * commission (or the repeat-application rule), the act and the conclusion, the draft decision with the whole
 * calculation, the head's checklist with sign or return, the Appendix 22 notification and its delivery.
 * What shows depends on the case's stage and on who is signed in; the services enforce the same rules.
 */
import { Alert, App as AntApp, Button, Checkbox, Descriptions, Form, Input, Modal, Radio, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf, MethodName, ResultOf } from '../../../shared/contract/methods';
import type { CaseDetail, CommissionStatus, DecisionReview } from '../../../shared/contract/types';
import type { BenefitResult } from '../../../shared/domain/benefit';
import type { AppErrorValue, Result } from '../../../shared/errors';
import { formatTenge } from '../../../shared/forms/money';
import { call } from '../api/client';
import type { EventType } from '../../../shared/events/catalogue';
import { useSession } from '../store/session';
import { CalculationView } from './CalculationView';
import { CommissionSection, UTILITIES, type ActForm } from './CommissionSection';
import { showPdf } from './showPdf';
import { useSigning } from './useSigning';
import { atOffice, formatDay } from '../time';
import { STAGE } from '../../../shared/domain/workflow';

const EXTRA_GROUNDS = ['incomplete_information', 'unreliable_information'] as const;


export function DecisionPanel(props: { detail: CaseDetail; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const { signed, modal } = useSigning();
  const role = useSession((s) => s.identity?.role);
  const caseId = props.detail.id;
  const stage = props.detail.stage;
  const [commission, setCommission] = useState<CommissionStatus | null>(null);
  const [review, setReview] = useState<DecisionReview | null>(null);
  const [calculation, setCalculation] = useState<{ result: BenefitResult } | { error: AppErrorValue } | null>(null);
  const [precinct, setPrecinct] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<'assign' | 'refuse'>('assign');
  const [grounds, setGrounds] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [checks, setChecks] = useState<string[]>([]);
  const [returning, setReturning] = useState<string | null>(null);
  const [delivery, setDelivery] = useState<{ method: 'in_person' | 'post' | 'center'; handedTo: string; postalNumber: string }>({ method: props.detail.channel === 'center' ? 'center' : 'in_person', handedTo: '', postalNumber: '' });
  const [busy, setBusy] = useState(false);
  const [actForm] = Form.useForm<ActForm>();

  // The family as the application declares it: the act's table, where the commission notes each one's occupation.
  const [family, setFamily] = useState<{ id: string; name: string; relation: string }[]>([]);
  const reload = useCallback(async () => {
    const [c, r, k, a] = await Promise.all([call('commission.status', { caseId }), call('decision.review', { caseId }), call('decision.calculate', { caseId }), call('application.get', { caseId })]);
    if (a.ok && a.value.application) setFamily(a.value.application.members.map((m) => ({ id: m.id, relation: m.relation, name: [m.surname, m.givenName, m.patronymic].filter(Boolean).join(' ') })));
    if (c.ok) {
      setCommission(c.value);
      setPrecinct((p) => p ?? c.value.precincts[0]?.code);
    }
    if (r.ok) setReview(r.value);
    setCalculation(k.ok ? { result: k.value } : { error: k.error });
    if (k.ok && !k.value.eligible) setOutcome('refuse');
  }, [caseId]);
  // Again whenever the case changes, here or by sync: the head's notification changes no stage, and whether it is
  // signed (so whether the counter may hand it over) is read from the review.
  useEffect(() => {
    void reload();
  }, [reload, props.detail.version]);

  const fail = (error: AppErrorValue) => {
    const field = Object.values(error.fieldErrors ?? {})[0];
    void message.error(field ? t(field, error.params) : t(`errors.${error.code}`, { ...error.params, defaultValue: t('errors.internal') }));
  };
  /** Runs a signed step; a PDF it returns opens for printing. */
  async function step<M extends MethodName>(method: M, input: InputOf<M>, done: string): Promise<Result<ResultOf<M>>> {
    setBusy(true);
    const r = await signed(method, input);
    setBusy(false);
    if (!r.ok) fail(r.error);
    else {
      void message.success(done);
      const pdf = (r.value as { pdfBase64?: string }).pdfBase64;
      if (pdf) showPdf(pdf);
      await reload();
      props.onChanged();
    }
    return r;
  }
  const reprint = async (form: 'commission_referral' | 'commission_act' | 'commission_conclusion' | 'decision' | 'notification') => {
    const r = await call('forms.reprint', { caseId, form });
    if (r.ok) showPdf(r.value.pdfBase64);
    else fail(r.error);
  };

  // The certified forms of the case, as its view lists them.
  const documents = props.detail.forms;
  const precinctOf = commission?.precincts.find((p) => p.code === (commission.referral?.precinct ?? precinct));
  const precinctName = (p: CommissionStatus['precincts'][number]) => (i18n.language === 'kk' ? p.nameKk : p.nameRu);
  // What the signed-in person may do now comes from the workflow (the services' list), never re-coded here.
  const can = (type: EventType) => props.detail.available.includes(type);

  const submitAct = async () => {
    const v = await actForm.validateFields();
    await step(
      'commission.conclude',
      {
        caseId,
        act: {
          date: v.date.format('YYYY-MM-DD'),
          membersPresent: v.membersPresent,
          housing: { type: v.housingType, ownership: v.ownership, rooms: v.rooms, areaM2: v.areaM2, utilities: v.utilities as (typeof UTILITIES)[number][] },
          property: { vehicles: v.vehicles ?? '', livestock: v.livestock ?? '', land: v.land ?? '' },
          familyAsFound: v.familyAsFound,
          observations: v.observations ?? '',
          occupations: Object.fromEntries(Object.entries(v.occupations ?? {}).filter(([, o]) => o?.trim())),
        },
        conclusion: { needs: v.needs, grounds: v.grounds, members: v.signedBy },
      },
      t('commission.ui.concluded'),
    );
  };

  const calcView =
    calculation && 'result' in calculation ? (
      <CalculationView result={calculation.result} />
    ) : calculation ? (
      <Alert type="error" showIcon message={t(`errors.${calculation.error.code}`, { ...calculation.error.params, defaultValue: t('errors.internal') })} />
    ) : null;

  return (
    <div data-testid="decision-panel">
      {modal}
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        {/* Stage 4: the commission. */}
        <CommissionSection {...{ caseId, stage, role, commission, precinct, setPrecinct, precinctOf, precinctName, busy, can, reprint, submitAct, documents, family, actForm, step }} />

        {/* Stages 5–6: the draft, the head's checklist, the decision. */}
        {([STAGE.conclusion_received, STAGE.decision_drafted, STAGE.decided, STAGE.notification_at_center, STAGE.closed] as string[]).includes(stage) && (
          <section>
            <Typography.Title level={5}>{t('decision.ui.title')}</Typography.Title>
            {stage === STAGE.conclusion_received && review?.returned.length ? (
              <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="returned-comment" message={t('decision.ui.returned')} description={review.returned.map((r) => `${atOffice(r.at)}: ${r.comment}`).join('\n')} />
            ) : null}
            {stage === STAGE.conclusion_received && (
              <>
                {calcView}
                {can('decision.drafted') && (
                  <Space direction="vertical" style={{ marginTop: 12 }}>
                    <Radio.Group
                      aria-label={t('decision.ui.outcome')}
                      value={outcome}
                      onChange={(e) => setOutcome(e.target.value as 'assign' | 'refuse')}
                      options={[
                        { value: 'assign', label: t('decision.ui.assign') },
                        { value: 'refuse', label: t('decision.ui.refuse') },
                      ]}
                    />
                    {outcome === 'refuse' && <Checkbox.Group value={grounds} onChange={(v) => setGrounds(v as string[])} options={EXTRA_GROUNDS.map((g) => ({ value: g, label: t(`ground.${g}`) }))} />}
                    <Input.TextArea aria-label={t('decision.ui.note')} placeholder={t('decision.ui.note')} rows={2} value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 600 }} />
                    <Button type="primary" loading={busy} onClick={() => void step('decision.draft', { caseId, outcome, refusalGrounds: outcome === 'refuse' ? (grounds as (typeof EXTRA_GROUNDS)[number][]) : [], note: note || undefined }, t('decision.ui.drafted'))}>
                      {t('decision.ui.signDraft')}
                    </Button>
                  </Space>
                )}
              </>
            )}
            {stage === STAGE.decision_drafted && review?.draft && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Descriptions size="small" column={2} bordered>
                  <Descriptions.Item label={t('decision.ui.outcome')}>
                    <Tag color={review.draft.outcome === 'assign' ? 'green' : 'red'}>{t(`decision.ui.${review.draft.outcome}`)}</Tag>
                    {review.draft.refusalGrounds.map((g) => t(`ground.${g}`)).join('; ')}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('decision.ui.drafter')}>{review.draft.drafter.name}</Descriptions.Item>
                  <Descriptions.Item label={t('decision.ui.recomputed')} span={2}>
                    <Tag data-testid="recompute-match" color={review.matches ? 'green' : 'red'}>
                      {review.matches ? t('decision.ui.matches') : t('decision.ui.differs')}
                    </Tag>
                    {review.recomputeError && t(`errors.${review.recomputeError}`)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('decision.ui.pages')}>{review.pages}</Descriptions.Item>
                  <Descriptions.Item label={t('decision.ui.flags')}>
                    {review.flaggedPages.length === 0
                      ? t('quality.ok')
                      : review.flaggedPages.map((p) => `${t(`document.${p.documentKind}`, { defaultValue: p.documentKind })} · ${t('pages.page', { n: p.position })}: ${p.quality.map((q) => t(`quality.${q}`)).join(', ')} ${p.reviewedAtRegistration ? '✓' : ''}`).join('; ')}
                  </Descriptions.Item>
                  {review.draft.note && <Descriptions.Item label={t('decision.ui.note')} span={2}>{review.draft.note}</Descriptions.Item>}
                </Descriptions>
                <CalculationView result={review.draft.calculation} testId="draft-calculation" />
                {can('decision.signed') ? (
                  <Space direction="vertical">
                    <Checkbox.Group
                      data-testid="head-checklist"
                      value={checks}
                      onChange={(v) => setChecks(v as string[])}
                      style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
                      options={['documentsMatchPaper', 'qualityFlagsResolved', 'calculationMatches'].map((c) => ({ value: c, label: t(`decision.ui.check.${c}`) }))}
                    />
                    <Space>
                      <Button
                        type="primary"
                        loading={busy}
                        disabled={checks.length < 3}
                        onClick={() =>
                          void step(
                            'decision.sign',
                            { caseId, documentsMatchPaper: checks.includes('documentsMatchPaper'), qualityFlagsResolved: checks.includes('qualityFlagsResolved'), calculationMatches: checks.includes('calculationMatches') },
                            t('decision.ui.signed'),
                          )
                        }
                      >
                        {t('decision.ui.sign')}
                      </Button>
                      {can('decision.returned') && (
                        <Button danger onClick={() => setReturning('')}>
                          {t('decision.ui.return')}
                        </Button>
                      )}
                    </Space>
                  </Space>
                ) : (
                  <Alert type="info" showIcon message={t('decision.ui.waitingHead')} />
                )}
              </Space>
            )}
            {review?.decision && (
              <Descriptions size="small" column={2} bordered data-testid="signed-decision">
                <Descriptions.Item label={t('decision.ui.number')}>{review.decision.decisionNumber}</Descriptions.Item>
                <Descriptions.Item label={t('decision.ui.outcome')}>
                  <Tag color={review.decision.decision.outcome === 'assign' ? 'green' : 'red'}>{t(`decision.ui.outcome_${review.decision.decision.outcome}`)}</Tag>
                </Descriptions.Item>
                {review.decision.decision.outcome === 'assign' ? (
                  <>
                    <Descriptions.Item label={t('calc.monthly')}>{formatTenge(review.decision.monthlyAmountTiyn)} ₸</Descriptions.Item>
                    <Descriptions.Item label={t('calc.period')}>{review.decision.period ? `${formatDay(review.decision.period.from)} – ${formatDay(review.decision.period.to)}` : '—'}</Descriptions.Item>
                  </>
                ) : (
                  <Descriptions.Item label={t('calc.refusal')} span={2}>{review.decision.decision.refusalGrounds.map((g) => t(`ground.${g}`)).join('; ')}</Descriptions.Item>
                )}
                <Descriptions.Item label={t('decision.ui.documents')} span={2}>
                  <Space>
                    <Button size="small" onClick={() => void reprint('decision')}>{t('form.decision')}</Button>
                    {review.notificationIssued && <Button size="small" onClick={() => void reprint('notification')}>{t('form.notification')}</Button>}
                  </Space>
                </Descriptions.Item>
              </Descriptions>
            )}
          </section>
        )}

        {/* Stage 7: the notification and its delivery. */}
        {stage === STAGE.decided && (
          <section>
            <Typography.Title level={5}>{t('notification.ui.title')}</Typography.Title>
            {!review?.notificationIssued ? (
              can('notification.issued') ? (
                <Button type="primary" loading={busy} onClick={() => void step('notification.issue', { caseId }, t('notification.ui.issued'))}>
                  {t('notification.ui.issue')}
                </Button>
              ) : (
                <Alert type="info" showIcon message={t('notification.ui.waitingHead')} />
              )
            ) : can('notification.delivered') || can('notification.passed_to_center') || can('refusal.returned_to_center') ? (
              <Space direction="vertical">
                <Radio.Group
                  value={delivery.method}
                  onChange={(e) => setDelivery({ ...delivery, method: e.target.value as typeof delivery.method })}
                  options={(props.detail.channel === 'center' ? (['center'] as const) : (['in_person', 'post'] as const)).map((m) => ({ value: m, label: t(`notification.method.${m}`) }))}
                />
                {delivery.method === 'in_person' && <Input aria-label={t('notification.ui.handedTo')} placeholder={t('notification.ui.handedTo')} value={delivery.handedTo} onChange={(e) => setDelivery({ ...delivery, handedTo: e.target.value })} style={{ width: 420 }} />}
                {delivery.method === 'post' && <Input aria-label={t('notification.ui.postalNumber')} placeholder={t('notification.ui.postalNumber')} value={delivery.postalNumber} onChange={(e) => setDelivery({ ...delivery, postalNumber: e.target.value })} style={{ width: 260 }} />}
                <Button
                  type="primary"
                  loading={busy}
                  onClick={() =>
                    void step(
                      'notification.deliver',
                      { caseId, method: delivery.method, handedTo: delivery.method === 'in_person' ? delivery.handedTo : undefined, postalNumber: delivery.method === 'post' ? delivery.postalNumber : undefined },
                      t('notification.ui.delivered'),
                    )
                  }
                >
                  {t('notification.ui.deliver')}
                </Button>
              </Space>
            ) : (
              <Alert type="info" showIcon message={t('notification.ui.waitingSpecialist')} />
            )}
          </section>
        )}
      </Space>
      <Modal open={returning !== null} title={t('decision.ui.return')} okText={t('decision.ui.return')} okButtonProps={{ danger: true, disabled: !returning?.trim() }} onCancel={() => setReturning(null)} destroyOnHidden
        onOk={() => void step('decision.return', { caseId, comment: returning ?? '' }, t('decision.ui.returnedDone')).then((r) => r.ok && setReturning(null))}>
        <Input.TextArea aria-label={t('decision.ui.comment')} placeholder={t('decision.ui.comment')} rows={3} value={returning ?? ''} onChange={(e) => setReturning(e.target.value)} autoFocus />
      </Modal>
    </div>
  );
}
