/**
 * `tsx e2e/seed-reports.ts DB N TODAY`: a year of synthetic cases (bench/reports-data.ts) into a workstation's
 * database, for the Reports spec (Playwright's loader cannot import the calendar's JSON data, tsx can).
 */
import Database from 'better-sqlite3';
import { seedReportYear } from '../bench/reports-data';

const [file, n, today] = process.argv.slice(2);
const db = new Database(file!);
seedReportYear(db, { n: Number(n), year: Number(today!.slice(0, 4)), today: today!, seed: 3 });
db.close();
