/**
 * A long pull under way (a new or restored workstation's first sync): what has arrived of how much and the time
 * left, in the header and on the Sync tab. The services tell it page by page; nothing here asks.
 */
import { Card, Progress, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SyncProgress as Progressing } from '../../../shared/contract/types';

const count = (n: number, lang: string) => new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'ru-RU').format(n);

function useWords(p: Progressing) {
  const { t, i18n } = useTranslation();
  const arrived = t('sync.progress', { received: count(p.received, i18n.language), total: count(p.total, i18n.language) });
  const left = p.secondsLeft === null ? null : t('sync.progressLeft', { minutes: Math.max(1, Math.ceil(p.secondsLeft / 60)) });
  return { arrived, left, blobs: t('sync.progressBlobs', { blobs: count(p.blobsReceived, i18n.language), mb: (p.bytesReceived / 1048576).toFixed(1) }) };
}

const percent = (p: Progressing) => (p.total > 0 ? Math.min(100, Math.floor((p.received / p.total) * 100)) : 0);

/** The header's line. */
export function SyncProgressTag({ progress }: { progress: Progressing }) {
  const { arrived, left } = useWords(progress);
  return (
    <Tag color="blue" data-testid="sync-progress">
      {arrived} ({percent(progress)}%){left ? ` · ${left}` : ''}
    </Tag>
  );
}

/** The Sync tab's card, with a bar. */
export function SyncProgressCard({ progress }: { progress: Progressing }) {
  const { t } = useTranslation();
  const { arrived, left, blobs } = useWords(progress);
  return (
    <Card title={t('sync.progressTitle')} data-testid="sync-progress-card">
      <Progress percent={percent(progress)} status="active" aria-label={arrived} />
      <Typography.Text>
        {arrived}
        {left ? ` · ${left}` : ''} · {blobs}
      </Typography.Text>
    </Card>
  );
}
