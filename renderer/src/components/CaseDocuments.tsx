/**
 * The scanned copies of a case: scan from the configured scanner or import files
 * into a chosen document, see each page's thumbnail, quality flags and signature panel, turn, move, remove or
 * rescan a page, and open it full size. Every change is a signed act: the signing dialog appears when needed.
 */
import { Alert, App as AntApp, Button, Empty, Image, Modal, Select, Space, Tag, Typography } from 'antd';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../shared/contract/methods';
import type { CasePage, ScannerStatus } from '../../../shared/contract/types';
import type { AppErrorValue } from '../../../shared/errors';
import { call } from '../api/client';
import { usePush } from '../api/usePush';
import { useNewestReading } from '../api/useNewestReading';
import { PageCard, type PageAct, type PageCardProps } from './PageCard';
import { useSigning } from './useSigning';
import { showPdf } from './showPdf';

/** The documents of item 13 a specialist scans most (the checklist names them; labels are in shared/i18n). */
export const DOCUMENT_KINDS = [
  'application_form',
  'identity_document:citizen_id',
  'identity_document:residence_permit',
  'identity_document:oralman_certificate',
  'birth_certificate',
  'marriage_or_divorce_certificate',
  'family_composition_form',
  'family_income_form',
  'residence_registration',
  'guardianship_or_adoption',
  'bank_account',
  'notarised_power_of_attorney',
  // Item 11.1 stage 4: the commission's paper act, scanned when a specialist enters it on the commission's behalf.
  'commission_act',
] as const;

function readFileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export const CaseDocuments = memo(function CaseDocuments(props: { caseId: string; onChanged?: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { signed, modal } = useSigning();
  const [pages, setPages] = useState<CasePage[]>([]);
  const [kind, setKind] = useState<string>('identity_document:citizen_id');
  const [busy, setBusy] = useState<'scan' | 'import' | 'page' | null>(null);
  const [scanner, setScanner] = useState<ScannerStatus | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  // A birth certificate per child, named by the child, once the family is recorded.
  const [children, setChildren] = useState<{ id: string; name: string }[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);

  // Only the newest list is shown: an answer that arrives late must not bring back a page just removed.
  const newest = useNewestReading();
  const reload = useCallback(async () => {
    const isNewest = newest();
    const r = await call('pages.list', { caseId: props.caseId });
    if (r.ok && isNewest()) setPages(r.value.pages);
  }, [props.caseId, newest]);

  useEffect(() => {
    void reload();
    void call('scanner.status', {}).then((r) => r.ok && setScanner(r.value));
    void call('application.get', { caseId: props.caseId }).then(
      (r) => r.ok && setChildren((r.value.application?.members ?? []).filter((m) => m.relation === 'child').map((m) => ({ id: m.id, name: `${m.surname} ${m.givenName}` }))),
    );
  }, [reload]);

  const fail = (error: AppErrorValue) => void message.error(t(`errors.${error.code}`, { ...error.params, defaultValue: t('errors.internal') }));
  const after = async (r: { ok: boolean; error?: AppErrorValue }) => {
    if (!r.ok && r.error) fail(r.error);
    await reload();
    props.onChanged?.();
  };

  const scan = async () => {
    setBusy('scan');
    const r = await signed('pages.scan', { caseId: props.caseId, documentKind: kind });
    setBusy(null);
    await after(r);
  };
  const importFiles = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy('import');
    for (const file of Array.from(files)) {
      const r = await signed('pages.import', { caseId: props.caseId, documentKind: kind, fileName: file.name, base64: await readFileBase64(file) });
      if (!r.ok) {
        fail(r.error);
        break;
      }
      if (r.value.repaired.length > 0) void message.success(t('pages.repaired'));
    }
    setBusy(null);
    if (fileInput.current) fileInput.current.value = '';
    await after({ ok: true });
  };
  // One page act at a time (turn, move, remove): the buttons wait while the signed act is written.
  const pageAct = async <M extends PageAct>(method: M, input: InputOf<M>) => {
    setBusy('page');
    const r = await signed(method, input);
    setBusy(null);
    await after(r);
  };
  // Stable for the memoised page cards: a new scan mounts one card and leaves the others alone.
  const latest = useRef({ pageAct, open: (page: CasePage) => void page });
  const stableAct = useCallback<PageCardProps['onAct']>((method, input) => void latest.current.pageAct(method, input as never), []);
  const stableOpen = useCallback((page: CasePage) => latest.current.open(page), []);
  const reprint = async () => {
    const r = await call('forms.reprint', { caseId: props.caseId, form: 'receipt' });
    if (!r.ok) return fail(r.error);
    showPdf(r.value.pdfBase64);
  };

  const open = async (page: CasePage) => {
    const r = await call('pages.image', { caseId: props.caseId, pageId: page.pageId });
    // A damaged page is refused by the services, named: the message says so and how to repair it.
    if (r.ok) setPreview(`data:${r.value.mediaType};base64,${r.value.base64}`);
    else fail(r.error);
  };
  latest.current = { pageAct, open: (page: CasePage) => void open(page) };

  // A folder scanner is watched by the services: the files it saves show up here as they arrive, ready for F8.
  usePush((event) => {
    if (event.type === 'scanner.changed') setScanner((s) => (s ? { ...s, waiting: event.waiting } : s));
    // A page added or removed elsewhere (another workstation's, by sync) while the list is open: it follows.
    else if (event.type === 'case.changed' && event.caseId === props.caseId && !event.sync) void reload();
  });

  // F8 scans into the chosen document: the counter specialist keeps the hands on the keyboard and the originals.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F8' && !busy) {
        e.preventDefault();
        void scan();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const byKind = DOCUMENT_KINDS.filter((k) => pages.some((p) => p.documentKind === k)).concat(
    [...new Set(pages.map((p) => p.documentKind))].filter((k) => !(DOCUMENT_KINDS as readonly string[]).includes(k)) as never[],
  );

  return (
    <div data-testid="case-documents">
      {modal}
      <Typography.Title level={5}>{t('pages.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label={t('pages.document')}
          style={{ width: 300 }}
          value={kind}
          onChange={setKind}
          showSearch
          optionFilterProp="label"
          options={[
            ...DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`document.${k}`) })),
            ...children.map((c) => ({ value: `birth_certificate:${c.id}`, label: `${t('document.birth_certificate')} — ${c.name}` })),
          ]}
        />
        <Button type="primary" onClick={() => void scan()} loading={busy === 'scan'} disabled={busy !== null}>
          {busy === 'scan' ? t('pages.scanning') : t('pages.scan')}
        </Button>
        <Button onClick={() => fileInput.current?.click()} loading={busy === 'import'} disabled={busy !== null}>
          {t('pages.import')}
        </Button>
        <Button onClick={() => void reprint()}>{t('forms.reprint')}</Button>
        <Button
          disabled={pages.length === 0}
          onClick={() =>
            void signed('pages.originalsReturned', { caseId: props.caseId }).then(async (r) => {
              if (r.ok) void message.success(t('pages.originalsReturnedDone', { count: r.value.pages }));
              await after(r);
            })
          }
        >
          {t('pages.originalsReturned')}
        </Button>
        <input
          ref={fileInput}
          data-testid="page-file-input"
          type="file"
          multiple
          accept="image/png,image/jpeg,image/tiff,application/pdf"
          style={{ display: 'none' }}
          onChange={(e) => void importFiles(e.target.files)}
        />
      </Space>
      {scanner && (
        <div style={{ marginBottom: 12 }}>
          {scanner.ready ? (
            <Space>
              <Tag color="green" data-testid="scanner-status">
                {t('pages.scannerReady', { device: scanner.devices[0]?.id ?? '' })}
              </Tag>
              {scanner.waiting !== undefined && (
                <Tag color={scanner.waiting > 0 ? 'blue' : 'default'} data-testid="scanner-waiting">
                  {t('pages.folderWaiting', { count: scanner.waiting })}
                </Tag>
              )}
            </Space>
          ) : (
            <Alert type="warning" showIcon message={t('pages.scannerMissing')} data-testid="scanner-status" />
          )}
        </div>
      )}
      {pages.length === 0 && <Empty description={t('pages.none')} />}
      {byKind.map((k) => (
        <div key={k} style={{ marginBottom: 16 }}>
          <div>
            <Typography.Text strong>
              {k.startsWith('birth_certificate:') ? `${t('document.birth_certificate')} — ${children.find((c) => `birth_certificate:${c.id}` === k)?.name ?? ''}` : t(`document.${k}`, { defaultValue: k })} ·{' '}
              {t('pages.count', { count: pages.filter((p) => p.documentKind === k).length })}
            </Typography.Text>
          </div>
          <Space wrap align="start" style={{ marginTop: 8 }}>
            {pages
              .filter((p) => p.documentKind === k)
              .map((p) => (
                <PageCard key={p.pageId} caseId={props.caseId} page={p} disabled={busy === 'page'} onAct={stableAct} onOpen={stableOpen} />
              ))}
          </Space>
        </div>
      ))}
      <Modal open={preview !== null} footer={null} width={900} onCancel={() => setPreview(null)} title={t('pages.preview')}>
        {preview?.startsWith('data:application/pdf') ? <iframe title="pdf" src={preview} style={{ width: '100%', height: 800 }} /> : preview && <Image src={preview} preview={false} style={{ maxWidth: '100%' }} />}
      </Modal>
    </div>
  );
});
