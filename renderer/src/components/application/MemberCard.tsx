import { Button, Card, Checkbox, Form, Input, Select, Space, Typography } from 'antd';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { checkIin } from '../../../../shared/domain/iin';
import { dayText } from '../../../../shared/local-date';
import { DayInput } from '../DayInput';
import { RELATIONS, type Values } from './values';

/**
 * One family member's fields. Memoised: a change elsewhere (another member's birth date, the checklist) does not
 * re-render the fields of every member, which kept the main thread busy for 200–300 ms with five members.
 */
export const MemberCard = memo(function MemberCard(props: { name: number; index: number; relation: string | undefined; onRemove: (name: number) => void }) {
  const { t } = useTranslation();
  const { name } = props;
  return (
    <Card size="small" style={{ marginBottom: 8 }} data-testid={`member-${props.index}`}>
      <Space wrap align="start">
        <Form.Item name={[name, 'relation']} label={t('application.relation')}>
          <Select style={{ width: 130 }} options={RELATIONS.map((r) => ({ value: r, label: t(`relation.${r}`) }))} />
        </Form.Item>
        <Form.Item name={[name, 'iin']} label={t('field.iin')}>
          <Input style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name={[name, 'surname']} label={t('field.surname')}>
          <Input style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name={[name, 'givenName']} label={t('field.givenName')}>
          <Input style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name={[name, 'patronymic']} label={t('field.patronymic')}>
          <Input style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name={[name, 'birthDate']} label={t('field.birthDate')}>
          <DayInput style={{ width: 150 }} />
        </Form.Item>
        {/* The IIN's digits against the declared birth date: a warning beside it, never an error (benefit.md §3). */}
        <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.members?.[name]?.iin !== b.members?.[name]?.iin || a.members?.[name]?.birthDate !== b.members?.[name]?.birthDate}>
          {({ getFieldValue }) => {
            const m = getFieldValue(['members', name]) as { iin?: string; birthDate?: string } | undefined;
            const check = checkIin(m?.iin ?? '', { birthDate: m?.birthDate || null });
            return check.warnings.includes('iin.birth_date_mismatch') ? (
              <Typography.Text type="warning" style={{ fontSize: 12, maxWidth: 260, marginTop: 22 }} data-testid="member-birth-date-warning">
                {t('iin.birth_date_mismatch')} {t('application.birthDateFromIin', { date: dayText(check.birthDate!) })}
              </Typography.Text>
            ) : null;
          }}
        </Form.Item>
        {props.relation === 'child' && (
          <>
            <Form.Item name={[name, 'birthRecord', 'number']} label={t('application.birthRecordNumber')}>
              <Input style={{ width: 130 }} />
            </Form.Item>
            <Form.Item name={[name, 'birthRecord', 'date']} label={t('application.birthRecordDate')}>
              <DayInput style={{ width: 150 }} />
            </Form.Item>
            <Form.Item name={[name, 'birthRecord', 'registryOffice']} label={t('application.registryOffice')}>
              <Input style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name={[name, 'birthRecord', 'inKazakhstan']} valuePropName="checked" label=" ">
              <Checkbox>{t('application.inKazakhstan')}</Checkbox>
            </Form.Item>
            <Form.Item name={[name, 'guardianshipOrAdoption']} valuePropName="checked" label=" ">
              <Checkbox>{t('application.guardianship')}</Checkbox>
            </Form.Item>
          </>
        )}
        {props.relation !== 'applicant' && (
          <Button size="small" danger onClick={() => props.onRemove(name)} style={{ marginTop: 22 }}>
            {t('pages.remove')}
          </Button>
        )}
      </Space>
      <Form.Item name={[name, 'id']} hidden>
        <Input />
      </Form.Item>
    </Card>
  );
});
