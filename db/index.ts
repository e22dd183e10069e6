// Opens the embedded SQLite database (WAL, foreign keys on) and applies pending migrations.
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { RunResult } from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';
import { prepareDatabaseFile } from './file-mode.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The database or a transaction on it: what a function takes when it may run inside one. */
export type Conn = BaseSQLiteDatabase<'sync', RunResult, typeof schema>;

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  prepareDatabaseFile(join(dataDir, 'redress.sqlite'));
  const sqlite = new Database(join(dataDir, 'redress.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // FULL: a report acknowledged to the reporter must survive a power cut (DESIGN.md principle 5).
  sqlite.pragma('synchronous = FULL');
  // Deleted rows are overwritten, not left in free pages: a purged case must really be gone.
  sqlite.pragma('secure_delete = ON');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return db as Db;
}
