// Envelope v1: how a report (and, later, every message) is sealed in the browser and opened by a
// caseworker. A fresh content key encrypts the padded plaintext with XChaCha20-Poly1305; the
// associated data binds the clear routing fields; the content key is sealed to each recipient.
// docs/PROTOCOL.md §3 is the normative description of these bytes.
import { sodiumReady } from './sodium.ts';
import { canonicalJson, fromBase64Url, toBase64Url, utf8 } from './encoding.ts';

export const ENVELOPE_VERSION = 1;
/** Associated-data labels: one per kind of sealed object, so one kind can never pass as another. */
export const AD_LABEL = {
  report: 'redress/report/v1',
  message: 'redress/message/v1',
  note: 'redress/note/v1',
} as const;
export type AdLabel = (typeof AD_LABEL)[keyof typeof AD_LABEL];

/** Plaintext is padded (ISO/IEC 7816-4) to a multiple of this, so lengths leak only coarsely. */
export const PAD_BLOCK = 256;
const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const SEAL_OVERHEAD = 48;
const TAG_BYTES = 16;

export interface Recipient {
  /** Key id: base64url of BLAKE2b-128 of the recipient's X25519 public key. */
  kid: string;
  /** crypto_box_seal of the 32-byte content key to that public key. */
  sealedKey: string;
}

export interface Envelope {
  v: 1;
  nonce: string;
  ciphertext: string;
  recipients: Recipient[];
}

export type ClearFields = Record<string, string | boolean | null>;

export async function keyId(publicKey: Uint8Array): Promise<string> {
  const sodium = await sodiumReady();
  return toBase64Url(sodium.crypto_generichash(16, publicKey, null));
}

/**
 * What a report's associated data binds: its clear fields plus the reporter's public key, so the
 * server can neither change a routing field nor swap in a key of its own for the replies (§3).
 */
export function reportBinding(clear: ClearFields, reporterPublicKey: string): ClearFields {
  return { ...clear, reporterPublicKey };
}

/** Associated data of a message between caseworker and reporter: which case, which way. */
export function messageBinding(caseId: string, direction: 'to_reporter' | 'from_reporter'): ClearFields {
  return { caseId, direction };
}

export function associatedData(label: AdLabel, clear: ClearFields): Uint8Array {
  return utf8.encode(`${label}\n${canonicalJson(clear)}`);
}

export async function sealEnvelope(
  label: AdLabel,
  clear: ClearFields,
  plaintext: unknown,
  recipientPublicKeys: Uint8Array[],
): Promise<Envelope> {
  const sodium = await sodiumReady();
  const contentKey = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = sodium.randombytes_buf(NONCE_BYTES);
  const padded = sodium.pad(utf8.encode(JSON.stringify(plaintext)), PAD_BLOCK);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    padded, associatedData(label, clear), null, nonce, contentKey,
  );
  const recipients: Recipient[] = [];
  for (const pk of recipientPublicKeys) {
    recipients.push({ kid: await keyId(pk), sealedKey: toBase64Url(sodium.crypto_box_seal(contentKey, pk)) });
  }
  sodium.memzero(contentKey);
  return { v: ENVELOPE_VERSION, nonce: toBase64Url(nonce), ciphertext: toBase64Url(ciphertext), recipients };
}

export interface DecodedEnvelope {
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  recipients: { kid: string; sealedKey: Uint8Array }[];
}

/** Structural check without any key: what the server can verify. Null if malformed. */
export function decodeEnvelope(envelope: Envelope): DecodedEnvelope | null {
  if (envelope?.v !== ENVELOPE_VERSION || !Array.isArray(envelope.recipients)) return null;
  const nonce = fromBase64Url(envelope.nonce);
  const ciphertext = fromBase64Url(envelope.ciphertext);
  if (!nonce || nonce.length !== NONCE_BYTES) return null;
  if (!ciphertext || ciphertext.length < PAD_BLOCK + TAG_BYTES || (ciphertext.length - TAG_BYTES) % PAD_BLOCK !== 0) {
    return null;
  }
  const recipients = [];
  for (const r of envelope.recipients) {
    const sealedKey = fromBase64Url(r.sealedKey);
    const kid = fromBase64Url(r.kid);
    if (!sealedKey || sealedKey.length !== KEY_BYTES + SEAL_OVERHEAD || !kid || kid.length !== 16) return null;
    recipients.push({ kid: r.kid, sealedKey });
  }
  return { nonce, ciphertext, recipients };
}

export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/**
 * Opens an envelope with one of the recipient's keypairs. Returns null on any failure: not a
 * recipient, a flipped byte, a swapped clear field, a wrong label. Never a partial result.
 */
export async function openEnvelope<T = unknown>(
  label: AdLabel,
  clear: ClearFields,
  envelope: Envelope,
  keyPair: KeyPair,
): Promise<T | null> {
  const sodium = await sodiumReady();
  const decoded = decodeEnvelope(envelope);
  if (!decoded) return null;
  const kid = await keyId(keyPair.publicKey);
  const mine = decoded.recipients.find((r) => r.kid === kid);
  if (!mine) return null;
  try {
    const contentKey = sodium.crypto_box_seal_open(mine.sealedKey, keyPair.publicKey, keyPair.privateKey);
    const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null, decoded.ciphertext, associatedData(label, clear), decoded.nonce, contentKey,
    );
    sodium.memzero(contentKey);
    return JSON.parse(utf8.decode(sodium.unpad(padded, PAD_BLOCK))) as T;
  } catch {
    return null;
  }
}

/** True when the envelope is sealed to exactly these key ids, each once, in any order. */
export function sealedToExactly(decoded: DecodedEnvelope, kids: string[]): boolean {
  if (decoded.recipients.length !== kids.length) return false;
  const have = decoded.recipients.map((r) => r.kid).sort();
  const want = [...kids].sort();
  return have.every((k, i) => k === want[i]);
}
