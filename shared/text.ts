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

/** Canonical JSON: object keys sorted, no spaces. The hashed and signed form of events. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
