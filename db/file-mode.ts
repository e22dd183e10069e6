// The database files are private to the user Redress runs as: the database is created (or set)
// with mode 0600 before SQLite opens it, and SQLite gives its -wal and -shm files the same mode.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

export function prepareDatabaseFile(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}
