/**
 * Inputs of the office's own records: the food-basket threshold, the city's offices and precinct commissions
 * (reference data with the act they rest on), the audit trail, and a conflict of sync resolved by a signed act.
 */
import { z } from 'zod';
import { calendarDay } from './calendar-day';
import { referencePayloadSchemas } from './reference-protocol';
import { text, typed } from './typed-text';

export const setThresholdInput = z.object({
  year: z.number().int().min(2005).max(2100),
  quarter: z.number().int().min(1).max(4),
  tiyn: z.number().int().min(1).max(1e9),
  source: text(500),
  /** Where the act is published (a reference act carries its source). */
  sourceUrl: z.string().url('field.invalid').max(500, 'field.too_long').optional(),
});

/** The offices of the city as the city department's administrator publishes them, with the act. */
export const publishOfficesInput = z.object({
  offices: referencePayloadSchemas.offices.shape.offices,
  source: text(500),
  sourceUrl: z.string().url('field.invalid').max(500, 'field.too_long').optional(),
});

/**
 * A root CA for the whole city as the city department's administrator adds it: the certificate (PEM), the SHA-256
 * fingerprint they confirmed against the issuer's published one (colons and either case allowed), and its issuing CAs.
 */
export const addTrustRootInput = z.object({
  pem: z.string().min(1, 'field.required').max(20_000, 'field.too_long'),
  sha256: z.string().min(1, 'field.required').max(200, 'field.too_long'),
  intermediates: z.array(z.string().max(20_000, 'field.too_long')).max(10, 'field.too_long').default([]),
  source: text(500),
  sourceUrl: z.string().url('field.invalid').max(500, 'field.too_long').optional(),
});

/** A precinct commission as the city department's administrator sets it, with the act it rests on. */
export const setPrecinctInput = z.object({
  office: z.string().regex(/^[A-Z0-9-]{2,16}$/, 'field.invalid').optional(),
  code: z.string().regex(/^[A-Z0-9-]{2,20}$/, 'field.invalid'),
  nameKk: text(300),
  nameRu: text(300),
  members: z.array(z.object({ name: text(200), role: z.enum(['chair', 'member', 'secretary']) })).min(1, 'field.required').max(30, 'field.too_long'),
  source: text(500),
  sourceUrl: z.string().url('field.invalid').max(500, 'field.too_long').optional(),
});

/** The audit trail, for the head: a period in office days, one kind, a person or a case number. */
export const AUDIT_KINDS = ['signin', 'signin_failed', 'case_opened', 'signout', 'session_locked', 'session_resumed'] as const;
export const auditListInput = z.object({
  from: calendarDay.optional(),
  to: calendarDay.optional(),
  kind: z.enum(AUDIT_KINDS).optional(),
  actorIin: z.string().regex(/^\d{12}$/, 'field.invalid').optional(),
  caseNumber: typed().max(40, 'field.too_long').optional(),
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).max(10_000_000).default(0),
});

/** A person resolves a conflict of sync by a signed act (services/conflicts.ts says which options apply). */
export const resolveConflictInput = z.object({
  conflictId: z.string().uuid('field.invalid'),
  option: z.enum(['redo', 'withdraw', 'close_this', 'close_other']),
  note: z.string().trim().max(1000, 'field.too_long').default(''),
});
