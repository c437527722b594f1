/**
 * Backup: the office administrator's settings (folder, how many to keep, after how many days the header reminds),
 * and a backup made now with its passphrase, a progress bar with the throughput and the time left, and the result.
 */
import { Alert, Button, Card, Form, Input, InputNumber, Progress, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupProgressView, BackupStatus } from '../../../shared/contract/areas/backup';
import { errorMessage, type Language } from '../../../shared/i18n/messages';
import type { AppErrorValue } from '../../../shared/errors';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import { useSession } from '../store/session';
import { atOffice } from '../time';
import { ROLE } from '../../../shared/roles';

const MB = 1048576;

function ProgressBar({ p }: { p: BackupProgressView }) {
  const { t } = useTranslation();
  const percent = p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 0;
  const words = t('backup.progress', { done: (p.done / MB).toFixed(1), total: (p.total / MB).toFixed(1), rate: (p.bytesPerSecond / MB).toFixed(1), left: p.secondsLeft ?? '…' });
  return (
    <div data-testid="backup-progress">
      <Progress percent={percent} status="active" aria-label={words} />
      <Typography.Text type="secondary">{words}</Typography.Text>
    </div>
  );
}

export function Backup() {
  const { t, i18n } = useTranslation();
  const role = useSession((s) => s.identity?.role);
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [progress, setProgress] = useState<BackupProgressView | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [form] = Form.useForm<{ folder: string; keep: number; remindDays: number }>();
  const load = useCallback(async () => {
    const r = await call('backup.status', {});
    if (r.ok) {
      setStatus(r.value);
      // What the person has typed meanwhile stays: the stored settings fill only the fields not touched yet.
      const stored = { folder: r.value.settings.folder ?? '', keep: r.value.settings.keep, remindDays: r.value.settings.remindDays };
      form.setFieldsValue(Object.fromEntries(Object.entries(stored).filter(([name]) => !form.isFieldTouched(name as keyof typeof stored))));
    }
  }, [form]);
  useEffect(() => void load(), [load]);
  usePush((e) => {
    if (e.type === 'backup.progress') setProgress(e.progress);
  });
  const say = (e: AppErrorValue) => (e.fieldErrors ? Object.values(e.fieldErrors).map((k) => t(k)).join('; ') : errorMessage(i18n.language as Language, e));

  const save = async (v: { folder: string; keep: number; remindDays: number }) => {
    setError(null);
    const r = await call('backup.configure', v);
    if (!r.ok) return setError(r.error);
    await load();
  };
  const make = async () => {
    setBusy(true);
    setDone(null);
    setError(null);
    const r = await call('backup.create', { passphrase });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setPassphrase('');
    setDone(t('backup.done', { file: r.value.file }));
    await load();
  };

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 720 }} size="large">
      <Typography.Title level={4}>{t('backup.title')}</Typography.Title>
      {status && (
        <Alert data-testid="backup-last" type={status.overdue ? 'warning' : 'info'} showIcon message={status.last ? t('backup.last', { at: atOffice(status.last.at) }) : t('backup.never')} />
      )}
      {/* The settings are the administrator's: anyone else is told so, and told whom to ask while there is no folder. */}
      {status && role !== ROLE.admin && (
        <Alert data-testid="backup-admin-sets" type={status.settings.folder ? 'info' : 'warning'} showIcon message={status.settings.folder ? t('backup.adminSets') : t('backup.noFolder')} />
      )}
      <Card>
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)} disabled={role !== ROLE.admin}>
          <Form.Item name="folder" label={t('backup.folder')} rules={[{ required: true, message: t('field.required') }]}>
            <Input data-testid="backup-folder" />
          </Form.Item>
          <Space>
            <Form.Item name="keep" label={t('backup.keep')}>
              <InputNumber min={1} max={365} data-testid="backup-keep" />
            </Form.Item>
            <Form.Item name="remindDays" label={t('backup.remindDays')}>
              <InputNumber min={1} max={365} data-testid="backup-remind" />
            </Form.Item>
          </Space>
          {role === ROLE.admin && (
            <Button htmlType="submit" data-testid="backup-save">
              {t('backup.save')}
            </Button>
          )}
        </Form>
      </Card>
      <Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.Password placeholder={t('backup.passphrase')} aria-label={t('backup.passphrase')} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="backup-passphrase" />
          <Button type="primary" loading={busy} disabled={!status?.settings.folder || passphrase.length === 0} onClick={() => void make()} data-testid="backup-create">
            {t('backup.create')}
          </Button>
          {busy && progress && <ProgressBar p={progress} />}
          {done && <Alert type="success" showIcon message={done} data-testid="backup-done" />}
          {error && <Alert type="error" showIcon message={say(error)} data-testid="backup-error" />}
        </Space>
      </Card>
    </Space>
  );
}
