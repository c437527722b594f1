import { Alert, Button, Descriptions, Drawer, Space, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, CaseVerification } from '../../../shared/contract/types';
import { citeDeadline } from '../../../shared/domain/deadlines';
import type { Language } from '../../../shared/i18n/messages';
import { call } from '../api/client';

/** One case: the applicant, the deadlines with their legal source, and every event with its signature. */
export function CaseView(props: { caseId: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [verification, setVerification] = useState<CaseVerification | null>(null);
  const [verifying, setVerifying] = useState(false);

  useEffect(() => {
    setDetail(null);
    setVerification(null);
    if (!props.caseId) return;
    const id = props.caseId;
    void call('cases.get', { caseId: id }).then((r) => r.ok && setDetail(r.value));
    // The signature panel shows each event's verified signature straight away.
    void call('cases.verify', { caseId: id }).then((r) => r.ok && setVerification(r.value));
  }, [props.caseId]);

  const verify = async () => {
    if (!props.caseId) return;
    setVerifying(true);
    const r = await call('cases.verify', { caseId: props.caseId });
    setVerifying(false);
    if (r.ok) setVerification(r.value);
  };

  const lang = i18n.language as Language;
  return (
    <Drawer title={detail ? `${t('case.title')} ${detail.caseNumber}` : t('case.title')} open={props.caseId !== null} onClose={props.onClose} width={720}>
      {detail && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('cases.col.name')} span={2}>
              {detail.surname} {detail.givenName} {detail.patronymic}
            </Descriptions.Item>
            <Descriptions.Item label={t('cases.col.iin')}>{detail.iin}</Descriptions.Item>
            <Descriptions.Item label={t('cases.col.birthDate')}>{dayjs(detail.birthDate).format('DD.MM.YYYY')}</Descriptions.Item>
            <Descriptions.Item label={t('cases.col.stage')}>
              <Tag color="blue">{t(`stage.${detail.stage}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('case.channel')}>{t(`channel.${detail.channel}`)}</Descriptions.Item>
            <Descriptions.Item label={t('field.address')} span={2}>
              {detail.address}
            </Descriptions.Item>
            <Descriptions.Item label={t('case.rules')} span={2}>
              <Typography.Text code>{detail.rulesVersion}</Typography.Text>
            </Descriptions.Item>
          </Descriptions>

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
                { title: t('case.due'), dataIndex: 'due', render: (d: string) => dayjs(d).format('DD.MM.YYYY') },
                { title: t('case.source'), dataIndex: 'id', key: 'source', render: (id: Parameters<typeof citeDeadline>[0]) => citeDeadline(id, lang) },
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
                type={verification.valid ? 'success' : 'error'}
                showIcon
                style={{ marginBottom: 12 }}
                message={verification.valid ? t('case.verified') : t('case.notVerified')}
                description={verification.valid ? undefined : verification.problems.join('; ')}
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
                      <Typography.Text strong>{t(`event.${e.type}`, { defaultValue: e.type })}</Typography.Text> · {dayjs(e.at).format('DD.MM.YYYY HH:mm')}
                      <div style={{ fontSize: 12 }}>
                        {sig?.signer ? (
                          <>
                            {t('case.signedBy')}: {sig.signer.name}, {t('header.iin')} {sig.signer.iin}, {sig.signer.role ? t(`role.${sig.signer.role}`) : '—'}
                            {sig.signingTime ? ` · ${dayjs(sig.signingTime).format('DD.MM.YYYY HH:mm:ss')}` : ''}{' '}
                            <Tag color={sig.valid ? 'green' : 'red'}>{sig.valid ? t('case.signatureValid') : sig.errors.map((x) => t(`signature.${x}`)).join(', ')}</Tag>
                          </>
                        ) : (
                          <Tag color="red">{t('case.notSigned')}</Tag>
                        )}
                      </div>
                    </div>
                  ),
                };
              })}
            />
          </div>
        </Space>
      )}
    </Drawer>
  );
}
