/**
 * The wake-up channel of an office's feed (PostgreSQL LISTEN/NOTIFY). One per office, so that a long poll wakes only
 * for its own office's rows. Office codes are upper-case letters, digits and hyphens; a channel name is folded to
 * lower case by LISTEN, so the name is lower-case with underscores for hyphens (no code has an underscore).
 */
export function officeChannel(office: string): string {
  return `jardem_office_${office.toLowerCase().replace(/-/g, '_')}`;
}

/**
 * The wake-up channel of the city's reference data (calendar corrections, MRP, trust roots): one for every office,
 * since an act of the city department holds in each district, whose workstations are then waiting on their own feeds.
 */
export const REFERENCE_CHANNEL = 'jardem_reference';
