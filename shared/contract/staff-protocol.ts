/**
 * The staff register of an office: who holds which workflow role, from which day, until which day. A national CA's
 * certificate names the person (IIN) and the organisation (BIN), never their role in this workflow, so the role is
 * decided here, by signed acts of the office's administrator. Each act grants a role (an entry with its from-day) or
 * ends it (the same entry with its end day); the latest act for an entry is what stands. An entry holds on the days
 * from `from` up to the day before `to`: a role ended on day D is refused for acts from D on.
 *
 * Bootstrap: the city department's list of offices names each office's first administrator (`adminIin`). An office's
 * register begins with that person granting themselves the role admin (the genesis); every other act is signed by
 * someone who holds admin in the same office's register at the act's time.
 */
import { z } from 'zod';
import { canonicalJson } from '../text';
import { ROLES, type Role } from '../roles';
import { calendarDay } from './calendar-day';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const officeCode = z.string().regex(/^[A-Z0-9-]{2,16}$/);

export const staffEntrySchema = z
  .object({
    office: officeCode,
    iin: z.string().regex(/^\d{12}$/),
    role: z.enum(ROLES),
    name: z.string().min(1).max(300),
    from: calendarDay,
    to: calendarDay.nullable(),
  })
  .strict()
  .refine((e) => e.to === null || e.to > e.from, { message: 'the end day comes after the first day', path: ['to'] });
export type StaffEntry = z.infer<typeof staffEntrySchema>;

/**
 * A staff act on the wire. `hash` is the SHA-256 of its canonical form (everything but hash and signature);
 * `signature` is the office administrator's detached CMS over that form (base64).
 */
export const staffActSchema = z
  .object({
    id: z.string().uuid(),
    entry: staffEntrySchema,
    // Milliseconds and Z, as toISOString writes it: one form, so that acts' times compare as text (the order checks).
    at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    signer: z.object({ iin: z.string().regex(/^\d{12}$/), certSha256: sha256 }).strict(),
    hash: sha256,
    signature: z.string().min(1).max(100_000),
  })
  .strict();
export type StaffAct = z.infer<typeof staffActSchema>;

export const staffPushRequestSchema = z.object({ protocol: z.literal(1), acts: z.array(staffActSchema).min(1).max(100) }).strict();

/** Why a staff act is refused (server at push, workstation at pull or import): a message key `staff.refused.<code>`. */
export const STAFF_REFUSALS = ['payload_invalid', 'hash_mismatch', 'signature_invalid', 'signer_untrusted', 'signer_revoked', 'signer_mismatch', 'other_office', 'not_office_admin', 'genesis_not_named', 'dated_before_latest', 'dated_ahead', 'end_before_act', 'role_not_of_office'] as const;
export type StaffRefusal = (typeof STAFF_REFUSALS)[number];

export interface StaffPushResult {
  id: string;
  status: 'applied' | 'duplicate' | 'refused';
  seq?: number;
  reason?: StaffRefusal;
}
export interface StaffPullResponse {
  protocol: number;
  office: string;
  cursor: string;
  acts: (StaffAct & { seq: number })[];
  more: boolean;
}

/**
 * The roles an office of each kind grants in its register: a district department's counter specialists, heads and
 * commission secretaries; a Center's operators; the city department's administrators. Every office has its
 * administrators. A Center's register can never make someone a district's head.
 */
export type StaffOfficeKind = 'district' | 'center' | 'city';
export const ROLES_OF_OFFICE: Record<StaffOfficeKind, readonly Role[]> = {
  district: ['specialist', 'head', 'secretary', 'admin'],
  center: ['center', 'admin'],
  city: ['admin'],
};

/** The part of an act that is hashed and signed, canonical (sorted keys). */
export function staffActContent(a: Omit<StaffAct, 'hash' | 'signature'>): string {
  return canonicalJson({ id: a.id, entry: a.entry, at: a.at, signer: a.signer });
}

/** Whether an entry holds on `day` (YYYY-MM-DD, Almaty): from its first day up to the day before its end. */
export function entryHolds(e: Pick<StaffEntry, 'from' | 'to'>, day: string): boolean {
  return e.from <= day && (e.to === null || day < e.to);
}

/** The roles `iin` holds on `day` in these entries (one office's register, or several). */
export function rolesHeld(entries: readonly Pick<StaffEntry, 'iin' | 'role' | 'from' | 'to'>[], iin: string, day: string): Role[] {
  const held = new Set(entries.filter((e) => e.iin === iin && entryHolds(e, day)).map((e) => e.role));
  return ROLES.filter((r) => held.has(r));
}
