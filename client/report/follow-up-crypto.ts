// The follow-up page's crypto, loaded on demand with libsodium: receipt → keys, messages opened
// with the reporter's key, replies sealed to the team, the recovery key and the reporter.
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { AD_LABEL, keyId, messageBinding, openEnvelope, sealEnvelope, type Envelope, type KeyPair } from '../../protocol/envelope.ts';
import { deriveReceiptKeys } from '../../protocol/receipt.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import type { AttachmentRef, MessageContent } from '../../protocol/evidence-api.ts';

export async function receiptKeys(digits: string, receiptSalt: string) {
  const keys = await deriveReceiptKeys(digits, receiptSalt);
  return { authToken: toBase64Url(keys.authToken), pair: { publicKey: keys.publicKey, privateKey: keys.privateKey } };
}

export async function openMessage(caseId: string, direction: 'to_reporter' | 'from_reporter', envelope: Envelope, pair: KeyPair) {
  return openEnvelope<MessageContent>(AD_LABEL.message, messageBinding(caseId, direction), envelope, pair);
}

interface PublishedKey { publicKey: string; kid: string }

/** `attachments`: files already uploaded (PROTOCOL.md §23.4), sealed inside with their keys. */
export async function sealReply(caseId: string, text: string, to: { team: PublishedKey; recovery: PublishedKey }, own: KeyPair, attachments: AttachmentRef[] = []) {
  const keys: Uint8Array[] = [];
  for (const published of [to.team, to.recovery]) {
    const bytes = fromBase64Url(published.publicKey);
    if (!bytes || (await keyId(bytes)) !== published.kid) throw new Error('published key does not match its id');
    keys.push(bytes);
  }
  const content: MessageContent = attachments.length ? { text, attachments } : { text };
  return sealEnvelope(AD_LABEL.message, messageBinding(caseId, 'from_reporter'), content, [...keys, own.publicKey]);
}

/** Loads libsodium ahead of need, while the receipt is being typed. */
export async function warmUp(): Promise<void> {
  await sodiumReady();
}
