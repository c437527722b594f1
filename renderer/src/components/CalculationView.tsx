/**
 * The benefit calculation with its whole working: members, income lines, the divisor,
 * per-capita income, the threshold row with its source, the MRP row, the children, the amount and the period.
 * The head reads the same view to check "the correctness of the benefit amount" (item 11.1 stage 6).
 */
import { Descriptions, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BenefitResult } from '../../../shared/domain/benefit';
import { formatTenge } from '../../../shared/forms/money';
import { thresholdNote } from '../../../shared/domain/threshold-notes';
import type { Language } from '../../../shared/i18n/messages';
import { formatDay } from '../time';

const day = (d: string) => formatDay(d);

export function CalculationView(props: { result: BenefitResult; testId?: string }) {
  const { t, i18n } = useTranslation();
  const r = props.result;
  const x = r.explanation;
  const names = new Map(x.members.map((m) => [m.id, m.name]));
  const money = (tiyn: number) => `${formatTenge(tiyn)} ₸`;
  return (
    <div data-testid={props.testId ?? 'calculation'}>
      <Typography.Text strong>{t('calc.members')}</Typography.Text>
      <Table
        size="small"
        pagination={false}
        rowKey="id"
        dataSource={x.members}
        columns={[
          { title: t('calc.name'), dataIndex: 'name' },
          { title: t('calc.relation'), dataIndex: 'relation', render: (v: string) => t(`relation.${v}`) },
          { title: t('calc.counted'), dataIndex: 'counted', render: (v: boolean) => (v ? t('calc.yes') : t('calc.no')) },
        ]}
      />
      <Typography.Text strong>
        {t('calc.income', { from: day(x.incomeQuarter.from), to: day(x.incomeQuarter.to) })}
      </Typography.Text>
      <Table
        size="small"
        pagination={false}
        rowKey={(l) => `${l.memberId}-${l.kind}-${l.month}`}
        dataSource={x.incomeLines}
        locale={{ emptyText: t('calc.noIncome') }}
        columns={[
          { title: t('calc.name'), dataIndex: 'memberId', render: (id: string) => names.get(id) ?? id },
          { title: t('application.incomeKind'), dataIndex: 'kind', render: (k: string) => t(`income.${k}`) },
          { title: t('calc.month'), dataIndex: 'month', render: (m: string) => `${m.slice(5, 7)}.${m.slice(0, 4)}` },
          { title: t('calc.amount'), dataIndex: 'amountTiyn', align: 'right', render: (v: number) => formatTenge(v) },
          { title: t('calc.counted'), dataIndex: 'counted', render: (v: boolean) => (v ? t('calc.yes') : t('calc.no')) },
        ]}
      />
      <Descriptions size="small" column={1} bordered style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('calc.total')}>{money(x.totalIncomeTiyn)}</Descriptions.Item>
        <Descriptions.Item label={t('calc.divisor')}>
          <span data-testid="calc-divisor">
            {x.divisor.months} × {x.divisor.members} = {x.divisor.value}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.perCapita')}>
          <span data-testid="calc-per-capita">{money(x.perCapitaTiyn)}</span>{' '}
          <Tag color={x.belowThreshold ? 'green' : 'red'}>{x.belowThreshold ? t('calc.below') : t('calc.notBelow')}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.threshold')}>
          {money(x.threshold.tiyn)} · {t(`region.${x.threshold.region}`, { defaultValue: x.threshold.region })}, {t('calc.quarter', { year: x.threshold.year, quarter: x.threshold.quarter })}{' '}
          <Tag color={x.threshold.mark === 'sourced' ? 'blue' : 'orange'}>{t(`calc.mark.${x.threshold.mark}`)}</Tag>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {x.threshold.mark === 'sourced' ? x.threshold.derivation : t('calc.assumedNote', { note: thresholdNote(i18n.language as Language, x.threshold.derivation) })}
            </Typography.Text>
          </div>
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.mrp')}>
          {money(x.mrp.tiyn)} ({t('calc.from')} {day(x.mrp.from)})
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.children')}>
          {x.children.filter((c) => c.counted).map((c) => `${c.name} (${day(c.birthDate)})`).join(', ') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.monthly')}>
          <Typography.Text strong data-testid="calc-monthly">
            {r.eligible ? money(r.monthlyAmountTiyn) : '—'}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('calc.period')}>{r.period ? `${day(r.period.from)} – ${day(r.period.to)}` : '—'}</Descriptions.Item>
        {!r.eligible && (
          <Descriptions.Item label={t('calc.refusal')}>{r.refusalReasons.map((g) => t(`ground.${g}`)).join('; ')}</Descriptions.Item>
        )}
      </Descriptions>
    </div>
  );
}
