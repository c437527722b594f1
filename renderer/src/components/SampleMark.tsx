/**
 * The mark of the demo office's sample cases (made as examples, never synced): a tag beside such a case, and a
 * banner over the screens that count them (the case list, the reports).
 */
import { Alert, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../store/session';

export function SampleTag() {
  const { t } = useTranslation();
  return (
    <Tag color="orange" data-testid="sample-tag">
      {t('sample.mark')}
    </Tag>
  );
}

export function SampleBanner() {
  const { t } = useTranslation();
  const count = useSession((s) => s.status?.sampleCases ?? 0);
  if (count === 0) return null;
  return <Alert type="warning" showIcon data-testid="sample-banner" message={t('sample.mark')} description={t('sample.banner', { count })} style={{ marginBottom: 12 }} />;
}
