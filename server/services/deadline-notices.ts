// Announces deadlines by mail (content-free): once when one falls due within a day, once when it
// is overdue. The announcement goes to the case's assignee, or to its whole team when nobody is
// assigned. deadline_notices remembers what was announced, so a restart announces nothing twice.
import { and, eq, inArray, isNotNull, isNull, lt, notInArray, or } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { cases, deadlineNotices, referrals } from '../../db/schema.ts';
import type { Timer } from '../../protocol/remedy-api.ts';
import { ANNOUNCE_MS, caseTimers, deadlineState, followUpTimer } from './deadlines.ts';
import { queueNotices, recipientsById, teamRecipients } from './notifications.ts';

interface Announceable { caseId: string; teamId: string; assigneeId: string | null; timer: Timer }

const OPEN = ['received', 'triaged', 'acknowledged', 'in_progress', 'referred'] as const;

/** Deadlines of open cases (and unanswered referrals) due within a day or already past. */
function dueDeadlines(db: Conn, now: Date): Announceable[] {
  const horizon = new Date(now.getTime() + ANNOUNCE_MS).toISOString();
  const found: Announceable[] = [];
  const open = db.select().from(cases).where(and(inArray(cases.status, [...OPEN]), or(
    lt(cases.triageDue, horizon), lt(cases.acknowledgeDue, horizon), lt(cases.updateDue, horizon),
  ))).all();
  for (const c of open) {
    for (const t of caseTimers(c, now)) {
      if (Date.parse(t.due) - now.getTime() <= ANNOUNCE_MS) found.push({ caseId: c.id, teamId: c.teamId, assigneeId: c.assigneeId, timer: t });
    }
  }
  const followUps = db.select({ caseId: cases.id, teamId: cases.teamId, assigneeId: cases.assigneeId, followUpOn: referrals.followUpOn })
    .from(referrals).innerJoin(cases, eq(cases.id, referrals.caseId))
    .where(and(notInArray(cases.status, ['purged']), isNull(referrals.outcome), isNotNull(referrals.followUpOn), lt(referrals.followUpOn, horizon.slice(0, 10) + 'T'))).all();
  for (const f of followUps) {
    const timer = followUpTimer(f.followUpOn!, now);
    if (Date.parse(timer.due) - now.getTime() <= ANNOUNCE_MS) found.push({ caseId: f.caseId, teamId: f.teamId, assigneeId: f.assigneeId, timer });
  }
  return found;
}

/** Queues a notice for each deadline not yet announced at its stage; returns how many were new. */
export function announceDeadlines(db: Conn, now = new Date()): number {
  let announced = 0;
  for (const d of dueDeadlines(db, now)) {
    const stage = deadlineState(d.timer.due, ANNOUNCE_MS, now) === 'overdue' ? 'overdue' : 'due_soon';
    db.transaction((tx) => {
      const inserted = tx.insert(deadlineNotices).values({ caseId: d.caseId, kind: d.timer.kind, due: d.timer.due, stage }).onConflictDoNothing().run();
      if (inserted.changes === 0) return;
      announced++;
      const assignee = d.assigneeId ? recipientsById(tx, [d.assigneeId]) : [];
      queueNotices(tx, assignee.length > 0 ? assignee : teamRecipients(tx, d.teamId), 'deadline', now);
    });
  }
  return announced;
}
