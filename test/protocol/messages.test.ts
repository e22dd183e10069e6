// Signed messages and how they are read (PROTOCOL.md §29): the same rules on the phone and at the
// desk classify each message as verified, unverified (with a reason) or forged (never shown).
import { describe, expect, it } from 'vitest';
import { AD_LABEL, messageBinding, sealEnvelope } from '../../protocol/envelope.ts';
import { generateKeyPair } from '../../protocol/keys.ts';
import { readMessage, sealMessage } from '../../protocol/messages.ts';
import { teamSigningKeys } from '../../protocol/signing.ts';
import { deriveReceiptKeys } from '../../protocol/receipt.ts';
import { toBase64Url } from '../../protocol/encoding.ts';
import { sodiumReady } from '../../protocol/sodium.ts';

const caseId = 'c0ffee00-0000-4000-8000-000000000002';
const SALT = toBase64Url(new Uint8Array(16).fill(7));

async function parties() {
  const team = await generateKeyPair();
  const teamSign = await teamSigningKeys(team.privateKey);
  const reporter = await deriveReceiptKeys('12345678901234567890', SALT);
  const reporterBox = { publicKey: reporter.publicKey, privateKey: reporter.privateKey };
  const recovery = await generateKeyPair();
  return { team, teamSign, reporter, reporterBox, recovery };
}

describe('signed messages', () => {
  it('shows a caseworker message as verified on the phone only with the pinned team key', async () => {
    const p = await parties();
    const envelope = await sealMessage(caseId, 'to_reporter', 'We read your report.', [p.reporter.publicKey, p.team.publicKey], p.teamSign.signingKey);
    const message = { direction: 'to_reporter' as const, envelope };
    expect(await readMessage(caseId, message, p.reporterBox, { key: p.teamSign.verifyKey, legacy: false }))
      .toEqual({ status: 'verified', text: 'We read your report.' });
    // The team, too, reads its own message as verified.
    expect((await readMessage(caseId, message, p.team, { key: p.teamSign.verifyKey, legacy: false })).status).toBe('verified');
    // Served keys that do not match the pin: nothing from the caseworkers is shown.
    expect(await readMessage(caseId, message, p.reporterBox, { key: p.teamSign.verifyKey, legacy: false, distrusted: true }))
      .toEqual({ status: 'forged', text: null });
  });

  it('hides a forged caseworker message: unsigned, signed by another key, or in the old format on a signing case', async () => {
    const p = await parties();
    const server = (await sodiumReady()).crypto_sign_keypair();
    const recipients = [p.reporter.publicKey, p.team.publicKey];
    const trust = { key: p.teamSign.verifyKey, legacy: false };
    const byServer = await sealMessage(caseId, 'to_reporter', 'Send us your location.', recipients, server.privateKey);
    const unsigned = await sealEnvelope(AD_LABEL.message, messageBinding(caseId, 'to_reporter'), { text: 'Send us your location.' }, recipients);
    const oldFormat = await sealV1(caseId, 'Send us your location.', recipients);
    for (const envelope of [byServer, unsigned, oldFormat]) {
      expect(await readMessage(caseId, { direction: 'to_reporter', envelope }, p.reporterBox, trust)).toEqual({ status: 'forged', text: null });
    }
  });

  it('flags a forged reporter message at the desk, and verifies a genuine one', async () => {
    const p = await parties();
    const recipients = [p.team.publicKey, p.recovery.publicKey, p.reporter.publicKey];
    const genuine = await sealMessage(caseId, 'from_reporter', 'The date was 14 March.', recipients, p.reporter.signingKey);
    const forged = await sealMessage(caseId, 'from_reporter', 'Call me on this other number.', recipients, (await sodiumReady()).crypto_sign_keypair().privateKey);
    const trust = { key: p.reporter.verifyKey, legacy: false };
    expect(await readMessage(caseId, { direction: 'from_reporter', envelope: genuine }, p.team, trust)).toEqual({ status: 'verified', text: 'The date was 14 March.' });
    expect(await readMessage(caseId, { direction: 'from_reporter', envelope: forged }, p.team, trust)).toEqual({ status: 'forged', text: null });
    // A signature made for the other direction does not pass.
    const turned = await sealMessage(caseId, 'to_reporter', 'x', recipients, p.reporter.signingKey);
    expect((await readMessage(caseId, { direction: 'from_reporter', envelope: turned }, p.team, trust)).status).toBe('forged');
  });

  it('keeps old cases readable: messages shown as unverified, sent before signatures', async () => {
    const p = await parties();
    const recipients = [p.reporter.publicKey, p.team.publicKey];
    const old = await sealV1(caseId, 'Hello from before.', recipients);
    expect(await readMessage(caseId, { direction: 'to_reporter', envelope: old }, p.reporterBox, { key: null, legacy: true }))
      .toEqual({ status: 'unverified', reason: 'before_signatures', text: 'Hello from before.' });
    // A new, signed message on such a case: nothing committed to check it against.
    const signed = await sealMessage(caseId, 'to_reporter', 'Hello after.', recipients, p.teamSign.signingKey);
    expect(await readMessage(caseId, { direction: 'to_reporter', envelope: signed }, p.reporterBox, { key: null, legacy: true }))
      .toEqual({ status: 'unverified', reason: 'before_signatures', text: 'Hello after.' });
    // A signing case whose team had no published verify key: shown, but "cannot be checked".
    expect(await readMessage(caseId, { direction: 'to_reporter', envelope: signed }, p.reporterBox, { key: null, legacy: false }))
      .toEqual({ status: 'unverified', reason: 'cannot_check', text: 'Hello after.' });
  });
});

/** A message as the first follow-up release sealed it: envelope v1, no signature. */
async function sealV1(id: string, text: string, recipients: Uint8Array[]) {
  const sodium = await sodiumReady();
  const { associatedData, keyId } = await import('../../protocol/envelope.ts');
  const { canonicalJson: _c, utf8 } = await import('../../protocol/encoding.ts');
  const k = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const n = sodium.randombytes_buf(24);
  const padded = sodium.pad(utf8.encode(JSON.stringify({ text })), 256);
  const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, associatedData('redress/message/v1', messageBinding(id, 'to_reporter')), null, n, k);
  const sealed = [];
  for (const pk of recipients) sealed.push({ kid: await keyId(pk), sealedKey: toBase64Url(sodium.crypto_box_seal(k, pk)) });
  return { v: 1 as const, nonce: toBase64Url(n), ciphertext: toBase64Url(ct), recipients: sealed };
}
