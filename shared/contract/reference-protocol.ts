/**
 * Reference data from the center: acts that flow down to every workstation of the city by a cursor of
 * their own (the server's reference order), pulled in the same sync round as the office's events. Each act carries
 * its source (the act's number and date, a URL, or "assumed"). Every kind but the CRL is signed by an administrator
 * of the city department (role admin, the office of kind 'city'); the CRL is signed by the issuing CA itself.
 */
import { z } from 'zod';
import { canonicalJson } from '../text';
import { calendarDay } from './calendar-day';

export const REFERENCE_KINDS = ['offices', 'crl', 'calendar', 'threshold', 'precinct', 'trust_root'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const day = calendarDay;
const line = (max: number) => z.string().min(1).max(max);

/** Where a value comes from: the legal act (number, date), where it is published, or that it is assumed. */
export const referenceSourceSchema = z
  .object({
    act: line(500),
    date: day,
    url: z.string().url().max(500).optional(),
    assumed: z.boolean(),
  })
  .strict();
export type ReferenceSource = z.infer<typeof referenceSourceSchema>;

const officeSchema = z
  .object({
    code: z.string().regex(/^[A-Z0-9-]{2,16}$/),
    kind: z.enum(['district', 'center', 'city']),
    serves: z.array(z.string().regex(/^[A-Z0-9-]{2,16}$/)).max(20).optional(),
    nameKk: line(300),
    nameRu: line(300),
    bin: z.string().regex(/^\d{12}$/),
    /** The office's first administrator as the city department named them: the only one who may begin its staff register. */
    adminIin: z.string().regex(/^\d{12}$/).optional(),
  })
  .strict();

/** What each kind carries, parsed from the act's canonical JSON payload. */
export const referencePayloadSchemas = {
  offices: z.object({ offices: z.array(officeSchema).min(1).max(200) }).strict(),
  crl: z.object({ pem: z.string().min(100).max(2_000_000).regex(/^-----BEGIN X509 CRL-----[\s\S]+-----END X509 CRL-----\s*$/) }).strict(),
  calendar: z.object({ date: day, working: z.boolean(), reason: line(300) }).strict(),
  threshold: z.object({ region: line(80), year: z.number().int().min(2005).max(2100), quarter: z.number().int().min(1).max(4), tiyn: z.number().int().min(1).max(1e9) }).strict(),
  precinct: z
    .object({
      office: z.string().regex(/^[A-Z0-9-]{2,16}$/),
      code: z.string().regex(/^[A-Z0-9-]{2,20}$/),
      nameKk: line(300),
      nameRu: line(300),
      members: z.array(z.object({ name: line(200), role: z.enum(['chair', 'member', 'secretary']) }).strict()).min(1).max(30),
    })
    .strict(),
  // A root CA the city trusts (НУЦ РК's RSA root), with the issuing CAs under it, and its SHA-256 fingerprint as the
  // administrator confirmed it against the issuer's published one.
  trust_root: z
    .object({
      pem: z.string().min(100).max(20_000).regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/),
      sha256: sha256,
      intermediates: z.array(z.string().min(100).max(20_000).regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/)).max(10),
    })
    .strict(),
} as const satisfies Record<ReferenceKind, z.ZodType>;
export type ReferencePayload<K extends ReferenceKind> = z.infer<(typeof referencePayloadSchemas)[K]>;

/**
 * A reference act on the wire. `hash` is the SHA-256 of its canonical form (everything but hash and signature);
 * `signature` is the city administrator's detached CMS over that form (base64), or empty for a CRL (its own CA
 * signature inside the PEM is what counts).
 */
export const referenceActSchema = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(REFERENCE_KINDS),
    payload: z.string().min(2).max(2_000_000),
    source: referenceSourceSchema,
    at: z.string().min(10).max(40),
    signer: z.object({ iin: z.string().regex(/^\d{12}$/), certSha256: sha256 }).strict().nullable(),
    hash: sha256,
    signature: z.string().max(100_000),
  })
  .strict();
export type ReferenceAct = z.infer<typeof referenceActSchema>;

export const referencePushRequestSchema = z.object({ protocol: z.literal(1), acts: z.array(referenceActSchema).min(1).max(100) }).strict();

/** Why a reference act is refused (server at push, workstation at pull): a message key `reference.refused.<code>`. */
export const REFERENCE_REFUSALS = ['unknown_kind', 'payload_invalid', 'hash_mismatch', 'signature_invalid', 'signer_untrusted', 'signer_revoked', 'signer_mismatch', 'not_city_admin', 'crl_untrusted', 'crl_not_pushed', 'root_unusable'] as const;
export type ReferenceRefusal = (typeof REFERENCE_REFUSALS)[number];

export interface ReferencePushResult {
  id: string;
  status: 'applied' | 'duplicate' | 'refused';
  refSeq?: number;
  reason?: ReferenceRefusal;
}
export interface ReferencePushResponse {
  protocol: number;
  serverTime: string;
  results: ReferencePushResult[];
}
export interface PulledReferenceAct extends ReferenceAct {
  refSeq: number;
}
export interface ReferencePullResponse {
  protocol: number;
  serverTime: string;
  /** The reference order's cursor: monotonic, the next pull starts after it. */
  cursor: string;
  acts: PulledReferenceAct[];
  more: boolean;
}

/** The part of an act that is hashed and signed, canonical (sorted keys): a parser's key order changes nothing. */
export function referenceActContent(a: Omit<ReferenceAct, 'hash' | 'signature'>): string {
  return canonicalJson({ id: a.id, kind: a.kind, payload: a.payload, source: a.source, at: a.at, signer: a.signer });
}

/** The act's payload parsed for its kind, or null when it is not what the kind carries. */
export function parseReferencePayload<K extends ReferenceKind>(kind: K, payload: string): ReferencePayload<K> | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  const r = referencePayloadSchemas[kind].safeParse(value);
  return r.success ? (r.data as ReferencePayload<K>) : null;
}
