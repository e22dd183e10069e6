// Envelopes: how a report, a message or a note is sealed in the browser and opened by its
// recipients. A fresh content key encrypts the padded plaintext with XChaCha20-Poly1305 and is
// sealed to each recipient. Version 2 (written today) commits to the content key, binds the sorted
// recipient ids into the associated data and, for messages, carries the sender's signature.
// Version 1 is only opened. docs/PROTOCOL.md §3 (v1) and §27 (v2) are normative.
import { sodiumReady } from './sodium.ts';
import { bytesEqual, canonicalJson, concatBytes, fromBase64Url, toBase64Url, utf8 } from './encoding.ts';

/** The version sealEnvelope writes. */
export const ENVELOPE_VERSION = 2;
/**
 * The kinds of sealed object, named by their v1 labels. Pass any of these to sealEnvelope (which
 * writes v2) or openEnvelope (which uses the label of the envelope's own version).
 */
export const AD_LABEL = {
  report: 'redress/report/v1',
  message: 'redress/message/v1',
  note: 'redress/note/v1',
} as const;
export type AdLabel = (typeof AD_LABEL)[keyof typeof AD_LABEL];

/** The associated-data label of a kind in a given envelope version: redress/<kind>/v<version>. */
export function labelFor(label: AdLabel, version: 1 | 2): string {
  return label.replace(/\/v1$/, `/v${version}`);
}

/** Plaintext is padded (ISO/IEC 7816-4) to a multiple of this, so lengths leak only coarsely. */
export const PAD_BLOCK = 256;
const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const SEAL_OVERHEAD = 48;
const TAG_BYTES = 16;
const COMMITMENT_LABEL = 'redress/commitment/v2';
const SIGNATURE_LABEL = 'redress/signature/v2\n';

export interface Recipient {
  /** Key id: base64url of BLAKE2b-128 of the recipient's X25519 public key. */
  kid: string;
  /** crypto_box_seal of the 32-byte content key to that public key. */
  sealedKey: string;
}

export interface Envelope {
  v: 1 | 2;
  nonce: string;
  ciphertext: string;
  /** v2: BLAKE2b-256("redress/commitment/v2" ‖ content key). */
  commitment?: string;
  recipients: Recipient[];
  /** v2 messages: Ed25519 signature of the statement (§27.2 step 6). */
  signature?: string;
}

export type ClearFields = Record<string, string | boolean | null>;

export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export async function keyId(publicKey: Uint8Array): Promise<string> {
  const sodium = await sodiumReady();
  return toBase64Url(sodium.crypto_generichash(16, publicKey, null));
}

/** v1 report binding: the clear fields plus the reporter's public key (§3.5). */
export function reportBinding(clear: ClearFields, reporterPublicKey: string): ClearFields {
  return { ...clear, reporterPublicKey };
}

/** What a v2 report also binds: the keys the reporter's phone made and pinned (§28.3). */
export interface ReporterBinding { reporterPublicKey: string; reporterSigningKey: string; teamVerifyKey: string | null }

export function reportBindingV2(clear: ClearFields, keys: ReporterBinding): ClearFields {
  return { ...clear, reporterPublicKey: keys.reporterPublicKey, reporterSigningKey: keys.reporterSigningKey, teamVerifyKey: keys.teamVerifyKey };
}

/** Associated data of a message between caseworker and reporter: which case, which way. */
export function messageBinding(caseId: string, direction: 'to_reporter' | 'from_reporter'): ClearFields {
  return { caseId, direction };
}

/** v1 associated data: label, newline, canonical JSON of the bound object. */
export function associatedData(label: string, clear: ClearFields): Uint8Array {
  return utf8.encode(`${label}\n${canonicalJson(clear)}`);
}

/** v2 associated data: the bound object, the key commitment and the sorted recipient ids. */
function associatedDataV2(label: string, bound: ClearFields, commitment: string, kids: string[]): Uint8Array {
  return utf8.encode(`${label}\n${canonicalJson({ bound, commitment, recipients: [...kids].sort() })}`);
}

async function commit(contentKey: Uint8Array): Promise<Uint8Array> {
  const sodium = await sodiumReady();
  return sodium.crypto_generichash(32, concatBytes(utf8.encode(COMMITMENT_LABEL), contentKey), null);
}

/** What a v2 signature covers: the associated data, then BLAKE2b-256 of nonce ‖ ciphertext. */
export async function envelopeStatement(ad: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
  const sodium = await sodiumReady();
  const digest = sodium.crypto_generichash(32, concatBytes(nonce, ciphertext), null);
  return concatBytes(utf8.encode(SIGNATURE_LABEL), ad, new Uint8Array([0x0a]), digest);
}

/**
 * Seals `plaintext` as envelope v2 to each recipient; with `signingKey` (Ed25519, 64 bytes) the
 * envelope is signed (messages).
 */
export async function sealEnvelope(
  label: AdLabel,
  bound: ClearFields,
  plaintext: unknown,
  recipientPublicKeys: Uint8Array[],
  signingKey?: Uint8Array,
): Promise<Envelope> {
  const sodium = await sodiumReady();
  const contentKey = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = sodium.randombytes_buf(NONCE_BYTES);
  const padded = sodium.pad(utf8.encode(JSON.stringify(plaintext)), PAD_BLOCK);
  const commitment = toBase64Url(await commit(contentKey));
  const recipients: Recipient[] = [];
  for (const pk of recipientPublicKeys) {
    recipients.push({ kid: await keyId(pk), sealedKey: toBase64Url(sodium.crypto_box_seal(contentKey, pk)) });
  }
  const ad = associatedDataV2(labelFor(label, 2), bound, commitment, recipients.map((r) => r.kid));
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, ad, null, nonce, contentKey);
  sodium.memzero(contentKey);
  const envelope: Envelope = { v: 2, nonce: toBase64Url(nonce), ciphertext: toBase64Url(ciphertext), commitment, recipients };
  if (signingKey) envelope.signature = toBase64Url(sodium.crypto_sign_detached(await envelopeStatement(ad, nonce, ciphertext), signingKey));
  return envelope;
}

export interface DecodedEnvelope {
  v: 1 | 2;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  commitment: Uint8Array | null;
  signature: Uint8Array | null;
  recipients: { kid: string; sealedKey: Uint8Array }[];
}

/** Structural check without any key: what the server can verify. Null if malformed. */
export function decodeEnvelope(envelope: Envelope): DecodedEnvelope | null {
  if ((envelope?.v !== 1 && envelope?.v !== 2) || !Array.isArray(envelope.recipients)) return null;
  const nonce = fromBase64Url(envelope.nonce);
  const ciphertext = fromBase64Url(envelope.ciphertext);
  if (!nonce || nonce.length !== NONCE_BYTES) return null;
  if (!ciphertext || ciphertext.length < PAD_BLOCK + TAG_BYTES || (ciphertext.length - TAG_BYTES) % PAD_BLOCK !== 0) {
    return null;
  }
  let commitment: Uint8Array | null = null;
  let signature: Uint8Array | null = null;
  if (envelope.v === 1) {
    if (envelope.commitment !== undefined || envelope.signature !== undefined) return null;
  } else {
    commitment = fromBase64Url(envelope.commitment ?? '');
    if (!commitment || commitment.length !== 32) return null;
    if (envelope.signature !== undefined) {
      signature = fromBase64Url(envelope.signature);
      if (!signature || signature.length !== 64) return null;
    }
  }
  const recipients = [];
  for (const r of envelope.recipients) {
    const sealedKey = fromBase64Url(r.sealedKey);
    const kid = fromBase64Url(r.kid);
    if (!sealedKey || sealedKey.length !== KEY_BYTES + SEAL_OVERHEAD || !kid || kid.length !== 16) return null;
    recipients.push({ kid: r.kid, sealedKey });
  }
  if (envelope.v === 2 && new Set(recipients.map((r) => r.kid)).size !== recipients.length) return null;
  return { v: envelope.v, nonce, ciphertext, commitment, signature, recipients };
}

/** The associated data an envelope was sealed with, rebuilt from what it carries. */
function adOf(label: AdLabel, bound: ClearFields, envelope: Envelope, decoded: DecodedEnvelope): Uint8Array {
  return decoded.v === 1
    ? associatedData(labelFor(label, 1), bound)
    : associatedDataV2(labelFor(label, 2), bound, envelope.commitment!, decoded.recipients.map((r) => r.kid));
}

/**
 * True when a v2 envelope carries a signature by `verifyKey` over everything it binds. v1
 * envelopes and unsigned ones are never verified.
 */
export async function verifyEnvelope(label: AdLabel, bound: ClearFields, envelope: Envelope, verifyKey: Uint8Array): Promise<boolean> {
  const sodium = await sodiumReady();
  const decoded = decodeEnvelope(envelope);
  if (!decoded || decoded.v !== 2 || !decoded.signature || verifyKey.length !== 32) return false;
  const statement = await envelopeStatement(adOf(label, bound, envelope, decoded), decoded.nonce, decoded.ciphertext);
  try {
    return sodium.crypto_sign_verify_detached(decoded.signature, statement, verifyKey);
  } catch {
    return false;
  }
}

/**
 * Opens an envelope (v1 or v2) with one of the recipient's keypairs. Returns null on any failure:
 * not a recipient, a flipped byte, a swapped clear field, a changed recipient set, a content key
 * that does not match the commitment, a wrong label. Never a partial result.
 */
export async function openEnvelope<T = unknown>(
  label: AdLabel,
  bound: ClearFields,
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
    if (decoded.commitment && !bytesEqual(await commit(contentKey), decoded.commitment)) return null;
    const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null, decoded.ciphertext, adOf(label, bound, envelope, decoded), decoded.nonce, contentKey,
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
