import { Alert, Button, Card, Checkbox, Col, Descriptions, Form, Input, Progress, Row, Space, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputRef } from 'antd';
import type { DemoKey } from '../../../shared/contract/types';
import type { AppErrorValue } from '../../../shared/errors';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import { useSession } from '../store/session';
import { RestoreFirstRun } from '../components/RestoreFirstRun';
import { VerifyDocument } from '../components/VerifyDocument';
import { NcalayerSignIn } from './NcalayerSignIn';

interface ChosenKey {
  name: string;
  base64: string;
}

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function DemoOffice({ onUse }: { onUse: (key: ChosenKey) => void }) {
  const { t } = useTranslation();
  const status = useSession((s) => s.status);
  const refreshStatus = useSession((s) => s.refreshStatus);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<AppErrorValue | null>(null);
  // A year of sample cases takes tens of seconds: the services say how far they are.
  const [withSampleYear, setWithSampleYear] = useState(true);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  usePush((e) => {
    if (e.type === 'demo.progress') setProgress(e.progress);
  });

  const create = async () => {
    setCreating(true);
    setError(null);
    const r = await call('demo.createOffice', { withSampleYear });
    setProgress(null);
    if (!r.ok) setError(r.error);
    await refreshStatus();
    setCreating(false);
  };
  const use = async (key: DemoKey) => {
    const r = await call('demo.keyFile', { role: key.role, ...(key.office ? { office: key.office } : {}) });
    if (r.ok) onUse({ name: r.value.fileName, base64: r.value.p12Base64 });
    else setError(r.error);
  };

  return (
    <Card title={t('demo.title')} data-testid="demo-office">
      {error && <Alert type="error" showIcon message={t(`errors.${error.code}`, error.params)} style={{ marginBottom: 12 }} />}
      {!status?.demo ? (
        <Space direction="vertical">
          <Typography.Paragraph>{t('demo.intro')}</Typography.Paragraph>
          <Checkbox checked={withSampleYear} disabled={creating} onChange={(e) => setWithSampleYear(e.target.checked)} data-testid="demo-sample-year">
            {t('demo.withSampleYear')}
          </Checkbox>
          <Button type="primary" loading={creating} onClick={() => void create()}>
            {creating ? t('demo.creating') : t('demo.create')}
          </Button>
          {progress && (
            <div data-testid="demo-sample-progress" style={{ minWidth: 320 }}>
              <Typography.Text>{t('demo.sampleProgress', progress)}</Typography.Text>
              <Progress percent={Math.round((progress.done / progress.total) * 100)} />
            </div>
          )}
        </Space>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph>{t('demo.ready')}</Typography.Paragraph>
          {status.demo.keys.map((key) => (
            <Card key={`${key.role}/${key.office ?? ''}`} size="small" data-testid={`demo-key-${key.role}${key.office === 'ALMATY' ? '-city' : ''}`}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={key.office === 'ALMATY' ? t('demo.cityAdmin') : t(`role.${key.role}`)}>{key.holder}</Descriptions.Item>
                <Descriptions.Item label={t('demo.file')}>
                  <Typography.Text code copyable style={{ fontSize: 12 }}>
                    {key.path}
                  </Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label={t('demo.password')}>
                  <Typography.Text code copyable>
                    {key.password}
                  </Typography.Text>
                </Descriptions.Item>
              </Descriptions>
              <Button onClick={() => void use(key)}>{t('demo.use')}</Button>
            </Card>
          ))}
        </Space>
      )}
    </Card>
  );
}

export function SignIn() {
  const { t } = useTranslation();
  const status = useSession((s) => s.status);
  // A workstation set up for real work offers no demo office.
  const offerDemo = !status?.workstation || Boolean(status.demo);
  const signedIn = useSession((s) => s.signedIn);
  const [key, setKey] = useState<ChosenKey | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorValue | { code: 'signin.noFile' } | null>(null);
  const passwordRef = useRef<InputRef>(null);
  // A key file locked after wrong passwords: the time left, counted down in the person's language.
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const [, tick] = useState(0);
  useEffect(() => {
    if (lockedUntil === null) return;
    const timer = setInterval(() => {
      if (Date.now() < lockedUntil) return tick((n) => n + 1);
      setLockedUntil(null);
      setError(null);
    }, 1000);
    return () => clearInterval(timer);
  }, [lockedUntil]);

  const choose = (chosen: ChosenKey) => {
    setKey(chosen);
    setError(null);
    setTimeout(() => passwordRef.current?.focus(), 0);
  };

  const submit = async () => {
    if (!key) return setError({ code: 'signin.noFile' });
    setBusy(true);
    setError(null);
    const r = await call('session.signIn', { p12Base64: key.base64, password });
    setBusy(false);
    // The password leaves the form either way: it is never kept.
    setPassword('');
    if (r.ok) signedIn(r.value.token, r.value.identity);
    else setError(r.error);
    setLockedUntil(!r.ok && (r.error.code === 'signin.locked' || r.error.code === 'ecp.key_locked') ? Date.now() + Number(r.error.params?.seconds ?? 0) * 1000 : null);
  };
  const waitText = (ms: number) => {
    const total = Math.max(1, Math.ceil(ms / 1000));
    const m = Math.floor(total / 60);
    return m > 0 ? t('wait.minutesSeconds', { m, s: total % 60 }) : t('wait.seconds', { s: total });
  };

  const errorText = lockedUntil !== null ? t('signin.lockedCountdown', { time: waitText(lockedUntil - Date.now()) }) : error ? (error.code === 'signin.noFile' ? t('signin.noFile') : t(`errors.${error.code}`, 'params' in error ? error.params : undefined)) : null;

  return (
    <Row gutter={24} justify="center">
      <Col xs={24} md={11} lg={9}>
        <Card title={t('signin.title')}>
          <Form layout="vertical" onFinish={() => void submit()}>
            <Form.Item label={t('signin.keyFile')}>
              <Upload.Dragger
                accept=".p12,.pfx"
                maxCount={1}
                showUploadList={false}
                beforeUpload={(file) => {
                  void file.arrayBuffer().then((buf) => choose({ name: file.name, base64: toBase64(buf) }));
                  return false;
                }}
              >
                <p style={{ margin: 8 }}>{key ? t('signin.chosen', { name: key.name }) : t('signin.chooseFile')}</p>
              </Upload.Dragger>
            </Form.Item>
            <Form.Item label={t('signin.password')} htmlFor="signin-password">
              <Input.Password id="signin-password" ref={passwordRef} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
            </Form.Item>
            {errorText && <Alert data-testid="signin-error" type="error" showIcon message={errorText} style={{ marginBottom: 16 }} />}
            <Button type="primary" htmlType="submit" loading={busy} block>
              {busy ? t('signin.checking') : t('signin.submit')}
            </Button>
          </Form>
        </Card>
        <NcalayerSignIn />
      </Col>
      {offerDemo && (
        <Col xs={24} md={11} lg={9}>
          <DemoOffice onUse={choose} />
          {/* A workstation not set up yet may be one whose disk was lost: it is restored from its backup. */}
          {!status?.workstation && <RestoreFirstRun />}
        </Col>
      )}
      {/* An auditor or an applicant at the counter checks a paper without signing in. */}
      {status?.workstation && (
        <Col xs={24} md={11} lg={9}>
          <VerifyDocument />
        </Col>
      )}
    </Row>
  );
}
