import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarCorrection } from '../../../shared/contract/types';
import { call } from '../api/client';
import { useSession } from '../store/session';
import { officeToday, formatDay, dayFormat } from '../time';
import { ROLE } from '../../../shared/roles';

/** Working days as the services count them: a counter for everyone, corrections for the administrator. */
export function WorkCalendar() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const identity = useSession((s) => s.identity)!;
  const [corrections, setCorrections] = useState<CalendarCorrection[]>([]);
  const [from, setFrom] = useState<Dayjs>(officeToday());
  const [n, setN] = useState<number>(7);
  const [result, setResult] = useState<string | null>(null);
  const [counterError, setCounterError] = useState<string | null>(null);
  const [form] = Form.useForm<{ date: Dayjs; working: boolean; reason: string }>();

  const load = useCallback(async () => {
    const r = await call('calendar.corrections', {});
    if (r.ok) setCorrections(r.value);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    void call('calendar.addWorkingDays', { from: from.format('YYYY-MM-DD'), n }).then((r) => {
      if (r.ok) {
        setResult(r.value.date);
        setCounterError(null);
      } else {
        setResult(null);
        const [field] = Object.values(r.error.fieldErrors ?? {});
        setCounterError(field ? t(field, r.error.params) : t(`errors.${r.error.code}`));
      }
    });
  }, [from, n, t, corrections]);

  const correct = async (v: { date: Dayjs; working: boolean; reason: string }) => {
    const r = await call('calendar.correctDay', { date: v.date.format('YYYY-MM-DD'), working: v.working, reason: v.reason });
    if (r.ok) {
      void message.success(t('calendar.saved'));
      form.resetFields();
      void load();
    } else {
      const [field] = Object.values(r.error.fieldErrors ?? {});
      form.setFields([{ name: 'date', errors: [field ? t(field, r.error.params) : t(`errors.${r.error.code}`)] }]);
    }
  };

  return (
    <Row gutter={24}>
      <Col xs={24} lg={10}>
        <Card title={t('calendar.counter')}>
          <Space wrap align="center">
            <DatePicker aria-label={t('calendar.from')} format={dayFormat()} value={from} onChange={(d) => d && setFrom(d)} allowClear={false} />
            <span>+</span>
            <InputNumber aria-label={t('calendar.days')} min={0} max={10000} value={n} onChange={(v) => setN(v ?? 0)} />
            <span>{t('calendar.workingDays')}</span>
          </Space>
          <Typography.Paragraph style={{ marginTop: 16, fontSize: 16 }} data-testid="calendar-result">
            {result ? t('calendar.result', { date: `${formatDay(result)}, ${dayjs(result).format('dddd')}` }) : null}
          </Typography.Paragraph>
          {counterError && <Alert type="error" showIcon message={counterError} />}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('calendar.rule')}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card title={t('calendar.corrections')}>
          {identity.role === ROLE.admin && (
            <Form form={form} layout="inline" onFinish={(v) => void correct(v)} initialValues={{ working: false }} style={{ marginBottom: 16, rowGap: 8 }}>
              <Form.Item name="date" rules={[{ required: true, message: t('field.required') }]}>
                <DatePicker aria-label={t('calendar.day')} format={dayFormat()} placeholder={t('calendar.day')} />
              </Form.Item>
              <Form.Item name="working">
                <Radio.Group>
                  <Radio value={false}>{t('calendar.dayOff')}</Radio>
                  <Radio value={true}>{t('calendar.workingDay')}</Radio>
                </Radio.Group>
              </Form.Item>
              <Form.Item name="reason" rules={[{ required: true, whitespace: true, message: t('field.required') }]}>
                <Input aria-label={t('calendar.reason')} placeholder={t('calendar.reason')} style={{ width: 260 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit">
                {t('calendar.save')}
              </Button>
            </Form>
          )}
          <Table<CalendarCorrection>
            rowKey="date"
            size="small"
            dataSource={corrections}
            locale={{ emptyText: t('calendar.none') }}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            columns={[
              { title: t('calendar.day'), dataIndex: 'date', render: (d: string) => `${formatDay(d)}, ${dayjs(d).format('dd')}` },
              { title: '', dataIndex: 'working', render: (w: boolean) => (w ? <Tag color="green">{t('calendar.workingDay')}</Tag> : <Tag color="red">{t('calendar.dayOff')}</Tag>) },
              { title: t('calendar.reason'), dataIndex: 'reason' },
              { title: t('header.iin'), dataIndex: 'correctedByIin' },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
