/** The header's word on backups: when the last good one was made (Almaty time), and a warning after N days without. */
import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupStatus } from '../../../shared/contract/areas/backup';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import { atOffice } from '../time';

export function BackupIndicator(props: { onOpen: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const load = () => void call('backup.status', {}).then((r) => r.ok && setStatus(r.value));
  useEffect(load, []);
  // A backup just ended (its progress cleared): the header reads the new last one.
  usePush((e) => {
    if (e.type === 'backup.progress' && e.progress === null) load();
  });
  if (!status) return null;
  const last = status.last ? t('backup.last', { at: atOffice(status.last.at) }) : t('backup.never');
  const words = status.overdue ? (status.daysSince === null ? t('backup.never') : t('backup.overdue', { days: status.daysSince })) : last;
  return (
    <Tooltip title={last}>
      <Tag color={status.overdue ? 'orange' : 'green'} data-testid="backup-indicator" style={{ cursor: 'pointer' }} onClick={props.onOpen}>
        {words}
      </Tag>
    </Tooltip>
  );
}
