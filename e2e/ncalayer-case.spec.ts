/**
 * A district case carried through NCALayer: the specialist and the head sign in through the NCALayer-protocol
 * simulator (their AUTH keys) and every act, from the registration to the handed-over notification, is signed there
 * by their RSA256_… keys (PDF forms by hash: JARDEM_NCALAYER_HASH_FROM_BYTES). After each act, with the case open,
 * the case screen (told by the services, checking only what is new) says *verified* for the case as it now is. The
 * workstation syncs with a real server, which accepts every event; openssl verifies the head's signature over the
 * decision's event.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { SearchResult } from '../shared/contract/types';
import type { SyncProblems, SyncStatusView } from '../shared/contract/types-network';
import { eventCanonical } from '../shared/events/event';
import { openDatabase } from '../db/open';
import { caseLog, toSignedEvent } from '../db/repositories/events';
import { openKeyFile } from '../node/pki/keyfile';
import { expect, rpc, stop, test } from './fixtures';
import { saysVerified, walkDistrictCase, watcher } from './district-case-steps';
import { families, useSaneScanner } from './intake-steps';
import { signInThroughNcalayer, startSimFor, type Sim, type SimPerson } from './ncalayer-sim';

const SPECIALIST: SimPerson = { iin: '900512400018', surname: 'Сейітқали', given: 'Әйгерім', patronymic: 'Нұрланқызы', role: 'specialist', password: 'Nca-111' };
const HEAD: SimPerson = { iin: '780304300003', surname: 'Жұмабеков', given: 'Ерлан', patronymic: 'Серікұлы', role: 'head', password: 'Nca-222' };

const it = test.extend<{ sim: Sim & { keysDir: string } }>({
  sim: async ({ pki }, use, info) => {
    const keysDir = mkdtempSync(path.join(os.tmpdir(), 'jardem-ncalayer-keys-'));
    const sim = await startSimFor(pki.dir, keysDir, 5590 + info.workerIndex, [SPECIALIST, HEAD]);
    await use({ ...sim, keysDir });
    await stop(sim.child);
    rmSync(keysDir, { recursive: true, force: true });
  },
  // The forms (PDF, tens of kilobytes) go to NCALayer by their hash, as large content does.
  hostEnv: async ({ sim }, use) => use({ JARDEM_NCALAYER_URL: sim.url, JARDEM_NCALAYER_CA: sim.caFile, JARDEM_NCALAYER_HASH_FROM_BYTES: '32768' }),
});
it.use({ informationSystems: true });
it.setTimeout(600_000);

/** The certificate of a person's key in the simulator (only the simulator holds its private key). */
function simCertificate(sim: { keysDir: string }, p: SimPerson, file: string): string {
  const opened = openKeyFile(readFileSync(path.join(sim.keysDir, `${file}${p.iin}.p12`)), p.password);
  return new X509Certificate(opened.chainPem[0]!).fingerprint256.replace(/:/g, '').toLowerCase();
}

it('a district case signed act by act through NCALayer, verified after every act, accepted by the server, checked by openssl', async ({ page, host, pki, sim }) => {
  const family = (await families(host)).find((f) => f.children.length === 1)!;
  useSaneScanner(host);
  await signInThroughNcalayer(page, host, sim, SPECIALIST.iin);
  await expect(page.getByText('Всего дел: 0')).toBeVisible();
  // A reader of the case beside the screen, with the specialist's file key: how many events the case has now.
  const w = await watcher(host, pki.specialistKey, pki.specialistPassword);
  let watched: string | null = null;
  const count = async () => w.events((watched ??= await w.caseOf(family.applicant.iin)));
  await walkDistrictCase(page, family, {
    after: (view, tab, what) => saysVerified(view, count, tab, what),
    signInAs: (who) => signInThroughNcalayer(page, host, sim, who === 'head' ? HEAD.iin : SPECIALIST.iin),
  });

  // Every event of the case is signed by the specialist's or the head's RSA256_… key in the simulator.
  const token = w.token;
  const caseId = (await rpc<SearchResult>(host, 'cases.search', { query: family.applicant.iin }, token)).items[0]!.id;
  const db = openDatabase(path.join(host.dataDir, 'jardem.sqlite'), { readonly: true });
  const events = caseLog(db, caseId).map(toSignedEvent);
  db.close();
  const signing = new Set([simCertificate(sim, SPECIALIST, 'RSA256_'), simCertificate(sim, HEAD, 'RSA256_')]);
  expect(signing.has(simCertificate(sim, SPECIALIST, 'AUTH_RSA256_'))).toBe(false);
  expect(events.map((e) => e.type)).toContain('decision.signed');
  expect(events.filter((e) => !signing.has(e.actor.certSha256)).map((e) => e.type)).toEqual([]);

  // The server accepted every one of them: nothing waits, nothing refused or held.
  await expect.poll(async () => {
    await rpc(host, 'sync.now', {}, token);
    return (await rpc<SyncStatusView>(host, 'sync.status', {}, token)).waiting;
  }, { timeout: 60_000 }).toBe(0);
  const problems = await rpc<SyncProblems>(host, 'sync.problems', {}, token);
  expect(problems.refused).toEqual([]);
  expect(problems.held).toEqual([]);

  // openssl checks the head's signature over the decision's event against the PKI's root.
  const decision = events.find((e) => e.type === 'decision.signed')!;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-ncalayer-cms-'));
  try {
    writeFileSync(path.join(tmp, 'event.json'), eventCanonical(decision));
    writeFileSync(path.join(tmp, 'event.p7s'), decision.signature);
    const openssl = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(tmp, 'event.p7s'), '-content', path.join(tmp, 'event.json'), '-CAfile', path.join(pki.dir, 'root.crt.pem'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
    expect(openssl.stderr).toContain('Verification successful');
    expect(decision.actor.certSha256).toBe(simCertificate(sim, HEAD, 'RSA256_'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
