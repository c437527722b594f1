/**
 * The city's figures for the city department's administrator, on the sync channel: the device signs the request as
 * for sync (server/src/sync/routes.ts authenticates every /sync/v1/ request), and the person at it proves who they
 * are with their own key's signature over the request's path and a fresh time (node/person-proof.ts). Only an
 * administrator (role admin) of the city department is answered; every other person gets 403
 * `reports.not_city_admin`. The answer is aggregates per district office, never a person's data.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { calendarDay } from '../../../shared/contract/calendar-day';
import { CITY_REPORT_PATH, type CityReportAnswer } from '../../../shared/contract/city-report';
import { officeDate, officeDayStart } from '../../../shared/local-date';
import { PERSON_SIGNATURE_HEADER, verifyPersonProof } from '../../../node/person-proof';
import type { Store } from '../store';
import type { ServerTrust } from '../trust';
import { HttpError } from '../sync/routes';
import { cityDeadlines, cityFigures, cityOffice, districtOffices } from './store';
import { officeStaff } from '../store/staff';
import { takeStaffFile } from '../staff/register';
import { rolesHeld } from '../../../shared/contract/staff-protocol';

const query = z.object({ from: calendarDay, to: calendarDay, at: z.string().max(40) }).refine((p) => p.from <= p.to, { path: ['from'] });

/** The day after `day` (YYYY-MM-DD). */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

const REFUSAL_STATUS = { person_signature: 401, person_time: 401, person_untrusted: 403, person_revoked: 403 } as const;

export function cityReportRoutes(app: FastifyInstance, deps: { store: Store; trust: ServerTrust; now?: () => Date }) {
  const { store, trust } = deps;
  const now = deps.now ?? (() => new Date());

  app.get(CITY_REPORT_PATH, async (request: FastifyRequest): Promise<CityReportAnswer> => {
    const q = query.safeParse(request.query);
    if (!q.success) throw new HttpError(400, 'sync.bad_request', { path: q.error.issues[0]?.path.join('.') ?? '' });
    const signature = request.headers[PERSON_SIGNATURE_HEADER];
    // The person signed this very path and query, the time among its parameters.
    const proof = verifyPersonProof({ pathWithQuery: request.url, signatureBase64: typeof signature === 'string' ? signature : undefined, signedAt: q.data.at, trust: trust.store(), now: now() });
    if (!proof.ok) throw new HttpError(REFUSAL_STATUS[proof.reason], `reports.${proof.reason}`);
    const city = await cityOffice(store);
    // The city department's staff register decides who its administrator is, not the certificate's role marks.
    await takeStaffFile(store, trust);
    const held = city ? rolesHeld(await officeStaff(store, city.code), proof.person.iin, officeDate(now())) : [];
    if (!city || proof.person.officeBin !== city.bin || !held.includes('admin')) throw new HttpError(403, 'reports.not_city_admin');
    const { from, to } = q.data;
    const fromAt = officeDayStart(from).toISOString();
    const toAt = officeDayStart(nextDay(to)).toISOString();
    const [offices, figures, deadlines] = await Promise.all([districtOffices(store), cityFigures(store, fromAt, toAt), cityDeadlines(store, from, to, officeDate(now()))]);
    const byOffice = new Map(figures.map((f) => [f.office, f]));
    return {
      from,
      to,
      computedAt: now().toISOString(),
      districts: offices.map((o) => {
        const f = byOffice.get(o.code);
        const d = deadlines.get(o.code);
        return {
          office: o.code,
          nameKk: o.nameKk,
          nameRu: o.nameRu,
          received: f?.received ?? 0,
          assigned: f?.assigned ?? 0,
          refused: f?.refused ?? 0,
          refusedToAccept: f?.refusedToAccept ?? 0,
          deadlinesMissed: d?.missed ?? 0,
          deadlinesOverdue: d?.overdue ?? 0,
          open: f?.open ?? 0,
        };
      }),
    };
  });
}
