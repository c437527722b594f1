/** The cases behind one figure of the report, in a drawer; a row opens the case. */
import { Drawer, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../../shared/contract/methods';
import type { ReportCaseRow, ReportCases } from '../../../../shared/contract/report-types';
import { SampleTag } from '../SampleMark';
import { call } from '../../api/client';

export type FigureQuery = InputOf<'reports.cases'> & { title: string };

export function FigureCases(props: { query: FigureQuery | null; onClose: () => void; onOpenCase: (caseId: string) => void }) {
  const { t } = useTranslation();
  const [found, setFound] = useState<ReportCases | null>(null);
  useEffect(() => {
    setFound(null);
    if (!props.query) return;
    const { title: _title, ...input } = props.query;
    void call('reports.cases', input).then((r) => r.ok && setFound(r.value));
  }, [props.query]);
  return (
    <Drawer open={props.query !== null} onClose={props.onClose} width={720} title={props.query ? t('reports.casesOf', { title: props.query.title }) : ''} data-testid="report-cases">
      <Table
        size="small"
        rowKey="caseId"
        loading={found === null}
        dataSource={found?.rows ?? []}
        pagination={{ pageSize: 50 }}
        onRow={(r) => ({ onClick: () => props.onOpenCase(r.caseId), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('journal.col.number'), dataIndex: 'caseNumber', render: (v: string, r: ReportCaseRow) => (r.sample ? <>{v} <SampleTag /></> : v) },
          { title: t('journal.col.applicant'), dataIndex: 'applicantName' },
          { title: t('reports.channel'), dataIndex: 'channel', render: (c: string) => t(`channel.${c}`) },
          { title: t('reports.stage'), dataIndex: 'stage', render: (s: string) => t(`stage.${s}`) },
        ]}
      />
      {found && <Typography.Text type="secondary" data-testid="report-cases-total">{t('reports.casesShown', { shown: found.rows.length, total: found.total })}</Typography.Text>}
    </Drawer>
  );
}
