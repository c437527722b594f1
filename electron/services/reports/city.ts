/**
 * The city's figures for the city department's administrator: fetched from the central server over the sync channel,
 * the request signed by this device and, beside it, by the administrator's own key over the request and a fresh
 * time (node/person-proof.ts), so that the server answers the person, not the workstation. The last answer is kept
 * with its time: offline, the screen shows it, marked as such (no screen waits on the network).
 */
import { AppError } from '../../../shared/errors';
import { CITY_REPORT_PATH, cityReportSchema, type CityReport } from '../../../shared/contract/city-report';
import { readSetting, writeSetting } from '../../../db/repositories/settings';
import { signDetached } from '../../../node/pki/cms';
import { PERSON_SIGNATURE_HEADER, signPersonProof } from '../../../node/person-proof';
import type { ServicesContext, Session } from '../context';
import { isCityAdmin } from '../reference-sync';
import { signingKey } from '../session';
import { clientFor, syncState } from '../sync/agent';
import { ServerError } from '../sync/client';

const LAST_KEY = 'cityReportLast';

/** A failure that says the server cannot be reached now (the link, a gateway, no server set up), not a refusal. */
function unreachable(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'sync.not_configured';
  if (error instanceof ServerError) return [502, 503, 504].includes(error.status) && error.code.startsWith('http_');
  return true;
}

async function fetchFromServer(ctx: ServicesContext, session: Session, from: string, to: string): Promise<CityReport> {
  const key = signingKey(ctx, session);
  // Signed at the server's time as this device estimates it, as the device's own signature is (sync/client.ts).
  const at = new Date(ctx.realNow().getTime() - (syncState(ctx).clockOffsetMs ?? 0));
  const pathWithQuery = `${CITY_REPORT_PATH}?${new URLSearchParams({ from, to, at: at.toISOString() }).toString()}`;
  const signature = signPersonProof(pathWithQuery, (content) => signDetached(content, key, at));
  const withPerson: typeof fetch = (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), [PERSON_SIGNATURE_HEADER]: signature } });
  const { client } = clientFor(ctx, withPerson);
  const { value } = await client.json<unknown>('GET', pathWithQuery, undefined, { timeoutMs: 20_000 });
  const answer = cityReportSchema.safeParse(value);
  if (!answer.success) throw new AppError('sync.hostile_answer', { reason: 'city_report' });
  return { ...answer.data, fetchedAt: ctx.realNow().toISOString(), offline: false };
}

/** Every district's figures for [from, to]: from the server when it answers, else the last fetched, marked offline. */
export async function cityReport(ctx: ServicesContext, session: Session, from: string, to: string): Promise<CityReport> {
  // Only the city department's administrator reads the whole city (the contract lets in role admin; here, whose).
  if (!isCityAdmin(ctx, session)) throw new AppError('reports.not_city_admin');
  try {
    const report = await fetchFromServer(ctx, session, from, to);
    writeSetting(ctx.db, LAST_KEY, report);
    return report;
  } catch (error) {
    if (error instanceof ServerError) {
      if (error.code === 'reports.not_city_admin') throw new AppError('reports.not_city_admin');
      if (error.code === 'reports.person_time') throw new AppError('reports.city_clock');
      if (!unreachable(error)) throw new AppError('reports.city_refused', { reason: error.code });
    }
    if (!unreachable(error)) throw error;
    const last = readSetting<CityReport>(ctx.db, LAST_KEY);
    if (!last) throw new AppError('reports.city_never_fetched');
    return { ...last, offline: true };
  }
}
