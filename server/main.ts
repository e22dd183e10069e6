// Starts Redress: reads the config, opens the database (running migrations), listens, and
// closes cleanly on SIGINT/SIGTERM. `npm start` runs the compiled copy of this. Before setup, it
// shows a one-time setup link: on the terminal, or in a 0600 file in DATA_DIR when there is no
// terminal. A start that cannot work (a bad setting, a data folder it cannot write, a database from
// a newer release) ends with one clear line and exit 1.
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Db } from '../db/index.ts';
import { getOrganisation } from './services/organisation.ts';
import { issueSetupToken } from './services/setup-token.ts';
import { announceSetupLink, forgetSetupLink } from './setup-link.ts';

function refuse(reason: string): never {
  process.stderr.write(`Redress cannot start: ${reason}\n`);
  process.exit(1);
}

let config: Config;
let db: Db;
try {
  config = loadConfig();
  db = openDatabase(config.dataDir);
} catch (err) {
  refuse((err as Error).message);
}
const app = await buildApp({ config, db });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    // The app does not own a database handed to it: close it after the last request is done.
    void app.close().then(() => db.$client.close()).then(() => process.exit(0));
  });
}

try {
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') {
    refuse(`cannot listen on ${config.host}:${config.port} (${e.code}); set HOST and PORT.`);
  }
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
