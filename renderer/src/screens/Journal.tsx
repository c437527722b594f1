/**
 * The journal of applications (Rules, Appendix 21) for a period: filters by channel and by IIN or number, and a
 * CSV export that spreadsheet programs open with Kazakh letters intact.
 */
import { App as AntApp, Button, DatePicker, Input, Segmented, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JournalRow } from '../../../shared/contract/types';
import { JOURNAL_CSV_COLUMNS, journalCsv } from '../../../shared/forms/journal-csv';
import { call } from '../api/client';
import { showPdf } from '../components/showPdf';
import { officeToday } from '../time';

export function Journal() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [printing, setPrinting] = useState(false);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([officeToday().startOf('month'), officeToday()]);
  const [channel, setChannel] = useState<'all' | 'district' | 'center'>('all');
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<JournalRow[]>([]);

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
  const exportCsv = () => {
    const url = URL.createObjectURL(new Blob([journalCsv(rows, header)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `journal-${range[0].format('YYYY-MM-DD')}-${range[1].format('YYYY-MM-DD')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div data-testid="journal">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text>{t('journal.period')}</Typography.Text>
        <DatePicker.RangePicker value={range} format="DD.MM.YYYY" allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
        <Segmented
          value={channel}
          onChange={(v) => setChannel(v as typeof channel)}
          options={[
            { value: 'all', label: '—' },
            { value: 'district', label: t('channel.district') },
            { value: 'center', label: t('channel.center') },
          ]}
        />
        <Input.Search allowClear placeholder={`${t('journal.col.iin')} / ${t('journal.col.number')}`} onSearch={setQuery} style={{ width: 240 }} />
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
        columns={[
          { title: header[0], dataIndex: 'journalNumber' },
          { title: header[1], dataIndex: 'registeredOn', render: (d: string) => dayjs(d).format('DD.MM.YYYY') },
          { title: header[2], dataIndex: 'applicantName' },
          { title: header[3], dataIndex: 'applicantIin' },
          { title: header[4], dataIndex: 'address' },
          { title: header[5], dataIndex: 'childrenCount' },
          { title: header[6], dataIndex: 'channel', render: (c: string) => t(`channel.${c}`) },
          {
            title: header[7],
            dataIndex: 'documents',
            render: (d: string) =>
              (JSON.parse(d) as { kind: string; pages: number }[]).map((x) => `${t(`document.${x.kind}`, { defaultValue: x.kind })} (${x.pages})`).join(', '),
          },
        ]}
      />
    </div>
  );
}
