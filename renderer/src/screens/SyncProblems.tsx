/** The sync screen: every record the server refused, with its reason in the user's language, and pulls held back. */
import { Alert, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncProblems as Problems } from '../../../shared/contract/types';
import { dayText, officeDateTimeText } from '../../../shared/local-date';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import { SyncIndicator, useSyncStatus } from '../components/SyncIndicator';
import { SyncProgressCard } from '../components/SyncProgress';

export function SyncProblems() {
  const { t } = useTranslation();
  const [problems, setProblems] = useState<Problems | null>(null);
  // The header's own status (the same hook as the indicator): no second sync.status call of this screen.
  const [status] = useSyncStatus();
  const load = () => void call('sync.problems', {}).then((r) => r.ok && setProblems(r.value));
  useEffect(load, []);
  usePush((e) => e.type === 'sync.changed' && load());
  const reason = (code: string | undefined, params?: Record<string, unknown>) => (code ? t(`sync.reason.${code}`, { ...(params ?? {}), defaultValue: t(`errors.${code}`, { defaultValue: code }) }) : '—');
  const what = (type: string) => t(`event.${type}`, { defaultValue: type });
  // The case, the act and its time: the first columns of every list of acts on this screen.
  const actColumns = <R extends { caseNumber: string | null; type: string | null; at: string | null }>(whatOf: (type: string, row: R) => string = what) => [
    { title: t('sync.col.case'), dataIndex: 'caseNumber', render: (v: string | null) => v ?? '—' },
    { title: t('sync.col.what'), dataIndex: 'type', render: (v: string | null, r: R) => (v ? whatOf(v, r) : '—') },
    { title: t('sync.col.when'), dataIndex: 'at', render: (v: string | null) => (v ? officeDateTimeText(v) : '—') },
  ];
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="sync-screen">
      <SyncIndicator onOpenProblems={() => undefined} />
      {status?.progress && <SyncProgressCard progress={status.progress} />}
      {/* A hostile or broken answer of the server: refused whole, nothing of it kept; said here in words. */}
      {status?.lastError?.code === 'sync.hostile_answer' && (
        <Alert
          type="error"
          showIcon
          data-testid="sync-hostile"
          message={t('errors.sync.hostile_answer', { reason: t(`sync.hostile.${String(status.lastError.params?.reason ?? '')}`, { defaultValue: String(status.lastError.params?.reason ?? '') }) })}
        />
      )}
      <Card title={t('sync.refusedTitle')}>
        {problems && problems.refused.length === 0 ? (
          <Empty description={t('sync.none')} />
        ) : (
          <Table
            size="small"
            rowKey="eventId"
            pagination={false}
            data-testid="sync-refused"
            dataSource={problems?.refused ?? []}
            columns={[
              ...actColumns<Problems['refused'][number]>((v, r) => `${what(v)} (№ ${r.seq})`),
              {
                title: t('sync.col.reason'),
                key: 'reason',
                render: (_: unknown, r: Problems['refused'][number]) => (
                  <Space direction="vertical" size={0}>
                    {r.outOfLine && <Tag color="volcano">{t('conflicts.kind.same_version')}</Tag>}
                    <Typography.Text>{reason(r.error?.code, r.error?.params)}</Typography.Text>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      {problems && problems.flagged.length > 0 && (
        <Card title={t('sync.flaggedTitle')}>
          <Table
            size="small"
            rowKey="eventId"
            pagination={false}
            data-testid="sync-flagged"
            dataSource={problems.flagged}
            columns={[
              ...actColumns<Problems['flagged'][number]>(),
              {
                title: t('conflicts.flag'),
                key: 'flags',
                render: (_: unknown, r: Problems['flagged'][number]) => (
                  <Space direction="vertical" size={0}>
                    {r.flags.map((f) => (
                      <Tag key={f} color="gold">
                        {t(`sync.flag.${f}`)}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}
      {problems && problems.held.length > 0 && (
        <Card title={t('sync.heldTitle')}>
          <Table
            size="small"
            rowKey="eventId"
            pagination={false}
            data-testid="sync-held"
            dataSource={problems.held}
            columns={[
              ...actColumns<Problems['held'][number]>(),
              { title: t('sync.col.reason'), key: 'reason', render: (_: unknown, r: Problems['held'][number]) => reason(r.reason, r.params) },
            ]}
          />
        </Card>
      )}
      {problems?.reference && problems.reference.length > 0 && (
        <Card title={t('sync.reference.title')}>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            data-testid="sync-reference"
            dataSource={problems.reference}
            columns={[
              { title: t('sync.col.what'), dataIndex: 'kind', render: (v: string) => t(`reference.kind.${v}`, { defaultValue: v }) },
              {
                title: t('reference.col.source'),
                key: 'source',
                render: (_: unknown, r: NonNullable<Problems['reference']>[number]) => (
                  <Space direction="vertical" size={0}>
                    <Typography.Text>{r.source ? `${r.source.act}, ${dayText(r.source.date)}` : '—'}</Typography.Text>
                    {r.source?.url && <Typography.Text type="secondary">{r.source.url}</Typography.Text>}
                    {r.source?.assumed && <Tag>{t('reference.assumed')}</Tag>}
                    {r.signerIin && <Typography.Text type="secondary">{`${t('reference.col.signer')} ${r.signerIin}`}</Typography.Text>}
                  </Space>
                ),
              },
              { title: t('sync.col.when'), dataIndex: 'at', render: (v: string) => officeDateTimeText(v) },
              {
                title: t('sync.col.reason'),
                key: 'reason',
                render: (_: unknown, r: NonNullable<Problems['reference']>[number]) => (
                  <Space direction="vertical" size={0}>
                    <Tag color={r.origin === 'server' ? 'red' : 'volcano'}>{t(r.origin === 'server' ? 'sync.reference.from_server' : 'sync.reference.from_here')}</Tag>
                    <Typography.Text>{t(`reference.refused.${r.reason}`, { defaultValue: r.reason })}</Typography.Text>
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
