// Envelope v2 (PROTOCOL.md §27): every recipient opens the same content or nothing, a changed
// recipient set is seen by whoever opens, and a signature covers everything the envelope binds.
import { describe, expect, it } from 'vitest';
import { AD_LABEL, decodeEnvelope, keyId, openEnvelope, sealEnvelope, verifyEnvelope, type Envelope } from '../../protocol/envelope.ts';
import { generateKeyPair } from '../../protocol/keys.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { sodiumReady } from '../../protocol/sodium.ts';

const bound = { caseId: 'c0ffee00-0000-4000-8000-000000000002', direction: 'to_reporter' };

describe('envelope v2', () => {
  it('refuses a recipient whose sealed key is not the committed content key', async () => {
    const sodium = await sodiumReady();
    const team = await generateKeyPair();
    const recovery = await generateKeyPair();
    const envelope = await sealEnvelope(AD_LABEL.report, bound, { narrative: 'one story' }, [team.publicKey, recovery.publicKey]);
    // A dishonest sender gives the recovery key another content key: it must not open something else.
    const otherKey = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
    const recoveryKid = await keyId(recovery.publicKey);
    const split: Envelope = {
      ...envelope,
      recipients: envelope.recipients.map((r) => (r.kid === recoveryKid ? { kid: r.kid, sealedKey: toBase64Url(sodium.crypto_box_seal(otherKey, recovery.publicKey)) } : r)),
    };
    expect(await openEnvelope(AD_LABEL.report, bound, split, team)).toEqual({ narrative: 'one story' });
    expect(await openEnvelope(AD_LABEL.report, bound, split, recovery)).toBeNull();
    // A changed commitment is refused by everyone.
    expect(await openEnvelope(AD_LABEL.report, bound, { ...envelope, commitment: toBase64Url(new Uint8Array(32)) }, team)).toBeNull();
  });

  it('is seen as tampered by whoever opens it when a recipient is removed or added', async () => {
    const team = await generateKeyPair();
    const recovery = await generateKeyPair();
    const intruder = await generateKeyPair();
    const envelope = await sealEnvelope(AD_LABEL.report, bound, { narrative: 'x' }, [team.publicKey, recovery.publicKey]);
    const withoutRecovery = { ...envelope, recipients: [envelope.recipients[0]!] };
    expect(await openEnvelope(AD_LABEL.report, bound, withoutRecovery, team)).toBeNull();
    const sodium = await sodiumReady();
    const added = { ...envelope, recipients: [...envelope.recipients, { kid: await keyId(intruder.publicKey), sealedKey: toBase64Url(sodium.crypto_box_seal(new Uint8Array(32), intruder.publicKey)) }] };
    expect(await openEnvelope(AD_LABEL.report, bound, added, team)).toBeNull();
    expect(await openEnvelope(AD_LABEL.report, bound, added, recovery)).toBeNull();
    // Order does not matter: the ids are sorted before they are bound.
    expect(await openEnvelope(AD_LABEL.report, bound, { ...envelope, recipients: [...envelope.recipients].reverse() }, team)).toEqual({ narrative: 'x' });
    // A repeated recipient is malformed.
    expect(decodeEnvelope({ ...envelope, recipients: [envelope.recipients[0]!, envelope.recipients[0]!] })).toBeNull();
  });

  it('verifies the signature over label, binding, recipients and ciphertext, and nothing else', async () => {
    const sodium = await sodiumReady();
    const signer = sodium.crypto_sign_keypair();
    const other = sodium.crypto_sign_keypair();
    const team = await generateKeyPair();
    const reporter = await generateKeyPair();
    const envelope = await sealEnvelope(AD_LABEL.message, bound, { text: 'hello' }, [reporter.publicKey, team.publicKey], signer.privateKey);
    expect(envelope.signature).toHaveLength(86);
    expect(await verifyEnvelope(AD_LABEL.message, bound, envelope, signer.publicKey)).toBe(true);
    expect(await verifyEnvelope(AD_LABEL.message, bound, envelope, other.publicKey)).toBe(false);
    expect(await verifyEnvelope(AD_LABEL.message, { ...bound, direction: 'from_reporter' }, envelope, signer.publicKey)).toBe(false);
    expect(await verifyEnvelope(AD_LABEL.message, { ...bound, caseId: 'another' }, envelope, signer.publicKey)).toBe(false);
    expect(await verifyEnvelope(AD_LABEL.note, bound, envelope, signer.publicKey)).toBe(false);
    const ct = fromBase64Url(envelope.ciphertext)!;
    ct[3] = ct[3]! ^ 1;
    expect(await verifyEnvelope(AD_LABEL.message, bound, { ...envelope, ciphertext: toBase64Url(ct) }, signer.publicKey)).toBe(false);
    expect(await verifyEnvelope(AD_LABEL.message, bound, { ...envelope, recipients: [envelope.recipients[0]!] }, signer.publicKey)).toBe(false);
    const { signature: _dropped, ...unsigned } = envelope;
    expect(await verifyEnvelope(AD_LABEL.message, bound, unsigned, signer.publicKey)).toBe(false);
  });

  it('still opens version 1 envelopes with the v1 associated data', async () => {
    const v1 = decodeEnvelope({ v: 1, nonce: toBase64Url(new Uint8Array(24)), ciphertext: toBase64Url(new Uint8Array(272)), recipients: [] });
    expect(v1?.v).toBe(1);
    expect(decodeEnvelope({ v: 1, nonce: toBase64Url(new Uint8Array(24)), ciphertext: toBase64Url(new Uint8Array(272)), commitment: toBase64Url(new Uint8Array(32)), recipients: [] })).toBeNull();
    expect(decodeEnvelope({ v: 2, nonce: toBase64Url(new Uint8Array(24)), ciphertext: toBase64Url(new Uint8Array(272)), recipients: [] })).toBeNull();
  });
});
