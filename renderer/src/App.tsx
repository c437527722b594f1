import { Alert, App as AntApp, ConfigProvider, Layout, Space, Spin, Tabs, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/i18n/messages';
import { antdLocales } from './i18n';
import { useSession } from './store/session';
import { SignIn } from './screens/SignIn';
import { Cases } from './screens/Cases';
import { WorkCalendar } from './screens/WorkCalendar';
import { Journal } from './screens/Journal';
import { DeadlinesBoard } from './screens/DeadlinesBoard';
import { ReferenceData } from './screens/ReferenceData';
import { AuditTrail } from './screens/AuditTrail';
import { LockScreen, useIdleLock } from './components/LockScreen';
import { SyncProblems } from './screens/SyncProblems';
import { Conflicts } from './screens/Conflicts';
import { CenterQueue } from './screens/CenterQueue';
import { AppHeader } from './components/AppHeader';
import { Backup } from './screens/Backup';
import { VerifyDocument } from './components/VerifyDocument';
import { CASE_RECORDS } from '../../shared/domain/acts';
import { ROLE } from '../../shared/roles';

// The reports bring the charting library: loaded when the tab is first opened, not with the app.
const Reports = lazy(() => import('./screens/Reports').then((m) => ({ default: m.Reports })));

// Who may resolve a conflict: the roles that may sign conflict.resolved (shared/domain/acts.ts).
const CONFLICT_ROLES: readonly string[] = CASE_RECORDS['conflict.resolved'];

// A workstation whose system asks for less motion (an accessibility setting; old office PCs without a graphics card)
// gets drawers, tabs and messages without their animations.
const REDUCED_MOTION = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
const THEME = { token: { fontFamily: "'Noto Sans', 'DejaVu Sans', sans-serif", colorPrimary: '#0b6e6e', borderRadius: 6, motion: !REDUCED_MOTION } };

export function App() {
  const { i18n, t } = useTranslation();
  const [language, setLang] = useState(i18n.language as Language);
  const identity = useSession((s) => s.identity);
  const restoring = useSession((s) => s.restoring);
  const restore = useSession((s) => s.restore);
  const locked = useSession((s) => s.locked);
  const status = useSession((s) => s.status);
  useIdleLock(status?.idleMinutes ?? 0, identity !== null && locked === null);
  const [tab, setTab] = useState('cases');

  useEffect(() => {
    const onChange = (l: string) => setLang(l as Language);
    i18n.on('languageChanged', onChange);
    return () => i18n.off('languageChanged', onChange);
  }, [i18n]);
  useEffect(() => {
    void restore();
  }, [restore]);

  return (
    <ConfigProvider locale={antdLocales[language]} theme={THEME}>
      <AntApp>
        <Layout style={{ minHeight: '100vh' }}>
          <AppHeader onOpenSync={() => setTab('sync')} onOpenConflicts={() => setTab('conflicts')} onOpenBackup={() => setTab('backup')} />
          {locked && <LockScreen />}
          {/* Locked: what was on the screen stays (drafts, open forms), hidden and out of reach. */}
          <Layout.Content style={{ padding: 24, visibility: locked ? 'hidden' : undefined }} inert={locked !== null} aria-hidden={locked !== null}>
            {(status?.notices ?? []).map((n) => (
              <Alert key={n.key} type="warning" showIcon closable message={t(n.key, n.params)} style={{ marginBottom: 12 }} data-testid="office-notice" />
            ))}
            {restoring ? (
              <Space style={{ width: '100%', justifyContent: 'center', marginTop: 80 }}>
                <Spin size="large" />
              </Space>
            ) : identity ? (
              <Tabs
                destroyOnHidden
                // A dozen screens: a narrower gap keeps them all in sight at 1366 px in Russian; what does not fit is
                // in the bar's "…" list.
                tabBarGutter={20}
                activeKey={tab}
                onChange={setTab}
                items={[
                  { key: 'cases', label: t('nav.cases'), children: <Cases /> },
                  { key: 'journal', label: t('journal.tab'), children: <Journal /> },
                  { key: 'board', label: t('board.tab'), children: <DeadlinesBoard /> },
                  // The Center channel's work lists (item 11.2): the district's incoming requests, the Center's own.
                  ...(([ROLE.specialist, ROLE.head, ROLE.center] as string[]).includes(identity.role) ? [{ key: 'center', label: t('center.title'), children: <CenterQueue /> }] : []),
                  // The district's figures: its staff, and the administrators (aggregates only, no case lists).
                  ...(([ROLE.specialist, ROLE.head, ROLE.admin] as string[]).includes(identity.role)
                    ? [
                        {
                          key: 'reports',
                          label: t('reports.tab'),
                          children: (
                            <Suspense fallback={<Spin />}>
                              <Reports />
                            </Suspense>
                          ),
                        },
                      ]
                    : []),
                  { key: 'calendar', label: t('nav.calendar'), children: <WorkCalendar /> },
                  { key: 'reference', label: t('reference.tab'), children: <ReferenceData /> },
                  { key: 'sync', label: t('sync.tab'), children: <SyncProblems /> },
                  { key: 'backup', label: t('backup.tab'), children: <Backup /> },
                  { key: 'paper', label: t('paper.title'), children: <VerifyDocument /> },
                  // Those who act on cases resolve their conflicts.
                  ...(CONFLICT_ROLES.includes(identity.role) ? [{ key: 'conflicts', label: t('conflicts.tab'), children: <Conflicts /> }] : []),
                  // The audit trail is the head's.
                  ...(identity.role === ROLE.head ? [{ key: 'audit', label: t('audit.tab'), children: <AuditTrail /> }] : []),
                ]}
              />
            ) : (
              <SignIn />
            )}
          </Layout.Content>
          <Layout.Footer style={{ textAlign: 'center', padding: 8 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('app.footer')}
            </Typography.Text>
          </Layout.Footer>
        </Layout>
      </AntApp>
    </ConfigProvider>
  );
}
