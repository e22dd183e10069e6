// Messages between the caseworkers and the reporter: sealed and signed by the sender (envelope v2,
// PROTOCOL.md §29), and read by classifying each one as verified, unverified (shown with a reason)
// or forged (never shown). The phone and the desk use the same rules, with the sender keys each
// side can trust.
import { AD_LABEL, messageBinding, openEnvelope, sealEnvelope, verifyEnvelope, type Envelope, type KeyPair } from './envelope.ts';
import type { AttachmentRef, MessageContent } from './evidence-api.ts';

export type Direction = 'to_reporter' | 'from_reporter';
export type MessageStatus = 'verified' | 'unverified' | 'forged';
/** Why a message is shown without proof of its sender. */
export type UnverifiedReason = 'before_signatures' | 'cannot_check';

export interface ReadMessage {
  status: MessageStatus;
  reason?: UnverifiedReason;
  /** The text, except for a forged message (never shown). */
  text: string | null;
  /** Files sent with the message, as references with their keys (§23.4); never for a forged one. */
  attachments?: AttachmentRef[];
}

/**
 * What the reader trusts about the sender of one message:
 * - key: the sender's Ed25519 verify key the reader has from a source the server cannot forge
 *   (the pin on the phone, the opened report or the team key at the desk), or null if none;
 * - legacy: the case was reported before signatures, so v1 messages on it are genuine history;
 * - distrusted: the keys served for this case are not the ones the reporter pinned.
 */
export interface SenderTrust { key: Uint8Array | null; legacy: boolean; distrusted?: boolean }

/**
 * A message as envelope v2, sealed to `recipients` and signed with the sender's Ed25519 key. Files
 * sent with it travel inside, as references with their keys (PROTOCOL.md §23.4).
 */
export async function sealMessage(
  caseId: string, direction: Direction, text: string, recipients: Uint8Array[], signingKey: Uint8Array, attachments: AttachmentRef[] = [],
): Promise<Envelope> {
  const content: MessageContent = attachments.length ? { text, attachments } : { text };
  return sealEnvelope(AD_LABEL.message, messageBinding(caseId, direction), content, recipients, signingKey);
}

type Opened = Pick<ReadMessage, 'text' | 'attachments'>;

async function open(caseId: string, direction: Direction, envelope: Envelope, reader: KeyPair): Promise<Opened | null> {
  const content = await openEnvelope<{ text?: unknown; attachments?: unknown }>(AD_LABEL.message, messageBinding(caseId, direction), envelope, reader);
  if (!content || typeof content.text !== 'string') return null;
  return Array.isArray(content.attachments) ? { text: content.text, attachments: content.attachments as AttachmentRef[] } : { text: content.text };
}

const FORGED: ReadMessage = { status: 'forged', text: null };

export async function readMessage(
  caseId: string, message: { direction: Direction; envelope: Envelope }, reader: KeyPair, trust: SenderTrust,
): Promise<ReadMessage> {
  const { direction, envelope } = message;
  if (trust.distrusted) return FORGED;
  if (envelope.v === 1) {
    // A case that signs never had an unsigned message: one now is an insertion.
    if (!trust.legacy) return FORGED;
    const opened = await open(caseId, direction, envelope, reader);
    return opened === null ? FORGED : { status: 'unverified', reason: 'before_signatures', ...opened };
  }
  if (trust.key) {
    // The signature is checked before anything is decrypted.
    if (!(await verifyEnvelope(AD_LABEL.message, messageBinding(caseId, direction), envelope, trust.key))) return FORGED;
    const opened = await open(caseId, direction, envelope, reader);
    return opened === null ? FORGED : { status: 'verified', ...opened };
  }
  const opened = await open(caseId, direction, envelope, reader);
  return opened === null ? FORGED : { status: 'unverified', reason: trust.legacy ? 'before_signatures' : 'cannot_check', ...opened };
}
