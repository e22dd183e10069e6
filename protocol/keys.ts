// Keys held by people and teams: password-derived keys for desk accounts, wrapping of a private
// key under a symmetric key, and sealing a team's private key to a member (a "grant").
// docs/PROTOCOL.md §5–§6 describes the byte layouts.
import { sodiumReady } from './sodium.ts';
import { fromBase64Url, toBase64Url, utf8 } from './encoding.ts';
import type { KeyPair } from './envelope.ts';
import { checkPasswordKdf } from './kdf-policy.ts';

/** Argon2id for passwords: libsodium's INTERACTIVE limits (2 passes, 64 MiB), stored per account. */
export const PASSWORD_KDF = { opslimit: 2, memlimit: 64 * 1024 * 1024 } as const;
export const PASSWORD_KDF_CONTEXT = 'rdrspass';
const SUBKEY_AUTH = 1;
const SUBKEY_WRAP = 2;
export const WRAP_VERSION = 1;
export const WRAP_LABEL = {
  userPrivateKey: 'redress/wrap/user-private-key/v1',
} as const;
export const MIN_PASSWORD_LENGTH = 12;

export interface KdfParams {
  salt: string;
  opslimit: number;
  memlimit: number;
}

export interface PasswordKeys {
  /** Proves the password to the server; the server stores only its BLAKE2b-256 hash. */
  authKey: Uint8Array;
  /** Never leaves the browser: wraps the account's X25519 private key. */
  wrapKey: Uint8Array;
}

export async function newKdfParams(): Promise<KdfParams> {
  const sodium = await sodiumReady();
  return { salt: toBase64Url(sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES)), ...PASSWORD_KDF };
}

/** Refuses (KdfPolicyError) parameters below the minimum of kdf-policy.ts before deriving anything. */
export async function derivePasswordKeys(password: string, params: KdfParams): Promise<PasswordKeys> {
  checkPasswordKdf(params);
  const sodium = await sodiumReady();
  const salt = fromBase64Url(params.salt);
  if (!salt || salt.length !== sodium.crypto_pwhash_SALTBYTES) throw new Error('bad salt');
  const master = sodium.crypto_pwhash(
    32, utf8.encode(password.normalize('NFC')), salt, params.opslimit, params.memlimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  const authKey = sodium.crypto_kdf_derive_from_key(32, SUBKEY_AUTH, PASSWORD_KDF_CONTEXT, master);
  const wrapKey = sodium.crypto_kdf_derive_from_key(32, SUBKEY_WRAP, PASSWORD_KDF_CONTEXT, master);
  sodium.memzero(master);
  return { authKey, wrapKey };
}

export async function hashAuthKey(authKey: Uint8Array): Promise<string> {
  const sodium = await sodiumReady();
  return toBase64Url(sodium.crypto_generichash(32, authKey, null));
}

export async function generateKeyPair(): Promise<KeyPair> {
  const sodium = await sodiumReady();
  const { publicKey, privateKey } = sodium.crypto_box_keypair();
  return { publicKey, privateKey };
}

/**
 * An X25519 public key that can be sealed to: 32 bytes and not of small order (the all-zero key
 * and its kin give an all-zero shared secret, so nothing could ever be sealed to a team using one).
 */
export async function isUsablePublicKey(text: string | null | undefined): Promise<boolean> {
  const sodium = await sodiumReady();
  const bytes = text ? fromBase64Url(text) : null;
  if (!bytes || bytes.length !== 32) return false;
  try {
    sodium.crypto_scalarmult(sodium.randombytes_buf(32), bytes);
    return true;
  } catch {
    return false;
  }
}

/** wrapped = base64url(0x01 ‖ nonce[24] ‖ XChaCha20-Poly1305(secret, ad = label)). */
export async function wrapSecret(secret: Uint8Array, wrapKey: Uint8Array, label: string): Promise<string> {
  const sodium = await sodiumReady();
  const nonce = sodium.randombytes_buf(24);
  const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(secret, utf8.encode(label), null, nonce, wrapKey);
  const out = new Uint8Array(1 + nonce.length + ct.length);
  out[0] = WRAP_VERSION;
  out.set(nonce, 1);
  out.set(ct, 25);
  return toBase64Url(out);
}

export async function unwrapSecret(wrapped: string, wrapKey: Uint8Array, label: string): Promise<Uint8Array | null> {
  const sodium = await sodiumReady();
  const bytes = fromBase64Url(wrapped);
  if (!bytes || bytes.length < 1 + 24 + 16 || bytes[0] !== WRAP_VERSION) return null;
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null, bytes.subarray(25), utf8.encode(label), bytes.subarray(1, 25), wrapKey,
    );
  } catch {
    return null;
  }
}

/** A grant: a team's (or the recovery kit's) private key sealed to a member's public key. */
export async function sealGrant(teamPrivateKey: Uint8Array, memberPublicKey: Uint8Array): Promise<string> {
  const sodium = await sodiumReady();
  return toBase64Url(sodium.crypto_box_seal(teamPrivateKey, memberPublicKey));
}

export async function openGrant(grant: string, member: KeyPair): Promise<KeyPair | null> {
  const sodium = await sodiumReady();
  const bytes = fromBase64Url(grant);
  if (!bytes) return null;
  try {
    const privateKey = sodium.crypto_box_seal_open(bytes, member.publicKey, member.privateKey);
    return { privateKey, publicKey: sodium.crypto_scalarmult_base(privateKey) };
  } catch {
    return null;
  }
}

/** The recovery kit's secret line: "redress-recovery-v1:" + base64url(private key). */
export const RECOVERY_PREFIX = 'redress-recovery-v1:';

export async function recoveryKeyPairFromKit(kitText: string): Promise<KeyPair | null> {
  const sodium = await sodiumReady();
  const line = kitText.split(/\r?\n/).map((l) => l.trim()).find((l) => l.startsWith(RECOVERY_PREFIX));
  const privateKey = line ? fromBase64Url(line.slice(RECOVERY_PREFIX.length)) : null;
  if (!privateKey || privateKey.length !== 32) return null;
  return { privateKey, publicKey: sodium.crypto_scalarmult_base(privateKey) };
}
