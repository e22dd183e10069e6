// Desk sessions: random ids in an HttpOnly, SameSite=Strict cookie, stored hashed; idle and
// absolute expiry; a CSRF token per session that state-changing requests must echo in a header.
// When a session was last used is kept in the app's memory only (app.state.sessionActivity): a
// stored time per desk request would bracket every submission in the data folder (PROTOCOL.md §35).
import { createHash, randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { sessions } from '../../db/schema.ts';
import type { Store } from '../state.ts';

export const SESSION = {
  idleMinutes: 30,
  absoluteHours: 12,
} as const;

export type SessionStage = 'totp_enrol' | 'full';
export type Session = typeof sessions.$inferSelect;
/** Session id hash → when it was last used (ms since the epoch). */
export type SessionActivity = Store<number>;

const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');

export function createSession(db: Conn, activity: SessionActivity, userId: string, stage: SessionStage, now = new Date()): { id: string; session: Session } {
  const id = randomBytes(32).toString('base64url');
  const session: Session = {
    idHash: hashId(id),
    userId,
    stage,
    csrfToken: randomBytes(24).toString('base64url'),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION.absoluteHours * 3_600_000).toISOString(),
  };
  db.insert(sessions).values(session).run();
  activity.set(session.idHash, now.getTime(), now.getTime());
  purgeExpiredSessions(db, activity, now);
  return { id, session };
}

/** Last use: from memory, or (after a restart) the session's creation. */
function lastSeen(activity: SessionActivity, session: Session, now: number): number {
  return activity.get(session.idHash, now) ?? Date.parse(session.createdAt);
}

function expired(activity: SessionActivity, session: Session, now: Date): boolean {
  return now.getTime() > lastSeen(activity, session, now.getTime()) + SESSION.idleMinutes * 60_000 || now.toISOString() > session.expiresAt;
}

/** The live session for a cookie value, touched in memory; null when unknown, idle too long or expired. */
export function loadSession(db: Conn, activity: SessionActivity, id: string | undefined, now = new Date()): Session | null {
  if (!id || id.length > 100) return null;
  const session = db.select().from(sessions).where(eq(sessions.idHash, hashId(id))).get();
  if (!session) return null;
  if (expired(activity, session, now)) {
    db.delete(sessions).where(eq(sessions.idHash, session.idHash)).run();
    activity.delete(session.idHash);
    return null;
  }
  activity.set(session.idHash, now.getTime(), now.getTime());
  return session;
}

export function destroySession(db: Conn, id: string): void {
  db.delete(sessions).where(eq(sessions.idHash, hashId(id))).run();
}

export function destroyUserSessions(db: Conn, userId: string): void {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}

/** Drops sessions past their absolute or idle limit (run at each sign-in, so the table stays small). */
export function purgeExpiredSessions(db: Conn, activity: SessionActivity, now = new Date()): void {
  db.delete(sessions).where(lt(sessions.expiresAt, now.toISOString())).run();
  for (const session of db.select().from(sessions).all()) {
    if (expired(activity, session, now)) {
      db.delete(sessions).where(eq(sessions.idHash, session.idHash)).run();
      activity.delete(session.idHash);
    }
  }
}
