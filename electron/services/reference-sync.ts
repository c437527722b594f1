/**
 * Reference data from the center on the workstation. The city department's administrator, signed in on
 * any workstation, enters a calendar correction, a food-basket threshold or a precinct commission through the usual
 * admin screens: the entry becomes a reference act signed with their key, applied here at once and pushed at the
 * next sync. Every workstation of the city pulls the reference order by its own cursor in the same round, checks
 * each act (node/reference-acts.ts: the city administrator's signature, or the CA's for a CRL), and applies it with
 * the cursor in one transaction. A refused act is kept with its reason and shown on the Sync tab, never applied.
 *
 * What an act does not change: a case keeps the rules version it is pinned to, and the stored due dates of open
 * cases stay as they were (the board flags a deadline whose span holds a corrected day, for a person to decide).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../shared/errors';
import { dayText, officeDate } from '../../shared/local-date';
import { seedCalendarYears, WorkCalendar } from '../../shared/domain/calendar';
import {
  parseReferencePayload,
  referenceActSchema,
  REFERENCE_KINDS,
  REFERENCE_REFUSALS,
  type ReferenceAct,
  type ReferenceKind,
  type ReferencePayload,
  type ReferencePullResponse,
  type ReferencePushResponse,
  type ReferenceRefusal,
  type ReferenceSource,
} from '../../shared/contract/reference-protocol';
import { SYNC_PROTOCOL } from '../../shared/contract/sync-protocol';
import { saveCorrection } from '../../db/repositories/calendar';
import { saveThreshold } from '../../db/repositories/reference';
import { acceptRefusedReferenceAct, markReferenceAct, pendingReferenceActs, pulledActsRefusedFor, recordReferenceAct, referenceActKnown, upsertPrecinct } from '../../db/repositories/reference-acts';
import { readSetting, readWorkstation, writeSetting, writeWorkstation } from '../../db/repositories/settings';
import { checkReferenceAct, signReferenceAct } from '../../node/reference-acts';
import { cityAdminOn, importStaffFile } from './staff';
import { pullCityRegister } from './staff-sync';
import type { LoadedCrl } from '../../node/pki/crl';
import { takeCityTrustRoot } from './trust-roots';
import type { ServicesContext, Session } from './context';
import { DATA_FILES } from './data-files';
import { signerFor } from './signing';
import { ServerError, type SyncClient } from './sync/client';

const CURSOR_KEY = 'referenceCursor';

export function referenceCursor(ctx: Pick<ServicesContext, 'db'>): string {
  return readSetting<string>(ctx.db, CURSOR_KEY) ?? '0';
}

/** The city department's BIN as this workstation knows it (set up from the PKI's offices, then from its acts). */
function cityBin(ctx: Pick<ServicesContext, 'db'>): string | null {
  return readWorkstation(ctx.db)?.city?.bin ?? null;
}

/** Whether the signed-in person is the city department's administrator: their entries become reference acts. */
export function isCityAdmin(ctx: Pick<ServicesContext, 'db'>, session: Session): boolean {
  const bin = cityBin(ctx);
  return bin !== null && session.identity.officeBin === bin && session.identity.roles.includes('admin');
}

/** What an accepted act changes here. Call inside the transaction that records it. */
function applyAct(ctx: ServicesContext, act: ReferenceAct, crl: LoadedCrl | undefined): void {
  const by = { iin: act.signer?.iin ?? '', at: act.at };
  switch (act.kind) {
    case 'calendar': {
      const p = parseReferencePayload('calendar', act.payload)!;
      saveCorrection(ctx.db, { date: p.date, working: p.working, reason: p.reason, correctedByIin: by.iin, correctedAt: by.at });
      ctx.calendarChanged();
      return;
    }
    case 'threshold': {
      const p = parseReferencePayload('threshold', act.payload)!;
      saveThreshold(ctx.db, { region: p.region, year: p.year, quarter: p.quarter, tiyn: p.tiyn, mark: act.source.assumed ? 'assumed' : 'sourced', derivation: sourceText(act.source) }, by);
      return;
    }
    case 'precinct': {
      upsertPrecinct(ctx.db, parseReferencePayload('precinct', act.payload)!);
      return;
    }
    case 'offices': {
      // The offices of the city: who may sign in here (this office, its Centers) and who signs reference data.
      const { offices } = parseReferencePayload('offices', act.payload)!;
      const config = readWorkstation(ctx.db);
      const mine = config && offices.find((o) => o.code === config.officeCode);
      if (!config || !mine) return;
      const centers = offices.filter((o) => o.kind === 'center' && o.serves?.includes(mine.code));
      const city = offices.find((o) => o.kind === 'city');
      writeWorkstation(ctx.db, {
        ...config,
        acceptedBins: [mine.bin, ...centers.map((c) => c.bin)],
        centers: centers.map((c) => ({ code: c.code, bin: c.bin, nameKk: c.nameKk, nameRu: c.nameRu })),
        ...(city ? { city: { code: city.code, bin: city.bin } } : {}),
      });
      return;
    }
    case 'trust_root': {
      takeCityTrustRoot(ctx.dataDir, parseReferencePayload('trust_root', act.payload)!);
      return;
    }
    case 'crl': {
      // Beside the CRLs imported by hand: the trust store reads the newest of each issuer at every sign-in.
      const dir = path.join(ctx.dataDir, DATA_FILES.crlDir);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const pem = parseReferencePayload('crl', act.payload)!.pem;
      writeFileSync(path.join(dir, `${crl!.thisUpdate.toISOString().replace(/[:.]/g, '-')}-sync.pem`), pem, { mode: 0o600 });
      return;
    }
  }
}

/** The source as the reference tables keep it beside a value: the act, its date (DD.MM.YYYY), where it is published. */
export function sourceText(s: ReferenceSource): string {
  return [`${s.act}, ${dayText(s.date)}`, s.url].filter(Boolean).join(' — ');
}

/**
 * The city administrator's entry as a signed reference act: checked as every workstation will check it, applied
 * here and kept for the next push, in one transaction.
 */
export function enterReferenceAct<K extends Exclude<ReferenceKind, 'crl'>>(ctx: ServicesContext, session: Session, kind: K, payload: ReferencePayload<K>, source: Omit<ReferenceSource, 'date'> & { date?: string }): ReferenceAct {
  if (!isCityAdmin(ctx, session)) throw new AppError('reference.not_city_admin');
  const sign = signerFor(ctx, session);
  const act = signReferenceAct({
    id: uuidv7(),
    kind,
    payload,
    source: { ...source, date: source.date ?? officeDate(ctx.now()) },
    at: ctx.now().toISOString(),
    signer: { iin: session.identity.iin, certSha256: session.identity.certificateSha256 },
    sign,
  });
  const checked = checkReferenceAct(act, ctx.trust(), cityBin(ctx), cityAdminOn(ctx, cityBin(ctx)));
  if (!checked.ok) throw new AppError('reference.refused', { reason: checked.reason });
  if (kind === 'calendar') {
    const p = payload as ReferencePayload<'calendar'>;
    // A day outside the calendar's years is refused before anything is stored.
    new WorkCalendar(seedCalendarYears(), [{ date: p.date, working: p.working, reason: p.reason }]);
  }
  ctx.db.transaction(() => {
    recordReferenceAct(ctx.db, { id: act.id, kind, act: JSON.stringify(act), state: 'pending', origin: 'here', recorded_at: new Date().toISOString() });
    applyAct(ctx, act, undefined);
  })();
  return act;
}

export interface ReferenceRoundReport {
  pushed: number;
  pulled: number;
  refused: number;
  /** The server has no reference endpoints (it predates them). */
  unavailable?: boolean;
}

async function pushReference(ctx: ServicesContext, client: SyncClient, report: ReferenceRoundReport): Promise<void> {
  for (;;) {
    const pending = pendingReferenceActs(ctx.db, 100);
    if (pending.length === 0) return;
    const { value } = await client.json<ReferencePushResponse>('POST', '/sync/v1/reference/push', { protocol: SYNC_PROTOCOL, acts: pending.map((r) => JSON.parse(r.act) as ReferenceAct) });
    if (!Array.isArray(value?.results)) throw new AppError('sync.hostile_answer', { reason: 'malformed' });
    const ids = new Set(pending.map((p) => p.id));
    ctx.db.transaction(() => {
      for (const r of value.results) {
        if (!ids.has(r.id)) continue;
        if (r.status === 'applied' || r.status === 'duplicate') {
          markReferenceAct(ctx.db, r.id, 'applied', { refSeq: Number(r.refSeq) || undefined });
          report.pushed++;
        } else {
          // Refused by the server: it stays applied nowhere else; shown here (its local effect stays, for a person).
          markReferenceAct(ctx.db, r.id, 'refused', { reason: REFERENCE_REFUSALS.includes(r.reason as ReferenceRefusal) ? r.reason : 'payload_invalid' });
          report.refused++;
        }
      }
    })();
    if (!value.results.some((r) => ids.has(r.id))) return;
  }
}

async function pullReference(ctx: ServicesContext, client: SyncClient, report: ReferenceRoundReport): Promise<void> {
  for (let pages = 0; pages < 1000; pages++) {
    const cursor = referenceCursor(ctx);
    const { value } = await client.json<ReferencePullResponse>('GET', `/sync/v1/reference/pull?cursor=${encodeURIComponent(cursor)}&limit=200`);
    // A hostile or broken page is refused whole and shown; nothing of it is kept, the cursor stays.
    if (!value || !Array.isArray(value.acts) || typeof value.cursor !== 'string') throw new AppError('sync.hostile_answer', { reason: 'malformed' });
    if (!/^\d{1,15}$/.test(value.cursor) || Number(value.cursor) < Number(cursor)) throw new AppError('sync.hostile_answer', { reason: 'cursor_backwards' });
    const acts: { act: ReferenceAct; refSeq: number }[] = [];
    // An act this version cannot read (a newer kind, a broken field) is kept refused with its reason and the cursor
    // goes on, as a pulled event is held; a page whose items are not acts at all is refused whole.
    const unreadable: { id: string; kind: string; raw: string; refSeq: number; reason: ReferenceRefusal }[] = [];
    for (const raw of value.acts as unknown[]) {
      const { refSeq: seqValue, ...rest } = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : { refSeq: undefined };
      const refSeq = Number(seqValue);
      if (!Number.isInteger(refSeq) || refSeq <= Number(cursor) || refSeq > Number(value.cursor)) throw new AppError('sync.hostile_answer', { reason: 'malformed' });
      const parsed = referenceActSchema.safeParse(rest);
      if (parsed.success) acts.push({ act: parsed.data, refSeq });
      else if (typeof rest.id === 'string' && /^[0-9a-f-]{36}$/i.test(rest.id) && typeof rest.kind === 'string' && rest.kind.length <= 40) {
        unreadable.push({ id: rest.id, kind: rest.kind, raw: JSON.stringify(rest).slice(0, 100_000), refSeq, reason: (REFERENCE_KINDS as readonly string[]).includes(rest.kind) ? 'payload_invalid' : 'unknown_kind' });
      } else throw new AppError('sync.hostile_answer', { reason: 'malformed' });
    }
    const trust = ctx.trust();
    const bin = cityBin(ctx);
    const isCityAdminOn = cityAdminOn(ctx, bin);
    const at = new Date().toISOString();
    ctx.db.transaction(() => {
      for (const u of unreadable) {
        if (referenceActKnown(ctx.db, u.id)) continue;
        recordReferenceAct(ctx.db, { id: u.id, kind: u.kind, act: u.raw, state: 'refused', ref_seq: u.refSeq, reason: u.reason, origin: 'server', recorded_at: at });
        report.refused++;
      }
      for (const { act, refSeq } of acts) {
        const known = referenceActKnown(ctx.db, act.id);
        if (known) {
          // Our own act come back (its push's answer was lost): acknowledged. Another copy of an id we hold changes nothing.
          if (known.state === 'pending' && (JSON.parse(known.act) as ReferenceAct).hash === act.hash) markReferenceAct(ctx.db, act.id, 'applied', { refSeq });
          continue;
        }
        const checked = checkReferenceAct(act, trust, bin, isCityAdminOn);
        if (!checked.ok) {
          recordReferenceAct(ctx.db, { id: act.id, kind: act.kind, act: JSON.stringify(act), state: 'refused', ref_seq: refSeq, reason: checked.reason, origin: 'server', recorded_at: at });
          report.refused++;
          continue;
        }
        recordReferenceAct(ctx.db, { id: act.id, kind: act.kind, act: JSON.stringify(act), state: 'applied', ref_seq: refSeq, origin: 'server', recorded_at: at });
        applyAct(ctx, act, checked.crl);
        report.pulled++;
      }
      writeSetting(ctx.db, CURSOR_KEY, value.cursor);
    })();
    if (!value.more || acts.length + unreadable.length === 0) return;
  }
}

/**
 * An act refused because its signer was not (yet) the city's administrator here is checked again once the city's
 * register has come: the act may have arrived before the entry that makes its signer one.
 */
function recheckRefusedForRegister(ctx: ServicesContext, report: ReferenceRoundReport): void {
  const refused = pulledActsRefusedFor(ctx.db, 'not_city_admin');
  if (refused.length === 0) return;
  const trust = ctx.trust();
  const bin = cityBin(ctx);
  const isCityAdminOn = cityAdminOn(ctx, bin);
  ctx.db.transaction(() => {
    for (const row of refused) {
      const parsed = referenceActSchema.safeParse(JSON.parse(row.act));
      if (!parsed.success) continue;
      const checked = checkReferenceAct(parsed.data, trust, bin, isCityAdminOn);
      if (!checked.ok) continue;
      acceptRefusedReferenceAct(ctx.db, row.id);
      applyAct(ctx, parsed.data, checked.crl);
      report.pulled++;
    }
  })();
}

/** The reference half of a sync round: this workstation's acts up, the city's reference order down. */
export async function referenceRound(ctx: ServicesContext, client: SyncClient): Promise<ReferenceRoundReport> {
  const report: ReferenceRoundReport = { pushed: 0, pulled: 0, refused: 0 };
  try {
    await pushReference(ctx, client, report);
    // The staff acts file may name the city's administrator since this round began (importStaffFile learns it).
    importStaffFile(ctx);
    await pullCityRegister(ctx, client, cityBin(ctx));
    recheckRefusedForRegister(ctx, report);
    await pullReference(ctx, client, report);
  } catch (error) {
    // A server older than the reference flow has no such endpoint: the office's sync goes on, the acts wait here.
    if (error instanceof ServerError && error.status === 404) return { ...report, unavailable: true };
    throw error;
  }
  return report;
}
