// The triage queue: the cases of the caller's teams, filtered, sorted by their next deadline,
// paginated, with counts per status. Only clear fields leave here; ciphertext only in the case view.
import { and, asc, count, desc, eq, gt, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { cases, teamMembers } from '../../db/schema.ts';
import { normaliseReference } from '../../protocol/case-reference.ts';
import type { QueueQuery } from '../../protocol/desk-api.ts';
import { caseTimers, mostPressing } from './deadlines.ts';

export const PAGE_SIZE = 50;

export function teamIdsOf(db: Conn, userId: string): string[] {
  return db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, userId)).all().map((r) => r.teamId);
}

/**
 * Overdue: not triaged in time, not acknowledged in time, or no status update to the reporter in
 * 30 days. (Each status's earliest applicable deadline is the one that can be overdue first, and
 * silence (90 days) always follows update (30 days), so one range per status suffices.)
 */
export function overdue(now: string): SQL {
  return or(
    and(eq(cases.status, 'received'), lt(cases.triageDue, now)),
    and(eq(cases.status, 'triaged'), lt(cases.acknowledgeDue, now)),
    and(inArray(cases.status, ['acknowledged', 'in_progress', 'referred']), lt(cases.updateDue, now)),
  )!;
}

/** The next deadline of a case in its status (what "deadline first" orders by); closed last. */
const nextDue = sql`case ${cases.status}
  when 'received' then ${cases.triageDue} when 'triaged' then ${cases.acknowledgeDue}
  when 'closed' then '9999' when 'purged' then '9999' else ${cases.updateDue} end`;

export function queue(db: Conn, userId: string, query: QueueQuery, now = new Date()) {
  const teamIds = teamIdsOf(db, userId);
  const page = Number(query.page ?? '1');
  if (teamIds.length === 0) return { items: [], total: 0, page, pageSize: PAGE_SIZE, counts: { byStatus: {}, overdue: 0, urgent: 0, unread: 0 } };
  const mine = inArray(cases.teamId, teamIds);
  const nowIso = now.toISOString();
  const filters: SQL[] = [mine];
  if (query.status) filters.push(eq(cases.status, query.status));
  else filters.push(sql`${cases.status} <> 'purged'`);
  if (query.category) filters.push(eq(cases.category, query.category));
  if (query.country) filters.push(eq(cases.country, query.country));
  if (query.language) filters.push(eq(cases.language, query.language));
  if (query.urgent) filters.push(eq(cases.urgent, query.urgent === 'true'));
  if (query.assignee === 'none') filters.push(sql`${cases.assigneeId} is null`);
  else if (query.assignee) filters.push(eq(cases.assigneeId, query.assignee));
  if (query.overdue) filters.push(overdue(nowIso));
  if (query.unread) filters.push(gt(cases.unread, 0));
  if (query.reference) {
    // A whole reference or its start; something that cannot be one matches nothing.
    const typed = normaliseReference(query.reference);
    filters.push(typed ? like(cases.reference, `${typed}%`) : sql`0`);
  }
  const where = and(...filters);

  const order = query.sort === 'received' ? [desc(cases.receivedOn), asc(cases.id)] : [asc(nextDue), asc(cases.id)];
  const items = db.select({
    id: cases.id, teamId: cases.teamId, status: cases.status, category: cases.category, systemType: cases.systemType,
    country: cases.country, language: cases.language, urgent: cases.urgent, child: cases.child, receivedOn: cases.receivedOn,
    triageDue: cases.triageDue, acknowledgeDue: cases.acknowledgeDue, assigneeId: cases.assigneeId, sealedBy: cases.sealedBy,
    reference: cases.reference, unread: cases.unread, updateDue: cases.updateDue, silenceDue: cases.silenceDue,
    overdue: sql<number>`${overdue(nowIso)}`,
  }).from(cases).where(where).orderBy(...order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).all()
    .map(({ updateDue, silenceDue, ...row }) => ({
      ...row, reference: row.reference ?? '', overdue: Boolean(row.overdue),
      deadline: mostPressing(caseTimers({ ...row, updateDue, silenceDue }, now)),
    }));
  const total = db.select({ n: count() }).from(cases).where(where).get()!.n;

  const byStatus = Object.fromEntries(
    db.select({ status: cases.status, n: count() }).from(cases).where(mine).groupBy(cases.status).all().map((r) => [r.status, r.n]),
  );
  const overdueCount = db.select({ n: count() }).from(cases).where(and(mine, overdue(nowIso))).get()!.n;
  const urgentCount = db.select({ n: count() }).from(cases).where(and(mine, eq(cases.urgent, true), sql`${cases.status} not in ('closed','purged')`)).get()!.n;
  const unreadCount = db.select({ n: count() }).from(cases).where(and(mine, gt(cases.unread, 0))).get()!.n;
  return { items, total, page, pageSize: PAGE_SIZE, counts: { byStatus, overdue: overdueCount, urgent: urgentCount, unread: unreadCount } };
}
