// Starts Redress: reads the config, opens the database (running migrations), listens, and
// closes cleanly on SIGINT/SIGTERM. `npm start` runs this. Before setup, it prints a one-time
// setup link to the terminal.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { getOrganisation } from './services/organisation.ts';
import { issueSetupToken } from './services/setup-token.ts';

const config = loadConfig();
const app = await buildApp({ config });

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

if (!getOrganisation(app.db)) {
  // To the operator's terminal only, not through the logger (log lines may be shipped elsewhere).
  // The token rides in the fragment, so it never reaches a request line or a proxy log.
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(
    '\nRedress is not set up yet; the public form says so until it is.\n' +
    'Set it up in a browser with this one-time link (valid 24 hours, or until a restart):\n' +
    `  http://${host}:${port}/desk/setup#token=${issueSetupToken(app.state)}\n` +
    'or without a browser: npm run cli -- setup\n\n',
  );
}
