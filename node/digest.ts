/** SHA-256 as hex, in a module of its own: a thread that only hashes files does not load the signature code. */
import { hash } from 'node:crypto';

/** SHA-256, hex: the one-shot form (no hash object to make and collect, thousands of times a second in a backup or a pull). */
export function sha256Hex(bytes: Buffer | string): string {
  return hash('sha256', bytes, 'hex');
}
