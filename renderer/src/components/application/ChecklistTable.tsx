import { Tag } from 'antd';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChecklistRow } from '../../../../shared/domain/checklist';

/** The item 13 checklist; re-rendered only when a row changes (memoised on its JSON). */
export const ChecklistTable = memo(function ChecklistTable(props: { rowsJson: string }) {
  const { t } = useTranslation();
  const rows = JSON.parse(props.rowsJson) as ChecklistRow[];
  // A plain table, not antd's: it is redrawn as the family is typed, and must stay cheap.
  return (
    <table data-testid="checklist" style={{ width: '100%', borderCollapse: 'collapse', fontSize: 13 }}>
      <thead>
        <tr>
          <th style={{ textAlign: 'left', borderBottom: '1px solid #eee', padding: 4 }}>{t('pages.document')}</th>
          <th style={{ textAlign: 'left', borderBottom: '1px solid #eee', padding: 4 }}>{t('application.status')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={2} style={{ padding: 8, color: '#888' }}>
              {t('application.checklistEmpty')}
            </td>
          </tr>
        )}
        {rows.map((r) => (
          <tr key={`${r.document}-${r.childId ?? ''}`}>
            <td style={{ borderBottom: '1px solid #f3f3f3', padding: 4 }}>{t(`document.${r.document}`, { defaultValue: r.document })}</td>
            <td style={{ borderBottom: '1px solid #f3f3f3', padding: 4 }}>
              <Tag color={r.display === 'received' ? 'green' : r.display === 'required' ? 'red' : r.display === 'conditional' ? 'orange' : 'default'}>
                {r.display === 'not_required' && r.reason.startsWith('from_information_systems') ? t('checklist.not_required_is') : t(`checklist.${r.display}`)}
                {r.display === 'received' ? ` (${t('pages.count', { count: r.receivedPages })})` : ''}
              </Tag>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});
