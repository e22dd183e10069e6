// What a caseworker does to a case they can see: open it (ciphertext and their sealed team key),
// move it along the lifecycle, assign it, read and write messages and internal notes. Each change
// and its audit entry are written in one transaction.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { caseMessages, caseNotes, cases, teamKeys, teamMembers } from '../../db/schema.ts';
import type { CaseDetail, CaseNote, ChangeStatus, DeskMessage } from '../../protocol/desk-api.ts';
import { decodeEnvelope, type Envelope } from '../../protocol/envelope.ts';
import { canMove, isReopening } from '../../protocol/lifecycle.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { caseForMember, grantFor } from './case-access.ts';
import { caseClearFields } from './cases.ts';
import { today, updateDeadlines } from './deadlines.ts';
import { addMessage, recordEvent } from './follow-up.ts';
import { caseFile } from './attachments.ts';
import type { FileStore } from './uploads.ts';

const now = () => new Date().toISOString();

export function openCase(db: Conn, caseId: string, userId: string): CaseDetail {
  const row = caseForMember(db, caseId, userId);
  const teamKey = db.select().from(teamKeys).where(eq(teamKeys.id, row.teamKeyId)).get()!;
  appendAudit(db, { at: now(), actor: userId, action: 'case.opened', subject: row.id });
  return {
    id: row.id, teamId: row.teamId, status: row.status, outcome: row.outcome, receivedOn: row.receivedOn,
    triageDue: row.triageDue, acknowledgeDue: row.acknowledgeDue, assigneeId: row.assigneeId, sealedBy: row.sealedBy,
    reference: row.reference ?? '',
    clear: caseClearFields(row),
    reporterPublicKey: row.reporterPublicKey,
    reporterSigningKey: row.reporterSigningKey,
    teamVerifyKey: row.teamVerifyKey,
    envelope: row.envelope,
    teamKey: { kid: teamKey.kid, publicKey: teamKey.publicKey, verifyKey: teamKey.verifyKey, grant: grantFor(db, row.teamKeyId, userId) },
    serverFollowUp: row.serverFollowUp,
  };
}

/**
 * Moves a case along protocol/lifecycle.ts. Closing needs an outcome and dates the case (grace and
 * retention count from that day); reopening needs a reason from a fixed list. The reporter sees
 * every move on their timeline, so each one also restarts the status-update clocks.
 */
export function changeStatus(db: Conn, caseId: string, userId: string, { status, outcome, reason }: ChangeStatus, at = new Date()) {
  const row = caseForMember(db, caseId, userId);
  if (!canMove(row.status, status)) throw new AppError(409, 'invalid_transition', 'status');
  if (status === 'closed' && !outcome) throw new AppError(400, 'outcome_required', 'outcome');
  if (status !== 'closed' && outcome) throw new AppError(400, 'invalid_request', 'outcome');
  const reopening = isReopening(row.status, status);
  if (reopening && !reason) throw new AppError(400, 'reason_required', 'reason');
  if (!reopening && reason) throw new AppError(400, 'invalid_request', 'reason');
  const closedAs = status === 'closed' ? outcome! : null;
  const time = at.toISOString();
  db.transaction((tx) => {
    tx.update(cases).set({
      status, outcome: closedAs, updatedAt: time, closedOn: status === 'closed' ? today(at) : null, ...updateDeadlines(at),
    }).where(eq(cases.id, row.id)).run();
    recordEvent(tx, row.id, status, closedAs, today(at));
    appendAudit(tx, {
      at: time, actor: userId, action: reopening ? 'case.reopened' : 'case.status_changed', subject: row.id,
      detail: { from: row.status, to: status, outcome: closedAs, ...(reopening ? { reason: reason! } : {}) },
    });
  });
  return { id: row.id, status, outcome: closedAs };
}

export function assignCase(db: Conn, caseId: string, userId: string, assigneeId: string | null) {
  const row = caseForMember(db, caseId, userId);
  if (assigneeId) {
    const member = db.select().from(teamMembers).where(and(eq(teamMembers.teamId, row.teamId), eq(teamMembers.userId, assigneeId))).get();
    if (!member) throw new AppError(400, 'not_team_member', 'assigneeId');
  }
  db.transaction((tx) => {
    tx.update(cases).set({ assigneeId, updatedAt: now() }).where(eq(cases.id, row.id)).run();
    appendAudit(tx, { at: now(), actor: userId, action: 'case.assigned', subject: row.id, detail: { assignee: assigneeId } });
  });
  return { id: row.id, assigneeId };
}

/**
 * In the order written: reporters' messages carry only a day, so their time cannot order them.
 * Reading them clears the case's unread mark for the whole team.
 */
export function listMessages(db: Conn, caseId: string, userId: string): DeskMessage[] {
  const row = caseForMember(db, caseId, userId);
  if (row.unread > 0) db.update(cases).set({ unread: 0 }).where(eq(cases.id, row.id)).run();
  return db.select({
    id: caseMessages.id, direction: caseMessages.direction, authorId: caseMessages.authorId, createdAt: caseMessages.createdAt,
    envelope: caseMessages.envelope, sealedBy: caseMessages.sealedBy,
  })
    .from(caseMessages).where(eq(caseMessages.caseId, row.id)).orderBy(asc(sql`rowid`)).all();
}

export async function sendMessage(db: Conn, caseId: string, userId: string, envelope: Envelope, attachments: string[] = [], files?: FileStore) {
  const row = caseForMember(db, caseId, userId);
  return addMessage(db, row.id, 'to_reporter', envelope, userId, { attachments, files });
}

/** A stored file of a case the caller's team holds: its report's or any of its messages'. */
export function caseAttachmentPath(db: Conn, files: FileStore, caseId: string, userId: string, uploadId: string): string {
  const row = caseForMember(db, caseId, userId);
  return caseFile(db, files, row.id, uploadId, false);
}

export function listNotes(db: Conn, caseId: string, userId: string): CaseNote[] {
  const row = caseForMember(db, caseId, userId);
  return db.select({ id: caseNotes.id, authorId: caseNotes.authorId, createdAt: caseNotes.createdAt, envelope: caseNotes.envelope })
    .from(caseNotes).where(eq(caseNotes.caseId, row.id)).orderBy(asc(caseNotes.createdAt)).all();
}

/** A note is sealed to the case's team key only (the key its report was sealed to). */
export function addNote(db: Conn, caseId: string, userId: string, envelope: Envelope) {
  const row = caseForMember(db, caseId, userId);
  const teamKey = db.select().from(teamKeys).where(eq(teamKeys.id, row.teamKeyId)).get()!;
  const decoded = decodeEnvelope(envelope);
  if (!decoded) throw new AppError(400, 'bad_envelope', 'envelope');
  if (decoded.recipients[0]!.kid !== teamKey.kid) throw new AppError(422, 'wrong_recipients', 'envelope.recipients');
  const id = randomUUID();
  db.transaction((tx) => {
    tx.insert(caseNotes).values({ id, caseId: row.id, authorId: userId, createdAt: now(), envelope }).run();
    appendAudit(tx, { at: now(), actor: userId, action: 'case.note_added', subject: row.id });
  });
  return { id };
}
