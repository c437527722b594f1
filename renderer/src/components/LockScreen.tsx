/**
 * The locked screen. After the workstation's idle minutes without a key, a click or a touch, or
 * at the person's request, the screen locks: what was on it stays as it was underneath (drafts, open forms, the
 * open case), hidden and out of reach, until the same key's password is typed. The services lock the session too
 * (the decrypted key is dropped and every call but the password is refused), so a screen left open reveals nothing.
 */
import { Alert, Button, Card, Input, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputRef } from 'antd';
import { useSession } from '../store/session';
import { call } from '../api/client';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;

/**
 * Locks the screen after `minutes` without activity (0: never). A person at work who makes no call (typing a long
 * application) tells the services now and then, so their own idle count does not lock a screen in use.
 */
export function useIdleLock(minutes: number, active: boolean) {
  const lock = useSession((s) => s.lock);
  const last = useRef(Date.now());
  useEffect(() => {
    if (!active || minutes <= 0) return;
    last.current = Date.now();
    let told = Date.now();
    const seen = () => (last.current = Date.now());
    for (const e of ACTIVITY) window.addEventListener(e, seen, { passive: true });
    const timer = setInterval(() => {
      const now = Date.now();
      if (now - last.current >= minutes * 60_000) return void lock();
      if (last.current > told && now - told >= Math.min(60_000, (minutes * 60_000) / 3)) {
        told = now;
        void call('session.current', {});
      }
    }, Math.min(5_000, minutes * 20_000));
    return () => {
      clearInterval(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, seen);
    };
  }, [minutes, active, lock]);
}

export function LockScreen() {
  const { t } = useTranslation();
  const locked = useSession((s) => s.locked)!;
  const resume = useSession((s) => s.resume);
  const signOut = useSession((s) => s.signOut);
  const idleMinutes = useSession((s) => s.status?.idleMinutes ?? 0);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<InputRef>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async () => {
    setBusy(true);
    const r = await resume(password);
    setBusy(false);
    setPassword('');
    if (!r.ok) setError(t(`errors.${r.error.code}`, r.error.params));
  };

  return (
    <div role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen" style={{ position: 'fixed', inset: 0, zIndex: 2000, background: '#0b4f4f', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Card style={{ width: 440 }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Title level={4} id="lock-title" style={{ margin: 0 }}>
            {t('lock.title')}
          </Typography.Title>
          <Typography.Paragraph style={{ margin: 0 }}>{t('lock.prompt', { holder: locked.holder })}</Typography.Paragraph>
          {idleMinutes > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('lock.idle', { minutes: idleMinutes })}</Typography.Text>}
          <Input.Password ref={input} aria-label={t('signin.password')} value={password} autoComplete="off" onChange={(e) => setPassword(e.target.value)} onPressEnter={() => void submit()} />
          {error && <Alert type="error" showIcon message={error} data-testid="lock-error" />}
          <Space>
            <Button type="primary" loading={busy} onClick={() => void submit()}>
              {t('lock.resume')}
            </Button>
            <Button onClick={() => void signOut()}>{t('lock.signOut')}</Button>
          </Space>
        </Space>
      </Card>
    </div>
  );
}
