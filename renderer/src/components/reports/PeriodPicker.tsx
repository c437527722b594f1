/** The report's period: a month, a quarter or a year (picked as such), or any from–to. */
import { DatePicker, Segmented, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { periodAround, type PeriodKind } from '../../../../shared/domain/report-period';
import { dayFormat } from '../../time';

export interface Period {
  kind: PeriodKind;
  from: string;
  to: string;
}

export function periodOf(kind: PeriodKind, day: Dayjs, to?: Dayjs): Period {
  if (kind === 'range') return { kind, from: day.format('YYYY-MM-DD'), to: (to ?? day).format('YYYY-MM-DD') };
  return { kind, ...periodAround(kind, day.format('YYYY-MM-DD')) };
}

export function PeriodPicker(props: { value: Period; onChange: (p: Period) => void }) {
  const { t } = useTranslation();
  const { kind, from, to } = props.value;
  return (
    <Space wrap data-testid="report-period">
      <Typography.Text>{t('reports.period')}</Typography.Text>
      <Segmented
        value={kind}
        onChange={(k) => props.onChange(periodOf(k as PeriodKind, dayjs(from), dayjs(to)))}
        options={(['month', 'quarter', 'year', 'range'] as const).map((k) => ({ value: k, label: t(`reports.kind.${k}`) }))}
      />
      {kind === 'range' ? (
        <DatePicker.RangePicker value={[dayjs(from), dayjs(to)]} format={dayFormat()} allowClear={false} onChange={(v) => v?.[0] && v[1] && props.onChange(periodOf('range', v[0], v[1]))} />
      ) : (
        <DatePicker
          picker={kind}
          value={dayjs(from)}
          allowClear={false}
          format={kind === 'month' ? 'MM.YYYY' : kind === 'year' ? 'YYYY' : 'YYYY-[Q]Q'}
          onChange={(v) => v && props.onChange(periodOf(kind, v))}
          data-testid="report-period-picker"
        />
      )}
    </Space>
  );
}
