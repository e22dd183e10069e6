// The follow-up page's crypto, loaded on demand with libsodium: receipt → keys; the served keys
// checked against the reporter's pin; messages read (and classified as verified, unverified or
// forged) with the reporter's key; replies sealed to the team, the recovery key and the reporter,
// and signed with the reporter's key. PROTOCOL.md §21, §28.4, §29.
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { keyId, type KeyPair } from '../../protocol/envelope.ts';
import { readMessage, sealMessage, type ReadMessage, type SenderTrust } from '../../protocol/messages.ts';
import { checkPin } from '../../protocol/pin.ts';
import { deriveReceiptKeys } from '../../protocol/receipt.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import type { AttachmentRef } from '../../protocol/evidence-api.ts';
import type { ReporterView } from '../../protocol/api.ts';

export interface ReporterKeys { authToken: string; pair: KeyPair; verifyKey: Uint8Array; signingKey: Uint8Array; pinKey: Uint8Array }

export async function receiptKeys(digits: string, receiptSalt: string): Promise<ReporterKeys> {
  const keys = await deriveReceiptKeys(digits, receiptSalt);
  return {
    authToken: toBase64Url(keys.authToken), pair: { publicKey: keys.publicKey, privateKey: keys.privateKey },
    verifyKey: keys.verifyKey, signingKey: keys.signingKey, pinKey: keys.pinKey,
  };
}

/**
 * legacy: reported before signatures (no pin). pinned: the served keys are the ones this receipt
 * pinned when the report was sent; false means they were changed and nothing can be trusted.
 */
export interface CaseTrust { legacy: boolean; pinned: boolean }

export async function checkCaseKeys(view: ReporterView, keys: ReporterKeys): Promise<CaseTrust> {
  if (view.pin === null) return { legacy: true, pinned: false };
  const served = { team: view.replyTo.team.publicKey, recovery: view.replyTo.recovery.publicKey, teamVerifyKey: view.replyTo.team.verifyKey };
  return { legacy: false, pinned: await checkPin(keys.pinKey, view.pin, served) };
}

/** Every message, read with the sender key this phone can trust for it (§29.3). */
export async function readMessages(view: ReporterView, keys: ReporterKeys, trust: CaseTrust): Promise<Map<string, ReadMessage>> {
  const teamKey = trust.pinned && view.replyTo.team.verifyKey ? fromBase64Url(view.replyTo.team.verifyKey) : null;
  const read = new Map<string, ReadMessage>();
  for (const m of view.messages) {
    const sender: SenderTrust = m.direction === 'from_reporter'
      ? { key: keys.verifyKey, legacy: trust.legacy }
      : { key: teamKey, legacy: trust.legacy, distrusted: !trust.legacy && !trust.pinned };
    read.set(m.id, await readMessage(view.caseId, m, keys.pair, sender));
  }
  return read;
}

interface PublishedKey { publicKey: string; kid: string }

/**
 * A reply, sealed to the keys of the case (checked against the pin by the caller) and signed.
 * `attachments`: files already uploaded (PROTOCOL.md §23.4), sealed inside with their keys.
 */
export async function sealReply(
  caseId: string, text: string, to: { team: PublishedKey; recovery: PublishedKey }, keys: ReporterKeys, attachments: AttachmentRef[] = [],
) {
  const recipients: Uint8Array[] = [];
  for (const published of [to.team, to.recovery]) {
    const bytes = fromBase64Url(published.publicKey);
    if (!bytes || (await keyId(bytes)) !== published.kid) throw new Error('published key does not match its id');
    recipients.push(bytes);
  }
  return sealMessage(caseId, 'from_reporter', text, [...recipients, keys.pair.publicKey], keys.signingKey, attachments);
}

/** Loads libsodium ahead of need, while the receipt is being typed. */
export async function warmUp(): Promise<void> {
  await sodiumReady();
}
