/**
 * The counter's intake through the contract (item 11.1 stages 1–3), for the specs whose subject comes after it:
 * the intake specs and the first decision walk click it (./intake-steps.ts). The family is the server simulator's
 * registry family at `index` (seed 42, 300 families: `families()` lists its first twenty in the same order).
 */
import { readFileSync } from 'node:fs';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { documentPage, familyApplication, REQUIRED_SCANS } from '../tests/family-application';
import { expect, rpc, type Host, type Pki } from './fixtures';

export const registry = generateRegistry(42, 300);

/** A session of its own beside the screen's, as the contract's callers have. */
export async function sessionOf(host: Host, key: string, password: string): Promise<string> {
  return (await rpc<{ token: string }>(host, 'session.signIn', { p12Base64: readFileSync(key).toString('base64'), password })).token;
}

/**
 * The applicant registered, the application as the family declares it, the item 13 scans (less `without`), and the
 * information systems' answers in. The scan is returned for the pages the caller adds.
 */
export async function intakeThroughContract(host: Host, token: string, index: number, opts: { language?: 'kk' | 'ru'; without?: readonly string[] } = {}) {
  const f = registry.families[index]!;
  const a = registry.persons.get(f.applicant)!;
  const c = (await rpc<{ case: { id: string; caseNumber: string } }>(host, 'cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: registry.addresses.get(f.applicant)!, phone: '+77015551234', docLanguage: opts.language ?? 'ru' }, token)).case;
  await rpc(host, 'application.record', familyApplication(registry, index, c.id), token);
  const scan = await documentPage();
  for (const kind of REQUIRED_SCANS.filter((k) => !opts.without?.includes(k))) await rpc(host, 'pages.import', { caseId: c.id, documentKind: kind, fileName: `${kind}.png`, base64: scan }, token);
  await rpc(host, 'intake.requestChecks', { caseId: c.id }, token);
  await expect.poll(async () => (await rpc<{ requests: { status: string }[] }>(host, 'intake.status', { caseId: c.id }, token)).requests[0]?.status, { timeout: 30_000 }).toBe('answered');
  return { ...c, scan };
}

/** The district specialist's intake through the contract: accepted and registered in the journal. */
export async function registeredThroughContract(host: Host, pki: Pki, index: number) {
  const token = await sessionOf(host, pki.specialistKey, pki.specialistPassword);
  const c = await intakeThroughContract(host, token, index);
  await rpc(host, 'intake.accept', { caseId: c.id }, token);
  await rpc(host, 'journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [] }, token);
  return c;
}
