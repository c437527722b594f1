/**
 * The staff half of a sync round, before the office's events: this workstation's staff acts (made here or read from
 * a staff acts file) up to the server, then each register this workstation holds down from the server by a cursor
 * of its own per office. A pulled act is checked here as the server checked it (electron/services/staff.ts); a
 * refused one is kept with its reason and never written to the register.
 */
import { AppError } from '../../shared/errors';
import { STAFF_REFUSALS, type StaffAct, type StaffPullResponse, type StaffPushResult, type StaffRefusal } from '../../shared/contract/staff-protocol';
import { SYNC_PROTOCOL } from '../../shared/contract/sync-protocol';
import { markStaffAct, pendingStaffActs, rewriteOfficeRegister } from '../../db/repositories/staff';
import { readSetting, writeSetting } from '../../db/repositories/settings';
import type { ServicesContext } from './context';
import { importStaffFile, staffOffices, takeStaffAct } from './staff';
import { ServerError, type SyncClient } from './sync/client';

const CURSORS_KEY = 'staffCursors';

export interface StaffRoundReport {
  pushed: number;
  pulled: number;
  refused: number;
  /** The server has no staff endpoints (it predates them). */
  unavailable?: boolean;
}

async function pushStaff(ctx: ServicesContext, client: SyncClient, report: StaffRoundReport): Promise<void> {
  for (let rounds = 0; rounds < 100; rounds++) {
    const pending = pendingStaffActs(ctx.db, 100);
    if (pending.length === 0) return;
    const { value } = await client.json<{ results: StaffPushResult[] }>('POST', '/sync/v1/staff/push', { protocol: SYNC_PROTOCOL, acts: pending.map((r) => JSON.parse(r.act) as StaffAct) });
    if (!Array.isArray(value?.results)) throw new AppError('sync.hostile_answer', { reason: 'malformed' });
    const ids = new Set(pending.map((p) => p.id));
    ctx.db.transaction(() => {
      for (const r of value.results) {
        if (!ids.has(r.id)) continue;
        if (r.status === 'applied' || r.status === 'duplicate') {
          markStaffAct(ctx.db, r.id, 'applied', { seq: Number(r.seq) || undefined });
          report.pushed++;
        } else {
          // Refused by the server: shown on the Sync tab; the office's events signed under it will be refused there too.
          markStaffAct(ctx.db, r.id, 'refused', { reason: STAFF_REFUSALS.includes(r.reason as StaffRefusal) ? r.reason : 'payload_invalid' });
          // What it granted or ended here no longer stands: the register is written again from the acts that do.
          rewriteOfficeRegister(ctx.db, pending.find((p) => p.id === r.id)!.office_code);
          report.refused++;
        }
      }
    })();
    if (!value.results.some((r) => ids.has(r.id))) return;
  }
}

async function pullStaff(ctx: ServicesContext, client: SyncClient, report: StaffRoundReport, only?: (office: { code: string; bin: string }) => boolean): Promise<void> {
  const cursors = readSetting<Record<string, string>>(ctx.db, CURSORS_KEY) ?? {};
  for (const office of staffOffices(ctx).filter((o) => !only || only(o))) {
    for (let pages = 0; pages < 1000; pages++) {
      const cursor = cursors[office.code] ?? '0';
      const { value } = await client.json<StaffPullResponse>('GET', `/sync/v1/staff/pull?office=${encodeURIComponent(office.code)}&cursor=${cursor}&limit=200`);
      if (!value || !Array.isArray(value.acts) || typeof value.cursor !== 'string' || !/^\d{1,15}$/.test(value.cursor) || Number(value.cursor) < Number(cursor)) {
        throw new AppError('sync.hostile_answer', { reason: 'malformed' });
      }
      ctx.db.transaction(() => {
        for (const act of value.acts) {
          const seq = Number(act?.seq);
          if (!Number.isInteger(seq) || seq <= Number(cursor) || seq > Number(value.cursor)) throw new AppError('sync.hostile_answer', { reason: 'malformed' });
          const { seq: _seq, ...rest } = act;
          const r = takeStaffAct(ctx, rest, 'server', 'applied', seq);
          if (r.status === 'applied') report.pulled++;
          else if (r.status === 'refused') report.refused++;
        }
        cursors[office.code] = value.cursor;
        writeSetting(ctx.db, CURSORS_KEY, cursors);
      })();
      if (!value.more || value.acts.length === 0) break;
    }
  }
}

/** The staff half of a round: the file's new acts taken, this workstation's acts up, the registers down. */
export async function staffRound(ctx: ServicesContext, client: SyncClient): Promise<StaffRoundReport> {
  const report: StaffRoundReport = { pushed: 0, pulled: 0, refused: 0 };
  importStaffFile(ctx);
  try {
    await pushStaff(ctx, client, report);
    await pullStaff(ctx, client, report);
  } catch (error) {
    if (error instanceof ServerError && error.status === 404) return { ...report, unavailable: true };
    throw error;
  }
  return report;
}

/**
 * The city department's register again, just before the city's reference acts are pulled: an act may have been
 * made since this round began by an administrator whose entry came with it, and it is checked against that entry.
 */
export async function pullCityRegister(ctx: ServicesContext, client: SyncClient, cityBin: string | null): Promise<void> {
  if (!cityBin) return;
  try {
    await pullStaff(ctx, client, { pushed: 0, pulled: 0, refused: 0 }, (office) => office.bin === cityBin);
  } catch (error) {
    if (error instanceof ServerError && error.status === 404) return;
    throw error;
  }
}
