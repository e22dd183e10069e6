// The remedy side of a case at the desk: its panel (reference, consents, coding, deadlines,
// referrals, suggested pathways), case coding after reading, and the deadlines of my cases.
import { and, asc, eq, inArray, isNotNull, isNull, lt, notInArray, or, type SQL } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { cases, deployments, pathways, referrals } from '../../db/schema.ts';
import type { Coding, DeadlineItem, RemedyPanel } from '../../protocol/remedy-api.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { caseForMember } from './case-access.ts';
import type { CaseRow } from './cases.ts';
import { DUE_SOON_MS, caseTimers, followUpTimer } from './deadlines.ts';
import { replyWindow } from './follow-up.ts';
import { listPathways } from './pathways.ts';
import { teamIdsOf } from './queue.ts';
import { listReferrals } from './referrals.ts';
import { suggestPathways } from './suggestions.ts';

const codingOf = (row: CaseRow): Coding => ({
  codedCategory: row.codedCategory, codedSystemType: row.codedSystemType, deployerClass: row.deployerClass, deploymentId: row.deploymentId,
});

/** Pathway ids the register names for a deployment (its entry's pathwayIds), if the register has it. */
function deploymentPathwayIds(db: Conn, deploymentId: string | null): string[] {
  if (!deploymentId) return [];
  const entry = db.select({ entry: deployments.entry }).from(deployments).where(eq(deployments.id, deploymentId)).get()?.entry;
  const ids = entry?.pathwayIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

export function remedyPanel(db: Conn, caseId: string, userId: string, now = new Date()): RemedyPanel {
  const row = caseForMember(db, caseId, userId);
  return {
    reference: row.reference ?? '',
    consent: { referral: row.consentReferral, shareData: row.consentShareData },
    coding: codingOf(row),
    deployments: db.select({ id: deployments.id, systemName: deployments.systemName }).from(deployments).orderBy(asc(deployments.systemName)).all(),
    timers: caseTimers(row, now),
    repliesOpenUntil: replyWindow(db, row, now).repliesOpenUntil,
    referrals: listReferrals(db, row.id),
    suggestions: suggestPathways(listPathways(db), {
      category: row.codedCategory ?? row.category,
      country: row.country,
      urgent: row.urgent,
      incidentMonth: row.incidentMonth,
      deployerClass: row.deployerClass,
      deploymentPathwayIds: deploymentPathwayIds(db, row.deploymentId),
    }, now),
  };
}

/** The caseworker's reading of the case: what statistics count, rather than the reporter's fields alone. */
export function codeCase(db: Conn, caseId: string, userId: string, coding: Coding, now = new Date()): Coding {
  const row = caseForMember(db, caseId, userId);
  if (coding.deploymentId && !db.select({ id: deployments.id }).from(deployments).where(eq(deployments.id, coding.deploymentId)).get()) {
    throw new AppError(422, 'unknown_deployment', 'deploymentId');
  }
  db.transaction((tx) => {
    tx.update(cases).set({ ...coding, updatedAt: now.toISOString() }).where(eq(cases.id, row.id)).run();
    appendAudit(tx, { at: now.toISOString(), actor: userId, action: 'case.coded', subject: row.id, detail: { ...coding } });
  });
  return coding;
}

const OPEN = ['received', 'triaged', 'acknowledged', 'in_progress', 'referred'] as const;
const LONGEST_SOON = Math.max(...Object.values(DUE_SOON_MS));

/**
 * Deadlines due soon or overdue on the cases assigned to me (or on all my teams' cases), the four
 * case timers and referral follow-ups, soonest first (at the same moment: urgent cases first, then a
 * case's own timers before referral follow-ups, then by reference). A deadline that no longer
 * applies (its status has passed, the referral has an answer) is not listed.
 */
export function listDeadlines(db: Conn, userId: string, scope: 'mine' | 'team', now = new Date()): DeadlineItem[] {
  const teamIds = teamIdsOf(db, userId);
  if (teamIds.length === 0) return [];
  const inScope: SQL = scope === 'mine' ? and(inArray(cases.teamId, teamIds), eq(cases.assigneeId, userId))! : inArray(cases.teamId, teamIds);
  const horizon = new Date(now.getTime() + LONGEST_SOON).toISOString();
  const candidates = db.select().from(cases).where(and(inScope, inArray(cases.status, [...OPEN]), or(
    lt(cases.triageDue, horizon), lt(cases.acknowledgeDue, horizon), lt(cases.updateDue, horizon),
  ))).all();
  const items: DeadlineItem[] = candidates.flatMap((c) => caseTimers(c, now).filter((t) => t.state !== 'ok').map((t) => ({
    caseId: c.id, reference: c.reference ?? '', status: c.status, urgent: c.urgent, assigneeId: c.assigneeId, ...t, pathwayName: null,
  })));
  const followUps = db.select({ c: cases, followUpOn: referrals.followUpOn, pathwayName: pathways.name }).from(referrals)
    .innerJoin(cases, eq(cases.id, referrals.caseId)).innerJoin(pathways, eq(pathways.id, referrals.pathwayId))
    .where(and(inScope, notInArray(cases.status, ['purged']), isNull(referrals.outcome), isNotNull(referrals.followUpOn))).all();
  for (const f of followUps) {
    const timer = followUpTimer(f.followUpOn!, now);
    if (timer.state === 'ok') continue;
    items.push({ caseId: f.c.id, reference: f.c.reference ?? '', status: f.c.status, urgent: f.c.urgent, assigneeId: f.c.assigneeId, ...timer, pathwayName: f.pathwayName });
  }
  const followUpLast = (d: DeadlineItem) => (d.kind === 'referral_follow_up' ? 1 : 0);
  return items.sort((a, b) => a.due.localeCompare(b.due) || Number(b.urgent) - Number(a.urgent)
    || followUpLast(a) - followUpLast(b) || a.reference.localeCompare(b.reference));
}
