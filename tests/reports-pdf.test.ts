/**
 * The monthly report as a certified PDF: read back with pdftotext (its figures and words in kk and ru), pdfsig
 * finds a valid PAdES signature by the head trusted through the simulated root, openssl verifies the detached .p7s
 * over the final PDF; and the methods' roles as the dispatcher enforces them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServicesContext } from '../electron/services/context';
import type { createDispatcher } from '../electron/services/dispatch';
import { districtReport } from '../electron/services/reports/district';
import { seedReportYear } from '../bench/reports-data';
import { HEAD, makePki, makeWorkstation, tempDir } from './helpers';

type Ok<T> = { ok: true; value: T };
const tmp = tempDir('reports-pdf');
let ctx: ServicesContext;
let dispatch: ReturnType<typeof createDispatcher>;
let pkiDir: string;
const tokens: Record<string, string> = {};
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
const nss = path.join(tmp.dir, 'nss');

beforeAll(async () => {
  const pki = makePki(`${tmp.dir}/pki`);
  pkiDir = pki.dir;
  ({ ctx, dispatch } = makeWorkstation(`${tmp.dir}/data`, pki.dir, () => new Date('2026-12-15T06:00:00.000Z')));
  seedReportYear(ctx.db, { n: 600, year: 2026, today: '2026-12-15', seed: 9 });
  const signIn = async (p12Base64: string) => ((await dispatch({ method: 'session.signIn', input: { p12Base64, password: 'pw' } })) as Ok<{ token: string }>).value.token;
  tokens.head = await signIn(pki.issue({ role: 'head', ...HEAD }));
  tokens.specialist = await signIn(pki.issue());
  tokens.admin = await signIn(pki.issue({ role: 'admin', iin: '820202300009', surname: 'Төлегенов', givenName: 'Болат' }));
  mkdirSync(nss);
  expect(run('certutil', ['-d', `sql:${nss}`, '-N', '--empty-password']).status).toBe(0);
  expect(run('certutil', ['-d', `sql:${nss}`, '-A', '-n', 'jardem-root', '-t', 'C,C,', '-i', path.join(pki.dir, 'root.crt.pem')]).status).toBe(0);
}, 120_000);
afterAll(() => {
  ctx.db.close();
  tmp.remove();
});

const call = (token: string, method: string, input: unknown) => dispatch({ method, input, session: token }) as Promise<{ ok: boolean; value?: never; error?: { code: string; fieldErrors?: Record<string, string> } }>;

describe('the certified report PDF', () => {
  it.each([
    ['ru', ['Поступило заявлений', 'Отказано в приёме (Приложение 20 к Правилам)', 'подпункт 1) пункта 11 Регламента', 'Подписано ЭЦП: Жұмабеков Ерлан']],
    ['kk', ['Түскен өтініштер', 'Қабылдаудан бас тартылды (Ережеге 20-қосымша)', 'Регламенттің 11-тармағының 1) тармақшасы', 'ЭЦҚ-мен қол қойылды: Жұмабеков Ерлан']],
  ] as const)('in %s: reads back with the report’s figures; pdfsig and openssl find it signed by the head', async (language, words) => {
    const r = await call(tokens.head!, 'reports.pdf', { from: '2026-10-01', to: '2026-12-31', language });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    const { pdfBase64, p7sBase64 } = r.value as unknown as { pdfBase64: string; p7sBase64: string };
    const file = path.join(tmp.dir, `report-${language}.pdf`);
    writeFileSync(file, Buffer.from(pdfBase64, 'base64'));
    writeFileSync(`${file}.p7s`, Buffer.from(p7sBase64, 'base64'));
    const text = run('pdftotext', ['-layout', file, '-']).stdout.replace(/[ \t]+/g, ' ');
    const flat = run('pdftotext', [file, '-']).stdout.replace(/\s+/g, ' ');
    for (const w of words) expect(flat, w).toContain(w);
    const report = districtReport(ctx, '2026-10-01', '2026-12-31');
    const line = (label: string) => text.split('\n').find((l) => l.trim().startsWith(label))?.trim();
    const received = language === 'ru' ? 'Поступило заявлений' : 'Түскен өтініштер';
    expect(line(received)).toBe(`${received} ${report.received.district} ${report.received.center} ${report.received.district + report.received.center}`);
    const assigned = language === 'ru' ? 'Пособие назначено' : 'Жәрдемақы тағайындалды';
    expect(line(assigned)).toBe(`${assigned} ${report.assigned.district} ${report.assigned.center} ${report.assigned.district + report.assigned.center}`);
    const sig = run('pdfsig', ['-nssdir', `sql:${nss}`, file]).stdout;
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Certificate is Trusted.');
    expect(sig).toContain('ETSI.CAdES.detached');
    expect(sig).toMatch(/Signer Certificate Common Name: .*Жұмабеков/);
    const cms = run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', file, '-in', `${file}.p7s`, '-CAfile', path.join(pkiDir, 'root.crt.pem'), '-purpose', 'any', '-out', '/dev/null']).stderr;
    expect(cms).toContain('Verification successful');
  });

  it('is the head’s to certify; the lists of cases are the district staff’s; a reversed period is named at its field', async () => {
    expect((await call(tokens.specialist!, 'reports.pdf', { from: '2026-10-01', to: '2026-12-31', language: 'ru' })).error?.code).toBe('forbidden');
    expect((await call(tokens.admin!, 'reports.cases', { from: '2026-10-01', to: '2026-12-31', figure: 'received' })).error?.code).toBe('forbidden');
    expect((await call(tokens.admin!, 'reports.district', { from: '2026-10-01', to: '2026-12-31' })).ok).toBe(true);
    const reversed = await call(tokens.head!, 'reports.district', { from: '2026-12-31', to: '2026-10-01' });
    expect(reversed.error).toMatchObject({ code: 'validation', fieldErrors: { from: 'field.period_reversed' } });
  });
});
