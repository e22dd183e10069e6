// Who may call a route, decided before the body is read: every route declares `config.access`
// ('public', or the desk roles and session stage it needs), the app refuses to start with a
// route that does not, and a desk route's session, role and CSRF token are checked in onRequest,
// so a caller without a session gets 401, never a 400 that describes the schema.
import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCOUNT_ROLES, type AccountRole, type SessionStage } from '../../protocol/taxonomy.ts';
import { AppError } from '../errors.ts';
import { findActiveUser, type User } from '../services/accounts.ts';
import { loadSession, type Session } from '../services/sessions.ts';

export type Role = AccountRole;
export type Access = 'public' | { roles: readonly AccountRole[]; stage: SessionStage };

/** A desk route for these roles, with a fully signed-in session (or the given stage). */
export const desk = (roles: readonly AccountRole[], stage: SessionStage = 'full'): { access: Access } => ({ access: { roles, stage } });
export const PUBLIC: { access: Access } = { access: 'public' };
export const ALL_ROLES = ACCOUNT_ROLES;
export const CASE_HANDLERS: readonly AccountRole[] = ['admin', 'caseworker'];
export const ADMINS: readonly AccountRole[] = ['admin'];

/** One registered route and who may call it: what the authorisation test enumerates. */
export interface RouteEntry { method: string; url: string; access: Access }

declare module 'fastify' {
  interface FastifyContextConfig { access?: Access }
  interface FastifyInstance { routeTable: RouteEntry[] }
  interface FastifyRequest {
    session: Session | null;
    user: User | null;
  }
}

export function sessionCookieName(tls: boolean): string {
  return tls ? '__Host-redress_session' : 'redress_session';
}

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const match = new RegExp(`(?:^|;\\s*)${name.replace(/[-_]/g, '\\$&')}=([^;]+)`).exec(req.headers.cookie ?? '');
  return match?.[1];
}

export function setSessionCookie(reply: FastifyReply, tls: boolean, id: string | null): void {
  const attributes = `Path=/; HttpOnly; SameSite=Strict${tls ? '; Secure' : ''}`;
  reply.header('set-cookie', id ? `${sessionCookieName(tls)}=${id}; ${attributes}` : `${sessionCookieName(tls)}=; ${attributes}; Max-Age=0`);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Signed in (at the route's stage), not disabled, CSRF-checked on changes, and one of the roles. */
function authenticate(req: FastifyRequest, access: Exclude<Access, 'public'>): void {
  const session = loadSession(req.server.db, req.server.state.sessionActivity, readCookie(req, sessionCookieName(req.server.config.tls)));
  if (!session || session.stage !== access.stage) throw new AppError(401, 'not_signed_in');
  const user = findActiveUser(req.server.db, session.userId);
  if (!user) throw new AppError(401, 'not_signed_in');
  if (!SAFE_METHODS.has(req.method) && !sameToken(String(req.headers['x-csrf-token'] ?? ''), session.csrfToken)) {
    throw new AppError(403, 'csrf_failed');
  }
  if (!access.roles.includes(user.role)) throw new AppError(403, 'forbidden');
  req.session = session;
  req.user = user;
}

export default fp(async function auth(app) {
  app.decorateRequest('session', null);
  app.decorateRequest('user', null);
  app.decorate('routeTable', [] as RouteEntry[]);
  // Routes are checked once the app is ready, so a plugin's own hook may still declare access
  // (static files do) after this hook has seen the route.
  const registered: { method: string | string[]; url: string; config?: { access?: Access } }[] = [];
  app.addHook('onRoute', (route) => {
    registered.push(route);
    // The OpenAPI document says who may call a desk route (swagger reads the schema after this hook).
    const access = route.config?.access;
    if (access && access !== 'public') {
      route.schema = {
        ...route.schema, tags: ['desk'], security: [{ deskSession: [] }],
        description: `Desk: ${access.roles.join(', ')}${access.stage === 'full' ? '' : ` (session stage ${access.stage})`}. CSRF header x-csrf-token on changes.`,
      };
    }
  });
  app.addHook('onReady', async () => {
    for (const route of registered) {
      const methods = [route.method].flat().filter((m) => m !== 'HEAD');
      const access = route.config?.access;
      if (!access) throw new Error(`route ${methods.join(',')} ${route.url} declares no access (config.access)`);
      for (const method of methods) app.routeTable.push({ method, url: route.url, access });
    }
  });
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (access && access !== 'public') authenticate(req, access);
  });
}, { name: 'auth', dependencies: ['db', 'state'] });

/** The signed-in caller of a desk route (set by the onRequest check above). */
export function caller(req: FastifyRequest): User {
  if (!req.user) throw new AppError(401, 'not_signed_in');
  return req.user;
}

export function currentSession(req: FastifyRequest): Session {
  if (!req.session) throw new AppError(401, 'not_signed_in');
  return req.session;
}
