/**
 * Reports: the district's figures for a period, computed on this workstation from its own database (offline):
 * the headline figures by channel, the monthly series, the regulation's deadlines kept, the queue by stage,
 * refusals by ground and referrals per precinct, each chart with its table beside it; every number opens the cases
 * behind it (district staff; the city's administrator sees the aggregates only). The administrator also has the
 * city's view: every district side by side, from the central server (../components/reports/CityReport.tsx).
 */
import { Alert, App as AntApp, Button, Card, Col, Row, Space, Spin, Statistic, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DistrictReport, ReportFigure } from '../../../shared/contract/report-types';
import { formatTenge } from '../../../shared/forms/money';
import { call } from '../api/client';
import { useSession } from '../store/session';
import { atOffice, officeToday } from '../time';
import { ROLE } from '../../../shared/roles';
import { FigureChart } from '../components/reports/FigureChart';
import { FigureCases, type FigureQuery } from '../components/reports/FigureCases';
import { HeadlineTable } from '../components/reports/HeadlineTable';
import { PeriodPicker, periodOf, type Period } from '../components/reports/PeriodPicker';
import { downloadXlsx, openSignedPdf } from '../components/reports/exports';
import { CaseView } from './CaseView';
import { CityReport } from '../components/reports/CityReport';
import { SampleBanner } from '../components/SampleMark';

const sum = (c: { district: number; center: number }) => c.district + c.center;

/** The city department's administrator also sees the city's districts side by side, and starts there. */
export function Reports() {
  const { t } = useTranslation();
  const cityAdmin = useSession((s) => s.identity?.role === ROLE.admin && !!s.identity.officeBin && s.identity.officeBin === s.status?.workstation?.city?.bin);
  if (!cityAdmin) return <DistrictReports />;
  return (
    <Tabs
      destroyOnHidden
      defaultActiveKey="city"
      items={[
        { key: 'district', label: <span data-testid="reports-view-district">{t('reports.view.district')}</span>, children: <DistrictReports /> },
        { key: 'city', label: <span data-testid="reports-view-city">{t('reports.view.city')}</span>, children: <CityReport /> },
      ]}
    />
  );
}

function DistrictReports() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'kk' ? 'kk' : i18n.language === 'en' ? 'en' : 'ru';
  const role = useSession((s) => s.identity?.role);
  const [period, setPeriod] = useState<Period>(() => periodOf('year', officeToday()));
  const [report, setReport] = useState<DistrictReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState<FigureQuery | null>(null);
  const [openCase, setOpenCase] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);
  const { message } = AntApp.useApp();
  const lists = role === ROLE.specialist || role === ROLE.head;

  useEffect(() => {
    setReport(null);
    setError(null);
    void call('reports.district', { from: period.from, to: period.to }).then((r) => (r.ok ? setReport(r.value) : setError(t(`errors.${r.error.code}`, { defaultValue: t('errors.internal') }))));
  }, [period]);

  const pick = (figure: ReportFigure, title: string, key: Partial<FigureQuery> = {}) => lists && setQuery({ from: period.from, to: period.to, figure, title, ...key });

  if (error) return <Alert type="error" showIcon message={error} />;
  const r = report;
  const months = r?.months ?? [];
  const deadlines = (r?.deadlines ?? []).filter((d) => d.met + d.missed + d.overdueNow > 0);
  const stages = [...new Set((r?.queue ?? []).map((q) => q.stage))];
  const reasons = [...new Set((r?.refusedByReason ?? []).map((x) => x.reason))];
  const byReason = (ch: 'district' | 'center') => reasons.map((reason) => r?.refusedByReason.find((x) => x.reason === reason && x.channel === ch)?.n ?? 0);
  return (
    <div data-testid="reports">
      <SampleBanner />
      <Space wrap style={{ marginBottom: 12 }}>
        <PeriodPicker value={period} onChange={setPeriod} />
        <Button disabled={!r} onClick={() => void downloadXlsx(period, lang)} data-testid="report-xlsx">
          {t('reports.xlsx')}
        </Button>
        {role === ROLE.head && (
          <Button
            disabled={!r}
            loading={signing}
            data-testid="report-pdf"
            onClick={async () => {
              setSigning(true);
              // The printed report exists in kk and ru; English reads the Russian one.
              const failed = await openSignedPdf(period, lang === 'kk' ? 'kk' : 'ru');
              setSigning(false);
              if (failed) void message.error(t(`errors.${failed.code}`, { defaultValue: t('errors.internal') }));
            }}
          >
            {t('reports.pdf')}
          </Button>
        )}
      </Space>
      {!r ? (
        <Spin style={{ display: 'block', marginTop: 48 }} />
      ) : (
        <>
          <Typography.Paragraph type="secondary" data-testid="report-computed">
            {t('reports.computedAt', { at: atOffice(r.computedAt), today: r.today.split('-').reverse().join('.') })}
          </Typography.Paragraph>
          <Row gutter={16}>
            <Col xs={24} xl={14}>
              <HeadlineTable report={r} onPick={(figure, title, channel) => pick(figure, title, channel ? { channel } : {})} />
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('reports.benefit')}>
                <Space size="large" wrap>
                  <Statistic title={t('reports.families')} value={r.families} data-testid="report-families" />
                  <Statistic title={t('reports.children')} value={r.children} data-testid="report-children" />
                  <Statistic title={t('reports.amount')} value={formatTenge(r.amountTiyn)} data-testid="report-amount" />
                </Space>
                <Typography.Paragraph style={{ marginTop: 12 }} data-testid="report-decision-days">
                  {t('reports.decisionDays', { median: r.decisionDays.median ?? '—', p90: r.decisionDays.p90 ?? '—', count: r.decisionDays.decisions })}
                </Typography.Paragraph>
              </Card>
            </Col>
          </Row>
          <div style={{ height: 16 }} />
          <FigureChart
            id="monthly"
            kind="bar"
            title={t('reports.monthly')}
            categories={months.map((m) => m.month.split('-').reverse().join('.'))}
            series={[
              { name: t('reports.received'), data: months.map((m) => sum(m.received)) },
              { name: t('reports.accepted'), data: months.map((m) => sum(m.accepted)) },
              { name: t('reports.assigned'), data: months.map((m) => sum(m.assigned)), color: '#2e7d32' },
              { name: t('reports.refused'), data: months.map((m) => sum(m.refused)), color: '#c62828' },
            ]}
            onPick={(i, j) => pick((['received', 'accepted', 'assigned', 'refused'] as const)[j]!, t(['reports.received', 'reports.accepted', 'reports.assigned', 'reports.refused'][j]!), { month: months[i]!.month })}
          />
          <FigureChart
            id="deadlines"
            kind="bar"
            horizontal
            title={t('reports.deadlines')}
            categories={deadlines.map((d) => `${t(`deadline.${d.deadline}`)} (${d.source[lang]})`)}
            series={[
              { name: t('reports.met'), data: deadlines.map((d) => d.met), stack: 'd', color: '#2e7d32' },
              { name: t('reports.missed'), data: deadlines.map((d) => d.missed), stack: 'd', color: '#c62828' },
              { name: t('reports.overdueNow'), data: deadlines.map((d) => d.overdueNow), stack: 'd', color: '#ef6c00' },
            ]}
            onPick={(i, j) => pick((['deadline_met', 'deadline_missed', 'deadline_overdue'] as const)[j]!, t(`deadline.${deadlines[i]!.deadline}`), { deadline: deadlines[i]!.deadline })}
          />
          <FigureChart
            id="queue"
            kind="bar"
            title={t('reports.queue')}
            categories={stages.map((s) => t(`stage.${s}`))}
            series={[
              { name: t('reports.open'), data: stages.map((s) => r.queue.filter((q) => q.stage === s).reduce((a, q) => a + q.open, 0)) },
              { name: t('reports.overdue'), data: stages.map((s) => r.queue.filter((q) => q.stage === s).reduce((a, q) => a + q.overdue, 0)), color: '#c62828' },
            ]}
            onPick={(i, j) => pick(j === 0 ? 'queue_open' : 'queue_overdue', t(`stage.${stages[i]}`), { stage: stages[i]! })}
          />
          <FigureChart
            id="reasons"
            kind="bar"
            horizontal
            title={t('reports.refusedByReason')}
            categories={reasons.map((x) => t(`ground.${x}`))}
            series={[
              { name: t('channel.district'), data: byReason('district'), stack: 'r' },
              { name: t('channel.center'), data: byReason('center'), stack: 'r' },
            ]}
            onPick={(i, j) => pick('refused_reason', t(`ground.${reasons[i]}`), { reason: reasons[i]!, channel: j === 0 ? 'district' : 'center' })}
          />
          <FigureChart
            id="precincts"
            kind="bar"
            horizontal
            title={t('reports.referrals')}
            categories={r.referrals.map((x) => (lang === 'kk' ? x.nameKk : x.nameRu))}
            series={[{ name: t('reports.referrals'), data: r.referrals.map((x) => x.n) }]}
            onPick={(i) => pick('referrals', r.referrals[i]!.precinct, { precinct: r.referrals[i]!.precinct })}
          />
        </>
      )}
      <FigureCases query={query} onClose={() => setQuery(null)} onOpenCase={setOpenCase} />
      <CaseView caseId={openCase} onClose={() => setOpenCase(null)} />
    </div>
  );
}
