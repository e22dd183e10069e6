// The desk's key handling, all in the browser: password → Argon2id → auth key (sent) and wrap key
// (kept in memory) → the account's private key → team keys from grants → cases, notes and
// messages. Messages to the reporter are signed with the team's signing key (PROTOCOL.md §29).
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import {
  AD_LABEL, openEnvelope, reportBinding, reportBindingV2, sealEnvelope, type ClearFields, type Envelope, type KeyPair,
} from '../../protocol/envelope.ts';
import { WRAP_LABEL, derivePasswordKeys, openGrant, unwrapSecret, type KdfParams } from '../../protocol/keys.ts';
import { readMessage, sealMessage, type ReadMessage, type SenderTrust } from '../../protocol/messages.ts';
import { teamSigningKeys, verifyKeyProof } from '../../protocol/signing.ts';
import type { ReportContent } from '../../protocol/api.ts';
import type { AttachmentRef } from '../../protocol/evidence-api.ts';
import type { CaseDetail, DeskMessage, TeamView } from '../../protocol/desk-api.ts';
import { api } from './api.ts';

export async function passwordKeys(email: string, password: string) {
  const kdf = await api<KdfParams>('POST', '/api/auth/prelogin', { email });
  // Refuses (KdfPolicyError) parameters weaker than protocol/kdf-policy.ts allows.
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

/** The binding the case's report was sealed with: v2 when the reporter's keys are stored (§28.3). */
export function caseReportBinding(detail: Pick<CaseDetail, 'clear' | 'reporterPublicKey' | 'reporterSigningKey' | 'teamVerifyKey'>): ClearFields {
  return detail.reporterSigningKey === null
    ? reportBinding(detail.clear, detail.reporterPublicKey)
    : reportBindingV2(detail.clear, { reporterPublicKey: detail.reporterPublicKey, reporterSigningKey: detail.reporterSigningKey, teamVerifyKey: detail.teamVerifyKey });
}

export async function openReport(detail: CaseDetail, team: KeyPair) {
  return openEnvelope<ReportContent>(AD_LABEL.report, caseReportBinding(detail), detail.envelope, team);
}

/** The team's verify key, derived here from the team key this browser opened (never the served one). */
export async function ownTeamVerifyKey(team: KeyPair): Promise<string> {
  return toBase64Url((await teamSigningKeys(team.privateKey)).verifyKey);
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
 * A reply to the reporter: sealed to their key and the team's, signed as the team (§29.1). Files
 * sent with it travel inside as references with their keys (§23.4).
 */
export async function sealToReporter(caseId: string, text: string, reporterPublicKey: string, team: KeyPair, attachments: AttachmentRef[] = []) {
  const { signingKey } = await teamSigningKeys(team.privateKey);
  return sealMessage(caseId, 'to_reporter', text, [fromBase64Url(reporterPublicKey)!, team.publicKey], signingKey, attachments);
}

/**
 * Reads one message of a case at the desk (§29.3): the reporter's messages are verified with the
 * signing key bound into their report, trusted only when that report opened; the team's with the
 * key derived from the team key this browser holds.
 */
export async function readCaseMessage(detail: CaseDetail, message: DeskMessage, team: KeyPair, reportOpened: boolean): Promise<ReadMessage> {
  const legacy = detail.reporterSigningKey === null;
  const trust: SenderTrust = message.direction === 'to_reporter'
    ? { key: (await teamSigningKeys(team.privateKey)).verifyKey, legacy }
    : { key: !legacy && reportOpened ? fromBase64Url(detail.reporterSigningKey!) : null, legacy };
  return readMessage(detail.id, message, team, trust);
}

/** Publishes the verify key of a team key made before signatures, once, from a browser that holds it (§28.6). */
export async function publishVerifyKey(teamId: string, kid: string, team: KeyPair): Promise<void> {
  const { verifyKey, signingKey } = await teamSigningKeys(team.privateKey);
  await api('PUT', `/api/teams/${teamId}/keys/${kid}/verify-key`, { verifyKey: toBase64Url(verifyKey), proof: await verifyKeyProof(toBase64Url(team.publicKey), signingKey) });
}

/** After unlocking: publish what is missing for every team key I hold; report keys that differ from mine. */
export async function reconcileVerifyKeys(teams: TeamView[], account: KeyPair): Promise<string[]> {
  const mismatched: string[] = [];
  for (const team of teams) {
    const pair = team.myGrant ? await teamKeyFromGrant(team.myGrant, account, team.key.publicKey) : null;
    if (!pair) continue;
    if (team.key.verifyKey === null) await publishVerifyKey(team.id, team.key.kid, pair).catch(() => undefined);
    else if (team.key.verifyKey !== (await ownTeamVerifyKey(pair))) mismatched.push(team.name);
  }
  return mismatched;
}
