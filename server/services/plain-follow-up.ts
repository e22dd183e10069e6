// Follow-up without JavaScript (PROTOCOL.md §26): the server does what the phone would. It turns
// the typed receipt into the reporter's keys for this request only (Argon2id in the app's worker
// pool, within a budget a minute for the whole server), opens the
// case's messages (read by the phone's own rules: a forged message is not shown), gives each file a
// short-lived download token, and seals and signs replies on arrival. The reporter's signing key
// rides in the page's session field, encrypted under a key only this process holds, for an hour.
// Nothing of the receipt, the keys or the plaintext is written anywhere; the case is marked.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { cases } from '../../db/schema.ts';
import type { ReporterView } from '../../protocol/api.ts';
import { decryptFile, encryptFile } from '../../protocol/attachment.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { sealMessage } from '../../protocol/messages.ts';
import { checkCaseKeys, readMessages } from '../../protocol/reporter-trust.ts';
import type { AttachmentRef } from '../../protocol/evidence-api.ts';
import { deriveReceiptKeys, normaliseReceipt, type Argon2id, type ReceiptProblem } from '../../protocol/receipt.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { AppError } from '../errors.ts';
import type { AppState } from '../state.ts';
import { caseFile, recordServerFile, writeServerFile } from './attachments.ts';
import { addMessage, caseTeamKey, followUpCase, openFollowUp, replyWindow, reporterView } from './follow-up.ts';
import { getOrganisation } from './organisation.ts';
import { spendKdfBudget } from './server-kdf.ts';
import type { FileStore } from './uploads.ts';

const FILE_TOKEN_TTL_MS = 10 * 60_000;
/** As long as a follow-up session (PROTOCOL.md §21.1). */
const SESSION_TOKEN_TTL_MS = 60 * 60_000;

export interface PlainFile { name: string; size: number; token: string }
export interface PlainMessage { id: string; direction: 'to_reporter' | 'from_reporter'; createdAt: string; text: string | null; files: PlainFile[] }
export type PlainRead =
  | { ok: false; problem: ReceiptProblem }
  | { ok: true; session: string; view: ReporterView; messages: PlainMessage[] };

interface FileClaim { e: number; c: string; i: string; k: string; n: string; t: string }
/** The follow-up session and the reporter's signing key (b64u), for the reply form. */
interface SessionClaim { e: number; s: string; k: string }

function sealFileToken(key: Buffer, claim: FileClaim | SessionClaim): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(claim), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function openFileToken<T extends { e: number } = FileClaim>(key: Buffer, token: string, now = Date.now()): T | null {
  try {
    const bytes = Buffer.from(token, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const claim = JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')) as T;
    return claim.e > now ? claim : null;
  } catch {
    return null;
  }
}

/** How the server derives receipt keys: the worker pool's Argon2id, and the budget a minute. */
export interface ServerKdf { argon2id: Argon2id; perMinute: number }

/** POST /follow-up/read: 401 receipt_not_found as on the API; a malformed receipt is a problem to show. */
export async function readByReceipt(db: Conn, state: AppState, kdf: ServerKdf, typed: string, now = Date.now()): Promise<PlainRead> {
  const normal = normaliseReceipt(typed);
  if (!normal.ok) return { ok: false, problem: normal.problem };
  const org = getOrganisation(db);
  if (!org) throw new AppError(503, 'not_open');
  spendKdfBudget(state.serverKdf, kdf.perMinute, now);
  const keys = await deriveReceiptKeys(normal.digits, org.receiptSalt, kdf.argon2id);
  const sodium = await sodiumReady();
  try {
    const session = await openFollowUp(db, state.followUpSessions, toBase64Url(keys.authToken), now);
    const caseId = followUpCase(state.followUpSessions, session, now);
    db.update(cases).set({ serverFollowUp: true }).where(eq(cases.id, caseId)).run();
    const view = reporterView(db, caseId);
    const reporter = { authToken: '', pair: { publicKey: keys.publicKey, privateKey: keys.privateKey }, verifyKey: keys.verifyKey, signingKey: keys.signingKey, pinKey: keys.pinKey };
    const read = await readMessages(view, reporter, await checkCaseKeys(view, reporter));
    const messages: PlainMessage[] = [];
    for (const m of view.messages) {
      const opened = read.get(m.id);
      // A forged message is not shown at all, as on the phone.
      if (!opened || opened.status === 'forged') continue;
      const files = (opened.attachments ?? []).map((ref) => ({
        name: ref.name, size: ref.size,
        token: sealFileToken(state.keys.fileToken, { e: now + FILE_TOKEN_TTL_MS, c: caseId, i: ref.id, k: ref.key, n: ref.name, t: ref.type }),
      }));
      messages.push({ id: m.id, direction: m.direction, createdAt: m.createdAt, text: opened.text, files });
    }
    const sessionToken = sealFileToken(state.keys.fileToken, { e: now + SESSION_TOKEN_TTL_MS, s: session, k: toBase64Url(keys.signingKey) });
    return { ok: true, session: sessionToken, view, messages };
  } finally {
    for (const secret of [keys.privateKey, keys.authToken, keys.signingKey, keys.pinKey]) sodium.memzero(secret);
  }
}

/** POST /follow-up/file: the decrypted file a download token names, or null if the token is no good. */
export async function fileByToken(db: Conn, state: AppState, files: FileStore, token: string): Promise<{ name: string; bytes: Uint8Array } | null> {
  const claim = openFileToken(state.keys.fileToken, token);
  if (!claim) return null;
  const path = caseFile(db, files, claim.c, claim.i, true);
  const plain = await decryptFile(new Uint8Array(await readFile(path)), fromBase64Url(claim.k) ?? new Uint8Array(0));
  if (!plain) throw new AppError(422, 'file_damaged');
  return { name: claim.n, bytes: plain };
}

/**
 * POST /follow-up/reply: a message sealed and signed here on arrival (with the signing key the read
 * put in the session field), with at most one file cleaned and encrypted here.
 */
export async function replyAsServer(
  db: Conn, state: AppState, files: FileStore, sessionField: string, text: string, file: { bytes: Uint8Array; name: string; type: string } | null,
  notify = false,
): Promise<{ id: string }> {
  const claim = openFileToken<SessionClaim>(state.keys.fileToken, sessionField);
  if (!claim || typeof claim.s !== 'string' || typeof claim.k !== 'string') throw new AppError(401, 'follow_up_expired');
  const caseId = followUpCase(state.followUpSessions, claim.s);
  const row = db.select().from(cases).where(eq(cases.id, caseId)).get()!;
  // Checked again by addMessage; first here, so no file is written for a reply that cannot be stored.
  if (!replyWindow(db, row).canReply) throw new AppError(409, 'case_closed');
  const org = getOrganisation(db)!;
  const team = caseTeamKey(db, row.teamKeyId);
  const refs: AttachmentRef[] = [];
  let stored: { id: string; length: number } | undefined;
  if (file) {
    const { key, parts } = await encryptFile(file.bytes);
    stored = await writeServerFile(files, Buffer.concat(parts));
    refs.push({ id: stored.id, key: toBase64Url(key), name: file.name, type: file.type, size: file.bytes.length });
  }
  const recipients = [team.publicKey, org.recoveryPublicKey, row.reporterPublicKey].map((k) => fromBase64Url(k)!);
  const signingKey = fromBase64Url(claim.k) ?? new Uint8Array(0);
  let envelope;
  try {
    envelope = await sealMessage(caseId, 'from_reporter', text, recipients, signingKey, refs);
  } finally {
    (await sodiumReady()).memzero(signingKey);
  }
  return addMessage(db, caseId, 'from_reporter', envelope, null, {
    files, attachments: stored ? [stored.id] : [], sealedBy: 'server', notify,
    beforeInsert: stored ? (tx) => recordServerFile(tx, stored!) : undefined,
  });
}
