/** The information-system simulator in-process (real Fastify on a free port), and families it knows. */
import sharp from 'sharp';
import type { AddressInfo } from 'node:net';
import { issueGatewayCertificate } from '../node/pki/machine-certs';
import { writeSetting } from '../db/repositories/settings';
import type { ServicesContext } from '../electron/services/context';
import { buildSimulator, type SimulatorOptions } from '../server/src/is-simulator/app';
import { generateRegistry, type Registry } from '../server/src/is-simulator/registry';
import { sendDueRequests } from '../electron/services/information-systems';
import type { CasePage, RegisterResult } from '../shared/contract/types';
import path from 'node:path';
import { makePki, makeWorkstation, type tempDir } from './helpers';
import { documentPage, familyApplication, REQUIRED_SCANS } from './family-application';

export { documentPage, familyApplication, REQUIRED_SCANS };

export async function startSimulator(pkiDir: string, fault: SimulatorOptions['fault'] = null, port = 0, families = 20) {
  const gateway = issueGatewayCertificate({ dir: pkiDir, name: 'IS gateway (test)' });
  const registry = generateRegistry(7, families);
  /** The request id of every request the simulator received. */
  const seen: string[] = [];
  const app = buildSimulator({ registry, signer: { privateKeyPem: gateway.keyPem, chainPem: [gateway.certPem, ...gateway.chainPem] }, gateway: 'test', fault });
  app.addHook('preHandler', async (request) => {
    if (request.method === 'POST') seen.push((request.body as { requestId?: string }).requestId ?? '');
  });
  await app.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { url, registry, app, posts: seen, close: () => app.close() };
}

export function useGateway(ctx: ServicesContext, url: string) {
  writeSetting(ctx.db, 'informationSystems', { url });
}


/**
 * A registry family accepted at the counter (item 11.1 stages 1–2), through the services as a specialist would:
 * applicant, application, the required scans plus one blank page (flagged), checks answered, accepted.
 * `ok` calls a method with the signed-in session and throws on an error.
 */
export async function acceptedCase(ok: <T>(method: string, input: unknown) => Promise<T>, ctx: ServicesContext, registry: Registry, index: number, docLanguage: 'kk' | 'ru' = 'kk') {
  const a = registry.persons.get(registry.families[index]!.applicant)!;
  const c = (await ok<RegisterResult>('cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: 'Алматы', phone: '+77015551234', docLanguage })).case;
  await ok('application.record', familyApplication(registry, index, c.id));
  const page = await documentPage();
  for (const kind of REQUIRED_SCANS) await ok('pages.import', { caseId: c.id, documentKind: kind, fileName: `${kind}.png`, base64: page });
  const blank = (await sharp({ create: { width: 1654, height: 2339, channels: 3, background: '#fff' } }).withMetadata({ density: 200 }).png().toBuffer()).toString('base64');
  const flagged = (await ok<{ pages: CasePage[] }>('pages.import', { caseId: c.id, documentKind: 'family_income_form', fileName: 'blank.png', base64: blank })).pages[0]!;
  await ok('intake.requestChecks', { caseId: c.id });
  await sendDueRequests(ctx);
  await ok('intake.accept', { caseId: c.id });
  return { c, flagged };
}

/**
 * A counter workstation for service tests: its own SQLite file and simulated PKI in `tmp`, the information-system
 * simulator (`families` of them) as its gateway, and `signIn` for any key. `close` stops and removes it all.
 */
export async function counterWorkstation(tmp: ReturnType<typeof tempDir>, opts: { now?: () => Date; families?: number } = {}) {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  const ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir, opts.now);
  const sim = await startSimulator(pki.dir, null, 0, opts.families);
  useGateway(ws.ctx, sim.url);
  const signIn = async (p12Base64: string): Promise<string> => {
    const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64, password: 'pw' } })) as { ok: boolean; value?: { token: string }; error?: unknown };
    if (!r.ok) throw new Error(`session.signIn: ${JSON.stringify(r.error)}`);
    return r.value!.token;
  };
  const close = async () => {
    await sim.close();
    ws.ctx.db.close();
    tmp.remove();
  };
  return { pki, ws, sim, signIn, close };
}

/** The demo clock moved N days ahead (0: today) by the administrator, who alone may. */
const admins = new WeakMap<object, string>();
export async function moveClock(counter: Awaited<ReturnType<typeof counterWorkstation>>, days: number) {
  let token = admins.get(counter);
  if (!token) admins.set(counter, (token = await counter.signIn(counter.pki.issue({ role: 'admin', iin: '820202300009', surname: 'Төлегенов', givenName: 'Болат', patronymic: 'Маратұлы' }))));
  const r = (await counter.ws.dispatch({ method: 'demo.timeTravel', input: { days }, session: token })) as { ok: boolean; error?: unknown };
  if (!r.ok) throw new Error(`demo.timeTravel: ${JSON.stringify(r.error)}`);
}
