/**
 * A fresh workstation's first-run offer beside the demo office: restore this workstation from a backup (a file or
 * the folder on a drive), with its passphrase. The services restore into a new folder; Jardem switches to it at
 * the next start, and the person is told to restart.
 */
import { Alert, Button, Card, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorValue } from '../../../shared/errors';
import { errorMessage, type Language } from '../../../shared/i18n/messages';
import { call } from '../api/client';
import { atOffice } from '../time';

export function RestoreFirstRun() {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const restore = async () => {
    setBusy(true);
    setError(null);
    const r = await call('backup.restore', { from, passphrase });
    setBusy(false);
    setPassphrase('');
    if (!r.ok) return setError(r.error);
    setDone(t('backup.restartToFinish', { office: r.value.officeCode, at: atOffice(r.value.createdAt), cases: r.value.cases }));
  };
  const say = (e: AppErrorValue) => (e.fieldErrors ? Object.values(e.fieldErrors).map((k) => t(k)).join('; ') : errorMessage(i18n.language as Language, e));
  return (
    <Card title={t('backup.restore')} data-testid="restore-card" style={{ marginTop: 16 }}>
      {done ? (
        <Alert type="success" showIcon message={done} data-testid="restore-done" />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input placeholder={t('backup.restoreFile')} aria-label={t('backup.restoreFile')} value={from} onChange={(e) => setFrom(e.target.value)} data-testid="restore-from" />
          <Input.Password placeholder={t('backup.passphrase')} aria-label={t('backup.passphrase')} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="restore-passphrase" />
          <Button type="primary" loading={busy} disabled={!from || !passphrase} onClick={() => void restore()} data-testid="restore-start">
            {t('backup.restore')}
          </Button>
          {error && <Alert type="error" showIcon message={say(error)} data-testid="restore-error" />}
        </Space>
      )}
    </Card>
  );
}
