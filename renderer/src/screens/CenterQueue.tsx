/**
 * The Center channel's work lists (regulation item 11.2): at the district, the incoming electronic requests
 * with the 2-working-day check; at the Center, the requests to send, the returns to correct, the results to hand over.
 */
import { Button, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CenterQueue as Queue, CenterQueueRow } from '../../../shared/contract/types';
import { citeDeadline, type DeadlineId } from '../../../shared/domain/deadlines';
import type { Language } from '../../../shared/i18n/messages';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import { CaseView } from './CaseView';
import { formatDay } from '../time';

export function CenterQueue() {
  const { t, i18n } = useTranslation();
  const [queue, setQueue] = useState<Queue | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const load = async () => {
    const r = await call('center.queue', {});
    if (r.ok) setQueue(r.value);
  };
  useEffect(() => void load(), []);
  usePush((e) => {
    if (e.type === 'case.changed') void load();
  });
  const lang = i18n.language as Language;
  const table = (key: keyof Queue, title: string) =>
    queue && queue[key].length > 0 ? (
      <div key={key} data-testid={`center-queue-${key}`} style={{ marginBottom: 16 }}>
        <Typography.Title level={5}>{title}</Typography.Title>
        <Table<CenterQueueRow>
          size="small"
          rowKey="caseId"
          pagination={false}
          dataSource={queue[key]}
          columns={[
            { title: t('cases.col.number'), dataIndex: 'caseNumber', render: (n: string, r) => <Button type="link" onClick={() => setOpen(r.caseId)}>{n}</Button> },
            { title: t('cases.col.name'), dataIndex: 'applicantName' },
            { title: t('cases.col.stage'), dataIndex: 'stage', render: (s: string) => <Tag color="blue">{t(`stage.${s}`)}</Tag> },
            { title: t('case.due'), dataIndex: 'due', render: (d: string | null) => formatDay(d) },
            { title: t('case.source'), dataIndex: 'deadline', render: (id: DeadlineId | null) => (id ? `${t(`deadline.${id}`)} · ${citeDeadline(id, lang)}` : '—') },
          ]}
        />
      </div>
    ) : null;
  const empty = queue && Object.values(queue).every((l) => l.length === 0);
  return (
    <div data-testid="center-queue">
      {table('incoming', t('center.incoming'))}
      {table('toSend', t('center.toSend'))}
      {table('returned', t('center.returned'))}
      {table('toHandOver', t('center.toHandOver'))}
      {empty && <Typography.Text type="secondary">{t('center.empty')}</Typography.Text>}
      <CaseView caseId={open} onClose={() => setOpen(null)} />
    </div>
  );
}
