/**
 * The audit trail, for the head: who signed in, who failed to, who opened which case, when
 * (Almaty time) and at which workstation. It shows no applicant's data: a case is its number.
 */
import { App as AntApp, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditList, AuditRow } from '../../../shared/contract/types';
import { call } from '../api/client';
import { atOffice, officeToday, dayFormat } from '../time';

const PAGE = 50;
// The kinds of shared/contract/schemas-office.ts AUDIT_KINDS (not imported: the screens do not bundle zod).
const AUDIT_KINDS: AuditRow['kind'][] = ['signin', 'signin_failed', 'case_opened', 'signout', 'session_locked', 'session_resumed'];
const KIND_COLOR: Partial<Record<AuditRow['kind'], string>> = { signin_failed: 'red', signin: 'green', case_opened: 'blue', session_locked: 'default' };

export function AuditTrail() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([officeToday().subtract(7, 'day'), officeToday()]);
  const [kind, setKind] = useState<AuditRow['kind'] | undefined>();
  const [iin, setIin] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [page, setPage] = useState(1);
  const [list, setList] = useState<AuditList | null>(null);

  useEffect(() => {
    const input = {
      from: range[0].format('YYYY-MM-DD'),
      to: range[1].format('YYYY-MM-DD'),
      ...(kind ? { kind } : {}),
      ...(/^\d{12}$/.test(iin) ? { actorIin: iin } : {}),
      ...(caseNumber.trim() ? { caseNumber: caseNumber.trim().toUpperCase() } : {}),
      limit: PAGE,
      offset: (page - 1) * PAGE,
    };
    void call('audit.list', input).then((r) => (r.ok ? setList(r.value) : void message.error(t(`errors.${r.error.code}`, r.error.params))));
  }, [range, kind, iin, caseNumber, page, message, t]);

  const reason = (r: AuditRow) => {
    if (!r.reason) return '';
    return r.reason.includes('.') && !r.reason.startsWith('session.') ? t(`errors.${r.reason}`, { defaultValue: r.reason, seconds: '…' }) : t(`audit.reason.${r.reason}`, { defaultValue: r.reason });
  };

  return (
    <div data-testid="audit-trail">
      <Typography.Title level={5}>{t('audit.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('audit.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text>{t('audit.period')}</Typography.Text>
        <DatePicker.RangePicker value={range} format={dayFormat()} allowClear={false} onChange={(v) => v?.[0] && v[1] && (setRange([v[0], v[1]]), setPage(1))} />
        <Select
          allowClear
          aria-label={t('audit.kindFilter')}
          placeholder={t('audit.kindFilter')}
          style={{ width: 220 }}
          value={kind}
          onChange={(v) => (setKind(v), setPage(1))}
          options={AUDIT_KINDS.map((k) => ({ value: k, label: t(`audit.kind.${k}`) }))}
        />
        <Input aria-label={t('audit.iinFilter')} placeholder={t('audit.iinFilter')} style={{ width: 170 }} maxLength={12} value={iin} onChange={(e) => (setIin(e.target.value), setPage(1))} />
        <Input aria-label={t('audit.caseFilter')} placeholder={t('audit.caseFilter')} style={{ width: 220 }} value={caseNumber} onChange={(e) => (setCaseNumber(e.target.value), setPage(1))} />
        <Typography.Text type="secondary" data-testid="audit-total">
          {t('audit.total', { count: list?.total ?? 0 })}
        </Typography.Text>
      </Space>
      <Table<AuditRow>
        rowKey="seq"
        size="small"
        dataSource={list?.rows ?? []}
        pagination={{ current: page, pageSize: PAGE, total: list?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        columns={[
          { title: t('audit.col.at'), dataIndex: 'at', width: 150, render: (v: string) => atOffice(v, true) },
          { title: t('audit.col.kind'), dataIndex: 'kind', width: 170, render: (v: AuditRow['kind']) => <Tag color={KIND_COLOR[v]}>{t(`audit.kind.${v}`)}</Tag> },
          {
            title: t('audit.col.who'),
            key: 'who',
            render: (_: unknown, r: AuditRow) =>
              r.actorIin ? (
                <span>
                  {r.actorName} · {t('header.iin')} {r.actorIin}
                  {r.actorRole ? ` · ${t(`role.${r.actorRole}`)}` : ''}
                </span>
              ) : (
                <Typography.Text type="secondary">
                  {t('audit.unknown')}
                  {r.keyId ? ` · ${t('audit.key', { key: r.keyId.slice(0, 12) })}` : ''}
                </Typography.Text>
              ),
          },
          { title: t('audit.col.case'), dataIndex: 'caseNumber', width: 190, render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '') },
          { title: t('audit.col.workstation'), key: 'ws', width: 170, render: (_: unknown, r: AuditRow) => `${r.workstation} · ${r.hostName}` },
          { title: t('audit.col.reason'), key: 'reason', render: (_: unknown, r: AuditRow) => reason(r) },
        ]}
      />
    </div>
  );
}
