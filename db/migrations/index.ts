import * as m0001 from './0001_cases_and_events';
import * as m0002 from './0002_rules_deadlines_calendar';

/**
 * Numbered migrations. Migration N brings the schema from user_version N-1 to N. Append only: a released
 * migration is never edited.
 */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'cases_and_events', sql: m0001.sql },
  { version: 2, name: 'rules_deadlines_calendar', sql: m0002.sql },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
