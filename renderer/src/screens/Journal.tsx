/**
 * The journal of applications (Rules, Appendix 21) for a period: filters by channel and by IIN or number, the
 * printed journal's fourteen columns with a column picker, and a CSV export in the chosen language that spreadsheet
 * programs open with Kazakh letters intact.
 */
import { App as AntApp, Button, Checkbox, DatePicker, Input, Popover, Segmented, Space, Table, Typography, type TableColumnType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JournalRow } from '../../../shared/contract/types';
import { JOURNAL_CSV_COLUMNS, journalCsv } from '../../../shared/forms/journal-csv';
import { call } from '../api/client';
import { formatTenge } from '../../../shared/forms/money';
import { showPdf } from '../components/showPdf';
import { officeToday, formatDay, dayFormat } from '../time';

/** The columns of the printed journal (Rules, Appendix 21), as the screen shows them. */
const JOURNAL_COLUMNS = ['number', 'date', 'applicant', 'iin', 'address', 'children', 'channel', 'documents', 'perCapita', 'decision', 'monthlyAmount', 'period', 'notifiedOn', 'note'] as const;
type JournalColumn = (typeof JOURNAL_COLUMNS)[number];
const COLUMNS_KEY = 'jardem.journal.columns';

export function Journal() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [printing, setPrinting] = useState(false);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([officeToday().startOf('month'), officeToday()]);
  const [channel, setChannel] = useState<'all' | 'district' | 'center'>('all');
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<JournalRow[]>([]);
  const [visible, setVisible] = useState<JournalColumn[]>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null') as JournalColumn[] | null;
      return Array.isArray(saved) && saved.length > 0 ? saved : [...JOURNAL_COLUMNS];
    } catch {
      return [...JOURNAL_COLUMNS];
    }
  });
  const showColumns = (keys: JournalColumn[]) => {
    const ordered = JOURNAL_COLUMNS.filter((k) => keys.includes(k));
    setVisible(ordered);
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(ordered));
  };

  const filters = () => ({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), ...(channel !== 'all' ? { channel } : {}), ...(query.trim() ? { query: query.trim() } : {}) });
  useEffect(() => {
    void call('journal.list', filters()).then((r) => r.ok && setRows(r.value));
  }, [range, channel, query]);

  const header = JOURNAL_CSV_COLUMNS.map((c) => t(`journal.col.${c}`));
  // The printed journal (Rules, Appendix 21) in the UI's language; English falls back to Russian, the forms have kk and ru.
  const print = async () => {
    setPrinting(true);
    const r = await call('journal.pdf', { ...filters(), language: i18n.language === 'kk' ? 'kk' : 'ru' });
    setPrinting(false);
    if (!r.ok) return void message.error(t(`errors.${r.error.code}`, { ...r.error.params, defaultValue: t('errors.internal') }));
    showPdf(r.value.pdfBase64);
  };
  // The CSV in the chosen language: names, not codes (the channel's code kept in a column of its own).
  const exportCsv = () => {
    const labels = {
      channel: (c: 'district' | 'center') => t(`channel.${c}`),
      decision: (d: 'assign' | 'refuse') => t(`decision.ui.outcome_${d}`),
      document: (kind: string, pages: number) => `${t(`document.${kind}`, { defaultValue: kind })} (${pages})`,
      channelCode: t('journal.csvCode'),
    };
    const url = URL.createObjectURL(new Blob([journalCsv(rows, header, labels)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `journal-${range[0].format('YYYY-MM-DD')}-${range[1].format('YYYY-MM-DD')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const day = (d: string | null) => formatDay(d);
  const money = (tiyn: number | null) => (tiyn === null ? '—' : formatTenge(tiyn));
  // The columns of the printed journal (Appendix 21), in its order; the person chooses which to show.
  const columns: (TableColumnType<JournalRow> & { key: JournalColumn })[] = [
    { key: 'number', title: t('journal.col.number'), dataIndex: 'journalNumber' },
    { key: 'date', title: t('journal.col.date'), dataIndex: 'registeredOn', render: (d: string) => day(d) },
    { key: 'applicant', title: t('journal.col.applicant'), dataIndex: 'applicantName' },
    { key: 'iin', title: t('journal.col.iin'), dataIndex: 'applicantIin' },
    { key: 'address', title: t('journal.col.address'), dataIndex: 'address' },
    { key: 'children', title: t('journal.col.children'), dataIndex: 'childrenCount', align: 'center' },
    { key: 'channel', title: t('journal.col.channel'), dataIndex: 'channel', render: (c: 'district' | 'center', r: JournalRow) => `${t(`channel.${c}`)}${r.requestNumber ? ` № ${r.requestNumber}` : ''}` },
    {
      key: 'documents',
      title: t('journal.col.documents'),
      dataIndex: 'documents',
      render: (d: string) => (JSON.parse(d) as { kind: string; pages: number }[]).map((x) => `${t(`document.${x.kind}`, { defaultValue: x.kind })} (${x.pages})`).join(', '),
    },
    { key: 'perCapita', title: t('journal.col.perCapita'), dataIndex: 'perCapitaTiyn', align: 'right', render: (v: number | null) => money(v) },
    { key: 'decision', title: t('journal.col.decisionFull'), render: (_: unknown, r: JournalRow) => (r.decision ? `${t(`decision.ui.outcome_${r.decision}`)}, ${day(r.decidedOn)}, № ${r.decisionNumber ?? ''}` : '—') },
    { key: 'monthlyAmount', title: t('journal.col.monthlyAmount'), dataIndex: 'monthlyAmountTiyn', align: 'right', render: (v: number | null) => money(v) },
    { key: 'period', title: t('journal.col.period'), render: (_: unknown, r: JournalRow) => (r.periodFrom ? `${day(r.periodFrom)} – ${day(r.periodTo)}` : '—') },
    { key: 'notifiedOn', title: t('journal.col.notifiedOn'), dataIndex: 'notifiedOn', render: (d: string | null) => day(d) },
    { key: 'note', title: t('journal.col.note'), dataIndex: 'note', render: (n: string) => n || '—' },
  ];
  const shown = columns.filter((c) => visible.includes(c.key));

  return (
    <div data-testid="journal">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text>{t('journal.period')}</Typography.Text>
        <DatePicker.RangePicker value={range} format={dayFormat()} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
        <Segmented
          value={channel}
          onChange={(v) => setChannel(v as typeof channel)}
          options={[
            { value: 'all', label: t('journal.channelAll') },
            { value: 'district', label: t('channel.district') },
            { value: 'center', label: t('channel.center') },
          ]}
        />
        <Input.Search allowClear placeholder={`${t('journal.col.iin')} / ${t('journal.col.number')}`} onSearch={setQuery} style={{ width: 240 }} />
        <Popover
          trigger="click"
          placement="bottomLeft"
          content={
            <Checkbox.Group
              data-testid="journal-column-picker"
              style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
              value={visible}
              onChange={(v) => showColumns(v as JournalColumn[])}
              options={columns.map((c) => ({ value: c.key, label: c.title as string }))}
            />
          }
        >
          <Button data-testid="journal-columns">{t('journal.columns')}</Button>
        </Popover>
        <Button onClick={exportCsv} disabled={rows.length === 0}>
          {t('journal.csv')}
        </Button>
        <Button onClick={() => void print()} loading={printing} disabled={rows.length === 0} data-testid="journal-print">
          {t('journal.print')}
        </Button>
      </Space>
      <Table
        size="small"
        rowKey="journalNumber"
        dataSource={rows}
        pagination={{ pageSize: 50 }}
        scroll={{ x: true }}
        columns={shown}
      />
    </div>
  );
}
