/**
 * Verify a document: a printed form's scan, photo or PDF (with its .p7s, if any) dropped here, a page taken from
 * the workstation's scanner, or the code held up to a camera; its QR code read and checked by the services offline, a PDF also by the signature
 * inside it. Shown before sign-in too, for an auditor or an applicant at the counter.
 */
import { ScanOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormVerification } from '../../../shared/contract/areas/paper';
import { call } from '../api/client';
import { atOffice } from '../time';
import { CameraReader } from './CameraReader';

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Bytes that no longer hold the signature inside are named in the paper's words; the verifier's in its own. */
const PAPER_ERRORS = ['changed_after_signing', 'signature_damaged'];

/** The lines under the verdict: the signature inside the PDF, the act that made the form no longer current, a later copy. */
function Details({ result }: { result: FormVerification }) {
  const { t } = useTranslation();
  const inside = result.inside;
  const act = result.supersededByAct;
  return (
    <Space direction="vertical" size={2}>
      {inside && (
        <span data-testid="verify-inside">
          {!inside.present
            ? t('paper.inside.none')
            : inside.valid
              ? t('paper.inside.valid', { signer: inside.signer?.name ?? '', at: inside.signingTime ? atOffice(inside.signingTime, true) : '—' })
              : t('paper.inside.invalid', { errors: inside.errors.map((e) => t(PAPER_ERRORS.includes(e) ? `paper.inside.${e}` : `signature.${e}`)).join(', ') })}
        </span>
      )}
      {act && <span data-testid="verify-superseded-act">{t('paper.superseded_by_act', { act: `event.${act.type}`, signer: act.signer.name, at: atOffice(act.at) })}</span>}
      {result.supersededBy && <span>{t('paper.superseded', { at: atOffice(result.supersededBy.issuedAt), code: result.supersededBy.verificationCode })}</span>}
    </Space>
  );
}

export function VerifyDocument() {
  const { t } = useTranslation();
  const [result, setResult] = useState<FormVerification | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (checking: () => ReturnType<typeof call<'paper.verify'>>) => {
    setBusy(true);
    setFailure(null);
    setResult(null);
    const r = await checking();
    setBusy(false);
    if (r.ok) setResult(r.value);
    else setFailure(t(`errors.${r.error.code}`, { ...r.error.params, defaultValue: t('errors.internal') }));
  };
  const check = async (files: File[]) => {
    const p7s = files.find((f) => f.name.toLowerCase().endsWith('.p7s'));
    const paper = files.find((f) => f !== p7s);
    if (!paper) return;
    const base64 = toBase64(await paper.arrayBuffer());
    const p7sBase64 = p7s ? toBase64(await p7s.arrayBuffer()) : undefined;
    await run(() => call('paper.verify', { fileName: paper.name, base64, ...(p7sBase64 ? { p7sBase64 } : {}) }));
  };
  const verifyCode = (qr: string) => void run(() => call('paper.verifyCode', { qr }));
  const genuine = result?.verdict === 'genuine';
  const current = !result?.supersededBy && !result?.supersededByAct;
  return (
    <Card title={t('paper.title')} data-testid="verify-document" style={{ marginTop: 16 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Upload.Dragger
          multiple
          accept=".pdf,.png,.jpg,.jpeg,.tif,.tiff,.p7s"
          showUploadList={false}
          disabled={busy}
          beforeUpload={(_file, list) => {
            if (_file === list[0]) void check(list);
            return false;
          }}
        >
          <p style={{ margin: 8 }}>{t('paper.drop')}</p>
        </Upload.Dragger>
        <Button icon={<ScanOutlined />} loading={busy} onClick={() => void run(() => call('paper.scan', {}))} data-testid="verify-scan">
          {t('paper.scan')}
        </Button>
        <CameraReader
          disabled={busy}
          onStart={() => {
            setResult(null);
            setFailure(null);
          }}
          onCode={verifyCode}
        />
        {failure && <Alert data-testid="verify-failure" type="error" showIcon message={failure} />}
        {result && (
          <Alert
            data-testid="verify-result"
            type={genuine ? (current ? 'success' : 'warning') : 'error'}
            showIcon
            message={genuine ? t('paper.genuine', { form: t(`form.${result.form}`), caseNumber: result.caseNumber, at: atOffice(result.issuedAt!), signer: result.signer?.name ?? '' }) : t(`paper.${result.verdict}`, { caseNumber: result.caseNumber ?? '' })}
            description={result.inside || result.supersededByAct || result.supersededBy ? <Details result={result} /> : undefined}
          />
        )}
      </Space>
    </Card>
  );
}
