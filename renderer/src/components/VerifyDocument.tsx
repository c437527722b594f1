/**
 * Verify a document: a printed form's scan, photo or PDF (with its .p7s, if any) dropped here, its QR code read and
 * checked by the services offline. Shown before sign-in too, for an auditor or an applicant at the counter.
 */
import { Alert, Card, Space, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormVerification } from '../../../shared/contract/areas/paper';
import { call } from '../api/client';
import { atOffice } from '../time';

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function VerifyDocument() {
  const { t } = useTranslation();
  const [result, setResult] = useState<FormVerification | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async (files: File[]) => {
    const p7s = files.find((f) => f.name.toLowerCase().endsWith('.p7s'));
    const paper = files.find((f) => f !== p7s);
    if (!paper) return;
    setBusy(true);
    const r = await call('paper.verify', { fileName: paper.name, base64: toBase64(await paper.arrayBuffer()), ...(p7s ? { p7sBase64: toBase64(await p7s.arrayBuffer()) } : {}) });
    setBusy(false);
    setResult(r.ok ? r.value : null);
  };
  const genuine = result?.verdict === 'genuine';
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
        {result && (
          <Alert
            data-testid="verify-result"
            type={genuine ? (result.supersededBy ? 'warning' : 'success') : 'error'}
            showIcon
            message={genuine ? t('paper.genuine', { form: t(`form.${result.form}`), caseNumber: result.caseNumber, at: atOffice(result.issuedAt!), signer: result.signer?.name ?? '' }) : t(`paper.${result.verdict}`, { caseNumber: result.caseNumber ?? '' })}
            description={result.supersededBy ? t('paper.superseded', { at: atOffice(result.supersededBy.issuedAt), code: result.supersededBy.verificationCode }) : undefined}
          />
        )}
      </Space>
    </Card>
  );
}
