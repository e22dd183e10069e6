// The desk's key handling, all in the browser: password → Argon2id → auth key (sent) and wrap key
// (kept in memory) → the account's private key → team keys from grants → cases and notes.
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { AD_LABEL, messageBinding, openEnvelope, sealEnvelope, type ClearFields, type Envelope, type KeyPair } from '../../protocol/envelope.ts';
import { WRAP_LABEL, derivePasswordKeys, openGrant, unwrapSecret, type KdfParams } from '../../protocol/keys.ts';
import type { ReportContent } from '../../protocol/api.ts';
import type { AttachmentRef, MessageContent } from '../../protocol/evidence-api.ts';
import { api } from './api.ts';

export async function passwordKeys(email: string, password: string) {
  const kdf = await api<KdfParams>('POST', '/api/auth/prelogin', { email });
  const keys = await derivePasswordKeys(password, kdf);
  return { authKey: toBase64Url(keys.authKey), wrapKey: keys.wrapKey };
}

export async function unlockAccount(me: { publicKey: string; wrappedPrivateKey: string }, wrapKey: Uint8Array): Promise<KeyPair | null> {
  const privateKey = await unwrapSecret(me.wrappedPrivateKey, wrapKey, WRAP_LABEL.userPrivateKey);
  const publicKey = fromBase64Url(me.publicKey);
  return privateKey && publicKey ? { privateKey, publicKey } : null;
}

const teamKeyCache = new Map<string, KeyPair>();

/**
 * Opens a grant and checks the key inside is the team key the case or team names: a server that
 * handed out another key could otherwise have notes and grants sealed to a key it chose.
 */
export async function teamKeyFromGrant(grant: string, account: KeyPair, expectedPublicKey: string): Promise<KeyPair | null> {
  const cached = teamKeyCache.get(grant);
  const pair = cached ?? (await openGrant(grant, account));
  if (!pair || toBase64Url(pair.publicKey) !== expectedPublicKey) return null;
  teamKeyCache.set(grant, pair);
  return pair;
}

export async function openReport(clear: ClearFields, envelope: Envelope, team: KeyPair) {
  return openEnvelope<ReportContent>(AD_LABEL.report, clear, envelope, team);
}

/** Notes are sealed to the team key only; the case id is bound as associated data. */
export async function sealNote(caseId: string, text: string, teamPublicKey: string) {
  return sealEnvelope(AD_LABEL.note, { caseId }, { text }, [fromBase64Url(teamPublicKey)!]);
}

export async function openNote(caseId: string, envelope: Envelope, team: KeyPair) {
  return openEnvelope<{ text: string }>(AD_LABEL.note, { caseId }, envelope, team);
}

export function forgetKeys(): void {
  teamKeyCache.clear();
}

/**
 * A reply to the reporter: sealed to their key (from the receipt) and to the team, so the team
 * keeps a copy. Files sent with it travel as references with their keys (PROTOCOL.md §23.4).
 */
export async function sealToReporter(caseId: string, text: string, reporterPublicKey: string, teamPublicKey: string, attachments: AttachmentRef[] = []) {
  const content: MessageContent = attachments.length ? { text, attachments } : { text };
  return sealEnvelope(AD_LABEL.message, messageBinding(caseId, 'to_reporter'), content, [fromBase64Url(reporterPublicKey)!, fromBase64Url(teamPublicKey)!]);
}

export async function openCaseMessage(caseId: string, direction: 'to_reporter' | 'from_reporter', envelope: Envelope, team: KeyPair) {
  return openEnvelope<MessageContent>(AD_LABEL.message, messageBinding(caseId, direction), envelope, team);
}
