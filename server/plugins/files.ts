// The encrypted-file store (app.files): DATA_DIR/attachments, created private (0700), outside any
// served folder, and the timer that removes uploads nobody claimed (PROTOCOL.md §24.6).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import { cleanUploads } from '../services/attachments.ts';
import type { FileStore } from '../services/uploads.ts';

declare module 'fastify' {
  interface FastifyInstance { files: FileStore }
}

export default fp(async function files(app) {
  const store: FileStore = { dir: join(app.config.dataDir, 'attachments'), limits: app.config.attachments };
  mkdirSync(store.dir, { recursive: true, mode: 0o700 });
  app.decorate('files', store);
  let running: Promise<unknown> = Promise.resolve();
  const clean = () => {
    running = cleanUploads(app.db, store).catch((err) => app.log.error({ err }, 'upload cleanup failed'));
  };
  const timer = setInterval(clean, store.limits.cleanupIntervalMs);
  timer.unref();
  app.addHook('onReady', async () => clean());
  // A run in progress finishes before the database closes.
  app.addHook('onClose', async () => { clearInterval(timer); await running; });
}, { name: 'files', dependencies: ['db'] });
