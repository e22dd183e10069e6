// The follow-up page's crypto, loaded on demand with libsodium: receipt → keys; the served keys
// checked against the reporter's pin; messages read (and classified as verified, unverified or
// forged) with the reporter's key; replies sealed to the team, the recovery key and the reporter,
// and signed with the reporter's key. PROTOCOL.md §21, §28.4, §29.
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { keyId } from '../../protocol/envelope.ts';
import { sealMessage } from '../../protocol/messages.ts';
import type { ReporterKeys } from '../../protocol/reporter-trust.ts';
import { deriveReceiptKeys } from '../../protocol/receipt.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import type { AttachmentRef } from '../../protocol/evidence-api.ts';

export type { CaseTrust, ReporterKeys } from '../../protocol/reporter-trust.ts';
export { checkCaseKeys, readMessages } from '../../protocol/reporter-trust.ts';

export async function receiptKeys(digits: string, receiptSalt: string): Promise<ReporterKeys> {
  const keys = await deriveReceiptKeys(digits, receiptSalt);
  return {
    authToken: toBase64Url(keys.authToken), pair: { publicKey: keys.publicKey, privateKey: keys.privateKey },
    verifyKey: keys.verifyKey, signingKey: keys.signingKey, pinKey: keys.pinKey,
  };
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
