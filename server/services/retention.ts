// Retention: a closed case is purged once its team's retention period has passed since it closed.
// Its ciphertext, messages, notes and timeline go, as do the reporter's key, the receipt's hash and
// the body's reference of each referral; what statistics count stays (the clear and coded fields,
// the close outcome, which bodies it went to and what they answered), with a content-free audit
// entry. secure_delete overwrites what was deleted, and a WAL checkpoint then empties the log; the
// case's encrypted files (its report's and its messages', DATA_DIR/attachments) are overwritten and
// removed once the transaction has committed, so nothing of the case is left in the data folder.
import { closeSync, fstatSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { caseEvents, caseMessages, caseNotes, cases, deadlineNotices, referrals, teams, uploads } from '../../db/schema.ts';
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

/** Purges one case in one transaction (if it is still closed); the ids of its files if it did, else null. */
function purgeOne(db: Conn, candidate: PurgeCandidate, actor: string, now: Date): string[] | null {
  return db.transaction((tx) => {
    const row = tx.select({ status: cases.status }).from(cases).where(eq(cases.id, candidate.id)).get();
    if (row?.status !== 'closed') return null;
    // The files of the report and of every message (a message's files carry its case id too);
    // first, since they refer to the messages.
    const files = tx.select({ id: uploads.id }).from(uploads).where(eq(uploads.caseId, candidate.id)).all().map((u) => u.id);
    tx.delete(uploads).where(eq(uploads.caseId, candidate.id)).run();
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
    return files;
  });
}

/**
 * Overwrites an encrypted file with zeros, then removes it. Best effort, like secure_delete: a
 * journalling or copy-on-write file system, or an SSD, may keep the old blocks (OPERATIONS.md).
 */
function destroyFile(path: string): void {
  let fd: number;
  try { fd = openSync(path, 'r+'); } catch { return; } // already gone (or never completed)
  try {
    const zeros = Buffer.alloc(64 * 1024);
    const size = fstatSync(fd).size;
    for (let at = 0; at < size; at += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
}

/**
 * Purges every case that is due; returns the ones purged. `attachmentsDir` is DATA_DIR/attachments,
 * where the cases' encrypted files are removed from (after each case's transaction has committed;
 * a file that could not be removed has no row left, so the upload cleanup removes it later).
 */
export function purgeExpiredCases(db: Conn, actor: string, now: Date, attachmentsDir: string): PurgeCandidate[] {
  const purged: PurgeCandidate[] = [];
  for (const candidate of purgeCandidates(db, now)) {
    const files = purgeOne(db, candidate, actor, now);
    if (files === null) continue;
    purged.push(candidate);
    for (const id of files) destroyFile(join(attachmentsDir, id));
  }
  // Move what the WAL holds into the (overwritten) database file and empty the log.
  if (purged.length > 0) db.all(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
  return purged;
}
