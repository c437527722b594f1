import { describe, expect, it } from 'vitest';
import { asciiJson, asciiJsonString } from '../node/ascii-json';

const ascii = (b: Buffer) => b.every((x) => x < 0x80);

describe('JSON in ASCII bytes (the sync bodies)', () => {
  it('reads back as the same value, with Kazakh and Russian letters, emoji, quotes, controls and lone surrogates', () => {
    const payload = JSON.stringify({ applicant: { surname: 'Әбілқасымова', givenName: 'Ғалия «Гуля»', address: 'Алматы, көш. Абай 1\n"кв." 2\\3' } });
    const value = {
      protocol: 1,
      events: [
        { id: 'e1', payload, seq: 3, prevHash: null, flags: [{ code: 'clock' }], legacy: { dues: [] }, text: 'ңөұүһі 😀 \u0000\u001f\u007f tab\t', lone: '\ud800x', skipped: undefined },
        { id: 'e2', payload: '{}', seq: 4, at: new Date('2026-12-07T05:00:00.000Z'), nums: [1.5, -0, NaN, Infinity, 1e21], nested: [[[]], {}], fn: () => 1 },
      ],
      sparse: [undefined, null, true, false],
    };
    const bytes = asciiJson(value);
    expect(ascii(bytes)).toBe(true);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(value)));
    // The payload (the signed text) comes back character for character.
    expect((JSON.parse(bytes.toString('utf8')) as typeof value).events[0]!.payload).toBe(payload);
  });

  it('writes what JSON.stringify writes when the text is ASCII already', () => {
    const value = { a: 'plain', b: [1, 2, { c: null }], d: 'quote " and \\ backslash', e: 'x'.repeat(200_000) };
    expect(asciiJson(value).toString('latin1')).toBe(JSON.stringify(value));
  });

  it('escapes a string as a JSON literal in ASCII', () => {
    expect(asciiJsonString('Алма')).toBe('"\\u0410\\u043b\\u043c\\u0430"');
    expect(JSON.parse(asciiJsonString('қ"\\'))).toBe('қ"\\');
  });
});
