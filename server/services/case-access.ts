// One place that decides whether a desk user may see a case: they must belong to its team.
// Anyone else gets 404, so case ids reveal nothing; the team itself learns that a case was purged.
import { and, eq } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { cases, grants, teamMembers } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import type { CaseRow } from './cases.ts';

export function caseForMember(db: Conn, caseId: string, userId: string): CaseRow {
  const row = db.select().from(cases).where(eq(cases.id, caseId)).get();
  const member = row && db.select().from(teamMembers)
    .where(and(eq(teamMembers.teamId, row.teamId), eq(teamMembers.userId, userId))).get();
  if (!row || !member) throw new AppError(404, 'not_found');
  if (row.status === 'purged') throw new AppError(410, 'case_purged');
  return row;
}

/** The case's team key sealed to this user, if a team member has granted it yet. */
export function grantFor(db: Conn, teamKeyId: string, userId: string): string | null {
  return db.select({ sealed: grants.sealedPrivateKey }).from(grants)
    .where(and(eq(grants.teamKeyId, teamKeyId), eq(grants.userId, userId))).get()?.sealed ?? null;
}
