import * as m0001 from './0001_cases_and_events';

/**
 * Numbered migrations. Migration N brings the schema from user_version N-1 to N. Append only: a released
 * migration is never edited.
 */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'cases_and_events', sql: m0001.sql },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
