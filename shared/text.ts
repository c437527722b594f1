/**
 * Name folding for search. SQLite's LIKE and lower() fold ASCII only, so names are folded here, once, by
 * JavaScript's full Unicode lower-casing (Cyrillic and the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І included) and
 * stored beside the name; searches fold the query the same way and use an index range.
 */
export function foldName(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    // Russian writers often type е for ё: fold both to е so either finds the other.
    .replace(/ё/g, 'е')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The smallest string greater than every string that starts with `prefix` (for index range scans). */
export function prefixUpperBound(prefix: string): string {
  return prefix + '\uffff';
}

/** JSON text that canonicalJson writes as it is: a stored event's payload, which was written as canonical JSON. */
export class CanonicalText {
  constructor(readonly text: string) {}
}

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, as Array.prototype.sort compares strings), no spaces,
 * undefined members left out. The hashed and signed form of events, and every stored view: built in one pass
 * with plain loops (it runs for every event and view written; the entries, filter and map form cost twice as much).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof CanonicalText) return value.text;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (canonicalJson(value[i]) ?? '');
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(v);
  }
  return `${out}}`;
}

/**
 * Junk text. Control characters (NUL and the others, but tab and line ends) and halves of a
 * UTF-16 pair without their other half are never text a person typed: refused in every field of every call.
 */
const UNSAFE_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Bidirectional controls make a name or an IIN read otherwise than it is stored (U+202E turns it round): refused there. */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** Zero-width characters make two equal names differ and cannot be seen: stripped. */
const ZERO_WIDTH = /[\u200B\u200C\u200D\u2060\uFEFF]/g;

export function stripZeroWidth(text: string): string {
  return text.replace(ZERO_WIDTH, '');
}

/** A call's input nests no deeper than this (objects and arrays): the contract's deepest input is 4. */
export const MAX_INPUT_DEPTH = 32;

/**
 * The first string in `value` holding a character no field takes, as its path ('members.2.surname'), or the first
 * place nested too deep. Iterative, so a hostile input cannot exhaust the stack.
 */
export function unsafeText(value: unknown): { path: string; problem: 'characters' | 'depth' } | null {
  const stack: { v: unknown; path: string[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSAFE_TEXT.test(v)) return { path: path.join('.') || '_', problem: 'characters' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= MAX_INPUT_DEPTH) return { path: path.join('.'), problem: 'depth' };
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as Record<string, unknown>);
    // Pushed in reverse, so the first field is looked at first.
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ v: entries[i]![1], path: [...path, entries[i]![0]] });
  }
  return null;
}
