/**
 * Which pulled acts' files are looked for (textMayNameBlob, used by electron/services/sync/blob-download.ts): an
 * act's payload is parsed and checked for the files it names only when its text may name one. No act that names a
 * file is passed over, however its JSON is written: a hash written with escapes is still found.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blobsNamed, textMayNameBlob } from '../shared/contract/sync-protocol';
import { canonicalJson } from '../shared/text';

const sha = () => randomBytes(32).toString('hex');
/** Every character of a JSON text's strings written as \uXXXX: the same value, another text. */
const escapedAll = (text: string) => text.replace(/"((?:[^"\\]|\\.)*)"/g, (_, inner: string) => `"${[...(JSON.parse(`"${inner}"`) as string)].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`);

describe('a pulled act whose files are looked for', () => {
  it('a page names its scan, its signature and thumbnail: looked for; an intake names none: not parsed', () => {
    const page = canonicalJson({ pageId: 'p1', documentKind: 'application_form', position: 1, blob: sha(), signature: sha(), thumbnail: sha(), mediaType: 'image/png' });
    const intake = canonicalJson({ applicant: { iin: '850615300304', surname: 'Сейтов', givenName: 'Ержан', birthDate: '1985-06-15', address: 'Алматы' }, caseNumber: 'AUE-W1-2026-000001' });
    expect(textMayNameBlob(page)).toBe(true);
    expect(blobsNamed(JSON.parse(page))).toHaveLength(3);
    expect(textMayNameBlob(intake)).toBe(false);
    expect(blobsNamed(JSON.parse(intake))).toEqual([]);
  });

  it('a hash written with escapes, or in a payload of any shape, is never passed over', () => {
    for (let i = 0; i < 300; i++) {
      const key = ['blob', 'signature', 'thumbnail', 'answer', 'act', 'note'][i % 6]!;
      const value = { [key]: i % 3 === 0 ? sha() : `текст ${i}`, nested: [{ [key]: i % 5 === 0 ? sha() : String(i) }], iin: '850615300304' };
      for (const text of [canonicalJson(value), escapedAll(canonicalJson(value))]) {
        expect(JSON.parse(text)).toEqual(value);
        if (blobsNamed(JSON.parse(text)).length > 0) expect(textMayNameBlob(text)).toBe(true);
      }
    }
    const escaped = escapedAll(canonicalJson({ blob: sha() }));
    expect(escaped).not.toMatch(/[0-9a-f]{64}/);
    expect(textMayNameBlob(escaped)).toBe(true);
  });
});
