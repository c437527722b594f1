/**
 * The city's figures for the city department's administrator: every district side by side, as the central server
 * counted them (applications received, benefit assigned, refused, the regulation's deadlines missed), a bar chart
 * with its table beside it. Offline, the last fetched figures with their time, marked so. Aggregates only: no case
 * opens from here.
 */
import { Alert, Button, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CityReport as CityFigures } from '../../../../shared/contract/city-report';
import { dayText, officeDateTime } from '../../../../shared/local-date';
import { officeToday } from '../../time';
import { useSigning } from '../useSigning';
import { FigureChart } from './FigureChart';
import { PeriodPicker, periodOf, type Period } from './PeriodPicker';

/** "ЧЧ:ММ ДД.ММ.ГГГГ" in Almaty time: the time first, as the line reads. */
function timeThenDay(iso: string): string {
  const [day, time] = officeDateTime(iso).split(' ');
  return `${time} ${day}`;
}

/**
 * A district department's name as the chart and the table read it: the district itself ("Әуезов ауданы",
 * "Ауэзовский район"); the department's full name when it is written otherwise.
 */
export function districtName(d: { nameKk: string; nameRu: string }, kk: boolean): string {
  if (kk) {
    const m = /(\S+) ауданының/.exec(d.nameKk);
    return m ? `${m[1]} ауданы` : d.nameKk;
  }
  const m = /(\S+)ского района/.exec(d.nameRu);
  return m ? `${m[1]}ский район` : d.nameRu;
}

export function CityReport() {
  const { t, i18n } = useTranslation();
  const kk = i18n.language === 'kk';
  const { signed, modal } = useSigning();
  const [period, setPeriod] = useState<Period>(() => periodOf('year', officeToday()));
  const [report, setReport] = useState<CityFigures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (p: Period) => {
    setLoading(true);
    setError(null);
    const r = await signed('reports.city', { from: p.from, to: p.to });
    setLoading(false);
    if (r.ok) setReport(r.value);
    else setError(t(`errors.${r.error.code}`, { ...r.error.params, defaultValue: t('errors.internal') }));
  };
  useEffect(() => {
    void load(period);
  }, [period]);

  const districts = report?.districts ?? [];
  const otherPeriod = report && (report.from !== period.from || report.to !== period.to);
  return (
    <div data-testid="city-report">
      <Space wrap style={{ marginBottom: 12 }}>
        <PeriodPicker value={period} onChange={setPeriod} />
        <Button loading={loading} onClick={() => void load(period)} data-testid="city-refresh">
          {t('reports.city.refresh')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} data-testid="city-error" style={{ marginBottom: 12 }} />}
      {!report ? (
        !error && <Spin style={{ display: 'block', marginTop: 48 }} />
      ) : (
        <>
          <Typography.Paragraph type={report.offline ? 'warning' : 'secondary'} data-testid="city-fetched">
            {t(report.offline ? 'reports.city.offline' : 'reports.city.fetched', { at: timeThenDay(report.fetchedAt) })}
          </Typography.Paragraph>
          {otherPeriod && (
            <Alert type="warning" showIcon data-testid="city-other-period" style={{ marginBottom: 12 }} message={t('reports.city.otherPeriod', { from: dayText(report.from), to: dayText(report.to) })} />
          )}
          {districts.length === 0 ? (
            <Alert type="info" message={t('reports.city.noDistricts')} />
          ) : (
            <FigureChart
              id="city"
              kind="bar"
              horizontal
              topDown
              title={t('reports.city.title')}
              categories={districts.map((d) => districtName(d, kk))}
              series={[
                { name: t('reports.received'), data: districts.map((d) => d.received) },
                { name: t('reports.assigned'), data: districts.map((d) => d.assigned), color: '#2e7d32' },
                { name: t('reports.refused'), data: districts.map((d) => d.refused), color: '#c62828' },
                { name: t('reports.city.missed'), data: districts.map((d) => d.deadlinesMissed), color: '#ef6c00' },
              ]}
            />
          )}
        </>
      )}
      {modal}
    </div>
  );
}
