/**
 * A date field of a form whose value is an ISO day (YYYY-MM-DD), shown and typed as the UI's language writes it
 * (DD.MM.YYYY) with Ant Design's localised picker: the browser's own date control speaks the browser's language,
 * not the person's. An ISO day typed or pasted is read too.
 */
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { useTranslation } from 'react-i18next';

dayjs.extend(customParseFormat);

const FORMATS = ['DD.MM.YYYY', 'YYYY-MM-DD', 'D.M.YYYY'];

export function DayInput(props: { value?: string; onChange?: (value: string) => void; id?: string; style?: React.CSSProperties; 'aria-label'?: string }) {
  const { t } = useTranslation();
  const value = props.value && dayjs(props.value, 'YYYY-MM-DD', true).isValid() ? dayjs(props.value, 'YYYY-MM-DD') : null;
  return (
    <DatePicker
      id={props.id}
      aria-label={props['aria-label']}
      size="small"
      format={FORMATS}
      placeholder={t('field.dayPlaceholder')}
      value={value}
      style={props.style}
      onChange={(d) => props.onChange?.(d ? d.format('YYYY-MM-DD') : '')}
    />
  );
}
