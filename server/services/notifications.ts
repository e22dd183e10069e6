// Queues content-free notices for the members of a team, inside the caller's transaction. A row
// names an account and a kind ("new case", "reporter reply", …), never a case: the mail it becomes
// says only that there is something in the queue. At most one row waits per account and kind, so
// the outbox stays small however many cases arrive while a mail server is down.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { notifications, teamMembers, users } from '../../db/schema.ts';
import type { NoticeKind, NotifyMode } from '../../protocol/taxonomy.ts';

/** Daily digests go out at this hour (UTC). */
export const DIGEST_HOUR_UTC = 7;

export function nextDigestAt(now: Date): string {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), DIGEST_HOUR_UTC));
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at.toISOString();
}

/** Active members of a team, with how each wants to be told. */
export function teamRecipients(db: Conn, teamId: string): { id: string; notify: NotifyMode }[] {
  return db.select({ id: users.id, notify: users.notify }).from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), isNull(users.disabledAt))).all();
}

/**
 * One notice per recipient: an urgent case at once whatever the account chose; anything else at
 * once, or folded into tomorrow's digest for accounts that asked for one.
 */
export function queueNotices(db: Conn, recipients: { id: string; notify: NotifyMode }[], kind: Exclude<NoticeKind, 'digest'>, now = new Date()): void {
  for (const r of recipients) {
    const digest = kind !== 'urgent_case' && r.notify === 'daily';
    db.insert(notifications).values({
      id: randomUUID(), userId: r.id, kind: digest ? 'digest' : kind, dueAt: digest ? nextDigestAt(now) : now.toISOString(),
    }).onConflictDoNothing().run();
  }
}

export function notifyTeam(db: Conn, teamId: string, kind: Exclude<NoticeKind, 'digest'>, now = new Date()): void {
  queueNotices(db, teamRecipients(db, teamId), kind, now);
}

/** Recipients given by id (an assignee), if still active. */
export function recipientsById(db: Conn, ids: string[]): { id: string; notify: NotifyMode }[] {
  if (ids.length === 0) return [];
  return db.select({ id: users.id, notify: users.notify }).from(users).where(and(inArray(users.id, ids), isNull(users.disabledAt))).all();
}
