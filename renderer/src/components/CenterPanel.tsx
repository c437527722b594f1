/**
 * The Center channel on one tab (regulation item 11.2). The Center specialist sends the electronic request,
 * sees a return with its Appendix 4 notice and re-sends, and hands the result over against the receipt. The district
 * specialist checks the request (its act's signature, every page and its signature, the item 13 checklist) and
 * returns it with the notice or accepts it for registration. The services enforce the same rules.
 */
import { Alert, App as AntApp, Button, Checkbox, Descriptions, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf, MethodName, ResultOf } from '../../../shared/contract/methods';
import type { CaseDetail, CenterPackageView } from '../../../shared/contract/types';
import type { EventType } from '../../../shared/events/catalogue';
import { citeDeadline, type DeadlineId } from '../../../shared/domain/deadlines';
import type { Language } from '../../../shared/i18n/messages';
import type { AppErrorValue, Result } from '../../../shared/errors';
import { call } from '../api/client';
import { showPdf } from './showPdf';
import { useSigning } from './useSigning';
import { STAGE } from '../../../shared/domain/workflow';
import { formatDay } from '../time';

/** The item 13 documents a notice may name (shared/domain/checklist.ts kinds). */
const DOCUMENTS = ['application_form', 'identity_document:citizen_id', 'birth_certificate', 'marriage_or_divorce_certificate', 'family_composition_form', 'family_income_form', 'residence_registration', 'guardianship_or_adoption', 'bank_account', 'notarised_power_of_attorney'] as const;

export function CenterPanel(props: { detail: CaseDetail; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const { signed, modal } = useSigning();
  const caseId = props.detail.id;
  const stage = props.detail.stage;
  const [view, setView] = useState<CenterPackageView | null>(null);
  const [checked, setChecked] = useState(false);
  const [missing, setMissing] = useState<{ documentKind: string; note: string }[]>([{ documentKind: 'bank_account', note: '' }]);
  const [receiptCode, setReceiptCode] = useState('');
  const [handedTo, setHandedTo] = useState('');
  const [busy, setBusy] = useState(false);
  const can = (type: EventType) => props.detail.available.includes(type);

  const reload = useCallback(async () => {
    const r = await call('center.inspect', { caseId });
    if (r.ok) setView(r.value);
  }, [caseId]);
  useEffect(() => {
    void reload();
  }, [reload, stage, props.detail.version]);

  const fail = (error: AppErrorValue) => {
    const field = Object.values(error.fieldErrors ?? {})[0];
    void message.error(field ? t(field, error.params) : t(`errors.${error.code}`, { ...error.params, defaultValue: t('errors.internal') }));
  };
  async function step<M extends MethodName>(method: M, input: InputOf<M>, done: (value: ResultOf<M>) => string): Promise<Result<ResultOf<M>>> {
    setBusy(true);
    const r = await signed(method, input);
    setBusy(false);
    if (!r.ok) fail(r.error);
    else {
      void message.success(done(r.value));
      const pdf = (r.value as { pdfBase64?: string }).pdfBase64;
      if (pdf) showPdf(pdf);
      await reload();
      props.onChanged();
    }
    return r;
  }
  const noticeMissing = props.detail.returnedIncomplete;
  const due = (id: string) => view?.deadlines.find((d) => d.id === id)?.due;
  /** A deadline as the board reads: what, by when, and where the regulation says it. */
  const deadlineLine = (id: DeadlineId) => {
    const d = due(id);
    return d ? `${t(`deadline.${id}`)} · ${t('center.due', { due: formatDay(d) })} · ${citeDeadline(id, i18n.language as Language)}` : '';
  };
  const docLabel = (kind: string) => t(`document.${kind}`, { defaultValue: t(`document.${kind.split(':')[0]}`) });

  return (
    <div data-testid="center-panel">
      {modal}
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        {view?.request && (
          <Descriptions size="small" column={2} bordered title={t('center.request')}>
            <Descriptions.Item label={t('center.actRow')} span={2}>
              {view.request.actValid ? <Tag color="green">{t('center.act', { signer: view.request.signer ?? '—' })}</Tag> : <Tag color="red">{t('center.actInvalid')}</Tag>}
              {view.request.resent && <Tag>{t('center.resentTag')}</Tag>}
            </Descriptions.Item>
            {due('district_check_center_package') && (
              <Descriptions.Item label={t('deadline.district_check_center_package')}>{t('center.due', { due: formatDay(due('district_check_center_package')) })}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('center.checklistLabel')}>{view.checklistComplete ? <Tag color="green">{t('center.checklist')}</Tag> : <Tag color="orange">{t('center.checklistIncomplete')}</Tag>}</Descriptions.Item>
          </Descriptions>
        )}

        {/* Stage 3–4, the district: every page and its signature, then return or accept. */}
        {stage === STAGE.center_sent && (can('center.package_accepted') || can('center.returned_incomplete')) && view && (
          <section>
            <Table
              size="small"
              rowKey="pageId"
              pagination={false}
              dataSource={view.pages}
              columns={[
                { title: t('center.document'), dataIndex: 'documentKind', render: (k: string) => docLabel(k) },
                { title: t('center.page'), dataIndex: 'position' },
                { title: t('case.outcome'), dataIndex: 'valid', render: (v: boolean) => <Tag color={v ? 'green' : 'red'}>{t(v ? 'center.pageValid' : 'center.pageInvalid')}</Tag> },
              ]}
            />
            <Space direction="vertical" style={{ marginTop: 12 }}>
              <Checkbox data-testid="center-pages-checked" checked={checked} onChange={(e) => setChecked(e.target.checked)}>
                {t('center.pagesChecked')}
              </Checkbox>
              <Button type="primary" data-testid="center-accept" loading={busy} onClick={() => void step('center.acceptPackage', { caseId, pagesChecked: checked }, () => t('center.accept'))}>
                {t('center.accept')}
              </Button>
              <Typography.Title level={5}>{t('center.return')}</Typography.Title>
              {missing.map((m, i) => (
                <Space key={i}>
                  <Select aria-label={t('center.missingDocument')} style={{ width: 320 }} value={m.documentKind} onChange={(v) => setMissing(missing.map((x, j) => (j === i ? { ...x, documentKind: v } : x)))} options={DOCUMENTS.map((d) => ({ value: d, label: docLabel(d) }))} />
                  <Input aria-label={t('center.missingNote')} placeholder={t('center.missingNote')} style={{ width: 420 }} value={m.note} onChange={(e) => setMissing(missing.map((x, j) => (j === i ? { ...x, note: e.target.value } : x)))} />
                </Space>
              ))}
              <Button danger data-testid="center-return" loading={busy} onClick={() => void step('center.returnIncomplete', { caseId, missing }, () => t('center.returned'))}>
                {t('center.return')}
              </Button>
            </Space>
          </section>
        )}

        {/* Stage 2 and 3, the Center: send, or after a return re-send. */}
        {stage === STAGE.center_intake && due('center_send_request') && <Alert type="info" showIcon data-testid="center-send-deadline" message={deadlineLine('center_send_request')} />}
        {stage === STAGE.returned_to_center && (
          <Alert
            type="warning"
            showIcon
            data-testid="center-notice"
            message={`${t('center.returned')} · ${deadlineLine('center_correct_and_resend')}`}
            description={noticeMissing.map((m) => `${docLabel(m.documentKind)}: ${m.note}`).join('; ')}
            action={
              <Button size="small" onClick={() => void call('forms.reprint', { caseId, form: 'missing_documents' }).then((r) => (r.ok ? showPdf(r.value.pdfBase64) : fail(r.error)))}>
                {t('form.missing_documents')}
              </Button>
            }
          />
        )}
        {(can('center.request_sent') || can('center.request_resent')) && (
          <Button type="primary" data-testid="center-send" loading={busy} onClick={() => void step('center.sendRequest', { caseId }, (v) => t('center.sent', { items: v.items, due: v.due ? formatDay(v.due) : '—' }))}>
            {t(stage === STAGE.returned_to_center ? 'center.resend' : 'center.send')}
          </Button>
        )}

        {/* Stage 5, the Center: the result handed over against the receipt given at intake. */}
        {can('center.notification_handed_over') && (
          <section>
            <Typography.Title level={5}>{t('center.toHandOver')}</Typography.Title>
            <Space wrap>
              {/* The Appendix 22 notification the district signed, printed here for the applicant. */}
              <Button data-testid="center-print-notification" onClick={() => void call('forms.reprint', { caseId, form: 'notification' }).then((r) => (r.ok ? showPdf(r.value.pdfBase64) : fail(r.error)))}>
                {t('form.notification')}
              </Button>
              <Input aria-label={t('center.receiptCode')} placeholder={t('center.receiptCode')} style={{ width: 220 }} value={receiptCode} onChange={(e) => setReceiptCode(e.target.value)} />
              <Input aria-label={t('center.handedTo')} placeholder={t('center.handedTo')} style={{ width: 320 }} value={handedTo} onChange={(e) => setHandedTo(e.target.value)} />
              <Button type="primary" data-testid="center-handover" loading={busy} onClick={() => void step('center.handover', { caseId, receiptCode, ...(handedTo ? { handedTo } : {}) }, () => t('center.handover'))}>
                {t('center.handover')}
              </Button>
            </Space>
          </section>
        )}
      </Space>
    </div>
  );
}
