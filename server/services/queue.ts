// The triage queue: the cases of the caller's teams, filtered, sorted by deadline, paginated,
// with counts per status. Only clear fields leave here; ciphertext only in the case view.
import { and, asc, count, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { cases, teamMembers } from '../../db/schema.ts';
import type { QueueQuery } from '../../protocol/desk-api.ts';

export const PAGE_SIZE = 50;

export function teamIdsOf(db: Conn, userId: string): string[] {
  return db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, userId)).all().map((r) => r.teamId);
}

/**
 * Overdue: not triaged in time, or triaged but not acknowledged in time. (A received case's
 * triage deadline always comes before its acknowledgement deadline, so two index ranges suffice.)
 */
function overdue(now: string): SQL {
  return or(
    and(eq(cases.status, 'received'), lt(cases.triageDue, now)),
    and(eq(cases.status, 'triaged'), lt(cases.acknowledgeDue, now)),
  )!;
}

export function queue(db: Conn, userId: string, query: QueueQuery, now = new Date()) {
  const teamIds = teamIdsOf(db, userId);
  const page = Number(query.page ?? '1');
  if (teamIds.length === 0) return { items: [], total: 0, page, pageSize: PAGE_SIZE, counts: { byStatus: {}, overdue: 0, urgent: 0 } };
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
  const where = and(...filters);

  const order = query.sort === 'received' ? [desc(cases.receivedOn), asc(cases.id)] : [asc(cases.triageDue), asc(cases.id)];
  const items = db.select({
    id: cases.id, teamId: cases.teamId, status: cases.status, category: cases.category, systemType: cases.systemType,
    country: cases.country, language: cases.language, urgent: cases.urgent, child: cases.child, receivedOn: cases.receivedOn,
    triageDue: cases.triageDue, acknowledgeDue: cases.acknowledgeDue, assigneeId: cases.assigneeId, sealedBy: cases.sealedBy,
    overdue: sql<number>`${overdue(nowIso)}`,
  }).from(cases).where(where).orderBy(...order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).all()
    .map((row) => ({ ...row, overdue: Boolean(row.overdue) }));
  const total = db.select({ n: count() }).from(cases).where(where).get()!.n;

  const byStatus = Object.fromEntries(
    db.select({ status: cases.status, n: count() }).from(cases).where(mine).groupBy(cases.status).all().map((r) => [r.status, r.n]),
  );
  const overdueCount = db.select({ n: count() }).from(cases).where(and(mine, overdue(nowIso))).get()!.n;
  const urgentCount = db.select({ n: count() }).from(cases).where(and(mine, eq(cases.urgent, true), sql`${cases.status} not in ('closed','purged')`)).get()!.n;
  return { items, total, page, pageSize: PAGE_SIZE, counts: { byStatus, overdue: overdueCount, urgent: urgentCount } };
}
