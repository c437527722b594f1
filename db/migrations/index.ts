import * as m0001 from './0001_cases_and_events';
import * as m0002 from './0002_rules_deadlines_calendar';
import * as m0003 from './0003_blobs_and_pages';
import * as m0004 from './0004_information_system_requests';
import * as m0005 from './0005_journal';

/**
 * Numbered migrations. Migration N brings the schema from user_version N-1 to N. Append only: a released
 * migration is never edited.
 */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'cases_and_events', sql: m0001.sql },
  { version: 2, name: 'rules_deadlines_calendar', sql: m0002.sql },
  { version: 3, name: 'blobs_and_pages', sql: m0003.sql },
  { version: 4, name: 'information_system_requests', sql: m0004.sql },
  { version: 5, name: 'journal', sql: m0005.sql },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
