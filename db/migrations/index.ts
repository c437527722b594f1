import * as m0001 from './0001_cases_and_events';
import * as m0002 from './0002_rules_deadlines_calendar';
import * as m0003 from './0003_blobs_and_pages';
import * as m0004 from './0004_information_system_requests';
import * as m0005 from './0005_journal';
import * as m0006 from './0006_commission_and_decision';
import * as m0007 from './0007_deadlines_board';
import * as m0008 from './0008_event_catalogue';
import * as m0009 from './0009_sync';
import * as m0010 from './0010_hardening';
import * as m0011 from './0011_conflicts';
import * as m0012 from './0012_reference_acts';
import * as m0013 from './0013_case_views';
import * as m0016 from './0016_reports';
import * as m0017 from './0017_board_counts';
import * as m0018 from './0018_sample_cases';
import * as m0019 from './0019_staff_register';
import * as m0020 from './0020_report_facts';
import * as m0021 from './0021_case_screen';
import * as m0022 from './0022_board_rows';
import type { Db } from '../connection';
import { rebuildProjections } from '../rebuild';
import { rederiveReportFacts } from '../repositories/report-facts';

/**
 * Numbered migrations. Migration N brings the schema from user_version N-1 to N. Append only: a released
 * migration is never edited.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Runs in the same transaction once the SQL of every pending migration has run (e.g. a rebuild of the
   * projections from the log, which writes every projection table, newer ones included).
   */
  after?: (db: Db) => void;
}

export const migrations: readonly Migration[] = [
  { version: 1, name: 'cases_and_events', sql: m0001.sql },
  { version: 2, name: 'rules_deadlines_calendar', sql: m0002.sql },
  { version: 3, name: 'blobs_and_pages', sql: m0003.sql },
  { version: 4, name: 'information_system_requests', sql: m0004.sql },
  { version: 5, name: 'journal', sql: m0005.sql },
  { version: 6, name: 'commission_and_decision', sql: m0006.sql },
  { version: 7, name: 'deadlines_board', sql: m0007.sql },
  { version: 8, name: 'event_catalogue', sql: m0008.sql, after: (db) => void rebuildProjections(db, { compare: false, scope: 'logged' }) },
  { version: 9, name: 'sync', sql: m0009.sql },
  // case_members is a projection of the log: a rebuild fills it for every case that has one.
  { version: 10, name: 'hardening', sql: m0010.sql, after: (db) => void rebuildProjections(db, { compare: false, scope: 'logged' }) },
  { version: 11, name: 'conflicts', sql: m0011.sql },
  { version: 12, name: 'reference_acts', sql: m0012.sql },
  // The stored views are a projection of the log: a rebuild writes one for every case that has one.
  { version: 13, name: 'case_views', sql: m0013.sql, after: (db) => void rebuildProjections(db, { compare: false, scope: 'logged' }) },
  // 14 and 15 were kept for work that did not need a migration.
  { version: 16, name: 'reports', sql: m0016.sql },
  { version: 17, name: 'board_counts', sql: m0017.sql },
  { version: 18, name: 'sample_cases', sql: m0018.sql },
  { version: 19, name: 'staff_register', sql: m0019.sql },
  // The journal rows gain the application's time, and the report facts are derived from the log already held.
  { version: 20, name: 'report_facts', sql: m0020.sql, after: (db) => { rebuildProjections(db, { compare: false, scope: 'logged' }); rederiveReportFacts(db); } },
  { version: 21, name: 'case_screen', sql: m0021.sql, after: (db) => void rebuildProjections(db, { compare: false, scope: 'logged' }) },
  // The deadline rows' sides and the counts kept by side are filled from the deadlines' data.
  { version: 22, name: 'board_rows', sql: m0022.sql, after: m0022.after },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
