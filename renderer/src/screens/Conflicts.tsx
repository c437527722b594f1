/**
 * The Conflicts screen: the office's conflicts of sync, each with the case and both acts side by side
 * (who, when in Almaty time, what, and what each would change), the options the services allow as buttons, a note,
 * and signing with the person's key as every signed act (the same unlock dialog). Nothing is merged by itself.
 */
import { App as AntApp, Button, Card, Col, Empty, Input, Row, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConflictSide, ConflictView } from '../../../shared/contract/types';
import { officeDateTimeText } from '../../../shared/local-date';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import { useSigning } from '../components/useSigning';

function Side(props: { title: string; side: ConflictSide | null; testId: string; empty?: string }) {
  const { t } = useTranslation();
  const s = props.side;
  return (
    <Card size="small" title={props.title} data-testid={props.testId} style={{ height: '100%' }}>
      {!s ? (
        <Typography.Text type="secondary">{props.empty}</Typography.Text>
      ) : (
        <Space direction="vertical" size={4} style={{ width: '100%' }}>
          <div>
            <Typography.Text type="secondary">{t('conflicts.who')}: </Typography.Text>
            <Typography.Text strong data-testid={`${props.testId}-who`}>
              {s.actor.name}
            </Typography.Text>
            <Typography.Text type="secondary"> · {t(`role.${s.actor.role}`, { defaultValue: s.actor.role })}</Typography.Text>
          </div>
          <div>
            <Typography.Text type="secondary">{t('conflicts.when')}: </Typography.Text>
            <Typography.Text>{officeDateTimeText(s.at)}</Typography.Text>
          </div>
          <div>
            <Typography.Text type="secondary">{t('conflicts.what')}: </Typography.Text>
            <Typography.Text>{t(`event.${s.type}`, { defaultValue: s.type })}</Typography.Text>
            {s.caseNumber && <Typography.Text type="secondary"> · {s.caseNumber}</Typography.Text>}
          </div>
          {s.flags.map((f) => (
            <Tag key={f} color="gold">
              {t(`sync.flag.${f}`)}
            </Tag>
          ))}
          <Typography.Text type="secondary">{t('conflicts.changes')}:</Typography.Text>
          <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid={`${props.testId}-changes`}>
            {s.changes.map((c, i) => (
              <li key={i}>{t(c.key, c.params ?? {})}</li>
            ))}
          </ul>
        </Space>
      )}
    </Card>
  );
}

function ConflictCard(props: { conflict: ConflictView; onResolved: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { signed, modal } = useSigning();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const c = props.conflict;
  const family = c.kind === 'same_family';
  const resolve = async (option: ConflictView['options'][number]) => {
    setBusy(option);
    const r = await signed('conflicts.resolve', { conflictId: c.id, option, note });
    setBusy(null);
    if (!r.ok) return void message.error(t(`errors.${r.error.code}`, r.error.params ?? {}));
    void message.success(t('conflicts.resolvedDone'));
    props.onResolved();
  };
  return (
    <Card
      data-testid="conflict"
      title={
        <Space wrap>
          <span>{t('conflicts.case', { caseNumber: c.caseNumber ?? '—' })}</span>
          {c.otherCase && <Typography.Text type="secondary">{t('conflicts.otherCase', { caseNumber: c.otherCase.caseNumber ?? '—' })}</Typography.Text>}
          <Tag>{t(`conflicts.kind.${c.kind}`)}</Tag>
        </Space>
      }
      extra={
        <Tag color={c.status === 'open' ? 'volcano' : 'green'} data-testid="conflict-status">
          {t(`conflicts.status.${c.status}`)}
        </Tag>
      }
    >
      <Row gutter={16}>
        <Col span={12}>
          <Side title={t(family ? 'conflicts.holdingFamily' : 'conflicts.holding')} side={c.holding} testId="conflict-holding" empty={t('conflicts.holdingUnknown')} />
        </Col>
        <Col span={12}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {c.losing.map((l) => (
              <Side key={l.eventId} title={t(family ? 'conflicts.losingFamily' : 'conflicts.losing')} side={l} testId="conflict-losing" />
            ))}
          </Space>
        </Col>
      </Row>
      {c.status === 'resolved' && (
        <div style={{ marginTop: 12 }} data-testid="conflict-resolution">
          <Typography.Text strong>{t(`conflicts.resolution.${c.resolution}`, { defaultValue: c.resolution ?? '' })}</Typography.Text>
          {c.resolvedBy && (
            <Typography.Text type="secondary">
              {' · '}
              {t('conflicts.resolvedBy', { name: c.resolvedBy.name ?? '—', time: c.resolvedBy.at ? officeDateTimeText(c.resolvedBy.at) : '—' })}
            </Typography.Text>
          )}
        </div>
      )}
      {c.options.length > 0 && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 12 }}>
          <Input.TextArea aria-label={t('conflicts.note')} placeholder={t('conflicts.note')} value={note} maxLength={1000} autoSize={{ minRows: 1, maxRows: 4 }} onChange={(e) => setNote(e.target.value)} />
          <Space wrap>
            {c.options.map((o) => (
              <Button key={o} type={o === 'redo' || o === 'close_this' ? 'primary' : 'default'} loading={busy === o} disabled={busy !== null && busy !== o} onClick={() => void resolve(o)}>
                {t(`conflicts.option.${o}`)}
              </Button>
            ))}
          </Space>
        </Space>
      )}
      {modal}
    </Card>
  );
}

export function Conflicts() {
  const { t } = useTranslation();
  const [list, setList] = useState<ConflictView[] | null>(null);
  const load = () => void call('conflicts.list', {}).then((r) => r.ok && setList(r.value));
  useEffect(load, []);
  usePush((e) => (e.type === 'sync.changed' || e.type === 'case.changed') && load());
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="conflicts-screen">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('conflicts.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('conflicts.intro')}
      </Typography.Paragraph>
      {list && list.length === 0 && <Empty description={t('conflicts.none')} />}
      {(list ?? []).map((c) => (
        <ConflictCard key={c.id} conflict={c} onResolved={load} />
      ))}
    </Space>
  );
}
