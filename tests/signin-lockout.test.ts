/**
 * The sign-in lockout counts guesses per key, not per file's bytes: the same key re-wrapped into another PKCS#12 file
 * without the password (its MAC dropped, an empty ContentInfo added, the parts reordered, the certificates left out)
 * shares one count with the original, so ten guesses spread over such copies lock it as five on one file do. For a
 * file whose certificates travel unencrypted (the demo PKI's, as node-forge writes them) and for one whose
 * certificates are encrypted too (as OpenSSL 3 writes them). And the count is the key's, not its certificate's: a
 * file of someone's certificates alone does not lock them. Real key files, a real SQLite file, a restart.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { makePki, makeWorkstation, nthIin, tempDir } from './helpers';

const tmp = tempDir('lockout');
const pki = makePki(path.join(tmp.dir, 'pki'));
afterAll(() => tmp.remove());

type Asn1 = forge.asn1.Asn1;
const { asn1 } = forge;
const der = (b: Buffer) => asn1.fromDer(forge.util.createBuffer(b.toString('binary')), true);
const bytes = (a: Asn1) => Buffer.from(asn1.toDer(a).getBytes(), 'binary');

/**
 * A copy of a PKCS#12 file re-wrapped without its password: its ContentInfos (the AuthenticatedSafe inside the
 * outer data) changed by `change`, and no MAC (a MAC over changed contents fails for every password; without one,
 * the file is judged by decryption alone, as a PFX without a MAC may be).
 */
function rewrapped(p12: Buffer, change: (infos: Asn1[]) => Asn1[]): Buffer {
  const pfx = der(p12);
  const [version, authSafe] = pfx.value as Asn1[];
  const octets = ((authSafe!.value as Asn1[])[1]!.value as Asn1[])[0]!;
  const infos = der(Buffer.from(octets.value as string, 'binary'));
  const changed = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, change(infos.value as Asn1[]));
  octets.value = asn1.toDer(changed).getBytes();
  return bytes(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [version!, authSafe!]));
}
const emptyData = () =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(forge.pki.oids.data!).getBytes()),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [])).getBytes())]),
  ]);
/** The ContentInfo that holds the private key: the last one, in both node-forge's and OpenSSL's layout. */
const copies = (p12: Buffer) => ({
  'without its MAC': rewrapped(p12, (infos) => infos),
  'with an extra empty ContentInfo': rewrapped(p12, (infos) => [...infos, emptyData()]),
  'with its parts reordered': rewrapped(p12, (infos) => [...infos].reverse()),
  'without its certificates': rewrapped(p12, (infos) => infos.slice(-1)),
});

/** The same key exported again by OpenSSL 3 with the same password: its certificates encrypted as well. */
function openSslExport(p12: Buffer, name: string): Buffer {
  const [file, pem, out] = ['p12', 'pem', 'out.p12'].map((ext) => path.join(tmp.dir, `${name}.${ext}`)) as [string, string, string];
  writeFileSync(file, p12);
  execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:pw', '-nodes', '-out', pem]);
  execFileSync('openssl', ['pkcs12', '-export', '-in', pem, '-passout', 'pass:pw', '-certpbe', 'AES-256-CBC', '-keypbe', 'AES-256-CBC', '-out', out]);
  // Its certificates are in an encrypted ContentInfo: nothing of the file names the key without the password but ciphertext.
  const info = spawnSync('openssl', ['pkcs12', '-info', '-in', out, '-passin', 'pass:pw', '-noout'], { encoding: 'utf8' });
  expect(info.stdout + info.stderr).toContain('PKCS7 Encrypted data');
  return readFileSync(out);
}

function station(name: string) {
  let now = Date.now();
  const ws = makeWorkstation(path.join(tmp.dir, name), pki.dir, () => new Date(now));
  const signIn = async (p12: Buffer, password: string) => (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: p12.toString('base64'), password } })) as { ok: boolean; error?: { code: string; params?: { seconds?: number } } };
  return { ws, signIn, tick: (ms: number) => (now += ms), now: () => now };
}

describe('the lockout counts per key, whatever file it is wrapped in', () => {
  for (const layout of ['certificates unencrypted (node-forge)', 'certificates encrypted too (OpenSSL 3)'] as const) {
    it(`ten guesses over re-wrapped copies of one key lock it: ${layout}`, async () => {
      const issued = Buffer.from(pki.issue(), 'base64');
      const original = layout.startsWith('certificates unencrypted') ? issued : openSslExport(issued, 'exported');
      const variants = copies(original);
      // Each copy is the key itself: with the password, each opens (the one without certificates says so).
      const open = station(`open-${layout.length}`);
      for (const [what, p12] of Object.entries(variants)) {
        const r = await open.signIn(p12, 'pw');
        expect(r.ok || r.error?.code === 'signin.no_certificate', `${what}: ${JSON.stringify(r.error)}`).toBe(true);
      }
      open.ws.ctx.db.close();

      // Ten guesses, spread over the copies: the fifth wrong one locks the key for a minute, the rest find it locked.
      const s = station(`guess-${layout.length}`);
      const spread = Object.values(variants);
      const answers: string[] = [];
      for (let i = 0; i < 10; i++) answers.push((await s.signIn(spread[i % spread.length]!, `guess-${i}`)).error!.code);
      expect(answers).toEqual([...Array(4).fill('signin.wrong_password'), ...Array(6).fill('signin.locked')]);
      // The original file, and every copy, waits too, with the right password; and after a restart (the count is in
      // the database, as a kill -9 leaves it).
      expect(await s.signIn(original, 'pw')).toMatchObject({ ok: false, error: { code: 'signin.locked' } });
      const restarted = createContext({ dataDir: s.ws.ctx.dataDir, appVersion: 'test', now: () => new Date(s.now()) });
      for (const p12 of [original, ...spread]) {
        expect(await createDispatcher(restarted)({ method: 'session.signIn', input: { p12Base64: p12.toString('base64'), password: 'pw' } })).toMatchObject({ ok: false, error: { code: 'signin.locked' } });
      }
      restarted.db.close();
      // Another person's key, whose file carries the same CA certificates, is not locked by this one's.
      const other = Buffer.from(pki.issue({ iin: nthIin('870303', 4, 1), surname: 'Басқа', givenName: 'Адам' }), 'base64');
      expect((await s.signIn(layout.startsWith('certificates unencrypted') ? other : openSslExport(other, 'other'), 'pw')).ok).toBe(true);
      // Once the minute is over, the right password opens it (and starts the count again from none).
      s.tick(61_000);
      expect((await s.signIn(original, 'pw')).ok).toBe(true);
      s.ws.ctx.db.close();
    });
  }

  it('a file that carries a person’s certificate but not their key’s ciphertext does not lock them', async () => {
    // The certificates travel with every act a person signs: a file of them alone, guessed at, is not that person's key.
    const victim = Buffer.from(pki.issue({ iin: nthIin('880808', 4, 2), surname: 'Жәбірленуші', givenName: 'Айна' }), 'base64');
    const certificatesOnly = rewrapped(victim, (infos) => infos.slice(0, -1));
    const s = station('certificate-only');
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push((await s.signIn(certificatesOnly, `guess-${i}`)).error!.code);
    expect(answers).toEqual([...Array(4).fill('signin.wrong_password'), ...Array(2).fill('signin.locked')]);
    expect((await s.signIn(victim, 'pw')).ok).toBe(true);
    s.ws.ctx.db.close();
  });
});

