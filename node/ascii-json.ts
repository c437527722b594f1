/**
 * JSON as ASCII bytes, for the sync's large bodies (a push's events, a pull's page). The same JSON that
 * JSON.stringify writes, but every character above U+007F escaped as \uXXXX, written straight into a buffer.
 *
 * Why: a Kazakh or Russian name in one payload makes V8 hold the whole body as a two-byte string, and every step
 * after it (the UTF-8 encoding for the socket, the decoding at the other end, JSON.parse) then goes at half speed or
 * worse over megabytes of base64 signatures. ASCII bytes decode to a one-byte string. Writing the parts into one
 * buffer also skips the flattening of a long concatenated string.
 */

/** Printable ASCII that JSON leaves as it is (no quote, no backslash): most of a body (ids, hashes, base64). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const NON_ASCII_RUN = /[^\x00-\x7f]+/g;

function escapeRun(run: string): string {
  let out = '';
  for (let i = 0; i < run.length; i++) out += `\\u${run.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** A string as a JSON string literal in ASCII (JSON.stringify escapes quotes, controls and lone surrogates). */
export function asciiJsonString(s: string): string {
  return JSON.stringify(s).replace(NON_ASCII_RUN, escapeRun);
}

class ByteWriter {
  private buf = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  raw(ascii: string): void {
    if (this.length + ascii.length > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + ascii.length));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.length += this.buf.write(ascii, this.length, 'latin1');
  }

  string(s: string): void {
    if (PLAIN.test(s)) {
      this.raw('"');
      this.raw(s);
      this.raw('"');
    } else this.raw(asciiJsonString(s));
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function write(w: ByteWriter, value: unknown): void {
  if (typeof value === 'string') return w.string(value);
  if (value === null || typeof value !== 'object') return w.raw(JSON.stringify(value) ?? 'null');
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(w, withToJson.toJSON());
  if (Array.isArray(value)) {
    w.raw('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) w.raw(',');
      const x: unknown = value[i];
      write(w, x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : x);
    }
    return w.raw(']');
  }
  w.raw('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const x: unknown = (value as Record<string, unknown>)[key];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    if (!first) w.raw(',');
    first = false;
    w.string(key);
    w.raw(':');
    write(w, x);
  }
  w.raw('}');
}

/** `value` as JSON.stringify would write it (plain data: objects, arrays, strings, numbers, booleans, null), in ASCII. */
export function asciiJson(value: unknown): Buffer {
  const w = new ByteWriter();
  write(w, value);
  return w.bytes();
}
