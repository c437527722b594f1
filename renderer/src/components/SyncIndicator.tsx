/**
 * The header's sync state, for every role: online or not, what waits to be sent, the last successful sync in
 * Almaty time, and the problems (a click opens the sync screen). Told of changes by the services; offline work is
 * never blocked by it.
 */
import { Button, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatusView } from '../../../shared/contract/types';
import { officeDateTimeText } from '../../../shared/local-date';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import { SyncProgressTag } from './SyncProgress';

export function useSyncStatus(): [SyncStatusView | null, () => void] {
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const load = () => void call('sync.status', {}).then((r) => r.ok && setStatus(r.value));
  useEffect(load, []);
  usePush((event) => {
    if (event.type === 'sync.changed') setStatus(event.status);
    else if (event.type === 'sync.progress') setStatus((s) => (s ? { ...s, progress: event.progress } : s));
    // A local act changes what waits to be sent.
    else if (event.type === 'case.changed') load();
  });
  return [status, load];
}

export function SyncIndicator(props: { onOpenProblems: () => void; onOpenConflicts?: () => void }) {
  const { t } = useTranslation();
  const [status, reload] = useSyncStatus();
  const [busy, setBusy] = useState(false);
  if (!status) return null;
  const syncNow = async () => {
    setBusy(true);
    await call('sync.now', {});
    setBusy(false);
    reload();
  };
  const error = status.lastError ? t(`errors.${status.lastError.code}`, { ...(status.lastError.params ?? {}), defaultValue: t('errors.sync.offline') }) : undefined;
  return (
    // The header's line height is the bar's: the indicator keeps its own, compact, lines.
    <div data-testid="sync-status" style={{ display: 'flex', flexWrap: 'wrap', gap: 4, alignItems: 'center', maxWidth: 480, lineHeight: '22px' }}>
      {!status.configured ? (
        <Tag>{t('sync.notConfigured')}</Tag>
      ) : (
        <Tooltip title={error}>
          <Tag color={status.online ? 'green' : 'red'} data-testid="sync-online">
            {t(status.online ? 'sync.online' : 'sync.offline')}
          </Tag>
        </Tooltip>
      )}
      {/* A workstation without a server has nothing waiting to be sent: its log is the whole truth. */}
      {status.configured && (
        <Tag color={status.waiting > 0 ? 'orange' : 'default'} data-testid="sync-waiting">
          {t('sync.waiting', { count: status.waiting })}
        </Tag>
      )}
      {status.configured && (
        <Tag data-testid="sync-last">{t('sync.last', { time: status.lastSuccessAt ? officeDateTimeText(status.lastSuccessAt) : t('sync.never') })}</Tag>
      )}
      {status.progress && <SyncProgressTag progress={status.progress} />}
      {status.problems > 0 && (
        <Tag color="red" data-testid="sync-problems" style={{ cursor: 'pointer' }} onClick={props.onOpenProblems}>
          {t('sync.problems', { count: status.problems })}
        </Tag>
      )}
      {status.conflicts > 0 && (
        <Tag color="volcano" data-testid="sync-conflicts" style={{ cursor: props.onOpenConflicts ? 'pointer' : undefined }} onClick={props.onOpenConflicts}>
          {t('conflicts.count', { count: status.conflicts })}
        </Tag>
      )}
      {status.clockSkewWarning && status.clockOffsetMs !== null && (
        <Tag color="gold" data-testid="sync-clock">
          {t('sync.clockSkew', { minutes: Math.round(Math.abs(status.clockOffsetMs) / 60_000) })}
        </Tag>
      )}
      {status.configured && (
        <Button size="small" loading={busy} onClick={() => void syncNow()} data-testid="sync-now">
          {t('sync.now')}
        </Button>
      )}
    </div>
  );
}
