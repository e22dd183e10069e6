// Starts Redress: reads the config, opens the database (running migrations), listens, and
// closes cleanly on SIGINT/SIGTERM. `npm start` runs this.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { getOrganisation } from './services/organisation.ts';
import { issueSetupToken } from './services/setup-token.ts';

const config = loadConfig();
const app = await buildApp({ config });

if (!getOrganisation(app.db)) {
  // Printed to the operator's terminal only (not through the logger, whose lines may be shipped elsewhere).
  const token = issueSetupToken();
  const origin = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  process.stdout.write(
    `\nRedress is not set up yet; the public form says so until it is.\n` +
    `Set it up in a browser with this one-time link (valid 24 hours, until restart):\n  ${origin}/desk/setup#token=${token}\n` +
    `or without a browser: npm run cli -- setup\n\n`,
  );
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
