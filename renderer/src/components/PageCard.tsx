/**
 * One scanned page of a case as a card: its thumbnail, quality flags and signature line, with the acts a person may
 * do on it (turn, move, remove). Drawn again only when what it shows changed.
 */
import { Button, Card, Popconfirm, Space, Tag, Typography } from 'antd';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../shared/contract/methods';
import type { CasePage } from '../../../shared/contract/types';
import { SignatureLine } from './SignatureTag';

export type PageAct = 'pages.rotate' | 'pages.move' | 'pages.remove';
export interface PageCardProps {
  caseId: string;
  page: CasePage;
  disabled: boolean;
  onAct: <M extends PageAct>(method: M, input: InputOf<M>) => void;
  onOpen: (page: CasePage) => void;
}

/** What a card shows; a list reloaded from the services gives new objects with the same content. */
const sameCard = (a: PageCardProps, b: PageCardProps) =>
  a.disabled === b.disabled &&
  a.caseId === b.caseId &&
  a.page.pageId === b.page.pageId &&
  a.page.position === b.page.position &&
  a.page.quality.join() === b.page.quality.join() &&
  a.page.signature?.valid === b.page.signature?.valid &&
  a.page.damaged === b.page.damaged &&
  a.onAct === b.onAct &&
  a.onOpen === b.onOpen;

/** One scanned page: thumbnail, quality flags, signature panel, and its signed acts (turn, move, remove). */
export const PageCard = memo(function PageCard({ caseId, page: p, disabled, onAct, onOpen }: PageCardProps) {
  const { t } = useTranslation();
  return (
                <Card size="small" style={{ width: 270 }} data-testid="page-card">
                  <Space direction="vertical" size={4} style={{ width: '100%' }}>
                    <Typography.Text>
                      {t('pages.page', { n: p.position })}
                      {p.dpi ? ` · ${p.dpi} dpi` : ''}
                    </Typography.Text>
                    {p.thumbnail ? (
                      <img src={p.thumbnail} alt={t('pages.page', { n: p.position })} style={{ width: 240, cursor: 'zoom-in', border: '1px solid #ddd' }} onClick={() => onOpen(p)} />
                    ) : (
                      <Button onClick={() => onOpen(p)}>PDF</Button>
                    )}
                    <div data-testid="page-quality">
                      {p.quality.length === 0 ? (
                        <Tag color="green">{t('quality.ok')}</Tag>
                      ) : (
                        p.quality.map((f) => (
                          <Tag key={f} color="orange">
                            {t(`quality.${f}`)}
                          </Tag>
                        ))
                      )}
                    </div>
                    {p.damaged && (
                      <Tag color="red" data-testid="page-damaged" style={{ whiteSpace: 'normal' }}>
                        {t(`pages.damaged.${p.damaged}`)}
                      </Tag>
                    )}
                    <SignatureLine signature={p.signature} testId="page-signature" />
                    <Space size={4} wrap>
                      <Button size="small" aria-label={t('pages.rotate')} title={t('pages.rotate')} disabled={disabled || p.mediaType === 'application/pdf'} onClick={() => onAct('pages.rotate', { caseId, pageId: p.pageId, degrees: 90 })}>
                        ⟳
                      </Button>
                      <Button size="small" aria-label={t('pages.up')} title={t('pages.up')} disabled={disabled} onClick={() => onAct('pages.move', { caseId, pageId: p.pageId, direction: 'up' })}>
                        ↑
                      </Button>
                      <Button size="small" aria-label={t('pages.down')} title={t('pages.down')} disabled={disabled} onClick={() => onAct('pages.move', { caseId, pageId: p.pageId, direction: 'down' })}>
                        ↓
                      </Button>
                      <Popconfirm title={t('pages.removeConfirm')} okText={t('pages.remove')} onConfirm={() => onAct('pages.remove', { caseId, pageId: p.pageId })}>
                        <Button size="small" danger disabled={disabled}>
                          {t('pages.remove')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  </Space>
                </Card>
  );
}, sameCard);

/** Memoised: the case view refreshes after every act, and this tab need not redraw for that. */
