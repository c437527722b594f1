import { Alert, Button, Descriptions, Drawer, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, CaseVerification } from '../../../shared/contract/types';
import { caseDetailOf } from '../../../shared/contract/case-detail';
import { citeDeadline } from '../../../shared/domain/deadlines';
import type { Language } from '../../../shared/i18n/messages';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import { useNewestReading } from '../api/useNewestReading';
import { SampleTag } from '../components/SampleMark';
import { CaseDocuments } from '../components/CaseDocuments';
import { ApplicationForm } from '../components/ApplicationForm';
import { IntakeChecks } from '../components/IntakeChecks';
import { DecisionPanel } from '../components/DecisionPanel';
import { CenterPanel } from '../components/CenterPanel';
import { SignatureLine } from '../components/SignatureTag';
import { VerificationProblems } from '../components/VerificationProblems';
import { atOffice, formatDay } from '../time';
import { caseScreen, drawerLayer, raiseDrawerLayer } from './case-opening';

/** One case: the applicant, the deadlines with their legal source, and every event with its signature. */
export function CaseView(props: { caseId: string | null; onClose: () => void; onOpenCase?: (caseId: string) => void }) {
  const { t, i18n } = useTranslation();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [verification, setVerification] = useState<CaseVerification | null>(null);
  const [verifying, setVerifying] = useState(false);

  // Only the newest answer is shown: a slow one that arrives after a later one is dropped.
  const newestScreen = useNewestReading();
  const newestCheck = useNewestReading();
  const refresh = async (id = props.caseId, opening = false) => {
    if (!id) return;
    const isNewest = newestScreen();
    const d = await caseScreen(id, opening);
    // The stored view comes as its text: parsed here, once.
    if (d.ok && isNewest()) setDetail(caseDetailOf(d.value));
  };

  const refreshCallback = useCallback(() => void refresh(), [props.caseId]);

  // Opened over whatever is open (a report's list of cases, another drawer): its layer goes last, before it paints.
  useLayoutEffect(() => {
    if (props.caseId) raiseDrawerLayer();
  }, [props.caseId]);
  useEffect(() => {
    setDetail(null);
    setVerification(null);
    // Verify case once when the case opens (every signature checked), then when the person asks: asked once the
    // case and its tabs are on screen (the browser idle, or half a second on), so that its check, which takes the
    // services a while, does not hold up the first paint.
    const isNewest = newestCheck();
    const id = props.caseId;
    void refresh(id, true).then(() =>
      requestIdleCallback(
        () => {
          if (id && isNewest()) void call('cases.verify', { caseId: id }).then((v) => v.ok && isNewest() && setVerification(v.value));
        },
        { timeout: 500 },
      ),
    );
  }, [props.caseId]);
  // Told by the services when this case changes (here, or on another workstation after sync): no polling. Only
  // the new acts' signatures are checked then (the services keep what they checked before, and answer for the
  // whole case); the whole case when it opens, and when the person asks.
  // The newest check's answer is shown (each answers for the whole case): a slower, older one is dropped.
  const verified = useRef<CaseVerification | null>(null);
  verified.current = verification;
  const held = useRef<number | null>(null);
  held.current = detail?.id === props.caseId ? (detail?.version ?? null) : null;
  usePush((event) => {
    if (event.type !== 'case.changed' || event.caseId !== props.caseId) return;
    // The push carries the case's version: what the screen holds of that version already is not fetched again, unless
    // what changed is what the server holds of it (its badge: sent, or refused).
    if (held.current !== event.version || event.sync) void refresh();
    const before = verified.current;
    const sinceSeq = before ? Math.max(0, ...before.events.map((e) => e.seq)) : 0;
    if (before && sinceSeq === event.version) return;
    const isNewest = newestCheck();
    void call('cases.verify', { caseId: event.caseId, sinceSeq }).then((v) => {
      if (v.ok && isNewest()) setVerification(v.value);
    });
  });

  const verify = async () => {
    if (!props.caseId) return;
    setVerifying(true);
    const isNewest = newestCheck();
    const r = await call('cases.verify', { caseId: props.caseId });
    setVerifying(false);
    if (r.ok && isNewest()) setVerification(r.value);
  };

  const lang = i18n.language as Language;
  // The case's header paints first; its tabs follow in the next render (React renders them in the background).
  const tabsDetail = useDeferredValue(detail);
  const applicant = useMemo(
    () => (detail ? { iin: detail.iin, surname: detail.surname, givenName: detail.givenName, patronymic: detail.patronymic, birthDate: detail.birthDate } : null),
    [detail?.id],
  );
  return (
    <Drawer
      title={
        detail ? (
          <Space>
            {`${t('case.title')} ${detail.caseNumber}`}
            {detail.sample && <SampleTag />}
          </Space>
        ) : (
          t('case.title')
        )
      }
      extra={detail && <SyncBadge detail={detail} />}
      open={props.caseId !== null}
      onClose={props.onClose}
      width={1180}
      getContainer={drawerLayer}
    >
      {detail && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('cases.col.name')} span={2}>
              {detail.surname} {detail.givenName} {detail.patronymic}
            </Descriptions.Item>
            <Descriptions.Item label={t('cases.col.iin')}>{detail.iin}</Descriptions.Item>
            <Descriptions.Item label={t('cases.col.birthDate')}>{formatDay(detail.birthDate)}</Descriptions.Item>
            <Descriptions.Item label={t('cases.col.stage')}>
              <Tag color="blue">{t(`stage.${detail.stage}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('case.channel')}>{t(`channel.${detail.channel}`)}</Descriptions.Item>
            <Descriptions.Item label={t('field.address')} span={2}>
              {detail.address}
            </Descriptions.Item>
            <Descriptions.Item label={t('case.rules')} span={2}>
              {t(`rules.${detail.rulesVersion}`, { defaultValue: detail.rulesVersion })}
            </Descriptions.Item>
          </Descriptions>

          {tabsDetail?.id === detail.id && (
            <Tabs
              defaultActiveKey="documents"
              items={[
                {
                  key: 'application',
                  label: t('application.tab'),
                  children: (
                    <ApplicationForm
                      caseId={detail.id}
                      applicant={applicant!}
                      createdAt={detail.createdAt}
                      caseVersion={detail.version}
                      onSaved={() => void refresh()}
                      onOpenCase={props.onOpenCase}
                    />
                  ),
                },
                { key: 'documents', label: t('case.tabDocuments'), children: <CaseDocuments caseId={detail.id} onChanged={refreshCallback} /> },
                { key: 'checks', label: t('is.title'), children: <IntakeChecks detail={detail} onChanged={refreshCallback} /> },
                ...(detail.channel === 'center' ? [{ key: 'center', label: t('center.title'), children: <CenterPanel detail={detail} onChanged={refreshCallback} /> }] : []),
                { key: 'decision', label: t('case.tabDecision'), children: <DecisionPanel detail={detail} onChanged={refreshCallback} /> },
                {
                  key: 'history',
                  label: t('case.tabHistory'),
                  children: (
                    <Space direction="vertical" size="large" style={{ width: '100%' }}>
            <div>
              <Typography.Title level={5}>{t('case.deadlines')}</Typography.Title>
              <Table
                size="small"
                rowKey={(d) => `${d.id}-${d.startedOn}`}
                pagination={false}
                locale={{ emptyText: t('case.noDeadlines') }}
                dataSource={detail.deadlines}
                columns={[
                  { title: t('case.deadline'), dataIndex: 'id', render: (id: string) => t(`deadline.${id}`) },
                  { title: t('case.due'), dataIndex: 'due', render: (d: string) => formatDay(d) },
                  { title: t('case.source'), dataIndex: 'id', key: 'source', render: (id: Parameters<typeof citeDeadline>[0]) => citeDeadline(id, lang) },
                  {
                    title: t('case.outcome'),
                    key: 'outcome',
                    render: (_: unknown, d: CaseDetail['deadlines'][number]) =>
                      d.stoppedOn ? (
                        <Tag color={d.met ? 'green' : 'red'}>{t(d.met ? 'case.met' : 'case.missed', { date: formatDay(d.stoppedOn) })}</Tag>
                      ) : (
                        <Tag>{t('case.open')}</Tag>
                      ),
                  },
                ]}
              />
            </div>


            <div>
              <Space style={{ marginBottom: 12 }}>
                <Typography.Title level={5} style={{ margin: 0 }}>
                  {t('case.events')}
                </Typography.Title>
                <Button onClick={() => void verify()} loading={verifying}>
                  {t('case.verify')}
                </Button>
              </Space>
              {verification && (
                <Alert
                  data-testid="case-verification"
                  data-through={Math.max(0, ...verification.events.map((e) => e.seq))}
                  type={verification.valid ? 'success' : 'error'}
                  showIcon
                  style={{ marginBottom: 12 }}
                  message={verification.valid ? t('case.verified') : t('case.notVerified')}
                  description={verification.valid ? undefined : <VerificationProblems problems={verification.problems} events={detail.events} />}
                />
              )}
              <Timeline
                items={detail.events.map((e) => {
                  const v = verification?.events.find((x) => x.seq === e.seq);
                  const sig = v?.signature;
                  return {
                    color: v ? (v.hashOk && v.chainOk && sig?.valid && v.roleAllowed ? 'green' : 'red') : 'gray',
                    children: (
                      <div data-testid={`event-${e.seq}`}>
                        <Typography.Text type="secondary">№ {e.seq} · </Typography.Text>
                        <Typography.Text strong>{t(`event.${e.type}`, { defaultValue: e.type })}</Typography.Text> · {atOffice(e.at)}
                        {(e.flags ?? []).map((f) => (
                          <Tag key={f} color="gold" data-testid={`event-flag-${e.seq}`} style={{ marginLeft: 8 }}>
                            {t(`sync.flag.${f}`)}
                          </Tag>
                        ))}
                        <div>
                          <SignatureLine signature={sig} />
                        </div>
                        {verification?.documents
                          .filter((d) => d.seq === e.seq)
                          .map((d) => (
                            <div key={d.form} data-testid={`document-${e.seq}`}>
                              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                                {t(`form.${d.form}`, { defaultValue: d.form })}:{' '}
                              </Typography.Text>
                              <SignatureLine signature={d.blobOk ? d.signature : { valid: false, signer: null, signingTime: null, errors: ['content_changed'] }} />
                            </div>
                          ))}
                      </div>
                    ),
                  };
                })}
              />
            </div>
                    </Space>
                  ),
                },
              ]}
            />
          )}
        </Space>
      )}
    </Drawer>
  );
}

/** Where the case's acts are: waiting to be sent, on the server, or refused by it; and "Sync now". */
function SyncBadge(props: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const s = props.detail.sync;
  const [color, key] = !s.configured ? ['default', 'sync.badge.local'] : s.refused > 0 ? ['red', 'sync.badge.refused'] : s.pending > 0 ? ['orange', 'sync.badge.pending'] : ['green', 'sync.badge.acked'];
  return (
    <Space>
      <Tag color={color} data-testid="case-sync">
        {t(key)}
        {s.pending > 0 && s.configured ? ` · ${s.pending}` : ''}
      </Tag>
      {s.configured && (
        <Button
          size="small"
          loading={busy}
          data-testid="case-sync-now"
          onClick={() => {
            setBusy(true);
            void call('sync.now', {}).finally(() => setBusy(false));
          }}
        >
          {t('sync.now')}
        </Button>
      )}
    </Space>
  );
}
