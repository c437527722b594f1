/**
 * The header's sync state, for every role: online or not, what waits to be sent, the last successful sync in
 * Almaty time, and the problems (a click opens the sync screen). Told of changes by the services; offline work is
 * never blocked by it.
 */
import { SyncOutlined } from '@ant-design/icons';
import { Button, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatusView } from '../../../shared/contract/types';
import { officeDateTime, officeDateTimeText } from '../../../shared/local-date';
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

/**
 * `compact` (the header): the server's state and what waits in one tag, the last sync in its tooltip, "Sync now" an
 * icon; the Sync tab shows each on its own.
 */
export function SyncIndicator(props: { onOpenProblems: () => void; onOpenConflicts?: () => void; compact?: boolean }) {
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
  const last = t('sync.last', { time: status.lastSuccessAt ? officeDateTimeText(status.lastSuccessAt) : t('sync.never') });
  const online = (
    <span data-testid="sync-online">
      {t(status.online ? 'sync.online' : 'sync.offline')}
    </span>
  );
  // A workstation without a server has nothing waiting to be sent: its log is the whole truth.
  const waiting = <span data-testid="sync-waiting">{t('sync.waiting', { count: status.waiting })}</span>;
  return (
    // The header's line height is the bar's: the indicator keeps its own, compact, lines.
    <div data-testid="sync-status" style={{ display: 'flex', flexWrap: 'wrap', gap: 4, alignItems: 'center', justifyContent: props.compact ? 'flex-end' : undefined, minWidth: 0, lineHeight: '22px' }}>
      {!status.configured ? (
        <Tag>{t('sync.notConfigured')}</Tag>
      ) : props.compact ? (
        <Tooltip title={[last, error].filter(Boolean).join(' · ')}>
          <Tag color={status.online ? (status.waiting > 0 ? 'orange' : 'green') : 'red'} style={{ marginInlineEnd: 0 }}>
            {online} · {waiting}
          </Tag>
        </Tooltip>
      ) : (
        <>
          <Tooltip title={error}>
            <Tag color={status.online ? 'green' : 'red'}>{online}</Tag>
          </Tooltip>
          <Tag color={status.waiting > 0 ? 'orange' : 'default'}>{waiting}</Tag>
          <Tag data-testid="sync-last">{last}</Tag>
        </>
      )}
      {status.progress && <SyncProgressTag progress={status.progress} />}
      {status.busyRetryAt && (
        // The server asked to come back later: when the agent tries again, HH:mm in Almaty time.
        <Tooltip title={error}>
          <Tag color="gold" data-testid="sync-busy">
            {t('sync.busy', { time: officeDateTime(status.busyRetryAt).slice(11) })}
          </Tag>
        </Tooltip>
      )}
      {status.lastError?.code === 'sync.device_revoked' && (
        // Said plainly, not only in a tooltip: nothing syncs until the administrator sets up a new device.
        <Tag color="red" data-testid="sync-revoked">
          {t('errors.sync.device_revoked')}
        </Tag>
      )}
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
      {status.configured &&
        (props.compact ? (
          <Tooltip title={t('sync.now')}>
            <Button size="small" icon={<SyncOutlined />} aria-label={t('sync.now')} loading={busy} onClick={() => void syncNow()} data-testid="sync-now" />
          </Tooltip>
        ) : (
          <Button size="small" loading={busy} onClick={() => void syncNow()} data-testid="sync-now">
            {t('sync.now')}
          </Button>
        ))}
    </div>
  );
}
