// Child process for bench/server-load.ts: serves the real app or the bare baseline on loopback, reports its URL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../db/index.ts';
import { setupOrganisation } from '../server/services/setup.ts';
import { GLOBAL_LIMITS } from '../server/plugins/global-limits.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'redress-bench-'));

async function realApp(): Promise<FastifyInstance> {
  const db = openDatabase(dataDir);
  await setupOrganisation(db, { organisationName: 'Bench Org', adminEmail: 'admin@example.org', password: 'bench password 1234' });
  // Measure the work of a submission, not the caps against floods: the per-client limit and the
  // route's cap for all clients together (600 a minute, PROTOCOL.md §34.2) are lifted here.
  GLOBAL_LIMITS['POST /api/reports'] = 0;
  const config = { ...loadConfig({}), dataDir, clientDir: resolve('dist/client'), logLevel: 'warn', submitRateLimit: 1_000_000, maxConnectionsPerClient: 0 };
  return buildApp({ config, db }) as unknown as Promise<FastifyInstance>;
}

/** The floor: one POST route that keeps the raw JSON text in a WAL-mode SQLite table. */
async function baseline(): Promise<FastifyInstance> {
  const sqlite = new Database(join(dataDir, 'baseline.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  // The same durability as the app (db/index.ts): a 201 means the row survives a power cut.
  sqlite.pragma('synchronous = FULL');
  sqlite.exec('CREATE TABLE reports (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = sqlite.prepare('INSERT INTO reports (body) VALUES (?)');
  const app = Fastify({ logger: { level: 'warn' } });
  // Parse (so malformed JSON is refused, as any JSON API would) but store the text as received.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try { JSON.parse(body as string); done(null, body); } catch (err) { done(err as Error); }
  });
  app.post('/api/reports', async (req, reply) => {
    insert.run(req.body as string);
    return reply.code(201).send({ status: 'received' });
  });
  return app;
}

const app = process.argv[2] === 'baseline' ? await baseline() : await realApp();
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.send!({ base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
process.on('disconnect', () => {
  void app.close().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
