/** The office administrator's staff acts through the services: signed with the signed-in person's key. */
import type { StaffAct } from '../../shared/contract/staff-protocol';
import type { ServicesContext, Session } from './context';
import { signerFor } from './signing';
import { openEntry, signAndTake, type StaffInput } from './staff';

/** Grants a role from a day (and until a day, when known). */
export function enterStaffAct(ctx: ServicesContext, session: Session, input: StaffInput): StaffAct {
  return signAndTake(ctx, session.identity, input, signerFor(ctx, session));
}

/** Ends a role from day `to` (acts from that day on are refused): the entry standing for it, with its end day. */
export function endStaffRole(ctx: ServicesContext, session: Session, input: { iin: string; role: string; to: string }): StaffAct {
  const entry = openEntry(ctx, session.identity.officeBin, input);
  return enterStaffAct(ctx, session, { iin: entry.iin, role: entry.role, name: entry.name, from: entry.from, to: input.to });
}
