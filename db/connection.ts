/** The type of the one SQLite connection, below everything that takes it (open, the migrations, the repositories). */
import type Database from 'better-sqlite3';

export type Db = Database.Database;
