import { z } from 'zod';
import { checkIin } from '../domain/iin';
import { officeDate } from '../local-date';

/**
 * Input schemas. Every message is a key of shared/i18n, so the renderer shows it beside its field in the
 * user's language and the services return the same keys.
 */
const required = (max: number) => z.string().trim().min(1, 'field.required').max(max, 'field.too_long');

export const iinSchema = z
  .string()
  .trim()
  .min(1, 'field.required')
  .superRefine((value, ctx) => {
    const check = checkIin(value);
    // One message per field: the first error is the one the person can act on.
    if (!check.valid) ctx.addIssue({ code: 'custom', message: check.errors[0]! });
  });

export const isoDateSchema = z
  .string()
  .trim()
  .min(1, 'field.required')
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'field.date_format')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'field.date_format');

/** Kazakh phone numbers: +7 and ten digits; spaces, brackets and dashes are allowed while typing. */
export const phoneSchema = z
  .string()
  .trim()
  .min(1, 'field.required')
  .transform((s) => s.replace(/[\s()-]/g, ''))
  .pipe(z.string().regex(/^(\+7|8)\d{10}$/, 'field.phone_format'))
  .transform((s) => (s.startsWith('8') ? `+7${s.slice(1)}` : s));

export const docLanguageSchema = z.enum(['kk', 'ru'], { message: 'field.required' });

export const registerApplicantInput = z.object({
  iin: iinSchema,
  surname: required(100),
  givenName: required(100),
  patronymic: z.string().trim().max(100, 'field.too_long').optional().default(''),
  birthDate: isoDateSchema.refine((s) => s <= officeDate(new Date()), 'field.date_in_future'),
  address: required(300),
  phone: phoneSchema,
  docLanguage: docLanguageSchema,
});
export type RegisterApplicantInput = z.input<typeof registerApplicantInput>;

export const searchCasesInput = z.object({
  query: z.string().trim().max(100, 'field.too_long').default(''),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).max(100_000).default(0),
});

export const signInInput = z.object({
  /** The PKCS#12 key file, base64. 256 KiB is far above any real key file. */
  p12Base64: z.string().min(1, 'field.required').max(350_000, 'field.too_long'),
  password: z.string().max(200, 'field.too_long'),
});

export const unlockInput = z.object({ password: z.string().max(200, 'field.too_long') });

export const caseIdInput = z.object({ caseId: z.string().uuid('field.invalid') });

export const demoKeyInput = z.object({ role: z.enum(['specialist', 'head', 'center', 'admin']) });

export const emptyInput = z.object({}).strict();

export const correctCalendarDayInput = z.object({
  date: isoDateSchema,
  working: z.boolean({ message: 'field.required' }),
  reason: required(300),
});

export const addWorkingDaysInput = z.object({
  from: isoDateSchema,
  n: z.number({ message: 'field.required' }).int('field.invalid').min(0, 'field.invalid').max(10_000, 'field.invalid'),
});
