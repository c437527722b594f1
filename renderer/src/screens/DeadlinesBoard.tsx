/**
 * The deadlines board: every open deadline of every open case, by due date, with its state and the
 * regulation's item that sets it (regulation.md "Deadlines (item 4 and item 11)"); counts per stage and per
 * responsible person; each role's "my work today". A virtualised list loads further pages as it scrolls.
 */
import { App, Button, Card, InputNumber, Segmented, Space, Statistic, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoardCounts, BoardList, BoardRow } from '../../../shared/contract/types';
import { citeDeadline, type DeadlineState } from '../../../shared/domain/deadlines';
import type { Language } from '../../../shared/i18n/messages';
import { call } from '../api/client';
import { useSession } from '../store/session';
import { usePush } from '../api/usePush';
import { useNewestReading } from '../api/useNewestReading';
import { CaseView } from './CaseView';
import { prefetchCase } from './case-opening';
import { ROLE } from '../../../shared/roles';
import { formatDay } from '../time';

const PAGE = 200;
const STATES: DeadlineState[] = ['overdue', 'due_today', 'due_tomorrow', 'on_time'];
const STATE_COLOR: Record<DeadlineState, string> = { overdue: 'red', due_today: 'orange', due_tomorrow: 'gold', on_time: 'green' };
const day = (d: string) => formatDay(d);

function Stat(props: { title: string; counts: BoardCounts; active: boolean; onClick: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Card size="small" hoverable onClick={props.onClick} data-testid={props.testId} style={{ minWidth: 150, borderColor: props.active ? '#0b6e6e' : undefined }}>
      <Statistic title={props.title} value={props.counts.total} groupSeparator={'\u00a0'} styles={{ content: { fontSize: 20 } }} />
      {props.counts.overdue > 0 && <Typography.Text type="danger" style={{ fontSize: 12 }}>{t('board.overdueCount', { n: props.counts.overdue })}</Typography.Text>}
    </Card>
  );
}

export function DeadlinesBoard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const lang = i18n.language as Language;
  const status = useSession((s) => s.status);
  const refreshStatus = useSession((s) => s.refreshStatus);
  // Only the administrator moves the demo office's clock.
  const isAdmin = useSession((s) => s.identity?.role === ROLE.admin);
  const [state, setState] = useState<DeadlineState | 'all'>('all');
  const [stage, setStage] = useState<string | undefined>();
  const [person, setPerson] = useState<string | undefined>();
  const [mine, setMine] = useState(false);
  const [board, setBoard] = useState<BoardList | null>(null);
  const [rows, setRows] = useState<BoardRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [openCase, setOpenCase] = useState<string | null>(null);
  const [days, setDays] = useState(0);
  const loadingMore = useRef(false);
  // The words of the moment, not a reason to read the board again (switching the language did, under a spinner).
  const words = useRef({ t, message });
  words.current = { t, message };

  const newest = useNewestReading();
  const load = useCallback(
    // `after`: where the rows shown end (the board's `next`); none to load from the top.
    async (after?: string) => {
      const isNewest = newest();
      setLoading(true);
      const r = await call('board.list', { mine, ...(after ? { after } : {}), limit: PAGE, ...(state !== 'all' ? { state } : {}), ...(stage ? { stage } : {}), ...(person ? { responsibleIin: person } : {}) });
      // The rows of a filter since changed are not shown (nor appended to the new filter's).
      if (!isNewest()) return;
      setLoading(false);
      loadingMore.current = false;
      if (!r.ok) return void words.current.message.error(words.current.t(`errors.${r.error.code}`));
      // A page after the first carries its rows only: the first page's counts stay.
      setBoard((prev) => (after && prev ? { ...r.value, counts: prev.counts } : r.value));
      setRows((prev) => (after ? [...prev, ...r.value.rows] : r.value.rows));
    },
    [mine, state, stage, person, newest],
  );
  useEffect(() => {
    void load();
  }, [load]);
  // The clock moved (here or on another screen): deadlines are counted from the new today.
  usePush((event) => {
    if (event.type !== 'clock.changed') return;
    void refreshStatus();
    void load();
  });

  const names = new Map((board?.counts?.byPerson ?? []).map((p) => [p.iin, p.name]));
  const personLabel = (iin: string | null) => (iin ? (names.get(iin) ?? iin) : t('board.noPerson'));
  const shiftClock = async () => {
    const r = await call('demo.timeTravel', { days });
    if (!r.ok) return void message.error(t(`errors.${r.error.code}`));
    void message.info(t('demo.clockShifted', { days: r.value.days, today: day(r.value.today) }));
  };

  return (
    <div data-testid="board">
      <Space wrap style={{ marginBottom: 12 }} size="middle">
        <Segmented
          value={state}
          onChange={(v) => setState(v as typeof state)}
          options={[
            { value: 'all', label: `${t('board.all')} (${board?.counts?.byState.total ?? 0})` },
            ...STATES.map((s) => ({ value: s, label: <span data-testid={`board-state-${s}`}>{`${t(`board.state.${s}`)} (${board?.counts?.byState[s] ?? 0})`}</span> })),
          ]}
        />
        <Space>
          <Switch checked={mine} onChange={setMine} aria-label={t('board.mine')} />
          <Typography.Text style={{ cursor: 'pointer' }} onClick={() => setMine(!mine)}>
            {t('board.mine')}
          </Typography.Text>
        </Space>
        {(stage || person) && (
          <Button size="small" onClick={() => (setStage(undefined), setPerson(undefined))}>
            {t('board.clear')}
          </Button>
        )}
        {board && <Typography.Text type="secondary">{t('board.today', { today: day(board.today), next: day(board.nextWorkingDay) })}</Typography.Text>}
        {status?.clock.timeTravelAllowed && isAdmin && (
          <Space>
            <Typography.Text type="secondary">{t('demo.timeTravel')}</Typography.Text>
            <InputNumber aria-label={t('demo.timeTravel')} min={0} max={60} value={days} onChange={(v) => setDays(v ?? 0)} />
            <Button onClick={() => void shiftClock()}>OK</Button>
          </Space>
        )}
      </Space>
      {/* On a line of its own: after the toolbar's last text it ran on without a space. */}
      <div>
        <Typography.Text strong>{t('board.byStage')}</Typography.Text>
      </div>
      <Space wrap style={{ margin: '8px 0 12px', display: 'flex' }}>
        {(board?.counts?.byStage ?? []).map((s) => (
          <Stat key={s.stage} testId={`board-stage-${s.stage}`} title={t(`stage.${s.stage}`)} counts={s.counts} active={stage === s.stage} onClick={() => setStage(stage === s.stage ? undefined : s.stage)} />
        ))}
      </Space>
      <Typography.Text strong>{t('board.byPerson')}</Typography.Text>
      <Space wrap style={{ margin: '8px 0 12px', display: 'flex' }}>
        {(board?.counts?.byPerson ?? []).map((p) => (
          <Stat key={p.iin ?? '-'} testId={`board-person-${p.iin ?? 'none'}`} title={personLabel(p.iin)} counts={p.counts} active={person === p.iin} onClick={() => p.iin && setPerson(person === p.iin ? undefined : p.iin)} />
        ))}
      </Space>
      <Table<BoardRow>
        virtual
        size="small"
        rowKey={(r) => `${r.caseId}/${r.deadline}/${r.startedOn}`}
        loading={loading && rows.length === 0}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1290, y: 480 }}
        locale={{ emptyText: t('board.empty') }}
        onScroll={(e) => {
          const el = e.currentTarget;
          if (!loadingMore.current && board?.next && el.scrollTop + el.clientHeight > el.scrollHeight - 300) {
            loadingMore.current = true;
            void load(board.next);
          }
        }}
        onRow={(r) => ({ onClick: () => (prefetchCase(r.caseId), setOpenCase(r.caseId)), onKeyDown: (e) => e.key === 'Enter' && (prefetchCase(r.caseId), setOpenCase(r.caseId)), tabIndex: 0, style: { cursor: 'pointer' }, ...{ 'data-testid': 'board-row' } })}
        columns={[
          {
            title: t('board.col.due'),
            dataIndex: 'due',
            width: 95,
            render: (v: string, r) => (
              <>
                {day(v)}
                {r.calendarChanged && (
                  <div>
                    <Tooltip title={t('board.calendarChangedHint')}>
                      <Tag color="purple" style={{ marginInlineEnd: 0, fontSize: 11, lineHeight: '16px', whiteSpace: 'normal' }} data-testid="board-calendar-changed">
                        {t('board.calendarChanged')}
                      </Tag>
                    </Tooltip>
                  </div>
                )}
              </>
            ),
          },
          { title: t('board.col.state'), dataIndex: 'state', width: 140, render: (s: DeadlineState) => <Tag color={STATE_COLOR[s]}>{t(`board.state.${s}`)}</Tag> },
          {
            title: `${t('board.col.case')} / ${t('board.col.journal')}`,
            dataIndex: 'caseNumber',
            width: 190,
            render: (v: string, r) => (
              <>
                <Typography.Text code>{v}</Typography.Text>
                <div style={{ fontSize: 12 }}>{r.journalNumber ?? '—'}</div>
              </>
            ),
          },
          { title: t('board.col.applicant'), dataIndex: 'applicantName', width: 230 },
          { title: t('board.col.stage'), dataIndex: 'stage', width: 165, render: (v: string) => t(`stage.${v}`) },
          {
            title: `${t('board.col.deadline')} / ${t('board.col.source')}`,
            dataIndex: 'deadline',
            width: 270,
            render: (v: Parameters<typeof citeDeadline>[0]) => (
              <>
                {t(`deadline.${v}`)}
                <div style={{ fontSize: 12, color: '#666' }}>{citeDeadline(v, lang)}</div>
              </>
            ),
          },
          { title: t('board.col.responsible'), dataIndex: 'responsibleIin', width: 200, render: (v: string | null) => personLabel(v) },
        ]}
      />
      {board && (
        <Typography.Text type="secondary" data-testid="board-shown">
          {t('board.shown', { shown: rows.length, total: board.counts?.total ?? 0 })}
        </Typography.Text>
      )}
      <CaseView
        caseId={openCase}
        onClose={() => {
          setOpenCase(null);
          void load();
        }}
      />
    </div>
  );
}
