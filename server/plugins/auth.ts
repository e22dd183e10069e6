// Desk authentication on every desk route: the session cookie, the account behind it, its role,
// and the CSRF token that every state-changing request must carry in x-csrf-token.
import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { loadSession, type Session, type SessionStage } from '../services/sessions.ts';
import type { User } from '../services/accounts.ts';

export type Role = User['role'];

declare module 'fastify' {
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

/** preHandler for a desk route: signed in (at the given stage), one of the roles, CSRF-checked. */
export function requireDesk(roles: Role[], stage: SessionStage = 'full') {
  return async (req: FastifyRequest) => {
    const session = loadSession(req.server.db, readCookie(req, sessionCookieName(req.server.config.tls)));
    if (!session || session.stage !== stage) throw new AppError(401, 'not_signed_in');
    const user = req.server.db.select().from(users).where(eq(users.id, session.userId)).get();
    if (!user || user.disabledAt) throw new AppError(401, 'not_signed_in');
    if (!SAFE_METHODS.has(req.method)) {
      const given = Buffer.from(String(req.headers['x-csrf-token'] ?? ''));
      const expected = Buffer.from(session.csrfToken);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError(403, 'csrf_failed');
    }
    if (!roles.includes(user.role)) throw new AppError(403, 'forbidden');
    req.session = session;
    req.user = user;
  };
}

export const ALL_ROLES: Role[] = ['admin', 'caseworker', 'analyst'];

export default fp(async function auth(app) {
  app.decorateRequest('session', null);
  app.decorateRequest('user', null);
}, { name: 'auth' });
