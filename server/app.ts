// Builds the Fastify app as a plugin tree: cross-cutting plugins first, then one folder of
// routes per area. It never listens: main.ts does, and tests drive it with app.inject.
import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '../db/index.ts';
import { LIMITS } from '../protocol/limits.ts';
import type { Config } from './config.ts';
import './types.ts';
import argon2 from './plugins/argon2.ts';
import auth, { PUBLIC } from './plugins/auth.ts';
import connections, { connectionOptions } from './plugins/connections.ts';
import database from './plugins/db.ts';
import globalLimits from './plugins/global-limits.ts';
import errors, { sendError } from './plugins/errors.ts';
import jobs from './plugins/jobs.ts';
import locales from './plugins/locales.ts';
import rateLimits from './plugins/rate-limit.ts';
import seedRegister from './plugins/seed-register.ts';
import securityHeaders, { securityHeaders as securityHeaderList } from './plugins/security-headers.ts';
import staticAssets from './plugins/static-assets.ts';
import state from './plugins/state.ts';
import files from './plugins/files.ts';
import storageHygiene from './plugins/storage-hygiene.ts';
import authRoutes from './routes/auth/index.ts';
import caseRoutes from './routes/cases/index.ts';
import pathwayRoutes from './routes/pathways/index.ts';
import remedyRoutes from './routes/remedy/index.ts';
import deskPages from './routes/desk/index.tsx';
import followUp from './routes/follow-up/index.tsx';
import health from './routes/health/index.ts';
import accountRoutes from './routes/admin/accounts.ts';
import auditRoutes from './routes/admin/audit.ts';
import invitationRoutes from './routes/admin/invitations.ts';
import publicTextRoutes from './routes/admin/public-texts.ts';
import setupRoutes from './routes/setup/index.ts';
import teamRoutes from './routes/teams/index.ts';
import intake from './routes/intake/index.ts';
import pages from './routes/pages/index.tsx';
import serviceWorker from './routes/pages/service-worker.ts';
import reports from './routes/reports/index.ts';
import uploadRoutes from './routes/uploads/index.ts';
import accountability from './routes/accountability/index.tsx';
import registerRoutes from './routes/register/index.ts';
import statsRoutes from './routes/stats/index.ts';

export interface BuildOptions {
  config: Config;
  /** A database opened by the caller (tests); otherwise one is opened in config.dataDir. */
  db?: Db;
  /** Pino options or a stream destination; tests pass a stream to read every log line. */
  logger?: FastifyServerOptions['logger'];
}

/** Logs carry method, path and status only: never an address, a query string or a body. */
export const LOG_SERIALIZERS = {
  req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

export async function buildApp({ config, db, logger }: BuildOptions) {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, serializers: LOG_SERIALIZERS },
    // Per-request lines would carry a precise time next to each public submission, undoing the
    // day-only receivedOn. Only errors are logged (see plugins/errors.ts), with no request detail.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: LIMITS.maxReportBodyBytes,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    ...connectionOptions(config),
    // A path Fastify cannot decode (broken percent-encoding) or a parameter over its length is
    // refused before routing and before any hook: answered here with the security headers and a
    // stable code, never echoing the path (Fastify's default does both wrong).
    frameworkErrors: (error, req, reply) => {
      for (const [name, value] of securityHeaderList(config.tls)) reply.header(name, value);
      reply.header('cache-control', 'no-store');
      return sendError(req, reply, { statusCode: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400, code: 'invalid_request' });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  await app.register(locales);
  await app.register(errors);
  await app.register(securityHeaders);
  await app.register(database, { db });
  await app.register(seedRegister);
  await app.register(storageHygiene);
  await app.register(state);
  await app.register(files);
  await app.register(connections);
  await app.register(jobs);
  await app.register(rateLimits);
  await app.register(globalLimits);
  await app.register(argon2);
  await app.register(auth);
  await app.register(multipart, {
    limits: { fieldNameSize: 64, fieldSize: 4 * LIMITS.maxNarrativeChars + 1024, fields: 40, files: 0, parts: 50, headerPairs: 20 },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Redress API', version: '1', description: 'Complaint and remedy intake. Shapes are generated from protocol/*.ts; byte formats and derivations are in docs/PROTOCOL.md.' },
      components: { securitySchemes: { deskSession: { type: 'apiKey', in: 'cookie', name: 'redress_session', description: '__Host-redress_session over TLS' } } },
    },
  });
  await app.register(staticAssets);

  await app.register(health);
  await app.register(intake);
  await app.register(reports);
  await app.register(uploadRoutes);
  await app.register(pages);
  await app.register(serviceWorker);
  await app.register(authRoutes);
  await app.register(caseRoutes);
  await app.register(remedyRoutes);
  await app.register(pathwayRoutes);
  await app.register(teamRoutes);
  await app.register(invitationRoutes);
  await app.register(accountRoutes);
  await app.register(auditRoutes);
  await app.register(publicTextRoutes);
  await app.register(setupRoutes);
  await app.register(deskPages);
  await app.register(followUp);
  await app.register(statsRoutes);
  await app.register(registerRoutes);
  await app.register(accountability);
  app.get('/api/openapi.json', { config: PUBLIC, schema: { hide: true } }, async () => app.swagger());
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
