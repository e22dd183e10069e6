// Opens the embedded SQLite database (WAL, foreign keys on) and applies pending migrations, each
// in its own transaction, after refusing a data folder it cannot write or a database written by a
// newer release. Failures are DatabaseErrors whose message names the folder and what to do.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { RunResult } from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import * as schema from './schema.ts';
import { prepareDatabaseFile } from './file-mode.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The database or a transaction on it: what a function takes when it may run inside one. */
export type Conn = BaseSQLiteDatabase<'sync', RunResult, typeof schema>;

export const DATABASE_FILE = 'redress.sqlite';
export const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** drizzle-kit's bookkeeping table; kept so drizzle-kit and this runner agree on what is applied. */
const MIGRATIONS_TABLE = '__drizzle_migrations';

export type DatabaseErrorCode = 'data_dir_not_writable' | 'database_unreadable' | 'database_too_new';

export class DatabaseError extends Error {
  constructor(readonly code: DatabaseErrorCode, message: string) {
    super(message);
    this.name = 'DatabaseError';
  }
}

export interface OpenOptions {
  /** Another migrations folder (tests of the runner itself). */
  migrationsFolder?: string;
}

export interface AppliedMigration { hash: string; createdAt: number }

/** The migrations this release ships, oldest first. */
export function knownMigrations(folder = MIGRATIONS): MigrationMeta[] {
  return readMigrationFiles({ migrationsFolder: folder }).sort((a, b) => a.folderMillis - b.folderMillis);
}

/** What a database records as applied (empty for a new one). */
export function appliedMigrations(sqlite: Database.Database): AppliedMigration[] {
  const table = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(MIGRATIONS_TABLE);
  if (!table) return [];
  return (sqlite.prepare(`select hash, created_at as createdAt from "${MIGRATIONS_TABLE}" order by created_at`).all() as
    { hash: string; createdAt: number | string }[]).map((row) => ({ hash: row.hash, createdAt: Number(row.createdAt) }));
}

/** Migrations in the database that this release does not have: it was written by a newer one. */
export function newerMigrations(applied: AppliedMigration[], known: MigrationMeta[]): AppliedMigration[] {
  const newest = known.at(-1)?.folderMillis ?? 0;
  return applied.filter((m) => m.createdAt > newest);
}

export function tooNewMessage(where: string, newer: AppliedMigration[], known: MigrationMeta[]): string {
  const newest = known.at(-1);
  const since = new Date(Math.min(...newer.map((m) => m.createdAt))).toISOString().slice(0, 10);
  return `${where} was written by a newer release of Redress: it has ${newer.length} migration(s), from ${since} on, ` +
    `that this release does not know (its newest is from ${newest ? new Date(newest.folderMillis).toISOString().slice(0, 10) : 'never'}). ` +
    'An older release could damage it. Upgrade Redress to the release that wrote it (or later), or restore a backup ' +
    'made by this release. Nothing was changed.';
}

/** Applies each pending migration in its own IMMEDIATE transaction: a crash leaves the last one whole or absent. */
export function runMigrations(sqlite: Database.Database, folder = MIGRATIONS): number {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
  const latest = sqlite.prepare(`select max(created_at) as at from "${MIGRATIONS_TABLE}"`);
  const record = sqlite.prepare(`insert into "${MIGRATIONS_TABLE}" (hash, created_at) values (?, ?)`);
  let applied = 0;
  for (const migration of knownMigrations(folder)) {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      // Read inside the write lock: another process (a CLI command) may have applied it meanwhile.
      const at = (latest.get() as { at: number | string | null }).at;
      if (at !== null && Number(at) >= migration.folderMillis) {
        sqlite.exec('COMMIT');
        continue;
      }
      for (const statement of migration.sql) if (statement.trim()) sqlite.exec(statement);
      record.run(migration.hash, migration.folderMillis);
      sqlite.exec('COMMIT');
      applied++;
    } catch (err) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw err;
    }
  }
  return applied;
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { code?: string };
  return e.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
}

/** Makes sure DATA_DIR exists (mode 0700), is a folder, and can be written by this process. */
export function ensureWritableDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (!statSync(dataDir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(dataDir, constants.W_OK | constants.X_OK);
    const file = join(dataDir, DATABASE_FILE);
    try { accessSync(file, constants.W_OK); } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  } catch (err) {
    throw new DatabaseError('data_dir_not_writable',
      `DATA_DIR ${dataDir} is not a folder this process can write (${describe(err)}). ` +
      'Create it, or give the user Redress runs as write access to it (and to the files in it).');
  }
}

export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  ensureWritableDataDir(dataDir);
  const path = join(dataDir, DATABASE_FILE);
  const folder = options.migrationsFolder ?? MIGRATIONS;
  let sqlite: Database.Database;
  try {
    prepareDatabaseFile(path);
    sqlite = new Database(path);
    sqlite.pragma('journal_mode = WAL');
  } catch (err) {
    throw new DatabaseError('database_unreadable', `The database ${path} cannot be opened for writing (${describe(err)}).`);
  }
  try {
    sqlite.pragma('foreign_keys = ON');
    // FULL: a report acknowledged to the reporter must survive a power cut (DESIGN.md principle 5).
    sqlite.pragma('synchronous = FULL');
    // Deleted rows are overwritten, not left in free pages: a purged case must really be gone.
    sqlite.pragma('secure_delete = ON');
    const known = knownMigrations(folder);
    const newer = newerMigrations(appliedMigrations(sqlite), known);
    if (newer.length) throw new DatabaseError('database_too_new', tooNewMessage(`The database ${path}`, newer, known));
    runMigrations(sqlite, folder);
  } catch (err) {
    sqlite.close();
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError('database_unreadable', `The database ${path} could not be prepared (${describe(err)}). A migration that failed was rolled back; the ones before it are kept.`);
  }
  return drizzle(sqlite, { schema }) as Db;
}
