/**
 * Stage 4 of item 11.1 on the case's decision tab: the referral to the precinct commission (or the repeat-application
 * rule), the commission's act entered from its paper, and the conclusion, each with its printed form.
 */
import { Alert, Button, Checkbox, DatePicker, Descriptions, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InputOf, MethodName } from '../../../shared/contract/methods';
import type { CommissionStatus } from '../../../shared/contract/types';
import type { EventType } from '../../../shared/events/catalogue';
import { officeToday, formatDay, dayFormat } from '../time';
import { BEFORE_REGISTRATION, STAGE, type Stage } from '../../../shared/domain/workflow';
import { ROLE } from '../../../shared/roles';

const HOUSING = ['apartment', 'house', 'dormitory', 'rented_room', 'other'] as const;
const OWNERSHIP = ['own', 'rented', 'relatives', 'state', 'other'] as const;
export const UTILITIES = ['electricity', 'water', 'gas', 'heating', 'sewerage'] as const;

export interface ActForm {
  date: Dayjs;
  membersPresent: string[];
  housingType: (typeof HOUSING)[number];
  ownership: (typeof OWNERSHIP)[number];
  rooms: number;
  areaM2: number;
  utilities: string[];
  vehicles?: string;
  livestock?: string;
  land?: string;
  familyAsFound: string;
  observations?: string;
  needs: boolean;
  grounds: string;
  signedBy: string[];
  /** Each member's occupation as the commission found it, by member id (the act's family table). */
  occupations?: Record<string, string>;
}

type Printed = 'commission_referral' | 'commission_act' | 'commission_conclusion' | 'decision' | 'notification';

export function CommissionSection(props: {
  caseId: string;
  stage: string;
  role: string | undefined;
  commission: CommissionStatus | null;
  precinct: string | undefined;
  setPrecinct: (code: string | undefined) => void;
  precinctOf: CommissionStatus['precincts'][number] | undefined;
  precinctName: (p: CommissionStatus['precincts'][number]) => string;
  busy: boolean;
  can: (type: EventType) => boolean;
  reprint: (form: Printed) => Promise<void>;
  submitAct: () => Promise<void>;
  documents: string[];
  family: { id: string; name: string; relation: string }[];
  actForm: FormInstance<ActForm>;
  /** Performs a signed act and says it is done (the panel's one way to act). */
  step: <M extends MethodName>(method: M, input: InputOf<M>, done: string) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const { caseId, stage, role, commission, precinct, setPrecinct, precinctOf, precinctName, busy, can, reprint, submitAct, documents, family, actForm, step } = props;
  return (
        <section>
          <Typography.Title level={5}>{t('commission.ui.title')}</Typography.Title>
          {BEFORE_REGISTRATION.includes(stage as Stage) && <Alert type="info" showIcon data-testid="commission-after-registration" message={t('commission.ui.afterRegistration')} />}
          {commission?.rule && stage === STAGE.registered && (
            <Alert
              type={commission.rule.needed ? 'info' : 'success'}
              showIcon
              style={{ marginBottom: 8 }}
              message={commission.rule.needed ? t('commission.ui.needed', { reason: t(`commission.reason.${commission.rule.reason}`) }) : t('commission.ui.notNeeded', { number: commission.rule.previous?.caseNumber })}
            />
          )}
          {can('commission.referred') && commission && commission.precincts.length === 0 && (
            <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('commission.ui.noPrecincts')} />
          )}
          {can('commission.referred') && (
            <Space wrap>
              <Select
                aria-label={t('commission.ui.precinct')}
                style={{ width: 420 }}
                value={precinct}
                onChange={setPrecinct}
                options={commission?.precincts.map((p) => ({ value: p.code, label: precinctName(p) }))}
              />
              {/* Until the office's precincts have loaded there is none to refer to: a click then did nothing at all. */}
              <Button type="primary" loading={busy} disabled={!precinct} onClick={() => precinct && void step('commission.refer', { caseId, precinctCode: precinct }, t('commission.ui.referred'))}>
                {t('commission.ui.refer')}
              </Button>
              {can('commission.act_reused') && commission?.rule && !commission.rule.needed && (
                <Button loading={busy} onClick={() => void step('commission.reuse', { caseId }, t('commission.ui.reused'))}>
                  {t('commission.ui.reuse')}
                </Button>
              )}
            </Space>
          )}
          {commission?.referral && (
            <Descriptions size="small" column={1} bordered data-testid="referral">
              <Descriptions.Item label={t('commission.ui.precinct')}>{precinctOf ? precinctName(precinctOf) : commission.referral.precinct}</Descriptions.Item>
              <Descriptions.Item label={t('commission.ui.due')}>
                {formatDay(commission.referral.due)} <Button size="small" onClick={() => void reprint('commission_referral')}>{t('form.commission_referral')}</Button>
              </Descriptions.Item>
            </Descriptions>
          )}
          {can('commission.concluded') && (
            <Form
              form={actForm}
              layout="vertical"
              style={{ marginTop: 12, maxWidth: 760 }}
              initialValues={{ date: officeToday(), membersPresent: precinctOf?.members.map((m) => m.name) ?? [], signedBy: precinctOf?.members.map((m) => m.name) ?? [], housingType: 'apartment', ownership: 'own', rooms: 2, areaM2: 50, utilities: ['electricity', 'water'], needs: true }}
              data-testid="commission-act"
            >
              {role !== ROLE.secretary && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('commission.ui.paperFirst')} />}
              <Space wrap align="start">
                <Form.Item name="date" label={t('commission.ui.actDate')} rules={[{ required: true, message: t('field.required') }]}>
                  <DatePicker format={dayFormat()} allowClear={false} />
                </Form.Item>
                <Form.Item name="housingType" label={t('commission.ui.housing')}>
                  <Select style={{ width: 180 }} options={HOUSING.map((h) => ({ value: h, label: t(`commission.housing.${h}`) }))} />
                </Form.Item>
                <Form.Item name="ownership" label={t('commission.ui.ownership')}>
                  <Select style={{ width: 160 }} options={OWNERSHIP.map((h) => ({ value: h, label: t(`commission.ownership.${h}`) }))} />
                </Form.Item>
                <Form.Item name="rooms" label={t('commission.ui.rooms')}>
                  <InputNumber min={0} max={50} />
                </Form.Item>
                <Form.Item name="areaM2" label={t('commission.ui.area')}>
                  <InputNumber min={0} max={2000} step={0.1} />
                </Form.Item>
              </Space>
              <Form.Item name="membersPresent" label={t('commission.ui.present')} rules={[{ required: true, message: t('field.required') }]}>
                <Checkbox.Group options={precinctOf?.members.map((m) => ({ value: m.name, label: m.name })) ?? []} />
              </Form.Item>
              <Form.Item name="utilities" label={t('commission.ui.utilities')}>
                <Checkbox.Group options={UTILITIES.map((u) => ({ value: u, label: t(`commission.utility.${u}`) }))} />
              </Form.Item>
              <Space wrap>
                <Form.Item name="vehicles" label={t('commission.ui.vehicles')}>
                  <Input style={{ width: 230 }} />
                </Form.Item>
                <Form.Item name="livestock" label={t('commission.ui.livestock')}>
                  <Input style={{ width: 230 }} />
                </Form.Item>
                <Form.Item name="land" label={t('commission.ui.land')}>
                  <Input style={{ width: 230 }} />
                </Form.Item>
              </Space>
              {family.length > 0 && (
                <div data-testid="act-occupations" style={{ marginBottom: 12 }}>
                  <Typography.Text strong>{t('pdf.act.occupation')}</Typography.Text>
                  {family.map((m) => (
                    <Form.Item key={m.id} name={['occupations', m.id]} label={`${m.name} (${t(`relation.${m.relation}`)})`} style={{ marginBottom: 4 }}>
                      <Input style={{ width: 420 }} />
                    </Form.Item>
                  ))}
                </div>
              )}
              <Form.Item name="familyAsFound" label={t('commission.ui.familyAsFound')} rules={[{ required: true, message: t('field.required') }]}>
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item name="observations" label={t('commission.ui.observations')}>
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item name="needs" label={t('commission.ui.conclusion')}>
                <Radio.Group options={[{ value: true, label: t('commission.ui.needs') }, { value: false, label: t('commission.ui.notNeeds') }]} />
              </Form.Item>
              <Form.Item name="grounds" label={t('commission.ui.grounds')} rules={[{ required: true, message: t('field.required') }]}>
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item name="signedBy" label={t('commission.ui.signedBy')} rules={[{ required: true, message: t('field.required') }]}>
                <Checkbox.Group options={precinctOf?.members.map((m) => ({ value: m.name, label: m.name })) ?? []} />
              </Form.Item>
              <Button type="primary" loading={busy} onClick={() => void submitAct().catch(() => undefined)}>
                {t('commission.ui.saveConclusion')}
              </Button>
            </Form>
          )}
          {commission?.conclusion && (
            <Alert
              data-testid="commission-conclusion"
              type="success"
              showIcon
              message={
                commission.conclusion.type === 'commission.act_reused'
                  ? t('commission.ui.actReused', { number: commission.conclusion.previous?.caseNumber })
                  : `${commission.conclusion.conclusion?.needs ? t('commission.ui.needs') : t('commission.ui.notNeeds')}: ${commission.conclusion.conclusion?.grounds ?? ''}`
              }
              description={
                commission.conclusion.act ? (
                  <>
                    {`${formatDay(commission.conclusion.act.date)} · ${commission.conclusion.conclusion?.members.join(', ')}`}
                    {documents.includes('commission_act') && (
                      <Space style={{ marginTop: 6, display: 'flex' }} data-testid="commission-forms">
                        <Button size="small" onClick={() => void reprint('commission_act')}>{t('form.commission_act')}</Button>
                        <Button size="small" onClick={() => void reprint('commission_conclusion')}>{t('form.commission_conclusion')}</Button>
                      </Space>
                    )}
                  </>
                ) : undefined
              }
            />
          )}
        </section>
  );
}
