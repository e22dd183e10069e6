// Starts Redress: reads the config, opens the database (running migrations), listens, and
// closes cleanly on SIGINT/SIGTERM. `npm start` runs this.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { getOrganisation } from './services/organisation.ts';

const config = loadConfig();
const app = await buildApp({ config });

if (!getOrganisation(app.db)) {
  app.log.warn('Redress is not set up yet: the public form says so. Run `npm run cli -- setup` to open it.');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    void app.close().then(() => process.exit(0));
  });
}

try {
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  app.log.error(err);
  process.exit(1);
}
