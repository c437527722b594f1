import { Alert, Button, Card, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorValue } from '../../../shared/errors';
import { call } from '../api/client';
import { useSession } from '../store/session';

const STORAGES = ['PKCS12', 'AKKaztokenStore', 'AKKZIDCardStore'] as const;

/**
 * Sign-in through NCALayer: the person chooses where their key is (a file, a Kaztoken, an ID card) and proves the
 * authentication key (AUTH_RSA256_…) in NCALayer's own dialog; the services talk to NCALayer and check the result.
 */
export function NcalayerSignIn() {
  const { t } = useTranslation();
  const signedIn = useSession((s) => s.signedIn);
  const [storage, setStorage] = useState<(typeof STORAGES)[number]>('PKCS12');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorValue | null>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    const r = await call('session.signInNcalayer', { storage });
    setBusy(false);
    if (r.ok) signedIn(r.value.token, r.value.identity);
    else setError(r.error);
  };

  return (
    <Card title={t('ncalayer.title')} data-testid="ncalayer-signin" style={{ marginTop: 16 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t('ncalayer.hint')}</Typography.Paragraph>
        <label htmlFor="ncalayer-storage">{t('ncalayer.storage')}</label>
        <Select id="ncalayer-storage" value={storage} onChange={setStorage} style={{ width: '100%' }} options={STORAGES.map((s) => ({ value: s, label: t(`keys.storage.${s}`) }))} />
        {error && <Alert data-testid="ncalayer-error" type="error" showIcon message={t(`errors.${error.code}`, error.params)} />}
        <Button type="primary" loading={busy} onClick={() => void submit()} block>
          {busy ? t('ncalayer.waiting') : t('ncalayer.signIn')}
        </Button>
      </Space>
    </Card>
  );
}
