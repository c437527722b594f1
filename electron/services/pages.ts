/**
 * Scanned copies of the originals ("Scanning originals"; item 11.1 stage 1). Each page is checked,
 * thumbnailed, stored once as a content-addressed blob and certified at capture with the specialist's ECP
 * (a detached CMS signature over the page's bytes, which `openssl cms -verify` accepts). The capture is a signed
 * case event naming the page's hash and its signature's hash, so "Verify case" finds one changed byte.
 * Removing, turning and reordering pages are signed events too: nothing is overwritten.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { CapturedPages, CasePage, ImportedPages, PageQualityFlag, ScannerSettings, ScannerStatus } from '../../shared/contract/types';
import type { ParsedInputOf } from '../../shared/contract/methods';
import { AppError } from '../../shared/errors';
import { TERMINAL_STAGES } from '../../shared/domain/workflow';
import type { SignedAct } from '../../shared/domain/acts';
import { readSetting, writeSetting } from '../../db/repositories/settings';
import type { ServicesContext, Session } from './context';
import { blobState, readBlob, readCertifiedBlob, recordBlob, sha256Hex, storeBlobFile, writeBlobFile, type BlobState } from './blob-store';
import { commitActs, loadCase, type CaseProjection } from './case-acts';
import type { ProjectedPage } from '../../shared/events/projection';
import { signerFor, type ActSigner } from './signing';
import { verifySignature } from '../../node/pki/verdict';
import { registerRolesOf } from './staff';
import { CmsFormatError } from '../../node/pki/cms';
import { rotateImage } from './scan/page-quality';
import { PAGE_LIMITS, preparePages, type PreparedPage } from './scan/prepare-pages';

export { PAGE_LIMITS, preparePages };
import { detectScanners, scan } from './scan/scanner';
import { watchScannerFolder } from './scan/folder-watch';

/** The case, open for pages: a closed case takes none. */
function openCase(ctx: ServicesContext, caseId: string): CaseProjection {
  const p = loadCase(ctx, caseId);
  if (TERMINAL_STAGES.includes(p.case.stage)) throw new AppError('case.closed');
  return p;
}

function activePage(p: CaseProjection, pageId: string): ProjectedPage {
  const page = p.pages.find((x) => x.pageId === pageId && !x.removed);
  if (!page) throw new AppError('not_found');
  return page;
}

/** The active pages of a case, by document and position (as the screens and the forms list them). */
export function activePages(p: CaseProjection): ProjectedPage[] {
  return p.pages.filter((x) => !x.removed).sort((a, b) => (a.documentKind < b.documentKind ? -1 : a.documentKind > b.documentKind ? 1 : a.position - b.position));
}

/** The documents received, each with its pages, in the order their first page was captured (receipt, journal). */
export function documentsReceived(p: CaseProjection): { kind: string; pages: number }[] {
  const out = new Map<string, number>();
  for (const x of p.pages) if (!x.removed) out.set(x.documentKind, (out.get(x.documentKind) ?? 0) + 1);
  return [...out].map(([kind, pages]) => ({ kind, pages }));
}

/**
 * Stores and certifies pages of one document: blob files first (durable, harmless if orphaned), then in one
 * transaction the blob rows and one signed page.captured event per page, through the commit path.
 */
function storePages(ctx: ServicesContext, session: Session, caseId: string, documentKind: string, source: string, pages: PreparedPage[], replaces?: ProjectedPage, signer?: ActSigner): CasePage[] {
  const p = openCase(ctx, caseId);
  // Refuses a key without the right to certify copies before anything is written.
  const sign = signer ?? signerFor(ctx, session, 'page.certified');
  const at = ctx.now().toISOString();
  const files = pages.map((page) => {
    const signature = sign(page.bytes);
    return {
      page,
      blob: writeBlobFile(ctx.dataDir, page.bytes),
      signature,
      signatureSha: writeBlobFile(ctx.dataDir, signature),
      thumbnailSha: page.thumbnail ? writeBlobFile(ctx.dataDir, page.thumbnail) : null,
    };
  });
  let position = replaces ? replaces.position : Math.max(0, ...p.pages.filter((x) => x.documentKind === documentKind).map((x) => x.position)) + 1;
  const acts = files.map((f) => {
    const payload = {
      pageId: uuidv7(),
      documentKind,
      position: position++,
      blob: f.blob,
      signature: f.signatureSha,
      thumbnail: f.thumbnailSha,
      mediaType: f.page.mediaType,
      width: f.page.width,
      height: f.page.height,
      dpi: f.page.dpi,
      quality: f.page.quality,
      source,
      ...(replaces ? { replaces: replaces.pageId } : {}),
    };
    return { type: 'page.captured' as const, payload };
  });
  const after = commitActs(ctx, session, caseId, p, acts, sign, {
    before: () => {
      for (const f of files) {
        recordBlob(ctx.db, f.blob, f.page.mediaType, f.page.bytes.length, at);
        recordBlob(ctx.db, f.signatureSha, 'application/pkcs7-signature', f.signature.length, at);
        if (f.thumbnailSha && f.page.thumbnail) recordBlob(ctx.db, f.thumbnailSha, 'image/jpeg', f.page.thumbnail.length, at);
      }
    },
  });
  const trust = ctx.trust();
  const rolesOf = registerRolesOf(ctx);
  return acts.map((a) => toCasePage(ctx, activePage(after, a.payload.pageId), trust, rolesOf));
}

/** The signature panel of a stored document (by default a page): its own CMS signature verified over its bytes, for its act. */
export function pageSignature(ctx: ServicesContext, row: { blob: string; signature: string }, trust = ctx.trust(), act: SignedAct = 'page.certified', rolesOf = registerRolesOf(ctx)) {
  const bytes = readBlob(ctx.dataDir, row.blob);
  const p7s = readBlob(ctx.dataDir, row.signature);
  // Hashed once: the same digest says whether the file is the one named and whether the signature covers it.
  const sha256 = bytes ? createHash('sha256').update(bytes).digest() : null;
  const state: BlobState = !sha256 ? 'missing' : sha256.toString('hex') === row.blob ? 'intact' : 'changed';
  if (!sha256 || !p7s) return { blobOk: false, state, signature: null };
  const blobOk = state === 'intact';
  try {
    return { blobOk, state, signature: verifySignature({ sha256 }, p7s, trust, act, undefined, rolesOf) };
  } catch (error) {
    if (!(error instanceof CmsFormatError)) throw error;
    return { blobOk, state, signature: { valid: false, signer: null, signingTime: null, errors: ['signature_invalid'] } };
  }
}

function toCasePage(ctx: ServicesContext, row: ProjectedPage, trust = ctx.trust(), rolesOf = registerRolesOf(ctx)): CasePage {
  // The thumbnail is the page's too: a changed one is not shown.
  const stored = row.thumbnail ? readBlob(ctx.dataDir, row.thumbnail) : null;
  const thumb = stored && sha256Hex(stored) === row.thumbnail ? stored : null;
  const { blobOk, state, signature } = pageSignature(ctx, row, trust, undefined, rolesOf);
  const panel = signature ?? { valid: false, signer: null, signingTime: null, errors: ['content_changed'] };
  return {
    pageId: row.pageId,
    documentKind: row.documentKind,
    position: row.position,
    mediaType: row.mediaType,
    width: row.width,
    height: row.height,
    dpi: row.dpi,
    quality: row.quality as PageQualityFlag[],
    source: row.source,
    blobSha256: row.blob,
    thumbnail: thumb ? `data:image/jpeg;base64,${thumb.toString('base64')}` : null,
    signature: blobOk ? panel : { ...panel, valid: false, errors: [...new Set([...panel.errors, 'content_changed'])] },
    damaged: state === 'intact' ? null : state,
  };
}

/** A page as its document and position name it in a refusal. */
const pageItem = (row: ProjectedPage) => ({ page: row.position, documentKind: row.documentKind });

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
      const p = loadCase(ctx, input.caseId);
      const trust = ctx.trust();
      const rolesOf = registerRolesOf(ctx);
      return { pages: activePages(p).map((r) => toCasePage(ctx, r, trust, rolesOf)) };
    },
    async importFile(session: Session, input: ParsedInputOf<'pages.import'>): Promise<ImportedPages> {
      const p = openCase(ctx, input.caseId);
      const bytes = Buffer.from(input.base64, 'base64');
      // The same bytes as a page of this case whose file was damaged: the file is rewritten, nothing new is
      // certified (the page's own signature still covers these bytes), and Verify case finds it whole again.
      const sha = sha256Hex(bytes);
      const damaged = p.pages.find((x) => x.blob === sha && !x.removed && blobState(ctx.dataDir, sha) !== 'intact');
      if (damaged) {
        storeBlobFile(ctx.dataDir, bytes);
        return { ...this.list({ caseId: input.caseId }), repaired: [sha] };
      }
      const pages = await preparePages(bytes, undefined, input.fileName);
      return { pages: storePages(ctx, session, input.caseId, input.documentKind, `file:${input.fileName}`, pages), repaired: [] };
    },
    async scan(session: Session, input: ParsedInputOf<'pages.scan'>): Promise<CapturedPages> {
      openCase(ctx, input.caseId);
      // The key first: a scan that could not be certified is not taken from the scanner or its folder.
      const sign = signerFor(ctx, session, 'page.certified');
      const settings = scannerSettings();
      const files = await scan(settings);
      const pages = (await Promise.all(files.map((f) => preparePages(f.bytes, f.dpi, f.fileName)))).flat();
      const stored = storePages(ctx, session, input.caseId, input.documentKind, `scanner:${settings.source}`, pages, undefined, sign);
      for (const f of files) f.taken?.();
      if (settings.source === 'folder') ctx.push({ type: 'scanner.changed', waiting: (await detectScanners(settings)).waiting ?? 0 });
      return { pages: stored };
    },
    async rotate(session: Session, input: ParsedInputOf<'pages.rotate'>): Promise<CapturedPages> {
      const row = activePage(loadCase(ctx, input.caseId), input.pageId);
      if (row.mediaType === 'application/pdf') throw new AppError('page.cannot_rotate_pdf');
      // A damaged page is never turned into a new certified one.
      const bytes = readCertifiedBlob(ctx.dataDir, row.blob, pageItem(row));
      const turned = await rotateImage(bytes, input.degrees, row.dpi ?? PAGE_LIMITS.minDpi);
      const [prepared] = await preparePages(turned, row.dpi ?? undefined);
      // Stored on the case as it is now: a page turned twice at once is replaced once, the other is refused.
      return { pages: storePages(ctx, session, input.caseId, row.documentKind, row.source, [prepared!], row) };
    },
    remove(session: Session, input: ParsedInputOf<'pages.remove'>): { removed: true } {
      const p = openCase(ctx, input.caseId);
      const row = activePage(p, input.pageId);
      commitActs(ctx, session, input.caseId, p, [{ type: 'page.removed', payload: { pageId: row.pageId } }], 'page.certified');
      return { removed: true };
    },
    move(session: Session, input: ParsedInputOf<'pages.move'>): CapturedPages {
      const p = openCase(ctx, input.caseId);
      const row = activePage(p, input.pageId);
      const siblings = activePages(p).filter((x) => x.documentKind === row.documentKind);
      const i = siblings.findIndex((x) => x.pageId === row.pageId);
      const j = input.direction === 'up' ? i - 1 : i + 1;
      if (j < 0 || j >= siblings.length) return this.list({ caseId: input.caseId });
      const order = siblings.map((x) => x.pageId);
      [order[i], order[j]] = [order[j]!, order[i]!];
      commitActs(ctx, session, input.caseId, p, [{ type: 'pages.reordered', payload: { documentKind: row.documentKind, order } }], 'page.certified');
      return this.list({ caseId: input.caseId });
    },
    /** Item 11.1 stage 1: the originals go back to the applicant once their copies are certified. */
    originalsReturned(session: Session, input: ParsedInputOf<'pages.originalsReturned'>): { returned: true; pages: number } {
      const p = openCase(ctx, input.caseId);
      const pages = p.pages.filter((x) => !x.removed).length;
      if (pages === 0) throw new AppError('form.no_documents');
      commitActs(ctx, session, input.caseId, p, [{ type: 'originals.returned', payload: { pages } }], 'page.certified');
      return { returned: true, pages };
    },
    image(input: ParsedInputOf<'pages.image'>): { mediaType: string; base64: string } {
      const row = loadCase(ctx, input.caseId).pages.find((x) => x.pageId === input.pageId);
      if (!row) throw new AppError('not_found');
      const bytes = readCertifiedBlob(ctx.dataDir, row.blob, pageItem(row));
      return { mediaType: row.mediaType, base64: bytes.toString('base64') };
    },
    async scannerStatus(): Promise<ScannerStatus> {
      watchScannerFolder(ctx);
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
