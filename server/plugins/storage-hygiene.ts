// What the data folder reveals about time (PROTOCOL.md §35). On a timer, and when the app stops:
// one fixed row is written (so the database file's modification time is the tick's, not the last
// commit's), the write-ahead log, whose frames keep commit order, is checkpointed and truncated,
// and the shared-memory file's and the attachments folder's times are set to the tick (a new file
// would otherwise date the folder). Deleted data then leaves the log too (secure_delete already
// overwrites it in the database pages).
import { existsSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fp from 'fastify-plugin';
import type { Db } from '../../db/index.ts';

export function checkpointNow(db: Db): void {
  const sqlite = db.$client;
  if (!sqlite.open) return;
  sqlite.prepare("insert into server_secrets (name, value) values ('heartbeat', '') on conflict(name) do update set value = excluded.value").run();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  // The -shm file is memory-mapped: its time moves only when the kernel notices a write. Set it.
  const now = new Date();
  for (const path of [`${sqlite.name}-shm`, join(dirname(sqlite.name), 'attachments')]) {
    if (existsSync(path)) utimesSync(path, now, now);
  }
}

export default fp(async function storageHygiene(app) {
  const seconds = app.config.checkpointSeconds;
  if (!seconds) return;
  const run = () => {
    try {
      checkpointNow(app.db);
    } catch (err) {
      app.log.error({ err }, 'checkpoint failed');
    }
  };
  const timer = setInterval(run, seconds * 1000);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    run();
  });
}, { name: 'storage-hygiene', dependencies: ['db'] });
