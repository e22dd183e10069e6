// Signing keys (Ed25519): a team's, derived from its X25519 private key so that exactly the
// holders of the team key can sign as the team; checks that a published verify key is a usable
// point; and the proof a holder attaches when publishing a team's verify key. PROTOCOL.md §28.2, §28.6.
import { sodiumReady } from './sodium.ts';
import { fromBase64Url, toBase64Url, utf8 } from './encoding.ts';

export const TEAM_SIGNING_CONTEXT = 'rdrsteam';
const TEAM_SIGNING_SUBKEY = 1;
const PUBLISH_LABEL = 'redress/verify-key/v2\n';

export interface SigningKeyPair {
  /** Ed25519 public (verify) key, 32 bytes. */
  verifyKey: Uint8Array;
  /** Ed25519 secret key as libsodium holds it (seed ‖ public key), 64 bytes. */
  signingKey: Uint8Array;
}

/** The team's signing key pair, from the team's X25519 private key (§28.2). */
export async function teamSigningKeys(teamPrivateKey: Uint8Array): Promise<SigningKeyPair> {
  const sodium = await sodiumReady();
  const seed = sodium.crypto_kdf_derive_from_key(32, TEAM_SIGNING_SUBKEY, TEAM_SIGNING_CONTEXT, teamPrivateKey);
  const { publicKey, privateKey } = sodium.crypto_sign_seed_keypair(seed);
  sodium.memzero(seed);
  return { verifyKey: publicKey, signingKey: privateKey };
}

/** b64u of the team's verify key: what is published beside the team key. */
export async function teamVerifyKey(teamPrivateKey: Uint8Array): Promise<string> {
  return toBase64Url((await teamSigningKeys(teamPrivateKey)).verifyKey);
}

/** A verify key that decodes to 32 bytes and is a point of the prime-order subgroup (not small order). */
export async function isUsableVerifyKey(text: string | null | undefined): Promise<boolean> {
  const sodium = await sodiumReady();
  const bytes = text ? fromBase64Url(text) : null;
  if (!bytes || bytes.length !== 32) return false;
  try {
    sodium.crypto_sign_ed25519_pk_to_curve25519(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The proof that a publisher holds the signing key of the verify key it publishes for a team key. */
export async function verifyKeyProof(teamPublicKey: string, signingKey: Uint8Array): Promise<string> {
  const sodium = await sodiumReady();
  return toBase64Url(sodium.crypto_sign_detached(utf8.encode(`${PUBLISH_LABEL}${teamPublicKey}`), signingKey));
}

export async function checkVerifyKeyProof(teamPublicKey: string, verifyKey: string, proof: string): Promise<boolean> {
  const sodium = await sodiumReady();
  const key = fromBase64Url(verifyKey);
  const signature = fromBase64Url(proof);
  if (!key || key.length !== 32 || !signature || signature.length !== 64) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, utf8.encode(`${PUBLISH_LABEL}${teamPublicKey}`), key);
  } catch {
    return false;
  }
}
