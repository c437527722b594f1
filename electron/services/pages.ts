/**
 * Scanned copies of the originals (issue 5, "Scanning originals"; item 11.1 stage 1). Each page is checked,
 * thumbnailed, stored once as a content-addressed blob and certified at capture with the specialist's ECP
 * (a detached CMS signature over the page's bytes, which `openssl cms -verify` accepts). The capture is a signed
 * case event naming the page's hash and its signature's hash, so "Verify case" finds one changed byte.
 * Removing, turning and reordering pages are signed events too: nothing is overwritten.
 */
import path from 'node:path';
import type { PDFDocument } from 'pdf-lib';
import { scannedImageOf, type PageImage } from './scan/pdf-image';
import { v7 as uuidv7 } from 'uuid';
import type { CapturedPages, CasePage, PageQualityFlag, ScannerSettings, ScannerStatus } from '../../shared/contract/types';
import type { ParsedInputOf } from '../../shared/contract/methods';
import { AppError } from '../../shared/errors';
import { TERMINAL_STAGES, type Stage } from '../../shared/domain/workflow';
import type { SignedAct } from '../../shared/domain/acts';
import { readSetting, writeSetting } from '../../db/repositories/settings';
import type { ServicesContext, Session } from './context';
import { appendSignedEvent } from './cases';
import { readBlob, recordBlob, sha256Hex, writeBlobFile } from './blob-store';
import { signerFor, type ActSigner } from './signing';
import { verifySignature } from './pki/verdict';
import { CmsFormatError } from './pki/cms';
import { inspectImage, QUALITY_DEFAULTS, rotateImage, sniffMediaType, type PageMediaType } from './scan/page-quality';
import { detectScanners, scan } from './scan/scanner';

/** Office limits for one file (issue 5: default 25 MB). */
export const PAGE_LIMITS = { maxFileBytes: 25 * 1024 * 1024, minDpi: QUALITY_DEFAULTS.minDpi } as const;

interface PageRow {
  page_id: string;
  case_id: string;
  document_kind: string;
  position: number;
  blob_sha256: string;
  signature_sha256: string;
  thumbnail_sha256: string | null;
  media_type: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  quality: string;
  source: string;
  event_seq: number;
  removed: number;
}

/** One page ready to store: its bytes and what the check found. */
interface PreparedPage {
  bytes: Buffer;
  mediaType: PageMediaType;
  width: number | null;
  height: number | null;
  dpi: number | null;
  quality: PageQualityFlag[];
  thumbnail: Buffer | null;
}

/** A PDF split into one-page PDFs, each with its scanned image if it has one. Throws page.pdf_empty or page.unreadable. */
async function splitPdf(bytes: Buffer): Promise<{ bytes: Buffer; image: PageImage | null }[]> {
  let doc: PDFDocument;
  try {
    doc = await (await import('pdf-lib')).PDFDocument.load(bytes, { updateMetadata: false });
  } catch {
    throw new AppError('page.unreadable');
  }
  const count = doc.getPageCount();
  if (count === 0) throw new AppError('page.pdf_empty');
  if (count === 1) return [{ bytes, image: await scannedImageOf(doc.getPage(0)) }];
  const out: { bytes: Buffer; image: PageImage | null }[] = [];
  for (let i = 0; i < count; i++) {
    const one = await (await import('pdf-lib')).PDFDocument.create();
    const [page] = await one.copyPages(doc, [i]);
    one.addPage(page!);
    out.push({ bytes: Buffer.from(await one.save()), image: await scannedImageOf(doc.getPage(i)) });
  }
  return out;
}

/** Checks one file (kind, size, readability) and turns it into pages. Nothing is stored yet. */
export async function preparePages(bytes: Buffer, scannerDpi?: number): Promise<PreparedPage[]> {
  if (bytes.length === 0) throw new AppError('page.empty_file');
  if (bytes.length > PAGE_LIMITS.maxFileBytes) throw new AppError('page.too_large', { mb: Math.round(PAGE_LIMITS.maxFileBytes / 1024 / 1024) });
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) throw new AppError('page.not_image');
  if (mediaType === 'application/pdf') {
    // A PDF page is kept as the file gave it; its scanned image, when it has one, is checked like any scan.
    const pages: PreparedPage[] = [];
    for (const page of await splitPdf(bytes)) {
      const inspected = page.image ? await inspectImage('file' in page.image.input ? page.image.input.file : page.image.input, { minDpi: PAGE_LIMITS.minDpi, scannerDpi: page.image.dpi }).catch(() => null) : null;
      pages.push(
        inspected
          ? { bytes: page.bytes, mediaType, width: inspected.width, height: inspected.height, dpi: inspected.dpi, quality: inspected.flags, thumbnail: inspected.thumbnail }
          : { bytes: page.bytes, mediaType, width: null, height: null, dpi: null, quality: ['not_checked'], thumbnail: null },
      );
    }
    return pages;
  }
  const inspected = await inspectImage(bytes, { minDpi: PAGE_LIMITS.minDpi, scannerDpi });
  return [{ bytes, mediaType, width: inspected.width, height: inspected.height, dpi: inspected.dpi, quality: inspected.flags, thumbnail: inspected.thumbnail }];
}

function caseStage(ctx: ServicesContext, caseId: string): Stage {
  const row = ctx.db.prepare('SELECT stage FROM cases WHERE id = ?').get(caseId) as { stage: Stage } | undefined;
  if (!row) throw new AppError('not_found');
  if (TERMINAL_STAGES.includes(row.stage)) throw new AppError('case.closed');
  return row.stage;
}

function activePage(ctx: ServicesContext, caseId: string, pageId: string): PageRow {
  const row = ctx.db.prepare('SELECT * FROM case_pages WHERE case_id = ? AND page_id = ? AND removed = 0').get(caseId, pageId) as PageRow | undefined;
  if (!row) throw new AppError('not_found');
  return row;
}

/**
 * Stores and certifies pages of one document: blob files first (durable, harmless if orphaned), then in one
 * transaction the blob rows, one signed page.captured event per page and the projection rows.
 */
function storePages(ctx: ServicesContext, session: Session, caseId: string, documentKind: string, source: string, pages: PreparedPage[], replaces?: PageRow, signer?: ActSigner): CasePage[] {
  caseStage(ctx, caseId);
  // Refuses a key without the right to certify copies before anything is written.
  const sign = signer ?? signerFor(ctx, session, 'page.certified');
  const at = ctx.now().toISOString();
  const files = pages.map((p) => {
    const signature = sign(p.bytes);
    return {
      page: p,
      blob: writeBlobFile(ctx.dataDir, p.bytes),
      signature,
      signatureSha: writeBlobFile(ctx.dataDir, signature),
      thumbnailSha: p.thumbnail ? writeBlobFile(ctx.dataDir, p.thumbnail) : null,
    };
  });
  const ids = ctx.db.transaction(() => {
    let position = replaces
      ? replaces.position
      : ((ctx.db.prepare('SELECT max(position) AS p FROM case_pages WHERE case_id = ? AND document_kind = ?').get(caseId, documentKind) as { p: number | null }).p ?? 0) + 1;
    return files.map((f) => {
      recordBlob(ctx.db, f.blob, f.page.mediaType, f.page.bytes.length, at);
      recordBlob(ctx.db, f.signatureSha, 'application/pkcs7-signature', f.signature.length, at);
      if (f.thumbnailSha && f.page.thumbnail) recordBlob(ctx.db, f.thumbnailSha, 'image/jpeg', f.page.thumbnail.length, at);
      const pageId = uuidv7();
      const payload = {
        pageId,
        documentKind,
        position,
        blob: f.blob,
        signature: f.signatureSha,
        thumbnail: f.thumbnailSha,
        mediaType: f.page.mediaType,
        width: f.page.width,
        height: f.page.height,
        dpi: f.page.dpi,
        quality: f.page.quality,
        source,
        ...(replaces ? { replaces: replaces.page_id } : {}),
      };
      // The page replaced must still be there: two turns of one page at once leave one page, not two.
      if (replaces && ctx.db.prepare('UPDATE case_pages SET removed = 1 WHERE page_id = ? AND removed = 0').run(replaces.page_id).changes !== 1) throw new AppError('not_found');
      const event = appendSignedEvent(ctx, caseId, 'page.captured', payload, session.identity, sign);
      ctx.db
        .prepare(
          `INSERT INTO case_pages (page_id, case_id, document_kind, position, blob_sha256, signature_sha256, thumbnail_sha256, media_type,
             width, height, dpi, quality, source, event_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(pageId, caseId, documentKind, position, f.blob, f.signatureSha, f.thumbnailSha, f.page.mediaType, f.page.width, f.page.height, f.page.dpi, JSON.stringify(f.page.quality), source, event.seq);
      position += 1;
      return pageId;
    });
  }).immediate();
  return ids.map((id) => toCasePage(ctx, activePage(ctx, caseId, id)));
}

/** The signature panel of a stored document (by default a page): its own CMS signature verified over its bytes, for its act. */
export function pageSignature(ctx: ServicesContext, row: Pick<PageRow, 'blob_sha256' | 'signature_sha256'>, trust = ctx.trust(), act: SignedAct = 'page.certified') {
  const bytes = readBlob(ctx.dataDir, row.blob_sha256);
  const p7s = readBlob(ctx.dataDir, row.signature_sha256);
  if (!bytes || !p7s) return { blobOk: false, signature: null };
  const blobOk = sha256Hex(bytes) === row.blob_sha256;
  try {
    return { blobOk, signature: verifySignature(bytes, p7s, trust, act) };
  } catch (error) {
    if (!(error instanceof CmsFormatError)) throw error;
    return { blobOk, signature: { valid: false, signer: null, signingTime: null, errors: ['signature_invalid'] } };
  }
}

function toCasePage(ctx: ServicesContext, row: PageRow, trust = ctx.trust()): CasePage {
  const thumb = row.thumbnail_sha256 ? readBlob(ctx.dataDir, row.thumbnail_sha256) : null;
  const { blobOk, signature } = pageSignature(ctx, row, trust);
  const panel = signature ?? { valid: false, signer: null, signingTime: null, errors: ['content_changed'] };
  return {
    pageId: row.page_id,
    documentKind: row.document_kind,
    position: row.position,
    mediaType: row.media_type,
    width: row.width,
    height: row.height,
    dpi: row.dpi,
    quality: JSON.parse(row.quality) as PageQualityFlag[],
    source: row.source,
    blobSha256: row.blob_sha256,
    thumbnail: thumb ? `data:image/jpeg;base64,${thumb.toString('base64')}` : null,
    signature: blobOk ? panel : { ...panel, valid: false, errors: [...new Set([...panel.errors, 'content_changed'])] },
  };
}

const DEFAULT_SCANNER: ScannerSettings = { source: 'none' };

/** Stores the scanner source. A watched folder may not be the data folder or inside it (its files would be moved). */
export function configureScanner(ctx: Pick<ServicesContext, 'db' | 'dataDir'>, settings: ScannerSettings): void {
  if (settings.source === 'folder') {
    const folder = path.resolve(settings.folder);
    const data = path.resolve(ctx.dataDir);
    if (folder === data || folder.startsWith(data + path.sep) || data.startsWith(folder + path.sep)) throw new AppError('validation', undefined, { folder: 'field.invalid' });
  }
  writeSetting(ctx.db, 'scanner', settings);
}

export function pageServices(ctx: ServicesContext) {
  const scannerSettings = () => readSetting<ScannerSettings>(ctx.db, 'scanner') ?? DEFAULT_SCANNER;
  return {
    list(input: ParsedInputOf<'pages.list'>): CapturedPages {
      caseExists(ctx, input.caseId);
      const trust = ctx.trust();
      const rows = ctx.db.prepare('SELECT * FROM case_pages WHERE case_id = ? AND removed = 0 ORDER BY document_kind, position').all(input.caseId) as PageRow[];
      return { pages: rows.map((r) => toCasePage(ctx, r, trust)) };
    },
    async importFile(session: Session, input: ParsedInputOf<'pages.import'>): Promise<CapturedPages> {
      caseStage(ctx, input.caseId);
      const bytes = Buffer.from(input.base64, 'base64');
      const pages = await preparePages(bytes);
      return { pages: storePages(ctx, session, input.caseId, input.documentKind, `file:${input.fileName}`, pages) };
    },
    async scan(session: Session, input: ParsedInputOf<'pages.scan'>): Promise<CapturedPages> {
      caseStage(ctx, input.caseId);
      // The key first: a scan that could not be certified is not taken from the scanner or its folder.
      const sign = signerFor(ctx, session, 'page.certified');
      const settings = scannerSettings();
      const files = await scan(settings);
      const pages = (await Promise.all(files.map((f) => preparePages(f.bytes, f.dpi)))).flat();
      const stored = storePages(ctx, session, input.caseId, input.documentKind, `scanner:${settings.source}`, pages, undefined, sign);
      for (const f of files) f.taken?.();
      return { pages: stored };
    },
    async rotate(session: Session, input: ParsedInputOf<'pages.rotate'>): Promise<CapturedPages> {
      const row = activePage(ctx, input.caseId, input.pageId);
      if (row.media_type === 'application/pdf') throw new AppError('page.cannot_rotate_pdf');
      const bytes = readBlob(ctx.dataDir, row.blob_sha256);
      if (!bytes) throw new AppError('page.unreadable');
      const turned = await rotateImage(bytes, input.degrees, row.dpi ?? PAGE_LIMITS.minDpi);
      const [prepared] = await preparePages(turned, row.dpi ?? undefined);
      return { pages: storePages(ctx, session, input.caseId, row.document_kind, row.source, [prepared!], row) };
    },
    remove(session: Session, input: ParsedInputOf<'pages.remove'>): { removed: true } {
      caseStage(ctx, input.caseId);
      const row = activePage(ctx, input.caseId, input.pageId);
      const sign = signerFor(ctx, session, 'page.certified');
      ctx.db.transaction(() => {
        appendSignedEvent(ctx, input.caseId, 'page.removed', { pageId: row.page_id }, session.identity, sign);
        ctx.db.prepare('UPDATE case_pages SET removed = 1 WHERE page_id = ?').run(row.page_id);
      }).immediate();
      return { removed: true };
    },
    move(session: Session, input: ParsedInputOf<'pages.move'>): CapturedPages {
      caseStage(ctx, input.caseId);
      const row = activePage(ctx, input.caseId, input.pageId);
      const siblings = ctx.db
        .prepare('SELECT * FROM case_pages WHERE case_id = ? AND document_kind = ? AND removed = 0 ORDER BY position')
        .all(input.caseId, row.document_kind) as PageRow[];
      const i = siblings.findIndex((p) => p.page_id === row.page_id);
      const j = input.direction === 'up' ? i - 1 : i + 1;
      if (j < 0 || j >= siblings.length) return this.list({ caseId: input.caseId });
      const order = siblings.map((p) => p.page_id);
      [order[i], order[j]] = [order[j]!, order[i]!];
      const sign = signerFor(ctx, session, 'page.certified');
      ctx.db.transaction(() => {
        appendSignedEvent(ctx, input.caseId, 'pages.reordered', { documentKind: row.document_kind, order }, session.identity, sign);
        order.forEach((id, k) => ctx.db.prepare('UPDATE case_pages SET position = ? WHERE page_id = ?').run(k + 1, id));
      }).immediate();
      return this.list({ caseId: input.caseId });
    },
    /** Item 11.1 stage 1: the originals go back to the applicant once their copies are certified. */
    originalsReturned(session: Session, input: ParsedInputOf<'pages.originalsReturned'>): { returned: true; pages: number } {
      caseStage(ctx, input.caseId);
      const pages = (ctx.db.prepare('SELECT count(*) AS n FROM case_pages WHERE case_id = ? AND removed = 0').get(input.caseId) as { n: number }).n;
      if (pages === 0) throw new AppError('form.no_documents');
      const sign = signerFor(ctx, session, 'page.certified');
      ctx.db.transaction(() => appendSignedEvent(ctx, input.caseId, 'originals.returned', { pages }, session.identity, sign)).immediate();
      return { returned: true, pages };
    },
    image(input: ParsedInputOf<'pages.image'>): { mediaType: string; base64: string } {
      const row = ctx.db.prepare('SELECT * FROM case_pages WHERE case_id = ? AND page_id = ?').get(input.caseId, input.pageId) as PageRow | undefined;
      if (!row) throw new AppError('not_found');
      const bytes = readBlob(ctx.dataDir, row.blob_sha256);
      if (!bytes) throw new AppError('page.unreadable');
      return { mediaType: row.media_type, base64: bytes.toString('base64') };
    },
    async scannerStatus(): Promise<ScannerStatus> {
      const settings = scannerSettings();
      const { devices, waiting } = await detectScanners(settings);
      return { settings, devices, ready: devices.length > 0, ...(waiting === undefined ? {} : { waiting }) };
    },
    configureScanner(settings: ScannerSettings): ScannerSettings {
      configureScanner(ctx, settings);
      return settings;
    },
  };
}

function caseExists(ctx: ServicesContext, caseId: string) {
  if (!ctx.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId)) throw new AppError('not_found');
}
