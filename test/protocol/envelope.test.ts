// Envelopes (written as v2): round trips, and every tamper case fails closed (returns null, never garbage).
import { describe, expect, it } from 'vitest';
import { AD_LABEL, PAD_BLOCK, decodeEnvelope, keyId, openEnvelope, sealEnvelope, sealedToExactly, type Envelope } from '../../protocol/envelope.ts';
import { generateKeyPair } from '../../protocol/keys.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { sodiumReady } from '../../protocol/sodium.ts';

const clear = { category: 'pushback', country: 'GR', urgent: true, language: 'ar' };
const content = { narrative: 'نص سري', place: 'Evros' };

function flipByte(envelope: Envelope, field: 'ciphertext' | 'nonce', index: number): Envelope {
  const bytes = fromBase64Url(envelope[field])!;
  bytes[index] = bytes[index]! ^ 0x01;
  return { ...envelope, [field]: toBase64Url(bytes) };
}

describe('envelope', () => {
  it('opens for each recipient and for nobody else', async () => {
    const team = await generateKeyPair();
    const recovery = await generateKeyPair();
    const stranger = await generateKeyPair();
    const envelope = await sealEnvelope(AD_LABEL.report, clear, content, [team.publicKey, recovery.publicKey]);
    expect(await openEnvelope(AD_LABEL.report, clear, envelope, team)).toEqual(content);
    expect(await openEnvelope(AD_LABEL.report, clear, envelope, recovery)).toEqual(content);
    expect(await openEnvelope(AD_LABEL.report, clear, envelope, stranger)).toBeNull();
  });

  it('carries its version, pads to a block, and names recipients by key id', async () => {
    const team = await generateKeyPair();
    const envelope = await sealEnvelope(AD_LABEL.report, clear, { narrative: 'x' }, [team.publicKey]);
    expect(envelope.v).toBe(2);
    const decoded = decodeEnvelope(envelope)!;
    expect(decoded.ciphertext.length).toBe(PAD_BLOCK + 16);
    expect(envelope.recipients[0]!.kid).toBe(await keyId(team.publicKey));
    expect(sealedToExactly(decoded, [await keyId(team.publicKey)])).toBe(true);
    expect(sealedToExactly(decoded, [await keyId(team.publicKey), 'AAAAAAAAAAAAAAAAAAAAAA'])).toBe(false);
  });

  it('fails closed on every tampering', async () => {
    const team = await generateKeyPair();
    const other = await generateKeyPair();
    const envelope = await sealEnvelope(AD_LABEL.report, clear, content, [team.publicKey]);
    const cases: [string, Promise<unknown>][] = [
      ['flipped ciphertext byte', openEnvelope(AD_LABEL.report, clear, flipByte(envelope, 'ciphertext', 10), team)],
      ['flipped tag byte', openEnvelope(AD_LABEL.report, clear, flipByte(envelope, 'ciphertext', fromBase64Url(envelope.ciphertext)!.length - 1), team)],
      ['flipped nonce byte', openEnvelope(AD_LABEL.report, clear, flipByte(envelope, 'nonce', 0), team)],
      ['swapped clear field', openEnvelope(AD_LABEL.report, { ...clear, country: 'TR' }, envelope, team)],
      ['dropped clear field', openEnvelope(AD_LABEL.report, { category: 'pushback', country: 'GR', language: 'ar' }, envelope, team)],
      ['urgent flag flipped', openEnvelope(AD_LABEL.report, { ...clear, urgent: false }, envelope, team)],
      ['wrong label', openEnvelope(AD_LABEL.message, clear, envelope, team)],
      ['wrong key', openEnvelope(AD_LABEL.report, clear, envelope, other)],
      ['truncated ciphertext', openEnvelope(AD_LABEL.report, clear, { ...envelope, ciphertext: envelope.ciphertext.slice(0, -8) }, team)],
      ['sealed key of another envelope', (async () => {
        const second = await sealEnvelope(AD_LABEL.report, clear, content, [team.publicKey]);
        return openEnvelope(AD_LABEL.report, clear, { ...envelope, recipients: second.recipients }, team);
      })()],
      ['unknown version', openEnvelope(AD_LABEL.report, clear, { ...envelope, v: 3 as 2 }, team)],
      ['read as version 1', openEnvelope(AD_LABEL.report, clear, { ...envelope, v: 1, commitment: undefined }, team)],
    ];
    for (const [name, result] of cases) expect(await result, name).toBeNull();
  });

  it('rejects malformed envelopes before any key is used', () => {
    const good = { v: 1 as const, nonce: toBase64Url(new Uint8Array(24)), ciphertext: toBase64Url(new Uint8Array(PAD_BLOCK + 16)), recipients: [] };
    expect(decodeEnvelope(good)).not.toBeNull();
    expect(decodeEnvelope({ ...good, nonce: toBase64Url(new Uint8Array(12)) })).toBeNull();
    expect(decodeEnvelope({ ...good, ciphertext: toBase64Url(new Uint8Array(100)) })).toBeNull();
    expect(decodeEnvelope({ ...good, ciphertext: 'not base64!' })).toBeNull();
    expect(decodeEnvelope({ ...good, recipients: [{ kid: 'short', sealedKey: toBase64Url(new Uint8Array(80)) }] })).toBeNull();
  });

  it('agrees with libsodium on the primitives it names (known answers)', async () => {
    const sodium = await sodiumReady();
    // BLAKE2b-128 of the empty string: a published test vector of the BLAKE2 reference.
    expect(sodium.to_hex(sodium.crypto_generichash(16, new Uint8Array(0), null))).toBe('cae66941d9efbd404e4d88758ea67670');
    // X25519 base point multiplication of the RFC 7748 §6.1 Alice private key.
    const alice = sodium.from_hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    expect(sodium.to_hex(sodium.crypto_scalarmult_base(alice))).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  });
});
