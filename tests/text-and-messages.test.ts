import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, foldName } from '../shared/text';
import { LANGUAGES, messages, errorMessage } from '../shared/i18n/messages';
import type { ErrorCode } from '../shared/errors';

describe('foldName', () => {
  it('folds Cyrillic and every Kazakh letter, which SQLite LIKE does not', () => {
    expect(foldName('ӘҒҚҢӨҰҮҺІ')).toBe('әғқңөұүһі');
    expect(foldName('  Әбілқайыров   Нұрсұлтан ')).toBe('әбілқайыров нұрсұлтан');
    expect(foldName('Семёнов')).toBe(foldName('СЕМЕНОВ'));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"x":2,"y":1}]},"b":1}');
  });

  it('writes every value exactly as the form the signed events were hashed in (keys in UTF-16 order, Kazakh and astral keys too)', () => {
    // The form events were signed in: every stored hash depends on it staying byte for byte the same.
    const signedForm = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value);
      if (Array.isArray(value)) return `[${value.map(signedForm).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${signedForm(v)}`).join(',')}}`;
    };
    const key = fc.oneof(fc.string(), fc.constantFrom('Ә', 'ә', 'а', 'Z', 'a', '10', '9', '\u{1F600}', 'ﬀ', ''));
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.constant(undefined), tie('array'), tie('object')),
      array: fc.array(tie('any'), { maxLength: 5 }),
      object: fc.dictionary(key, tie('any'), { maxKeys: 6 }),
    })).any;
    fc.assert(fc.property(value, (v) => canonicalJson(v) === signedForm(v)), { numRuns: 2000, seed: 20261206 });
  });
});

describe('message catalogs', () => {
  it('have the same keys in Kazakh, Russian and English', () => {
    const ru = Object.keys(messages.ru).sort();
    for (const lang of LANGUAGES) expect(Object.keys(messages[lang]).sort()).toEqual(ru);
  });

  it('have a sentence for every error code in every language', () => {
    const codes: ErrorCode[] = [
      'validation', 'unauthenticated', 'forbidden', 'not_found', 'unknown_method', 'internal', 'network',
      'signin.not_pkcs12', 'signin.wrong_password', 'signin.no_certificate', 'signin.key_mismatch', 'signin.unknown_ca',
      'signin.expired', 'signin.not_yet_valid', 'signin.auth_only_key', 'signin.not_signing_key', 'signin.no_role', 'signin.other_office', 'signin.revoked', 'ecp.unlock_required', 'ecp.key_locked', 'demo.workstation_configured',
      'workstation.not_configured', 'demo.already_exists', 'demo.not_created', 'db.newer_than_app', 'db.in_use',
    ];
    for (const lang of LANGUAGES) for (const code of codes) expect(messages[lang][`errors.${code}`], `${lang} ${code}`).toBeTruthy();
    expect(errorMessage('kk', { code: 'signin.expired', params: { date: '2025-01-31' } })).toBe('Сертификаттың қолданылу мерзімі 2025-01-31 аяқталған');
  });
});

describe('officeDate', () => {
  it('gives the Almaty calendar date: the small hours of 1 January are already the new year', async () => {
    const { officeDate } = await import('../shared/local-date');
    expect(officeDate(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01');
    expect(officeDate(new Date('2026-12-31T12:00:00Z'))).toBe('2026-12-31');
  });
});
