/** Places in a JSON value and a value with one of them replaced or removed: what the fuzz tests break, one at a time. */

export const REMOVE = Symbol('remove');

/** Every place in a value: [] is the value itself. */
export function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => paths(x, [...at, i]))];
  if (v && typeof v === 'object') return [...here, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
  return here;
}

/** A copy of `v` with the place `at` set to `to` (or removed). */
export function setAt(v: unknown, at: (string | number)[], to: unknown): unknown {
  if (at.length === 0) return to === REMOVE ? undefined : to;
  const copy = (Array.isArray(v) ? [...(v as unknown[])] : { ...(v as Record<string, unknown>) }) as Record<string | number, unknown>;
  const [head, ...rest] = at as [string | number, ...(string | number)[]];
  // Removed from an array, the element goes (no hole: a value that travels is JSON).
  if (rest.length === 0 && to === REMOVE && Array.isArray(copy)) (copy as unknown[]).splice(Number(head), 1);
  else if (rest.length === 0 && to === REMOVE) delete copy[head];
  else copy[head] = setAt(copy[head], rest, to);
  return copy;
}
