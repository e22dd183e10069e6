// Caps per public route for all clients together (PROTOCOL.md §34.2), besides the per-client rate
// limits: a flood from many addresses then stops one route for a minute instead of the server (or,
// for sign-in, instead of giving every account's guesses away). Counted in memory, a fixed window
// per minute, one counter per route (app.state.routeWindows).
import fp from 'fastify-plugin';
import { AppError } from '../errors.ts';

/** Requests per minute, all clients together. Routes not named take PUBLIC_GLOBAL_LIMIT; 0: no cap. */
export const GLOBAL_LIMITS: Record<string, number> = {
  // Each one costs an Argon2id on the server (in the worker pool).
  'POST /report': 60,
  'POST /api/reports': 600,
  'POST /report/confirm': 600,
  'POST /api/follow-up/open': 600,
  'POST /api/follow-up/messages': 600,
  'POST /api/auth/prelogin': 600,
  'POST /api/auth/login': 300,
  'POST /api/invitations/inspect': 300,
  'POST /api/invitations/accept': 60,
  'POST /api/setup': 60,
  // Monitoring and immutable files are never capped.
  'GET /healthz': 0,
  'GET /assets/*': 0,
  'GET /locales/:file': 0,
};

const WINDOW_MS = 60_000;

export default fp(async function globalLimits(app) {
  const windows = app.state.routeWindows;
  app.addHook('onRequest', async (req, reply) => {
    const { method, url, config } = req.routeOptions;
    if (!url || config?.access !== 'public') return;
    const route = `${method} ${url}`;
    const limit = GLOBAL_LIMITS[route] ?? app.config.publicGlobalLimit;
    if (!limit) return;
    const now = Date.now();
    const window = windows.get(route);
    if (!window || now - window.start >= WINDOW_MS) {
      windows.set(route, { start: now, count: 1 });
      return;
    }
    window.count++;
    if (window.count > limit) {
      reply.header('retry-after', String(Math.ceil((window.start + WINDOW_MS - now) / 1000)));
      throw new AppError(503, 'server_busy');
    }
  });
}, { name: 'global-limits', dependencies: ['state'] });
