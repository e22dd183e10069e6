// Starts Redress: reads the config, opens the database (running migrations), listens, and
// closes cleanly on SIGINT/SIGTERM. `npm start` runs this. Before setup, it shows a one-time
// setup link: on the terminal, or in a 0600 file in DATA_DIR when there is no terminal.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { getOrganisation } from './services/organisation.ts';
import { issueSetupToken } from './services/setup-token.ts';
import { announceSetupLink, forgetSetupLink } from './setup-link.ts';

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
  // The token rides in the fragment, so it never reaches a request line or a proxy log.
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  announceSetupLink(config.dataDir, `http://${host}:${port}/desk/setup#token=${issueSetupToken(app.state)}`);
} else {
  forgetSetupLink(config.dataDir);
}
