/**
 * The offices' staff registers: endpoints beside the office's sync, behind the same device signature. A workstation
 * pushes its administrator's acts (and those it read from a staff acts file), and pulls, by a cursor per office, the
 * registers of the offices whose people act on its cases: its own, the Centers that serve it (or, for a Center, the
 * districts it serves) and the city department.
 */
import type { FastifyInstance } from 'fastify';
import { staffActSchema, staffPushRequestSchema, type StaffPullResponse, type StaffPushResult } from '../../../shared/contract/staff-protocol';
import { SYNC_PROTOCOL } from '../../../shared/contract/sync-protocol';
import type { Store } from '../store';
import { officeRow, staffActsAfter } from '../store/staff';
import type { ServerTrust } from '../trust';
import { HttpError } from '../sync/routes';
import { takeStaffAct, takeStaffFile } from './register';

/** Whether a device of office `own` may read `other`'s register. */
async function mayRead(store: Store, own: string, other: string): Promise<boolean> {
  if (own === other) return true;
  const [mine, theirs] = await Promise.all([officeRow(store, own), officeRow(store, other)]);
  if (!mine || !theirs) return false;
  return theirs.kind === 'city' || (theirs.kind === 'center' && theirs.serves.includes(own)) || (mine.kind === 'center' && mine.serves.includes(other));
}

export function staffRoutes(app: FastifyInstance, deps: { store: Store; trust: ServerTrust }) {
  const { store, trust } = deps;

  app.post('/sync/v1/staff/push', async (request): Promise<{ protocol: number; results: StaffPushResult[] }> => {
    const r = staffPushRequestSchema.safeParse(request.body);
    if (!r.success) throw new HttpError(400, 'sync.bad_request', { path: r.error.issues[0]?.path.join('.') ?? '' });
    await takeStaffFile(store, trust);
    const device = request.device!;
    const results: StaffPushResult[] = [];
    for (const act of r.data.acts) {
      const out = await takeStaffAct(store, trust, act, `${device.officeCode}/${device.workstationCode}`);
      results.push(out.status === 'refused' ? { id: act.id, status: 'refused', reason: out.reason } : { id: act.id, status: out.status, seq: out.seq });
    }
    return { protocol: SYNC_PROTOCOL, results };
  });

  app.get('/sync/v1/staff/pull', async (request): Promise<StaffPullResponse> => {
    const q = request.query as { office?: string; cursor?: string; limit?: string };
    const office = q.office ?? '';
    if (!/^[A-Z0-9-]{2,16}$/.test(office)) throw new HttpError(400, 'sync.bad_request', { path: 'office' });
    const cursor = /^\d{1,15}$/.test(q.cursor ?? '0') ? Number(q.cursor ?? 0) : NaN;
    if (!Number.isFinite(cursor)) throw new HttpError(400, 'sync.bad_request', { path: 'cursor' });
    if (!(await mayRead(store, request.device!.officeCode, office))) throw new HttpError(400, 'sync.bad_request', { path: 'office' });
    await takeStaffFile(store, trust);
    const limit = Math.min(Math.max(Number(q.limit ?? 200) || 200, 1), 500);
    const rows = await staffActsAfter(store, office, cursor, limit + 1);
    const acts = rows.slice(0, limit).map((row) => ({ ...staffActSchema.parse(JSON.parse(row.act)), seq: row.seq }));
    return { protocol: SYNC_PROTOCOL, office, cursor: String(acts.at(-1)?.seq ?? cursor), acts, more: rows.length > limit };
  });
}
