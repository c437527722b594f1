import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SignaturePanel } from '../../../shared/contract/types';
import { atOffice } from '../time';

/** The signature panel of one signed item: signer name, IIN and role, signing time, certificate and content status. */
export function SignatureLine(props: { signature: SignaturePanel | null | undefined; testId?: string }) {
  const { t } = useTranslation();
  const sig = props.signature;
  if (!sig?.signer) return <Tag color="red">{sig ? sig.errors.map((x) => t(`signature.${x}`)).join(', ') : t('case.notSigned')}</Tag>;
  return (
    <Typography.Text style={{ fontSize: 12 }} data-testid={props.testId}>
      {t('case.signedBy')}: {sig.signer.name}, {t('header.iin')} {sig.signer.iin}, {sig.signer.role ? t(`role.${sig.signer.role}`) : '—'}
      {sig.signingTime ? ` · ${atOffice(sig.signingTime, true)}` : ''}{' '}
      <Tag color={sig.valid ? 'green' : 'red'}>{sig.valid ? t('case.signatureValid') : sig.errors.map((x) => t(`signature.${x}`)).join(', ')}</Tag>
    </Typography.Text>
  );
}
