/**
 * The header, for every role: the application, what the sync is doing, who is signed in, the language, and the
 * lock and sign-out. Laid out for the office screens in use (1366 and 1280 px wide) in all three languages: the long
 * parts (the subtitle, the office's name) shorten on screen with the whole text a hover away, never past the window.
 */
import { LockOutlined, LogoutOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Layout, Segmented, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/i18n/messages';
import { setLanguage } from '../i18n';
import { useSession } from '../store/session';
import { call } from '../api/client';
import { SyncIndicator } from './SyncIndicator';
import { BackupIndicator } from './BackupIndicator';

const oneLine = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;

function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Segmented
      size="small"
      aria-label={t('app.language')}
      value={i18n.language}
      onChange={(v) => setLanguage(v as Language)}
      options={[
        { label: 'Қазақша', value: 'kk' },
        { label: 'Русский', value: 'ru' },
        { label: 'English', value: 'en' },
      ]}
    />
  );
}

function WhoAmI() {
  const { t, i18n } = useTranslation();
  const identity = useSession((s) => s.identity)!;
  const name = `${identity.surname} ${identity.givenName} ${identity.patronymic}`.trim();
  const office = identity.officeNames ? (i18n.language === 'kk' ? identity.officeNames.kk : identity.officeNames.ru) : identity.office;
  return (
    <Tooltip title={`${name} · ${office}`}>
      <div data-testid="whoami" style={{ color: '#fff', lineHeight: 1.3, textAlign: 'right', fontSize: 12, minWidth: 0, flex: '0 1 300px' }}>
        <div style={{ fontWeight: 600, fontSize: 13, ...oneLine }}>{name}</div>
        <div style={oneLine}>{t(`role.${identity.role}`)}</div>
        <div style={{ ...oneLine, opacity: 0.85 }}>
          {t('header.iin')} {identity.iin} · {office}
        </div>
      </div>
    </Tooltip>
  );
}

export function AppHeader(props: { onOpenSync: () => void; onOpenConflicts: () => void; onOpenBackup: () => void }) {
  const { t } = useTranslation();
  const { modal } = AntApp.useApp();
  const identity = useSession((s) => s.identity);
  const signOut = useSession((s) => s.signOut);
  const lock = useSession((s) => s.lock);
  // Signing out with items waiting to be sent to the server warns and says how many (they stay saved either way).
  const leave = async () => {
    const status = await call('sync.status', {});
    const waiting = status.ok && status.value.configured ? status.value.waiting : 0;
    if (waiting === 0) return void signOut();
    modal.confirm({ title: t('header.signOut'), content: t('sync.signOutWaiting', { count: waiting }), okText: t('sync.signOutAnyway'), okButtonProps: { danger: true }, onOk: () => signOut() });
  };
  return (
    <Layout.Header style={{ background: '#0b4f4f', display: 'flex', alignItems: 'center', gap: 12, paddingInline: 16, height: 'auto', minHeight: 56, lineHeight: 'normal' }}>
      <div style={{ color: '#fff', minWidth: 0, flex: '0 1 280px' }}>
        <div style={{ fontSize: 18, fontWeight: 600 }}>{t('app.title')}</div>
        <Tooltip title={t('app.subtitle')}>
          <div style={{ fontSize: 11, opacity: 0.85, ...oneLine }}>{t('app.subtitle')}</div>
        </Tooltip>
      </div>
      <div style={{ flex: '1 1 auto', minWidth: 0, display: 'flex', justifyContent: 'flex-end' }}>
        {identity && <SyncIndicator compact onOpenProblems={props.onOpenSync} onOpenConflicts={props.onOpenConflicts} />}
        {identity && <BackupIndicator onOpen={props.onOpenBackup} />}
      </div>
      {identity && <WhoAmI />}
      <LanguageSwitch />
      {identity && (
        <Tooltip title={t('lock.lockNow')}>
          <Button icon={<LockOutlined />} aria-label={t('lock.lockNow')} onClick={() => void lock()} />
        </Tooltip>
      )}
      {identity && (
        <Button icon={<LogoutOutlined />} onClick={() => void leave()}>
          {t('header.signOut')}
        </Button>
      )}
    </Layout.Header>
  );
}
