// The reporter's receipt: 20 random decimal digits (66.4 bits), shown in groups of four so it
// reads like a phone number in any script. Argon2id turns it into the keys the reporter needs to
// follow up; the server only ever sees an auth token's hash and a public key (PROTOCOL.md §4).
import { NUMBER_NOISE, toAsciiDigits } from './digits.ts';
import { sodiumReady } from './sodium.ts';
import { fromBase64Url, toBase64Url } from './encoding.ts';

export const RECEIPT_DIGITS = 20;
/** Argon2id cost for receipts: OWASP's second profile (19 MiB, 2 passes), ~0.1 s in Node's WASM. */
export const RECEIPT_KDF = { opslimit: 2, memlimit: 19 * 1024 * 1024 } as const;
export const RECEIPT_KDF_CONTEXT = 'rdrsrcpt';
const SUBKEY_AUTH = 1;
const SUBKEY_BOX = 2;
const SUBKEY_SIGN = 3;
const SUBKEY_PIN = 4;

const LIMIT = 10n ** BigInt(RECEIPT_DIGITS);
// 9 random bytes = 72 bits; values at or above the largest multiple of 10^20 are drawn again.
const RANGE = 2n ** 72n;
const CEILING = RANGE - (RANGE % LIMIT);

export async function generateReceipt(): Promise<string> {
  const sodium = await sodiumReady();
  for (;;) {
    const bytes = sodium.randombytes_buf(9);
    let n = 0n;
    for (const b of bytes) n = (n << 8n) | BigInt(b);
    if (n < CEILING) return (n % LIMIT).toString().padStart(RECEIPT_DIGITS, '0');
  }
}

export function formatReceipt(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** Re-exported: the form and the desk type digits in any script too. */
export { toAsciiDigits };

export type ReceiptProblem = 'empty' | 'not_digits' | 'mixed_scripts' | 'too_short' | 'too_long';
export type NormalisedReceipt = { ok: true; digits: string } | { ok: false; problem: ReceiptProblem };

/**
 * Accepts a receipt typed in any decimal digit script, or several (a phone may switch keyboards
 * half-way), with spaces, dashes, dots, full-width forms or invisible bidi marks between groups.
 * 'mixed_scripts' is kept in the type for old clients' messages but no longer returned.
 */
export function normaliseReceipt(input: string): NormalisedReceipt {
  const compact = toAsciiDigits(input.normalize('NFKC').replace(NUMBER_NOISE, ''));
  if (compact === '') return { ok: false, problem: 'empty' };
  if (!/^[0-9]+$/.test(compact)) return { ok: false, problem: 'not_digits' };
  if (compact.length < RECEIPT_DIGITS) return { ok: false, problem: 'too_short' };
  if (compact.length > RECEIPT_DIGITS) return { ok: false, problem: 'too_long' };
  return { ok: true, digits: compact };
}

export interface ReceiptKeys {
  /** Sent to the server to prove possession; the server stores only its BLAKE2b-256 hash. */
  authToken: Uint8Array;
  /** X25519 keypair: the server stores the public key; replies are sealed to it. */
  publicKey: Uint8Array;
  privateKey: Uint8Array;
  /** Ed25519: the reporter signs messages with signingKey; verifyKey is bound into the report (§28.1). */
  verifyKey: Uint8Array;
  signingKey: Uint8Array;
  /** Keys the pin, the reporter's commitment to the keys they sealed to (§28.4). */
  pinKey: Uint8Array;
}

/** Argon2id13 with 32 bytes of output: libsodium in this thread, or a worker pool on the server. */
export type Argon2id = (password: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number) => Promise<Uint8Array>;

async function argon2idHere(password: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number): Promise<Uint8Array> {
  const sodium = await sodiumReady();
  return sodium.crypto_pwhash(32, password, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
}

/**
 * receiptSalt: the organisation's 16-byte salt, published base64url in GET /api/intake. The
 * Argon2id cost is RECEIPT_KDF, fixed here: never taken from the server.
 */
export async function deriveReceiptKeys(digits: string, receiptSalt: string, argon2id: Argon2id = argon2idHere): Promise<ReceiptKeys> {
  const sodium = await sodiumReady();
  const salt = fromBase64Url(receiptSalt);
  if (!salt || salt.length !== sodium.crypto_pwhash_SALTBYTES) throw new Error('bad receipt salt');
  if (!/^[0-9]{20}$/.test(digits)) throw new Error('receipt must be normalised first');
  const master = await argon2id(sodium.from_string(digits), salt, RECEIPT_KDF.opslimit, RECEIPT_KDF.memlimit);
  if (master.length !== 32) throw new Error('Argon2id gave a key of the wrong length');
  const authToken = sodium.crypto_kdf_derive_from_key(32, SUBKEY_AUTH, RECEIPT_KDF_CONTEXT, master);
  const seed = sodium.crypto_kdf_derive_from_key(32, SUBKEY_BOX, RECEIPT_KDF_CONTEXT, master);
  const signSeed = sodium.crypto_kdf_derive_from_key(32, SUBKEY_SIGN, RECEIPT_KDF_CONTEXT, master);
  const pinKey = sodium.crypto_kdf_derive_from_key(32, SUBKEY_PIN, RECEIPT_KDF_CONTEXT, master);
  const { publicKey, privateKey } = sodium.crypto_box_seed_keypair(seed);
  const signing = sodium.crypto_sign_seed_keypair(signSeed);
  for (const secret of [master, seed, signSeed]) sodium.memzero(secret);
  return { authToken, publicKey, privateKey, verifyKey: signing.publicKey, signingKey: signing.privateKey, pinKey };
}

/** What the server stores for an auth token: BLAKE2b-256, base64url. */
export async function hashAuthToken(authToken: Uint8Array): Promise<string> {
  const sodium = await sodiumReady();
  return toBase64Url(sodium.crypto_generichash(32, authToken, null));
}

/** True when what was typed (in any digit script, with any spacing) is the receipt's last four digits. */
export function confirmsReceipt(typed: string, receipt: string): boolean {
  const digits = toAsciiDigits(typed).replace(/\D/g, '');
  return digits.length === 4 && receipt.endsWith(digits);
}
