// Builds the app on a fresh temporary data folder, optionally set up, with every log line kept
// in memory so tests can read what the server would have logged.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp, LOG_SERIALIZERS, type App } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { openDatabase, type Db } from '../../db/index.ts';
import { setupOrganisation } from '../../server/services/setup.ts';
import { buildIntake } from '../../server/services/organisation.ts';
import { recoveryKeyPairFromKit } from '../../protocol/keys.ts';
import type { Intake } from '../../protocol/api.ts';
import type { KeyPair } from '../../protocol/envelope.ts';

export const ADMIN_PASSWORD = 'correct horse battery staple';
/** From the documentation range (RFC 5737): a test can search for it anywhere. */
export const CLIENT_IP = '198.51.100.23';

export interface TestApp {
  app: App;
  db: Db;
  config: Config;
  dataDir: string;
  logs: string[];
  kit?: string;
  recovery?: KeyPair;
  intake(): Intake;
  close(): Promise<void>;
}

export async function makeTestApp(options: { setup?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-test-'));
  // Background jobs off: tests drive them (mail, deadlines, retention) with a controlled clock.
  const config: Config = { ...loadConfig({}), dataDir, clientDir: resolve('dist/client'), jobIntervalMs: 0, ...options.config };
  const db = openDatabase(dataDir);
  let kit: string | undefined;
  if (options.setup !== false) {
    kit = await setupOrganisation(db, { organisationName: 'Test Org', adminEmail: 'admin@example.org', password: ADMIN_PASSWORD });
  }
  const logs: string[] = [];
  const app = await buildApp({
    config, db,
    logger: { level: 'info', serializers: LOG_SERIALIZERS, stream: { write: (line: string) => logs.push(line) } },
  });
  return {
    app, db, config, dataDir, logs, kit,
    recovery: kit ? (await recoveryKeyPairFromKit(kit))! : undefined,
    intake: () => buildIntake(db)!,
    async close() {
      await app.close();
      db.$client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Every byte of every file in the data folder, as latin1 text (for searching). Read by another
 * process (cat): closing a descriptor of the database file in this process would drop SQLite's
 * POSIX locks on it (a known trap of fcntl locks), and another process, such as the CLI, could
 * then reset the write-ahead log under this process's open connection.
 */
export function dataFolderBytes(dataDir: string, files = ['redress.sqlite', 'redress.sqlite-wal', 'redress.sqlite-shm']): string {
  return files.map((f) => {
    try { return execFileSync('cat', [join(dataDir, f)], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString('latin1'); } catch { return ''; }
  }).join('\n');
}

/** The same app, listening on a free loopback port, for the browser tests. */
export async function startTestServer(options: Parameters<typeof makeTestApp>[0] = {}): Promise<TestApp & { base: string }> {
  const t = await makeTestApp(options);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { ...t, base: `http://127.0.0.1:${port}` };
}
