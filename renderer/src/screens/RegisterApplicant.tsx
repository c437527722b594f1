import { Alert, Button, DatePicker, Drawer, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseSummary } from '../../../shared/contract/types';
import { checkIin } from '../../../shared/domain/iin';
import { call } from '../api/client';
import { useSession } from '../store/session';
import { officeToday, formatDay, dayFormat } from '../time';

interface FormValues {
  iin: string;
  surname: string;
  givenName: string;
  patronymic?: string;
  birthDate?: Dayjs | null;
  address: string;
  phone: string;
  docLanguage?: 'kk' | 'ru';
}

const FIELDS = ['iin', 'surname', 'givenName', 'patronymic', 'birthDate', 'address', 'phone', 'docLanguage'] as const;

/** Drafts survive a closed window or a crash of the page: every keystroke is kept until the case is registered. */
const draftKey = (iin: string) => `jardem.draft.register.${iin}`;

export function RegisterApplicant(props: { open: boolean; onClose: () => void; onRegistered: (c: CaseSummary) => void; onOpenCase?: (caseId: string) => void }) {
  const { t } = useTranslation();
  const me = useSession((s) => s.identity)!;
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  // The applicant's family already has an open case: the message names it, and opens it.
  const [otherCase, setOtherCase] = useState<{ caseId: string; caseNumber: string } | null>(null);
  const [restored, setRestored] = useState(false);
  // Whether the birth date shown was typed by the person (kept) or follows from the IIN (re-derived).
  const typedBirthDate = useRef(false);
  const [iinCheck, setIinCheck] = useState(() => checkIin(''));
  // A signing moment after the unlock ran out: the key password, then the same registration again.
  const [unlock, setUnlock] = useState<{ values: FormValues; password: string; error: string | null } | null>(null);

  useEffect(() => {
    if (!props.open) return;
    const saved = localStorage.getItem(draftKey(me.iin));
    let draft: Record<string, unknown> | null = null;
    try {
      draft = saved ? (JSON.parse(saved) as Record<string, unknown>) : null;
    } catch {
      localStorage.removeItem(draftKey(me.iin)); // a damaged draft must not break the form
    }
    if (draft) {
      // What follows from the IIN is derived again, never taken from the draft: a birth date the IIN filled in
      // (or none) is the IIN's; only a birth date the person typed over it is kept (and warned about if it differs).
      const iin = typeof draft.iin === 'string' ? draft.iin : '';
      const fromIin = checkIin(iin).birthDate;
      const typed = draft.birthDateTyped === true && typeof draft.birthDate === 'string' ? draft.birthDate : null;
      const birthDate = typed ?? fromIin ?? (typeof draft.birthDate === 'string' ? draft.birthDate : null);
      typedBirthDate.current = typed !== null;
      form.setFieldsValue({ ...draft, birthDate: birthDate ? dayjs(birthDate) : null } as FormValues);
      setRestored(true);
    } else {
      typedBirthDate.current = false;
      setRestored(false);
    }
    setIinCheck(checkIin(form.getFieldValue('iin') ?? '', { birthDate: (form.getFieldValue('birthDate') as Dayjs | null)?.format('YYYY-MM-DD') ?? null }));
  }, [props.open, form, me.iin]);

  const saveDraft = () => {
    const v = form.getFieldsValue();
    localStorage.setItem(draftKey(me.iin), JSON.stringify({ ...v, birthDate: v.birthDate ? v.birthDate.format('YYYY-MM-DD') : null, birthDateTyped: typedBirthDate.current }));
  };

  const submit = async (v: FormValues) => {
    setBusy(true);
    setFormError(null);
    setOtherCase(null);
    const r = await call('cases.registerApplicant', {
      iin: v.iin,
      surname: v.surname,
      givenName: v.givenName,
      patronymic: v.patronymic ?? '',
      birthDate: v.birthDate ? v.birthDate.format('YYYY-MM-DD') : '',
      address: v.address,
      phone: v.phone,
      docLanguage: v.docLanguage as 'kk' | 'ru',
    });
    setBusy(false);
    if (!r.ok && r.error.code === 'ecp.unlock_required') {
      setUnlock({ values: v, password: '', error: null });
      return;
    }
    if (r.ok) {
      localStorage.removeItem(draftKey(me.iin));
      typedBirthDate.current = false;
      form.resetFields();
      props.onRegistered(r.value.case);
      return;
    }
    // The services checked again: show each field's problem beside it.
    const fieldErrors = r.error.fieldErrors ?? {};
    form.setFields(
      Object.entries(fieldErrors)
        .filter(([name]) => (FIELDS as readonly string[]).includes(name))
        .map(([name, key]) => ({ name: name as keyof FormValues, errors: [t(key)] })),
    );
    setFormError(t(`errors.${r.error.code}`, r.error.params));
    setOtherCase(r.error.code === 'case.open_case_exists' ? { caseId: String(r.error.params?.caseId), caseNumber: String(r.error.params?.caseNumber) } : null);
  };

  // Enter moves to the next field as on a paper form; Ctrl+Enter registers.
  const onKeyDown = (e: React.KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Enter') return;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      form.submit();
      return;
    }
    const target = e.target as HTMLElement;
    if (target.tagName !== 'INPUT' || target.getAttribute('type') === 'radio') return;
    e.preventDefault();
    const inputs = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('input:not([type=hidden]), button[type=submit]'));
    const next = inputs[inputs.indexOf(target) + 1];
    next?.focus();
  };

  const iinRule = {
    validator: (_: unknown, value: string) => {
      if (!value) return Promise.reject(new Error(t('field.required')));
      const check = checkIin(value);
      return check.valid ? Promise.resolve() : Promise.reject(new Error(t(check.errors[0]!)));
    },
  };
  const required = { required: true, whitespace: true, message: t('field.required') };

  const confirmUnlock = async () => {
    if (!unlock) return;
    const r = await call('session.unlock', { password: unlock.password });
    if (!r.ok) {
      setUnlock({ ...unlock, password: '', error: t(`errors.${r.error.code}`, r.error.params) });
      return;
    }
    const values = unlock.values;
    setUnlock(null);
    await submit(values);
  };

  return (
    <Drawer title={t('register.title')} open={props.open} onClose={props.onClose} width={560} destroyOnHidden={false} keyboard>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('register.hintKeys')}
      </Typography.Paragraph>
      {restored && <Alert type="info" showIcon message={t('register.draftRestored')} style={{ marginBottom: 12 }} />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        onValuesChange={(changed: Partial<FormValues>) => {
          // A valid IIN carries the birth date: it follows the IIN unless the person typed another one.
          if ('iin' in changed) {
            const check = checkIin(changed.iin ?? '');
            if (check.valid && check.birthDate && !typedBirthDate.current) form.setFieldValue('birthDate', dayjs(check.birthDate));
          }
          if ('birthDate' in changed) typedBirthDate.current = changed.birthDate !== null && changed.birthDate !== undefined && changed.birthDate.format('YYYY-MM-DD') !== checkIin(form.getFieldValue('iin') ?? '').birthDate;
          // The digits of the IIN against the declared birth date: a warning at the field, never an error.
          setIinCheck(checkIin(form.getFieldValue('iin') ?? '', { birthDate: (form.getFieldValue('birthDate') as Dayjs | null)?.format('YYYY-MM-DD') ?? null }));
          saveDraft();
        }}
        onKeyDown={onKeyDown}
        validateTrigger={['onBlur', 'onSubmit']}
      >
        <Form.Item name="iin" label={t('field.iin')} required rules={[iinRule]} validateTrigger={['onBlur', 'onChange']}>
          <Input autoFocus maxLength={12} inputMode="numeric" autoComplete="off" />
        </Form.Item>
        <Form.Item name="surname" label={t('field.surname')} rules={[required]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="givenName" label={t('field.givenName')} rules={[required]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="patronymic" label={t('field.patronymic')}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="birthDate"
          label={t('field.birthDate')}
          rules={[{ required: true, message: t('field.required') }]}
          {...(iinCheck.warnings.includes('iin.birth_date_mismatch') ? { validateStatus: 'warning' as const, help: <span data-testid="birth-date-warning">{t('iin.birth_date_mismatch')} {t('application.birthDateFromIin', { date: formatDay(iinCheck.birthDate) })}</span> } : {})}
        >
          <DatePicker format={dayFormat()} style={{ width: '100%' }} disabledDate={(d) => d.isAfter(officeToday())} />
        </Form.Item>
        <Form.Item name="address" label={t('field.address')} rules={[required]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="phone" label={t('field.phone')} rules={[required]}>
          <Input autoComplete="off" placeholder="+7 7__ ___ __ __" />
        </Form.Item>
        <Form.Item name="docLanguage" label={t('field.docLanguage')} rules={[{ required: true, message: t('field.required') }]}>
          <Radio.Group>
            <Radio value="kk">{t('lang.kk')}</Radio>
            <Radio value="ru">{t('lang.ru')}</Radio>
          </Radio.Group>
        </Form.Item>
        {formError && (
          <Alert
            type="error"
            showIcon
            message={formError}
            style={{ marginBottom: 12 }}
            data-testid="register-error"
            action={otherCase && props.onOpenCase && <Button size="small" onClick={() => props.onOpenCase!(otherCase.caseId)}>{t('family.openCase', { caseNumber: otherCase.caseNumber })}</Button>}
          />
        )}
        <Modal
          open={unlock !== null}
          title={t('ecp.unlock.title')}
          okText={t('ecp.unlock.submit')}
          cancelText={t('register.cancel')}
          onOk={() => void confirmUnlock()}
          onCancel={() => setUnlock(null)}
          destroyOnHidden
        >
          <Typography.Paragraph>{t('ecp.unlock.prompt')}</Typography.Paragraph>
          <Input.Password
            aria-label={t('signin.password')}
            autoFocus
            value={unlock?.password ?? ''}
            onChange={(e) => unlock && setUnlock({ ...unlock, password: e.target.value })}
            onPressEnter={() => void confirmUnlock()}
          />
          {unlock?.error && <Alert type="error" showIcon message={unlock.error} style={{ marginTop: 12 }} />}
        </Modal>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('register.submit')}
          </Button>
          <Button onClick={props.onClose}>{t('register.cancel')}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}
