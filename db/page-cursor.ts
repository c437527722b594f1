/**
 * Where a page of a list ended, as the screens carry it: opaque text (base64url of a small JSON object), so no
 * one reads a date or a number into it. Each list checks the decoded shape itself; anything else is a clear
 * validation error on `after`, never a page from somewhere else.
 */
import { AppError } from '../shared/errors';

export const encodePageCursor = (cursor: object): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

export function decodePageCursor<T>(after: string | undefined, shape: (value: Record<string, unknown>) => T | null): T | null {
  if (!after) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  const cursor = decoded && typeof decoded === 'object' ? shape(decoded as Record<string, unknown>) : null;
  if (cursor) return cursor;
  throw new AppError('validation', undefined, { after: 'field.invalid' });
}
