// Messages between the caseworkers and the reporter: sealed and signed by the sender (envelope v2,
// PROTOCOL.md §29), and read by classifying each one as verified, unverified (shown with a reason)
// or forged (never shown). The phone and the desk use the same rules, with the sender keys each
// side can trust.
import { AD_LABEL, messageBinding, openEnvelope, sealEnvelope, verifyEnvelope, type Envelope, type KeyPair } from './envelope.ts';

export type Direction = 'to_reporter' | 'from_reporter';
export type MessageStatus = 'verified' | 'unverified' | 'forged';
/** Why a message is shown without proof of its sender. */
export type UnverifiedReason = 'before_signatures' | 'cannot_check';

export interface ReadMessage {
  status: MessageStatus;
  reason?: UnverifiedReason;
  /** The text, except for a forged message (never shown). */
  text: string | null;
}

/**
 * What the reader trusts about the sender of one message:
 * - key: the sender's Ed25519 verify key the reader has from a source the server cannot forge
 *   (the pin on the phone, the opened report or the team key at the desk), or null if none;
 * - legacy: the case was reported before signatures, so v1 messages on it are genuine history;
 * - distrusted: the keys served for this case are not the ones the reporter pinned.
 */
export interface SenderTrust { key: Uint8Array | null; legacy: boolean; distrusted?: boolean }

/** A message as envelope v2, sealed to `recipients` and signed with the sender's Ed25519 key. */
export async function sealMessage(caseId: string, direction: Direction, text: string, recipients: Uint8Array[], signingKey: Uint8Array): Promise<Envelope> {
  return sealEnvelope(AD_LABEL.message, messageBinding(caseId, direction), { text }, recipients, signingKey);
}

async function open(caseId: string, direction: Direction, envelope: Envelope, reader: KeyPair): Promise<string | null> {
  const content = await openEnvelope<{ text?: unknown }>(AD_LABEL.message, messageBinding(caseId, direction), envelope, reader);
  return content && typeof content.text === 'string' ? content.text : null;
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
    const text = await open(caseId, direction, envelope, reader);
    return text === null ? FORGED : { status: 'unverified', reason: 'before_signatures', text };
  }
  if (trust.key) {
    // The signature is checked before anything is decrypted.
    if (!(await verifyEnvelope(AD_LABEL.message, messageBinding(caseId, direction), envelope, trust.key))) return FORGED;
    const text = await open(caseId, direction, envelope, reader);
    return text === null ? FORGED : { status: 'verified', text };
  }
  const text = await open(caseId, direction, envelope, reader);
  return text === null ? FORGED : { status: 'unverified', reason: trust.legacy ? 'before_signatures' : 'cannot_check', text };
}
