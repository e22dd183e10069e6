// The keys behind signed messages: the team's signing key from its X25519 key, the reporter's
// signing key and pin key from the receipt, the pin itself, key-validity checks, KDF minimums and
// name rules (PROTOCOL.md §28, §30).
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../protocol/encoding.ts';
import { PASSWORD_KDF_MIN, KdfPolicyError, checkPasswordKdf } from '../../protocol/kdf-policy.ts';
import { derivePasswordKeys, generateKeyPair, isUsablePublicKey, newKdfParams } from '../../protocol/keys.ts';
import { hasBidiControls } from '../../protocol/names.ts';
import { checkPin, makePin } from '../../protocol/pin.ts';
import { deriveReceiptKeys } from '../../protocol/receipt.ts';
import { checkVerifyKeyProof, isUsableVerifyKey, teamSigningKeys, teamVerifyKey, verifyKeyProof } from '../../protocol/signing.ts';

const SALT = toBase64Url(new Uint8Array(16).fill(7));

describe('trust keys', () => {
  it('derives the team signing key from the team private key, reproducibly', async () => {
    const team = await generateKeyPair();
    expect(await teamVerifyKey(team.privateKey)).toBe(await teamVerifyKey(team.privateKey));
    expect(await teamVerifyKey(team.privateKey)).not.toBe(await teamVerifyKey((await generateKeyPair()).privateKey));
    const { signingKey } = await teamSigningKeys(team.privateKey);
    const proof = await verifyKeyProof(toBase64Url(team.publicKey), signingKey);
    expect(await checkVerifyKeyProof(toBase64Url(team.publicKey), await teamVerifyKey(team.privateKey), proof)).toBe(true);
    expect(await checkVerifyKeyProof(toBase64Url((await generateKeyPair()).publicKey), await teamVerifyKey(team.privateKey), proof)).toBe(false);
  });

  it('gives the reporter a signing key and a pin key from the receipt, the same as before for the first two subkeys', async () => {
    const keys = await deriveReceiptKeys('12345678901234567890', SALT);
    // PROTOCOL.md §12.5: unchanged auth token and public key.
    expect(toBase64Url(keys.authToken)).toBe('-uvzCzUszeRJJSn8TZ_g4AnH3UOb8juiVVINtUPFhpw');
    expect(toBase64Url(keys.publicKey)).toBe('arjGF14WkNiudWIKNNXubJvZwfgCYGdLINHUu4oFTEw');
    expect(keys.verifyKey).toHaveLength(32);
    expect(keys.pinKey).toHaveLength(32);
    expect(toBase64Url(keys.pinKey)).not.toBe(toBase64Url(keys.authToken));
  });

  it('makes a pin only the receipt holder can reproduce, over exactly the keys sealed to', async () => {
    const keys = await deriveReceiptKeys('12345678901234567890', SALT);
    const pinned = { team: 'GxtY3VDqFLYNoXt5DNAnVNlwybq4ZOuzwPMBb-UdP1c', recovery: 'YDRufJEaX2uhVBKRdMr-dbKUrDu9VUljL0jOxiZvhBA', teamVerifyKey: null };
    const pin = await makePin(keys.pinKey, pinned);
    expect(await checkPin(keys.pinKey, pin, pinned)).toBe(true);
    expect(await checkPin(keys.pinKey, pin, { ...pinned, team: pinned.recovery })).toBe(false);
    expect(await checkPin(keys.pinKey, pin, { ...pinned, teamVerifyKey: pinned.team })).toBe(false);
    const other = await deriveReceiptKeys('12345678901234567891', SALT);
    expect(await checkPin(other.pinKey, pin, pinned)).toBe(false);
  });

  it('refuses all-zero and small-order public keys', async () => {
    expect(await isUsablePublicKey(toBase64Url(new Uint8Array(32)))).toBe(false);
    const one = new Uint8Array(32);
    one[0] = 1;
    expect(await isUsablePublicKey(toBase64Url(one))).toBe(false);
    expect(await isUsablePublicKey(toBase64Url((await generateKeyPair()).publicKey))).toBe(true);
    expect(await isUsableVerifyKey(toBase64Url(new Uint8Array(32)))).toBe(false);
    expect(await isUsableVerifyKey(await teamVerifyKey((await generateKeyPair()).privateKey))).toBe(true);
  });

  it('refuses password key-derivation parameters weaker than the minimum, before deriving', async () => {
    const params = await newKdfParams();
    expect(() => checkPasswordKdf(params)).not.toThrow();
    await expect(derivePasswordKeys('a long enough password', { ...params, memlimit: PASSWORD_KDF_MIN.memlimit / 4 })).rejects.toBeInstanceOf(KdfPolicyError);
    await expect(derivePasswordKeys('a long enough password', { ...params, opslimit: 1 })).rejects.toBeInstanceOf(KdfPolicyError);
    expect(() => checkPasswordKdf({ opslimit: 2, memlimit: 8 * 1024 ** 3 })).toThrow(KdfPolicyError);
  });

  it('spots bidirectional override characters in names', () => {
    expect(hasBidiControls('Caseworkers')).toBe(false);
    expect(hasBidiControls('فريق الحالات')).toBe(false);
    expect(hasBidiControls('team\u202Eevil')).toBe(true);
    expect(hasBidiControls('a\u2067b')).toBe(true);
  });
});
