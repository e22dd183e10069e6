// Retention: a closed case is purged once its team's retention period has passed since it closed.
// Its ciphertext, messages, notes and timeline go, as do the reporter's key, the receipt's hash and
// the body's reference of each referral; what statistics count stays (the clear and coded fields,
// the close outcome, which bodies it went to and what they answered), with a content-free audit
// entry. secure_delete overwrites what was deleted, and a WAL checkpoint then empties the log, so
// nothing of the case is left in the data folder.
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { caseEvents, caseMessages, caseNotes, cases, deadlineNotices, referrals, teams } from '../../db/schema.ts';
import type { Envelope } from '../../protocol/envelope.ts';
import { appendAudit } from './audit.ts';
import { today } from './deadlines.ts';

/** What a purged case keeps in place of its envelope: a version and nothing else. */
export const PURGED_ENVELOPE: Envelope = { v: 1, nonce: '', ciphertext: '', recipients: [] };

export interface PurgeCandidate { id: string; reference: string; teamName: string; closedOn: string; retentionDays: number; dueOn: string }

/** Closed cases whose retention period has run out by `now`, oldest first. */
export function purgeCandidates(db: Conn, now = new Date()): PurgeCandidate[] {
  const dueOn = sql<string>`date(${cases.closedOn}, '+' || ${teams.retentionDays} || ' days')`;
  return db.select({
    id: cases.id, reference: cases.reference, teamName: teams.name, closedOn: cases.closedOn, retentionDays: teams.retentionDays, dueOn,
  }).from(cases).innerJoin(teams, eq(teams.id, cases.teamId))
    .where(and(eq(cases.status, 'closed'), isNotNull(cases.closedOn), sql`${dueOn} <= ${today(now)}`))
    .orderBy(cases.closedOn).all()
    .map((c) => ({ ...c, reference: c.reference ?? '', closedOn: c.closedOn! }));
}

/** Purges one case in one transaction (if it is still closed); true if it did. */
function purgeOne(db: Conn, candidate: PurgeCandidate, actor: string, now: Date): boolean {
  return db.transaction((tx) => {
    const row = tx.select({ status: cases.status }).from(cases).where(eq(cases.id, candidate.id)).get();
    if (row?.status !== 'closed') return false;
    tx.delete(caseMessages).where(eq(caseMessages.caseId, candidate.id)).run();
    tx.delete(caseNotes).where(eq(caseNotes.caseId, candidate.id)).run();
    tx.delete(caseEvents).where(eq(caseEvents.caseId, candidate.id)).run();
    tx.delete(deadlineNotices).where(eq(deadlineNotices.caseId, candidate.id)).run();
    tx.update(referrals).set({ bodyReference: null }).where(eq(referrals.caseId, candidate.id)).run();
    tx.update(cases).set({
      status: 'purged', purgedOn: today(now), envelope: PURGED_ENVELOPE,
      // Unique and not null: a value that opens nothing and is unlike any hash.
      receiptAuthHash: `purged:${candidate.id}`, reporterPublicKey: '',
      // The reporter's signing key and pin (PROTOCOL.md §28) tie the case to the receipt too.
      reporterSigningKey: null, reporterPin: null, assigneeId: null, unread: 0, updatedAt: now.toISOString(),
    }).where(eq(cases.id, candidate.id)).run();
    appendAudit(tx, {
      at: now.toISOString(), actor, action: 'case.purged', subject: candidate.id,
      detail: { closedOn: candidate.closedOn, retentionDays: String(candidate.retentionDays) },
    });
    return true;
  });
}

/** Purges every case that is due; returns the ones purged. */
export function purgeExpiredCases(db: Conn, actor: string, now = new Date()): PurgeCandidate[] {
  const purged = purgeCandidates(db, now).filter((c) => purgeOne(db, c, actor, now));
  // Move what the WAL holds into the (overwritten) database file and empty the log.
  if (purged.length > 0) db.all(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
  return purged;
}
