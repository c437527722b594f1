import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../shared/contract/types';
import { describeProblems } from '../../../shared/events/problems';

/**
 * What Verify case found, as sentences a person acts on (shared/events/problems.ts): the record, its time in Almaty
 * time, what is wrong and whom to call; below each, its code for support.
 */
export function VerificationProblems(props: { problems: readonly string[]; events: CaseDetail['events'] }) {
  const { t } = useTranslation();
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="verification-problems">
      {describeProblems(props.problems, props.events).map((p) => (
        <li key={p.code} data-testid="verification-problem">
          <div>{t(p.key, p.params)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="verification-code">
            {t('verification.code', { code: p.code })}
          </Typography.Text>
        </li>
      ))}
    </ul>
  );
}
