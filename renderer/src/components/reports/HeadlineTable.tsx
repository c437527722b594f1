/** The period's headline figures by channel (district department, Center, total); a number opens its cases. */
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ByChannel, DistrictReport, ReportFigure } from '../../../../shared/contract/report-types';

const ROWS: { key: keyof DistrictReport & string; figure: ReportFigure; label: string }[] = [
  { key: 'received', figure: 'received', label: 'reports.received' },
  { key: 'accepted', figure: 'accepted', label: 'reports.accepted' },
  { key: 'refusedToAccept', figure: 'refused_to_accept', label: 'reports.refusedToAccept' },
  { key: 'returnedToCenter', figure: 'returned_to_center', label: 'reports.returnedToCenter' },
  { key: 'assigned', figure: 'assigned', label: 'reports.assigned' },
  { key: 'refused', figure: 'refused', label: 'reports.refused' },
];

export function HeadlineTable(props: { report: DistrictReport; onPick: (figure: ReportFigure, title: string, channel?: 'district' | 'center') => void }) {
  const { t } = useTranslation();
  const rows = ROWS.map((r) => {
    const v = props.report[r.key] as ByChannel | number;
    const by = typeof v === 'number' ? { district: null, center: v } : v;
    return { ...r, district: by.district, center: by.center, total: (by.district ?? 0) + by.center };
  });
  const cell = (channel?: 'district' | 'center') => (v: number | null, r: (typeof rows)[number]) =>
    v === null ? '—' : v === 0 ? (
      <span data-testid={`headline-${r.figure}-${channel ?? 'total'}`}>0</span>
    ) : (
      <Typography.Link data-testid={`headline-${r.figure}-${channel ?? 'total'}`} onClick={() => props.onPick(r.figure, t(r.label), channel)}>
        {v}
      </Typography.Link>
    );
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="figure"
      data-testid="report-headline"
      aria-label={t('reports.figure')}
      dataSource={rows}
      columns={[
        { title: t('reports.figure'), dataIndex: 'label', render: (l: string) => t(l) },
        { title: t('channel.district'), dataIndex: 'district', align: 'right', render: cell('district') },
        { title: t('channel.center'), dataIndex: 'center', align: 'right', render: cell('center') },
        { title: t('reports.total'), dataIndex: 'total', align: 'right', render: cell() },
      ]}
    />
  );
}
