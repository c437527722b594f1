/**
 * Signing moments, as NCALayer has them: a method that signs may answer "unlock required" when the key's unlock
 * has run out. Then the person types the key password, the services unlock the key, and the same call runs again.
 * The password is never kept here beyond the dialog.
 */
import { Alert, Input, Modal, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf, MethodName, ResultOf } from '../../../shared/contract/methods';
import type { Result } from '../../../shared/errors';
import { call } from '../api/client';

export function useSigning() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<((unlocked: boolean) => void) | null>(null);

  const askPassword = () =>
    new Promise<boolean>((resolve) => {
      pending.current = resolve;
      setPassword('');
      setError(null);
      setOpen(true);
    });

  async function signed<M extends MethodName>(method: M, input: InputOf<M>): Promise<Result<ResultOf<M>>> {
    let r = await call(method, input);
    while (!r.ok && r.error.code === 'ecp.unlock_required') {
      if (!(await askPassword())) return r;
      r = await call(method, input);
    }
    return r;
  }

  const submit = async () => {
    const r = await call('session.unlock', { password });
    if (!r.ok) {
      setPassword('');
      setError(t(`errors.${r.error.code}`, r.error.params));
      return;
    }
    setOpen(false);
    pending.current?.(true);
  };
  const cancel = () => {
    setOpen(false);
    pending.current?.(false);
  };

  const modal = (
    <Modal open={open} title={t('ecp.unlock.title')} okText={t('ecp.unlock.submit')} onOk={() => void submit()} onCancel={cancel} destroyOnHidden>
      <Typography.Paragraph>{t('ecp.unlock.prompt')}</Typography.Paragraph>
      <Input.Password autoFocus aria-label={t('signin.password')} value={password} onChange={(e) => setPassword(e.target.value)} onPressEnter={() => void submit()} />
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
  return { signed, modal };
}
