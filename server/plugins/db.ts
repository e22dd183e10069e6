// Opens the database for the app (or uses the one handed in by a test), brings its data up to
// date (services/startup.ts), and closes it on shutdown.
import fp from 'fastify-plugin';
import { openDatabase, type Db } from '../../db/index.ts';
import { prepareDatabase } from '../services/startup.ts';

export default fp<{ db?: Db }>(async function database(app, opts) {
  const db = opts.db ?? openDatabase(app.config.dataDir);
  prepareDatabase(db);
  app.decorate('db', db);
  if (!opts.db) app.addHook('onClose', async () => db.$client.close());
}, { name: 'db' });
