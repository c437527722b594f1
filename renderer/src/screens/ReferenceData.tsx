/**
 * The reference data decisions rest on (benefit.md §2; regulation item 11.1 stage 4): the food-basket thresholds
 * of the office's region with their source, newest first, and the precinct commissions. The administrator enters
 * a quarter's official threshold with its source; it replaces a seeded assumption for that quarter.
 */
import { App, Button, Card, Form, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Precinct, ThresholdRow } from '../../../shared/contract/types';
import { formatTenge } from '../../../shared/forms/money';
import { thresholdNote } from '../../../shared/domain/threshold-notes';
import type { Language } from '../../../shared/i18n/messages';
import { call } from '../api/client';
import { useSession } from '../store/session';
import { officeToday } from '../time';
import { ROLE } from '../../../shared/roles';

export function ReferenceData() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const identity = useSession((s) => s.identity)!;
  const [thresholds, setThresholds] = useState<ThresholdRow[]>([]);
  const [precincts, setPrecincts] = useState<Precinct[]>([]);
  const [form] = Form.useForm<{ year: number; quarter: number; tenge: number; source: string }>();
  const [precinctForm] = Form.useForm<{ code: string; nameKk: string; nameRu: string; chair: string; secretary: string; members?: string; source: string }>();

  const load = useCallback(async () => {
    const [th, pr] = await Promise.all([call('reference.thresholds', {}), call('reference.precincts', {})]);
    if (th.ok) setThresholds(th.value);
    if (pr.ok) setPrecincts(pr.value);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async () => {
    const v = await form.validateFields();
    const r = await call('reference.setThreshold', { year: v.year, quarter: v.quarter, tiyn: Math.round(v.tenge * 100), source: v.source });
    if (!r.ok) {
      const [field] = Object.values(r.error.fieldErrors ?? {});
      void message.error(field ? t(field) : t(`errors.${r.error.code}`, { ...r.error.params, defaultValue: t('errors.internal') }));
      return;
    }
    void message.success(t('reference.saved', { quarter: v.quarter, year: v.year }));
    form.resetFields(['tenge', 'source']);
    await load();
  };

  /** The city department's administrator sets a precinct commission: a signed reference act for every workstation. */
  const savePrecinct = async () => {
    const v = await precinctForm.validateFields();
    const others = (v.members ?? '').split(',').map((m) => m.trim()).filter(Boolean);
    const members = [{ name: v.chair.trim(), role: 'chair' as const }, ...others.map((name) => ({ name, role: 'member' as const })), { name: v.secretary.trim(), role: 'secretary' as const }];
    const r = await call('reference.setPrecinct', { code: v.code.trim().toUpperCase(), nameKk: v.nameKk, nameRu: v.nameRu, members, source: v.source });
    if (!r.ok) {
      const [field] = Object.values(r.error.fieldErrors ?? {});
      void message.error(field ? t(field) : t(`errors.${r.error.code}`, { ...r.error.params, defaultValue: t('errors.internal') }));
      return;
    }
    void message.success(t('reference.precinctSaved', { code: r.value.code }));
    precinctForm.resetFields();
    await load();
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="reference-data">
      <Card title={t('reference.thresholds')}>
        <Table
          size="small"
          rowKey={(r) => `${r.region}-${r.year}-${r.quarter}`}
          dataSource={thresholds}
          pagination={{ pageSize: 8 }}
          columns={[
            { title: t('reference.quarter'), key: 'q', render: (_: unknown, r: ThresholdRow) => t('calc.quarter', { year: r.year, quarter: r.quarter }) },
            { title: t('reference.amount'), dataIndex: 'tiyn', align: 'right', render: (v: number) => <span style={{ whiteSpace: 'nowrap' }}>{formatTenge(v)} ₸</span> },
            { title: t('reference.mark'), dataIndex: 'mark', render: (m: ThresholdRow['mark']) => <Tag color={m === 'sourced' ? 'blue' : 'orange'}>{t(`calc.mark.${m}`)}</Tag> },
            { title: t('reference.source'), dataIndex: 'derivation', render: (d: string) => <Typography.Text style={{ fontSize: 12 }}>{thresholdNote(i18n.language as Language, d)}</Typography.Text> },
          ]}
        />
        {identity.role === ROLE.admin && (
          <Form form={form} layout="inline" initialValues={{ year: officeToday().year(), quarter: Math.floor(officeToday().month() / 3) + 1 }} style={{ marginTop: 12, rowGap: 8 }}>
            <Form.Item name="year" label={t('reference.year')} rules={[{ required: true, message: t('field.required') }]}>
              <InputNumber min={2005} max={2100} />
            </Form.Item>
            <Form.Item name="quarter" label={t('reference.quarterNo')} rules={[{ required: true, message: t('field.required') }]}>
              <InputNumber min={1} max={4} />
            </Form.Item>
            <Form.Item name="tenge" label={t('reference.amount')} rules={[{ required: true, message: t('field.required') }]}>
              <InputNumber min={0.01} step={0.01} precision={2} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="source" label={t('reference.source')} rules={[{ required: true, whitespace: true, message: t('field.required') }]}>
              <Input style={{ width: 420 }} placeholder={t('reference.sourceHint')} />
            </Form.Item>
            <Button type="primary" onClick={() => void save().catch(() => undefined)}>
              {t('reference.save')}
            </Button>
          </Form>
        )}
      </Card>
      <Card title={t('reference.precincts')}>
        <Table
          size="small"
          rowKey="code"
          dataSource={precincts}
          pagination={false}
          columns={[
            { title: t('reference.code'), dataIndex: 'code' },
            { title: t('commission.ui.precinct'), key: 'name', render: (_: unknown, p: Precinct) => (i18n.language === 'kk' ? p.nameKk : p.nameRu) },
            { title: t('reference.members'), key: 'members', render: (_: unknown, p: Precinct) => p.members.map((m) => m.name).join(', ') },
          ]}
        />
        {identity.role === ROLE.admin && (
          <Form form={precinctForm} name="precinct" layout="vertical" style={{ marginTop: 12, maxWidth: 720 }} data-testid="precinct-form">
            <Typography.Text type="secondary">{t('reference.precinctHint')}</Typography.Text>
            <Space wrap style={{ marginTop: 8 }}>
              <Form.Item name="code" label={t('reference.code')} rules={[{ required: true, whitespace: true, message: t('field.required') }]}>
                <Input style={{ width: 120 }} placeholder="AUE-09" />
              </Form.Item>
              <Form.Item name="nameKk" label={t('reference.precinctNameKk')} rules={[{ required: true, whitespace: true, message: t('field.required') }]}>
                <Input style={{ width: 280 }} />
              </Form.Item>
              <Form.Item name="nameRu" label={t('reference.precinctNameRu')} rules={[{ required: true, whitespace: true, message: t('field.required') }]}>
                <Input style={{ width: 280 }} />
              </Form.Item>
              <Form.Item name="chair" label={t('reference.precinctChair')} rules={[{ required: true, whitespace: true, message: t('field.required') }]}>
                <Input style={{ width: 280 }} />
              </Form.Item>
              <Form.Item name="secretary" label={t('reference.precinctSecretary')} rules={[{ required: true, whitespace: true, message: t('field.required') }]}>
                <Input style={{ width: 280 }} />
              </Form.Item>
              <Form.Item name="members" label={t('reference.precinctMembers')}>
                <Input style={{ width: 420 }} />
              </Form.Item>
              <Form.Item name="source" label={t('reference.precinctSource')} rules={[{ required: true, whitespace: true, message: t('field.required') }]}>
                <Input style={{ width: 420 }} placeholder={t('reference.precinctSourceHint')} />
              </Form.Item>
            </Space>
            <Button type="primary" onClick={() => void savePrecinct().catch(() => undefined)}>
              {t('reference.savePrecinct')}
            </Button>
          </Form>
        )}
      </Card>
    </Space>
  );
}
