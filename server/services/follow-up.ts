// Follow-up by receipt. The phone derives an auth token from the receipt (the receipt itself never
// leaves it); the server looks up the hash of that token. Wrong and unknown receipts are the same
// thing to the server, so they get the same answer. A short session lives in the app's memory
// only (app.state.followUpSessions).
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { caseEvents, caseMessages, cases, pathways, publicTexts, referrals, teamKeys, teams } from '../../db/schema.ts';
import type { ReporterView } from '../../protocol/api.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import { AD_LABEL, decodeEnvelope, keyId, messageBinding, sealedToExactly, verifyEnvelope, type Envelope } from '../../protocol/envelope.ts';
import { hashAuthToken } from '../../protocol/receipt.ts';
import type { CaseStatus, CloseOutcome, LanguageCode, MessageDirection, SealedBy } from '../../protocol/taxonomy.ts';
import { AppError } from '../errors.ts';
import type { FollowUpSession, Store } from '../state.ts';
import { appendAudit } from './audit.ts';
import { addDays, today, updateDeadlines } from './deadlines.ts';
import { notifyTeam } from './notifications.ts';
import { getOrganisation } from './organisation.ts';
import { dateFiles, linkUploads } from './attachments.ts';
import type { FileStore } from './uploads.ts';
import type { CaseRow } from './cases.ts';

/** Files sent with a message (PROTOCOL.md §24.5), who sealed it (§26.3), and the team's notice. */
export interface MessageExtras {
  attachments?: readonly string[];
  files?: FileStore;
  sealedBy?: SealedBy;
  /** Runs first inside the message's transaction (the server records a file it encrypted, §26.3). */
  beforeInsert?: (tx: Conn) => void;
  /** Queue a notice for the team (only when mail is configured). */
  notify?: boolean;
  now?: Date;
}

export const FOLLOW_UP_IDLE_MS = 10 * 60 * 1000;
export const FOLLOW_UP_MAX_MS = 60 * 60 * 1000;
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export async function openFollowUp(db: Conn, sessions: Store<FollowUpSession>, authToken: string, now = Date.now()): Promise<string> {
  const token = fromBase64Url(authToken);
  const hash = await hashAuthToken(token && token.length === 32 ? token : new Uint8Array(32));
  const row = db.select({ id: cases.id, hash: cases.receiptAuthHash, status: cases.status }).from(cases).where(eq(cases.receiptAuthHash, hash)).get();
  // Compare again in constant time (the index lookup already matched); a purged case is "unknown".
  const found = row && token?.length === 32 && row.status !== 'purged' && timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash));
  if (!found) throw new AppError(401, 'receipt_not_found');
  const session = randomBytes(32).toString('base64url');
  sessions.set(digest(session), { caseId: row.id, lastSeen: now, started: now }, now);
  return session;
}

/** The case behind a follow-up session token, touched; 401 once idle for 10 minutes, or after an hour. */
export function followUpCase(sessions: Store<FollowUpSession>, bearer: string | undefined, now = Date.now()): string {
  const key = bearer ? digest(bearer) : '';
  const session = sessions.get(key, now);
  if (!session || now - session.lastSeen > FOLLOW_UP_IDLE_MS || now - session.started > FOLLOW_UP_MAX_MS) {
    sessions.delete(key);
    throw new AppError(401, 'follow_up_expired');
  }
  sessions.set(key, { ...session, lastSeen: now }, now);
  return session.caseId;
}

export function endFollowUp(sessions: Store<FollowUpSession>, bearer: string | undefined): void {
  if (bearer) sessions.delete(digest(bearer));
}

/**
 * Messages of a case stay under the key its report was sealed to: whoever can read the case can
 * read its messages, also after the team's key was rotated.
 */
export function caseTeamKey(db: Conn, teamKeyId: string) {
  return db.select().from(teamKeys).where(eq(teamKeys.id, teamKeyId)).get()!;
}

/** Admin-edited texts for a language, by key (status.<status>, template.acknowledge). */
export function textsFor(db: Conn, language: LanguageCode): Record<string, string> {
  return Object.fromEntries(db.select().from(publicTexts).where(eq(publicTexts.language, language)).all().map((r) => [r.key, r.text]));
}

/**
 * When the reporter may write: while the case is open, and for the team's grace period after it
 * closed (to the end of that day). A closed case without a closing day is past its grace.
 */
export function replyWindow(db: Conn, row: Pick<CaseRow, 'status' | 'closedOn' | 'teamId'>, now = new Date()) {
  if (row.status === 'purged') return { canReply: false, repliesOpenUntil: null };
  if (row.status !== 'closed') return { canReply: true, repliesOpenUntil: null };
  if (!row.closedOn) return { canReply: false, repliesOpenUntil: null };
  const graceDays = db.select({ graceDays: teams.graceDays }).from(teams).where(eq(teams.id, row.teamId)).get()?.graceDays ?? 0;
  const until = addDays(row.closedOn, graceDays);
  return { canReply: today(now) <= until, repliesOpenUntil: until };
}

/** What the reporter's phone is shown: status, timeline, messages (sealed), and the keys to reply to. */
export function reporterView(db: Conn, caseId: string, now = new Date()): ReporterView {
  const row = db.select().from(cases).where(eq(cases.id, caseId)).get()!;
  const org = getOrganisation(db)!;
  const team = caseTeamKey(db, row.teamKeyId);
  return {
    reference: row.reference ?? '',
    ...replyWindow(db, row, now),
    referrals: db.select({ body: pathways.name, kind: pathways.kind, sentOn: referrals.sentOn, outcome: referrals.outcome, outcomeOn: referrals.outcomeOn })
      .from(referrals).innerJoin(pathways, eq(pathways.id, referrals.pathwayId))
      .where(eq(referrals.caseId, caseId)).orderBy(asc(referrals.sentOn), asc(referrals.createdAt)).all(),
    caseId: row.id,
    status: row.status,
    outcome: row.outcome,
    language: row.language,
    receivedOn: row.receivedOn,
    timeline: db.select({ on: caseEvents.on, status: caseEvents.status, outcome: caseEvents.outcome }).from(caseEvents)
      .where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.on)).all(),
    texts: textsFor(db, row.language),
    messages: db.select({ id: caseMessages.id, direction: caseMessages.direction, createdAt: caseMessages.createdAt, envelope: caseMessages.envelope })
      .from(caseMessages).where(eq(caseMessages.caseId, caseId)).orderBy(asc(sql`rowid`)).all()
      .map((m) => ({ ...m, createdAt: m.createdAt.slice(0, 10) })),
    // The verify key the reporter bound and pinned (not the team key's current one): the phone
    // checks all three keys against its pin (§28.4).
    replyTo: {
      team: { publicKey: team.publicKey, kid: team.kid, verifyKey: row.reporterPin === null ? team.verifyKey : row.teamVerifyKey },
      recovery: { publicKey: org.recoveryPublicKey, kid: org.recoveryKid },
    },
    pin: row.reporterPin,
  };
}

/**
 * Stores a message after checking it is envelope v2, sealed to exactly the right keys (to the
 * reporter: their key and the team's; from the reporter: the team's, the recovery key and their
 * own) and signed by its sender where the server holds the sender's verify key (§29.2). A message
 * from the desk is audited in the same transaction that stores it.
 */
export async function addMessage(
  db: Conn, caseId: string, direction: MessageDirection, envelope: Envelope, authorId: string | null, extras: MessageExtras = {},
) {
  const now = extras.now ?? new Date();
  const row = db.select().from(cases).where(eq(cases.id, caseId)).get();
  if (!row || row.status === 'purged') throw new AppError(404, 'not_found');
  if (direction === 'from_reporter' && !replyWindow(db, row, now).canReply) throw new AppError(409, 'case_closed');
  if (envelope.v !== 2) throw new AppError(400, 'outdated_page', 'envelope.v');
  const decoded = decodeEnvelope(envelope);
  if (!decoded || !decoded.signature) throw new AppError(400, 'bad_envelope', 'envelope');
  const team = caseTeamKey(db, row.teamKeyId);
  const reporterKid = await keyId(fromBase64Url(row.reporterPublicKey)!);
  // The reporter keeps a readable copy of their own messages, as the team does of its replies.
  const expected = direction === 'to_reporter'
    ? [reporterKid, team.kid]
    : [team.kid, getOrganisation(db)!.recoveryKid, reporterKid];
  if (!sealedToExactly(decoded, expected)) throw new AppError(422, 'wrong_recipients', 'envelope.recipients');
  const signer = direction === 'to_reporter' ? team.verifyKey : row.reporterSigningKey;
  if (signer && !(await verifyEnvelope(AD_LABEL.message, messageBinding(caseId, direction), envelope, fromBase64Url(signer)!))) {
    throw new AppError(422, 'bad_signature', 'envelope.signature');
  }
  const id = randomUUID();
  // The reporter's messages are dated to the day, like their report.
  const createdAt = direction === 'from_reporter' ? today(now) : now.toISOString();
  const attachments = extras.attachments ?? [];
  db.transaction((tx) => {
    extras.beforeInsert?.(tx);
    tx.insert(caseMessages).values({ id, caseId, direction, authorId, createdAt, envelope, sealedBy: extras.sealedBy ?? 'browser' }).run();
    linkUploads(tx, extras.files, attachments, { caseId, messageId: id });
    if (direction === 'from_reporter') {
      // Unread for the team until a member reads the messages; the team is told (without content).
      tx.update(cases).set({ unread: sql`${cases.unread} + 1` }).where(eq(cases.id, caseId)).run();
      if (extras.notify) notifyTeam(tx, row.teamId, 'reporter_reply', now);
    } else {
      // A message to the reporter is a status update: the 30- and 90-day clocks start again.
      tx.update(cases).set(updateDeadlines(now)).where(eq(cases.id, caseId)).run();
    }
    if (authorId) appendAudit(tx, { at: createdAt, actor: authorId, action: 'case.message_sent', subject: caseId });
  });
  await dateFiles(extras.files, attachments, createdAt);
  return { id };
}

export function recordEvent(db: Conn, caseId: string, status: CaseStatus, outcome: CloseOutcome | null = null, on = today()) {
  db.insert(caseEvents).values({ id: randomUUID(), caseId, on, status, outcome }).run();
}
