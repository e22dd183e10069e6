// Desk sessions: random ids in an HttpOnly, SameSite=Strict cookie, stored hashed; idle and
// absolute expiry; a CSRF token per session that state-changing requests must echo in a header.
import { createHash, randomBytes } from 'node:crypto';
import { eq, lt, or } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { sessions } from '../../db/schema.ts';

export const SESSION = {
  idleMinutes: 30,
  absoluteHours: 12,
} as const;

export type SessionStage = 'totp_enrol' | 'full';
export type Session = typeof sessions.$inferSelect;

const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');

export function createSession(db: Conn, userId: string, stage: SessionStage, now = new Date()): { id: string; session: Session } {
  const id = randomBytes(32).toString('base64url');
  const session: Session = {
    idHash: hashId(id),
    userId,
    stage,
    csrfToken: randomBytes(24).toString('base64url'),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION.absoluteHours * 3_600_000).toISOString(),
  };
  db.insert(sessions).values(session).run();
  purgeExpiredSessions(db, now);
  return { id, session };
}

/** The live session for a cookie value, touched; null when unknown, idle too long or expired. */
export function loadSession(db: Conn, id: string | undefined, now = new Date()): Session | null {
  if (!id || id.length > 100) return null;
  const session = db.select().from(sessions).where(eq(sessions.idHash, hashId(id))).get();
  if (!session) return null;
  const idleLimit = new Date(session.lastSeenAt).getTime() + SESSION.idleMinutes * 60_000;
  if (now.getTime() > idleLimit || now.toISOString() > session.expiresAt) {
    db.delete(sessions).where(eq(sessions.idHash, session.idHash)).run();
    return null;
  }
  db.update(sessions).set({ lastSeenAt: now.toISOString() }).where(eq(sessions.idHash, session.idHash)).run();
  return { ...session, lastSeenAt: now.toISOString() };
}

export function destroySession(db: Conn, id: string): void {
  db.delete(sessions).where(eq(sessions.idHash, hashId(id))).run();
}

export function destroyUserSessions(db: Conn, userId: string): void {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}

/** Drops sessions past their absolute or idle limit (run at each sign-in, so the table stays small). */
export function purgeExpiredSessions(db: Conn, now = new Date()): void {
  const idleCutoff = new Date(now.getTime() - SESSION.idleMinutes * 60_000).toISOString();
  db.delete(sessions).where(or(lt(sessions.expiresAt, now.toISOString()), lt(sessions.lastSeenAt, idleCutoff))).run();
}
