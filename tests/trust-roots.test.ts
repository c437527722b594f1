/**
 * An administrator adds a trusted root: shown by its SHA-256 fingerprint (as openssl prints it), added only when the
 * fingerprint is confirmed, refused by name when its key is GOST, and a key of that root then signs in.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors';
import { describeRoot } from '../node/pki/trust-roots';
import { addTrustRoot } from '../electron/services/trust-roots';
import { DATA_FILES } from '../electron/services/data-files';
import { gostRoot, makePki, makeWorkstation, tempDir } from './helpers';

const tmp = tempDir('trust-roots');
let pki: ReturnType<typeof makePki>;
let other: ReturnType<typeof makePki>;
let ws: ReturnType<typeof makeWorkstation>;

beforeAll(() => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  other = makePki(path.join(tmp.dir, 'other'));
  ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir);
});
afterAll(() => {
  ws.ctx.db.close();
  tmp.remove();
});

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, params: error.params };
    throw error;
  }
  return { code: 'accepted', params: undefined };
};

describe('trusted roots added by the administrator', () => {
  it('shows the fingerprint openssl prints, adds the root only when it is confirmed, and its keys then sign in', async () => {
    const rootPem = readFileSync(path.join(other.dir, 'root.crt.pem'), 'utf8');
    const byOpenssl = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', path.join(other.dir, 'root.crt.pem')], { encoding: 'utf8' });
    const shown = describeRoot(rootPem);
    expect(byOpenssl.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()).toBe(shown.sha256);

    // The person is in the office's staff register (granted there by its administrator): only their key's root is new.
    pki.issue();
    const signIn = () => ws.dispatch({ method: 'session.signIn', input: { p12Base64: other.issue(), password: 'pw' } });
    const before = await signIn();
    expect(before.ok ? 'ok' : before.error.code).toBe('signin.unknown_ca');

    const rootsFile = path.join(ws.ctx.dataDir, DATA_FILES.roots);
    const unchanged = readFileSync(rootsFile, 'utf8');
    const wrong = refusal(() => addTrustRoot(ws.ctx.dataDir, rootPem, '00'.repeat(32)));
    expect(wrong).toEqual({ code: 'trust.fingerprint_mismatch', params: { sha256: shown.sha256 } });
    expect(readFileSync(rootsFile, 'utf8')).toBe(unchanged);

    // Pasted with colons and in capitals, as openssl prints it.
    expect(addTrustRoot(ws.ctx.dataDir, rootPem, byOpenssl.split('=')[1]!.trim()).added).toBe(true);
    expect(addTrustRoot(ws.ctx.dataDir, rootPem, shown.sha256).added).toBe(false);
    const after = await signIn();
    expect(after.ok ? 'ok' : after.error.code).toBe('ok');
  });

  it('refuses a GOST root naming the algorithm, an intermediate and what is no certificate', () => {
    const gost = refusal(() => describeRoot(gostRoot(readFileSync(path.join(other.dir, 'root.crt.pem'), 'utf8'))));
    expect(gost.code).toBe('trust.unsupported_algorithm');
    expect(String(gost.params?.algorithm)).toContain('GOST 34.310-2004');
    expect(refusal(() => describeRoot(readFileSync(path.join(other.dir, 'issuing.crt.pem'), 'utf8'))).code).toBe('trust.not_root');
    expect(refusal(() => describeRoot('not a certificate')).code).toBe('trust.not_certificate');
  });
});
