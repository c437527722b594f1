import { Button, Card, Input, Space, Table, Tag, Typography, App } from 'antd';
import type { InputRef } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseSummary, SearchResult } from '../../../shared/contract/types';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import { useNewestReading } from '../api/useNewestReading';
import { useSession } from '../store/session';
import { SampleBanner, SampleTag } from '../components/SampleMark';
import { RegisterApplicant } from './RegisterApplicant';
import { CaseView } from './CaseView';
import { prefetchCase } from './case-opening';
import { atOffice, formatDay } from '../time';
import { ROLE } from '../../../shared/roles';

const PAGE_SIZE = 20;

export function Cases() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const identity = useSession((s) => s.identity)!;
  const status = useSession((s) => s.status);
  const refreshStatus = useSession((s) => s.refreshStatus);
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [registering, setRegistering] = useState(false);
  const [openCase, setOpenCase] = useState<string | null>(null);
  // The list as a work queue: nearest deadline first, when the person sorts by it.
  const [sort, setSort] = useState<'default' | 'due'>('default');
  const searchRef = useRef<InputRef>(null);
  const canRegister = identity.role === ROLE.specialist || identity.role === ROLE.center;

  // Where each page starts (the page before's `next`): pages are read from where the last one ended, so the list
  // moves a page at a time and page 50 costs what the first does.
  const starts = useRef<(string | undefined)[]>([undefined]);
  // The words of the moment, not a reason to read the list again: switching the language re-read it under a spinner,
  // which swallowed the click of someone opening a case just then.
  const words = useRef({ t, message });
  words.current = { t, message };
  // A refresh the person did not ask for (a case changed here or arrived by sync) keeps the rows as they are until
  // the new ones come: a spinner over them would swallow the click of someone opening a case at that moment.
  const newest = useNewestReading();
  const load = useCallback(
    async (q: string, p: number, by: 'default' | 'due' = 'default', quiet = false) => {
      const isNewest = newest();
      if (!quiet) setLoading(true);
      const after = starts.current[p - 1];
      const r = await call('cases.search', { query: q, limit: PAGE_SIZE, ...(after ? { after } : {}), sort: by });
      // Rows that no longer match the search box are not shown; the newest answer ends the spinner, whoever began it.
      if (!isNewest()) return;
      setLoading(false);
      if (!r.ok) return void words.current.message.error(words.current.t(`errors.${r.error.code}`));
      setResult(r.value);
      starts.current[p] = r.value.next ?? undefined;
    },
    [newest],
  );

  // Search as the person types, a moment after the last key.
  useEffect(() => {
    const timer = setTimeout(() => void load(query, page, sort), 150);
    return () => clearTimeout(timer);
  }, [query, page, sort, load]);
  // A case changed here or arrived from another workstation: the list follows (once for a burst of changes).
  const burst = useRef<ReturnType<typeof setTimeout> | null>(null);
  const current = useRef({ query, page, sort });
  current.current = { query, page, sort };
  usePush((event) => {
    if (event.type !== 'case.changed') return;
    if (burst.current) clearTimeout(burst.current);
    burst.current = setTimeout(() => {
      void load(current.current.query, current.current.page, current.current.sort, true);
      void refreshStatus();
    }, 300);
  });
  const today = status?.clock.today ?? dayjs().format('YYYY-MM-DD');

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F2' && canRegister) {
        e.preventDefault();
        setRegistering(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canRegister]);

  // The list is drawn again only when its rows or their sorting change: opening a case (the drawer) leaves it be,
  // so the click paints the case at once.
  const table = useMemo(() => {
    const columns = [
      {
        title: t('cases.col.number'),
        dataIndex: 'caseNumber',
        key: 'caseNumber',
        render: (v: string, c: CaseSummary) => (
          <>
            <Typography.Text code>{v}</Typography.Text>
            {c.sample && <SampleTag />}
          </>
        ),
      },
      { title: t('cases.col.iin'), dataIndex: 'iin', key: 'iin' },
      {
        title: t('cases.col.name'),
        key: 'name',
        render: (_: unknown, c: CaseSummary) => `${c.surname} ${c.givenName} ${c.patronymic}`.trim(),
      },
      { title: t('cases.col.birthDate'), dataIndex: 'birthDate', key: 'birthDate', render: (v: string) => formatDay(v) },
      { title: t('cases.col.stage'), dataIndex: 'stage', key: 'stage', render: (v: string) => <Tag color="blue">{t(`stage.${v}`)}</Tag> },
      {
        title: t('cases.col.nextDeadline'),
        key: 'due',
        sorter: true,
        sortOrder: sort === 'due' ? ('ascend' as const) : null,
        sortDirections: ['ascend' as const],
        render: (_: unknown, c: CaseSummary) =>
          c.nextDeadline ? (
            <span data-testid="next-deadline">
              {formatDay(c.nextDeadline.due)}{' '}
              {c.nextDeadline.due < today ? <Tag color="red">{t('cases.overdue')}</Tag> : c.nextDeadline.due === today ? <Tag color="orange">{t('cases.dueToday')}</Tag> : null}
              <div style={{ fontSize: 12, color: '#666' }}>{t(`deadline.${c.nextDeadline.id}`)}</div>
            </span>
          ) : (
            t('cases.noDeadline')
          ),
      },
      { title: t('cases.col.actor'), key: 'actor', render: (_: unknown, c: CaseSummary) => (c.actingRoles ?? []).map((r) => t(`role.${r}`)).join(' / ') || '—' },
      { title: t('cases.col.created'), dataIndex: 'createdAt', key: 'createdAt', render: (v: string) => atOffice(v) },
    ];
    return (
      <Table<CaseSummary>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={result?.items ?? []}
        locale={{ emptyText: t('cases.empty') }}
        pagination={false}
        onChange={(_pagination, _filters, sorter) => {
          const by = !Array.isArray(sorter) && sorter.columnKey === 'due' && sorter.order ? 'due' : 'default';
          if (by !== sort) {
            starts.current = [undefined];
            setSort(by);
            setPage(1);
          }
        }}
        onRow={(c) => ({ onClick: () => (prefetchCase(c.id), setOpenCase(c.id)), onKeyDown: (e) => e.key === 'Enter' && (prefetchCase(c.id), setOpenCase(c.id)), tabIndex: 0, style: { cursor: 'pointer' } })}
      />
    );
  }, [result, loading, sort, today, t]);

  return (
    <Card
      title={
        <Space size="large">
          <span>{t('cases.title')}</span>
          <Typography.Text type="secondary" data-testid="case-total">
            {t('cases.total', { count: status?.totalCases ?? 0 })}
          </Typography.Text>
        </Space>
      }
      extra={
        canRegister && (
          <Button type="primary" onClick={() => setRegistering(true)}>
            {t('cases.new')} (F2)
          </Button>
        )
      }
    >
      <SampleBanner />
      <Input.Search
        ref={searchRef}
        autoFocus
        allowClear
        size="large"
        aria-label={t('cases.search')}
        placeholder={t('cases.search')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          starts.current = [undefined];
          setPage(1);
        }}
        style={{ marginBottom: 16 }}
      />
      {result && query.trim() !== '' && (
        <Typography.Paragraph type="secondary" data-testid="found">
          {result.capped ? t('cases.foundCapped', { count: result.total }) : t('cases.found', { count: result.total })}
        </Typography.Paragraph>
      )}
      {table}
      {(page > 1 || result?.next) && (
        <Space style={{ marginTop: 12, width: '100%', justifyContent: 'flex-end' }} data-testid="cases-pages">
          <Button disabled={page === 1} onClick={() => setPage(page - 1)}>
            {t('cases.previousPage')}
          </Button>
          <Typography.Text>{t('cases.pageNumber', { page })}</Typography.Text>
          <Button disabled={!result?.next} onClick={() => setPage(page + 1)}>
            {t('cases.nextPage')}
          </Button>
        </Space>
      )}
      <CaseView caseId={openCase} onClose={() => setOpenCase(null)} onOpenCase={setOpenCase} />
      <RegisterApplicant
        open={registering}
        onOpenCase={(id) => {
          setRegistering(false);
          setOpenCase(id);
        }}
        onClose={() => {
          setRegistering(false);
          setTimeout(() => searchRef.current?.focus(), 0);
        }}
        onRegistered={(c) => {
          setRegistering(false);
          void message.success(t('register.done', { number: c.caseNumber }));
          void refreshStatus();
          void load(query, page, sort, true);
        }}
      />
    </Card>
  );
}
