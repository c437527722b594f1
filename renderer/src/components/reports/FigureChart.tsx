/**
 * One chart of the report with its data table beside it: the same numbers twice, the table for reading, printing
 * and screen readers (the chart also carries ECharts' aria description). Clicking a bar, a point or a table cell
 * opens the cases behind it. The chart's own option (categories and series) is on the DOM as data-chart, so that a
 * test can compare it with the table.
 */
import { Card, Col, Row, Table, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import { echarts } from './echarts';

export interface ChartSeries {
  name: string;
  data: number[];
  /** Stacked series share a stack name. */
  stack?: string;
  color?: string;
}

export interface FigureChartProps {
  id: string;
  title: string;
  kind: 'bar' | 'line';
  categories: string[];
  series: ChartSeries[];
  /** Bars drawn horizontally (long category names: deadlines, grounds, precincts). */
  horizontal?: boolean;
  /** Horizontal bars read from the top down, in the table's order. */
  topDown?: boolean;
  onPick?: (categoryIndex: number, seriesIndex: number) => void;
}

export function FigureChart(p: FigureChartProps) {
  const { t } = useTranslation();
  const axis = { type: 'category' as const, data: p.categories, inverse: p.topDown === true, axisLabel: { width: 220, overflow: 'truncate' as const } };
  const option = {
    // ECharts' aria description, in the UI's language: every number of the chart, as a sentence per series.
    aria: { enabled: true, label: { description: `${p.title}. ${p.series.map((s) => `${s.name}: ${p.categories.map((c, i) => `${c} — ${s.data[i] ?? 0}`).join(', ')}`).join('; ')}` } },
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: p.horizontal ? { type: 'value' as const } : axis,
    yAxis: p.horizontal ? axis : { type: 'value' as const },
    series: p.series.map((s) => ({ type: p.kind, name: s.name, data: s.data, stack: s.stack, itemStyle: s.color ? { color: s.color } : undefined, emphasis: { focus: 'series' as const } })),
  };
  const rows = p.categories.map((c, i) => ({ key: i, category: c, ...Object.fromEntries(p.series.map((s, j) => [`s${j}`, s.data[i] ?? 0])) }));
  const cell = (j: number) => (v: number, r: { key: number }) =>
    p.onPick && v > 0 ? (
      <Typography.Link onClick={() => p.onPick!(r.key, j)} data-testid={`${p.id}-cell-${r.key}-${j}`}>
        {v}
      </Typography.Link>
    ) : (
      <span data-testid={`${p.id}-cell-${r.key}-${j}`}>{v}</span>
    );
  const height = Math.max(240, p.horizontal ? 28 * p.categories.length + 80 : 300);
  return (
    <Card size="small" title={p.title} data-testid={`chart-${p.id}`} style={{ marginBottom: 16 }}>
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <div
            role="img"
            aria-label={t('reports.chartOf', { title: p.title })}
            data-testid={`${p.id}-chart`}
            data-chart={JSON.stringify({ categories: p.categories, series: p.series.map((s) => ({ name: s.name, data: s.data })) })}
          >
            <ReactEChartsCore
              echarts={echarts}
              option={option}
              notMerge
              style={{ height }}
              opts={{ renderer: 'svg' }}
              onEvents={{ click: (e: { dataIndex: number; seriesIndex: number }) => p.onPick?.(e.dataIndex, e.seriesIndex) }}
            />
          </div>
        </Col>
        <Col xs={24} xl={10}>
          <Table
            size="small"
            pagination={false}
            data-testid={`${p.id}-table`}
            aria-label={`${t('reports.table')}: ${p.title}`}
            dataSource={rows}
            columns={[{ title: '', dataIndex: 'category', key: 'category' }, ...p.series.map((s, j) => ({ title: s.name, dataIndex: `s${j}`, key: `s${j}`, align: 'right' as const, render: cell(j) }))]}
          />
        </Col>
      </Row>
    </Card>
  );
}
