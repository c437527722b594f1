/** A contract schema's complaints as the screens show them: one message key per field. */
import type { z } from 'zod';
import type { FieldErrors } from '../../shared/errors';

const KNOWN_FIELD_MESSAGE = /^(field|iin|page|family|journal|center)\.[a-z_0-9]+$/;

/** zod issues → one message key per field path, e.g. { iin: 'iin.checksum', surname: 'field.required' }. */
export function toFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    if (out[key]) continue;
    out[key] = KNOWN_FIELD_MESSAGE.test(issue.message) ? issue.message : issue.code === 'invalid_type' ? 'field.required' : 'field.invalid';
  }
  return out;
}
