/**
 * The information-system gateway protocol (regulation item 11.1 stage 2; Rules, Appendix 2): the district asks
 * the state information systems about the applicant and every family member by IIN; the answer is an electronic
 * document signed by the gateway, with one result per field: confirmed, not found, or mismatch.
 * The same schemas are used by the workstation's client and by the simulator in server/.
 */
import { z } from 'zod';

export const IS_FIELDS = ['surname', 'givenName', 'patronymic', 'birthDate', 'birthRecord', 'parent', 'address', 'income', 'bankAccount'] as const;
export type IsField = (typeof IS_FIELDS)[number];
export type IsResult = 'confirmed' | 'not_found' | 'mismatch';

export const isRequestSchema = z.object({
  requestId: z.string().uuid(),
  office: z.string().min(1).max(20),
  requestedAt: z.string(),
  /** The applicant's IIN: children's birth records are checked against it as a parent. */
  applicantIin: z.string().regex(/^\d{12}$/),
  subjects: z
    .array(
      z.object({
        iin: z.string().regex(/^\d{12}$/),
        relation: z.enum(['applicant', 'spouse', 'child', 'other']),
        declared: z.object({
          surname: z.string(),
          givenName: z.string(),
          patronymic: z.string(),
          birthDate: z.string(),
          address: z.string().optional(),
          iban: z.string().optional(),
          /** Declared income per month, tiyn. */
          income: z.array(z.object({ month: z.string(), amountTiyn: z.number().int() })).optional(),
          /** A child's birth record as declared (number and date), shown beside the registry's. */
          birthRecord: z.object({ number: z.string(), date: z.string() }).optional(),
        }),
      }),
    )
    .min(1)
    .max(30),
});
export type IsRequest = z.infer<typeof isRequestSchema>;

export const isAnswerSchema = z.object({
  requestId: z.string().uuid(),
  answeredAt: z.string(),
  gateway: z.string(),
  subjects: z.array(
    z.object({
      iin: z.string(),
      fields: z.array(z.object({ field: z.enum(IS_FIELDS), result: z.enum(['confirmed', 'not_found', 'mismatch']), registry: z.string().nullable() })),
    }),
  ),
});
export type IsAnswer = z.infer<typeof isAnswerSchema>;

/** What travels back: the answer's canonical JSON and the gateway's detached CMS signature over those bytes. */
export const isEnvelopeSchema = z.object({ answer: z.string().min(2), signature: z.string().min(1) });
export type IsEnvelope = z.infer<typeof isEnvelopeSchema>;

/** Every field of every subject confirmed. */
export function allConfirmed(answer: IsAnswer): boolean {
  return answer.subjects.every((s) => s.fields.every((f) => f.result === 'confirmed'));
}
