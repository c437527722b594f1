/**
 * Reference data from the center: the endpoints beside the office's sync, behind the same device
 * signature (server/src/sync/routes.ts authenticates every /sync/v1/ request). A reference act is accepted only if
 * it verifies and is signed by an administrator of the city department (node/reference-acts.ts); it is stored in
 * the reference table in an order of its own, and every workstation of the city pulls it by a second cursor in the
 * same sync round. The CRL the PKI publishes is put into the same order by the server itself (verified by the CA's
 * signature), so a revocation reaches every workstation at its next sync.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { referenceActSchema, referencePushRequestSchema, type PulledReferenceAct, type ReferencePullResponse, type ReferencePushResponse, type ReferencePushResult } from '../../../shared/contract/reference-protocol';
import { SYNC_PROTOCOL } from '../../../shared/contract/sync-protocol';
import { checkReferenceAct, crlReferenceAct } from '../../../node/reference-acts';
import { loadCrl } from '../../../node/pki/crl';
import type { Store } from '../store';
import type { ServerTrust } from '../trust';
import { HttpError } from '../sync/routes';
import { officeStaff } from '../store/staff';
import { appendReferenceAct, cityOffice, referenceActsAfter } from '../store/reference-acts';
import { takeStaffFile } from '../staff/register';
import { rolesHeld } from '../../../shared/contract/staff-protocol';

export function referenceRoutes(app: FastifyInstance, deps: { store: Store; trust: ServerTrust; now?: () => Date }) {
  const { store, trust } = deps;
  const now = deps.now ?? (() => new Date());
  let publishedCrl = '';

  /** The PKI's current CRL into the reference order, once per distinct CRL (checked by the CA's signature). */
  const publishCrl = async () => {
    const pem = trust.crlPem?.() ?? null;
    if (!pem) return;
    const sha = createHash('sha256').update(pem).digest('hex');
    if (sha === publishedCrl) return;
    const crl = loadCrl(pem, trust.store().intermediates);
    if (!crl) {
      console.error('[server] the PKI folder\'s crl.pem is not signed by the issuing CA: not published');
      return;
    }
    await appendReferenceAct(store, crlReferenceAct(pem, crl), 'pki');
    publishedCrl = sha;
  };

  app.post('/sync/v1/reference/push', async (request): Promise<ReferencePushResponse> => {
    const r = referencePushRequestSchema.safeParse(request.body);
    if (!r.success) throw new HttpError(400, 'sync.bad_request', { path: r.error.issues[0]?.path.join('.') ?? '' });
    const device = request.device!;
    const city = await cityOffice(store);
    const bin = city?.bin ?? null;
    // The city department's staff register decides who its administrator was on each act's day.
    await takeStaffFile(store, trust);
    const cityRegister = city ? await officeStaff(store, city.code) : [];
    const isCityAdminOn = (iin: string, day: string) => rolesHeld(cityRegister, iin, day).includes('admin');
    const results: ReferencePushResult[] = [];
    for (const act of r.data.acts) {
      // A CRL comes from the PKI's folder only; a workstation never pushes one.
      if (act.kind === 'crl') {
        results.push({ id: act.id, status: 'refused', reason: 'crl_not_pushed' });
        continue;
      }
      const checked = checkReferenceAct(act, trust.store(), bin, isCityAdminOn);
      if (!checked.ok) {
        results.push({ id: act.id, status: 'refused', reason: checked.reason });
        continue;
      }
      const { refSeq, fresh } = await appendReferenceAct(store, act, `${device.officeCode}/${device.workstationCode}`);
      results.push({ id: act.id, status: fresh ? 'applied' : 'duplicate', refSeq });
    }
    return { protocol: SYNC_PROTOCOL, serverTime: now().toISOString(), results };
  });

  app.get('/sync/v1/reference/pull', async (request): Promise<ReferencePullResponse> => {
    const q = request.query as { cursor?: string; limit?: string };
    const cursor = /^\d{1,15}$/.test(q.cursor ?? '0') ? Number(q.cursor ?? 0) : NaN;
    if (!Number.isFinite(cursor)) throw new HttpError(400, 'sync.bad_request', { path: 'cursor' });
    const limit = Math.min(Math.max(Number(q.limit ?? 200) || 200, 1), 500);
    await publishCrl();
    const rows = await referenceActsAfter(store, cursor, limit + 1);
    const acts: PulledReferenceAct[] = rows.slice(0, limit).map((row) => ({ ...referenceActSchema.parse(JSON.parse(row.act)), refSeq: Number(row.ref_seq) }));
    return { protocol: SYNC_PROTOCOL, serverTime: now().toISOString(), cursor: String(acts.at(-1)?.refSeq ?? cursor), acts, more: rows.length > limit };
  });
}
