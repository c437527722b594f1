/**
 * The wake-up channel of an office's feed (PostgreSQL LISTEN/NOTIFY). One per office, so that a long poll wakes only
 * for its own office's rows. Office codes are upper-case letters, digits and hyphens; a channel name is folded to
 * lower case by LISTEN, so the name is lower-case with underscores for hyphens (no code has an underscore).
 */
export function officeChannel(office: string): string {
  return `jardem_office_${office.toLowerCase().replace(/-/g, '_')}`;
}
