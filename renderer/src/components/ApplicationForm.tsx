/**
 * The application at the counter: the applicant's identity document, registration and bank account,
 * a representative, the family and its income. The item 13 checklist beside it updates as the family is typed.
 * A draft is kept on every keystroke, so a closed window or a crash loses nothing typed; Ctrl+Enter saves
 * (a signed act).
 */
import { Alert, App as AntApp, Button, Checkbox, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationView } from '../../../shared/contract/types';
import { documentChecklist, withReceivedPages, type ChecklistRow } from '../../../shared/domain/checklist';
import { checkFamily } from '../../../shared/domain/family';
import { officeDate } from '../../../shared/local-date';
import { call } from '../api/client';
import { useSigning } from './useSigning';
import { DayInput } from './DayInput';
import { IncomeGrid } from './IncomeGrid';
import { incomeQuarterOf } from '../../../shared/domain/benefit';

import { ChecklistTable } from './application/ChecklistTable';
import { MemberCard } from './application/MemberCard';
import { draftKey, emptyValues, toInput, type Values } from './application/values';
import { formatDay } from '../time';

export function ApplicationForm(props: { caseId: string; applicant: { iin: string; surname: string; givenName: string; patronymic: string; birthDate: string }; createdAt: string; caseVersion: number; onSaved?: () => void; onOpenCase?: (caseId: string) => void }) {
  // A child counted in another open case: the message names that case, and opens it.
  const [otherCase, setOtherCase] = useState<{ caseId: string; caseNumber: string; text: string } | null>(null);
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { signed, modal } = useSigning();
  const [form] = Form.useForm<Values>();
  const [saved, setSaved] = useState<ApplicationView | null>(null);
  const [pagesByKind, setPagesByKind] = useState<Record<string, number>>({});
  const [draftRestored, setDraftRestored] = useState(false);
  // Only what the checklist and the layout depend on: typing a name or an IIN does not re-render the form.
  const shapeJson = Form.useWatch(
    (v: Values) =>
      JSON.stringify({
        kind: v.identityDocument?.kind,
        hasRepresentative: v.hasRepresentative,
        match: v.applicantDataMatchBirthCertificates,
        members: (v.members ?? []).map((m) => ({ id: m?.id, relation: m?.relation, birthDate: m?.birthDate, record: m?.birthRecord?.date, inKz: m?.birthRecord?.inKazakhstan, g: m?.guardianshipOrAdoption })),
      }),
    form,
  );
  const shape = useMemo(
    () =>
      (shapeJson ? JSON.parse(shapeJson) : null) as {
        kind?: Values['identityDocument']['kind'];
        hasRepresentative?: boolean;
        match?: boolean;
        members: { id?: string; relation?: string; birthDate?: string; record?: string; inKz?: boolean; g?: boolean }[];
      } | null,
    [shapeJson],
  );

  // Pages scanned in the documents tab change the case's version: the checklist counts them again.
  useEffect(() => {
    void call('pages.list', { caseId: props.caseId }).then((pages) => {
      if (pages.ok) setPagesByKind(pages.value.pages.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.documentKind]: (acc[p.documentKind] ?? 0) + 1 }), {}));
    });
  }, [props.caseId, props.caseVersion]);

  // The form takes typing only once the saved application or the draft is in it: filled in later, it would
  // overwrite what the person had typed meanwhile.
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let current = true;
    setLoaded(false);
    void (async () => {
      const app = await call('application.get', { caseId: props.caseId });
      if (!current) return;
      const draft = localStorage.getItem(draftKey(props.caseId));
      if (draft) {
        form.setFieldsValue(JSON.parse(draft) as Values);
        setDraftRestored(true);
      } else if (app.ok && app.value.application) {
        const a = app.value.application;
        form.setFieldsValue({ ...a, hasRepresentative: a.representative !== null, income: a.income.map((l) => ({ ...l, amountTenge: l.amountTiyn / 100 })) });
      } else form.setFieldsValue(emptyValues(props.applicant));
      if (app.ok) setSaved(app.value);
      setLoaded(true);
    })();
    return () => {
      current = false;
    };
  }, [props.caseId, props.applicant, form]);

  // The checklist as typed: the same rule the services apply, with the pages already scanned.
  const checklist: ChecklistRow[] = useMemo(() => {
    const children = (shape?.members ?? []).filter((m) => m.relation === 'child');
    if (!shape || children.length === 0) return saved?.checklist ?? [];
    const day = (x: string | undefined) => (/^\d{4}-\d{2}-\d{2}$/.test(x ?? '') ? x : undefined);
    try {
      return withReceivedPages(
        documentChecklist({
          applicant: { identityDocument: shape.kind ?? 'citizen_id', representative: shape.hasRepresentative },
          children: children.map((c, i) => ({
            id: c.id ?? `c${i}`,
            birthRegistration: { inKazakhstan: c.inKz ?? true, date: day(c.record) ?? day(c.birthDate) ?? '2020-01-01' },
            guardianshipOrAdoption: c.g ?? false,
          })),
          applicantDataMatchBirthCertificates: shape.match ?? true,
        }),
        pagesByKind,
      );
    } catch {
      return saved?.checklist ?? [];
    }
  }, [shape, pagesByKind, saved]);

  // The draft is written a moment after the typing pauses (one write, not one per key), and at once when the
  // window is hidden or closed, so nothing typed is lost.
  const draftTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const writeDraft = useCallback(() => {
    if (draftTimer.current) clearTimeout(draftTimer.current);
    draftTimer.current = null;
    if (form.isFieldsTouched()) localStorage.setItem(draftKey(props.caseId), JSON.stringify(form.getFieldsValue(true)));
  }, [form, props.caseId]);
  const keepDraft = () => {
    if (draftTimer.current) clearTimeout(draftTimer.current);
    draftTimer.current = setTimeout(writeDraft, 300);
  };
  useEffect(() => {
    const flush = () => draftTimer.current && writeDraft();
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', flush);
    return () => {
      flush();
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', flush);
    };
  }, [writeDraft]);

  const save = async () => {
    if (!loaded) return;
    const v = form.getFieldsValue(true) as Values;
    // The family rules first, here, with the message at the field; the services check them again.
    // The application date on the office's clock (Almaty), as the services count it.
    const applicationDate = officeDate(new Date(props.createdAt));
    const issues = checkFamily((v.members ?? []).map((m) => ({ iin: m?.iin ?? '', relation: m?.relation ?? 'other', birthDate: m?.birthDate ?? '' })), applicationDate);
    const input = toInput(props.caseId, v);
    const r = issues.length ? null : await signed('application.record', input);
    setOtherCase(r && !r.ok && r.error.code === 'case.child_in_open_case' ? { caseId: String(r.error.params?.caseId), caseNumber: String(r.error.params?.caseNumber), text: t(`errors.${r.error.code}`, r.error.params) } : null);
    const fieldErrors = r === null ? Object.fromEntries(issues.map((i) => [i.field, t(i.code, i.params)])) : !r.ok ? Object.fromEntries(Object.entries(r.error.fieldErrors ?? {}).map(([k, code]) => [k, t(code, r.error.params)])) : {};
    if (r && !r.ok && !r.error.fieldErrors) return void message.error(t(`errors.${r.error.code}`, r.error.params));
    form.setFields(
      Object.entries(fieldErrors).map(([path, error]) => ({ name: path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) as never, errors: [error] })),
    );
    if (Object.keys(fieldErrors).length > 0) return void message.error(t('application.fixFields'));
    if (r?.ok) {
      localStorage.removeItem(draftKey(props.caseId));
      setDraftRestored(false);
      setSaved(r.value);
      void message.success(t('application.saved'));
      props.onSaved?.();
    }
  };

  const members = shape?.members ?? [];
  // The income quarter of this application (the quarter before the one of its date, as the calculation counts).
  const incomeQuarter = useMemo(() => incomeQuarterOf(officeDate(new Date(props.createdAt))), [props.createdAt]);
  // Form.List hands out a new remove() on every render; the cards get one stable callback, so memo holds.
  const removeMember = useRef<((index: number) => void) | null>(null);
  const onRemoveMember = useCallback((name: number) => removeMember.current?.(name), []);
  return (
    <div
      data-testid="application-form"
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void save();
        }
      }}
    >
      {modal}
      {draftRestored && <Alert type="info" showIcon message={t('register.draftRestored')} style={{ marginBottom: 8 }} />}
      {otherCase && (
        <Alert
          type="error"
          showIcon
          data-testid="other-open-case"
          message={otherCase.text}
          style={{ marginBottom: 8 }}
          action={props.onOpenCase && <Button size="small" onClick={() => props.onOpenCase!(otherCase.caseId)}>{t('family.openCase', { caseNumber: otherCase.caseNumber })}</Button>}
        />
      )}
      <Row gutter={16}>
        <Col span={15}>
          <Form form={form} layout="vertical" size="small" onValuesChange={keepDraft} disabled={!loaded}>
            <Typography.Title level={5}>{t('application.applicant')}</Typography.Title>
            <Space wrap align="start">
              <Form.Item name={['identityDocument', 'kind']} label={t('application.idKind')}>
                <Select style={{ width: 220 }} options={(['citizen_id', 'residence_permit', 'oralman_certificate'] as const).map((k) => ({ value: k, label: t(`document.identity_document:${k}`) }))} />
              </Form.Item>
              <Form.Item name={['identityDocument', 'number']} label={t('application.idNumber')}>
                <Input style={{ width: 130 }} />
              </Form.Item>
              <Form.Item name={['identityDocument', 'issuedOn']} label={t('application.idIssuedOn')}>
                <DayInput style={{ width: 150 }} />
              </Form.Item>
            </Space>
            <Form.Item name="registrationAddress" label={t('application.registration')}>
              <Input />
            </Form.Item>
            <Space wrap align="start">
              <Form.Item name={['bankAccount', 'iban']} label={t('application.iban')}>
                <Input style={{ width: 230 }} placeholder="KZ…" />
              </Form.Item>
              <Form.Item name={['bankAccount', 'bank']} label={t('application.bank')}>
                <Input style={{ width: 200 }} />
              </Form.Item>
            </Space>
            <Form.Item name="hasRepresentative" valuePropName="checked">
              <Checkbox>{t('application.representative')}</Checkbox>
            </Form.Item>
            {shape?.hasRepresentative && (
              <Space wrap align="start">
                <Form.Item name={['representative', 'iin']} label={t('field.iin')}>
                  <Input style={{ width: 140 }} />
                </Form.Item>
                <Form.Item name={['representative', 'name']} label={t('application.representativeName')}>
                  <Input style={{ width: 220 }} />
                </Form.Item>
                <Form.Item name={['representative', 'powerOfAttorney', 'number']} label={t('application.poaNumber')}>
                  <Input style={{ width: 110 }} />
                </Form.Item>
                <Form.Item name={['representative', 'powerOfAttorney', 'date']} label={t('application.poaDate')}>
                  <DayInput style={{ width: 150 }} />
                </Form.Item>
                <Form.Item name={['representative', 'powerOfAttorney', 'notary']} label={t('application.notary')}>
                  <Input style={{ width: 220 }} />
                </Form.Item>
              </Space>
            )}

            <Typography.Title level={5}>{t('application.family')}</Typography.Title>
            <Form.List name="members">
              {(fields, { add, remove }) => {
                removeMember.current = remove;
                return (
                <>
                  {fields.map((f, i) => (
                    <MemberCard key={f.key} name={f.name} index={i} relation={members[i]?.relation} onRemove={onRemoveMember} />
                  ))}
                  <Space>
                    <Button onClick={() => add({ id: `c${Date.now()}`, relation: 'child', iin: '', surname: '', givenName: '', patronymic: '', birthDate: '', birthRecord: { number: '', date: '', registryOffice: '', inKazakhstan: true } })}>
                      {t('application.addChild')}
                    </Button>
                    <Button onClick={() => add({ id: `m${Date.now()}`, relation: 'spouse', iin: '', surname: '', givenName: '', patronymic: '', birthDate: '' })}>{t('application.addAdult')}</Button>
                  </Space>
                </>
                );
              }}
            </Form.List>
            <Form.Item name="applicantDataMatchBirthCertificates" valuePropName="checked" style={{ marginTop: 8 }}>
              <Checkbox>{t('application.dataMatch')}</Checkbox>
            </Form.Item>

            <Typography.Title level={5}>{t('application.income')}</Typography.Title>
            {/* The quarter's income as a grid: a row per member and kind, a column per month (the lines stay lines). */}
            <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.members !== b.members}>
              {() => (
                <Form.Item name="income" noStyle>
                  <IncomeGrid
                    members={((form.getFieldValue('members') as Values['members'] | undefined) ?? []).filter(Boolean).map((m) => ({ id: m.id, relation: m.relation, name: `${m.surname ?? ''} ${m.givenName ?? ''}`.trim() || t(`relation.${m.relation}`) }))}
                    months={incomeQuarter.months}
                    from={formatDay(incomeQuarter.from)}
                    to={formatDay(incomeQuarter.to)}
                  />
                </Form.Item>
              )}
            </Form.Item>
            <div style={{ marginTop: 16 }}>
              <Button type="primary" onClick={() => void save()}>
                {t('application.save')}
              </Button>{' '}
              <Typography.Text type="secondary">{t('application.hintKeys')}</Typography.Text>
            </div>
          </Form>
        </Col>
        <Col span={9}>
          <Typography.Title level={5}>{t('application.checklist')}</Typography.Title>
          <ChecklistTable rowsJson={JSON.stringify(checklist)} />
        </Col>
      </Row>
    </div>
  );
}
