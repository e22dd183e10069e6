// The v2 test vectors of docs/PROTOCOL.md §12.12, read from the document itself so the two cannot
// drift apart: the verify keys, the pin and the signed v2 message come out exactly as written. The
// v1 vectors (§12.1–§12.11) live in test/fixtures/protocol-vectors.json: vectors.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../protocol/encoding.ts';
import { AD_LABEL, messageBinding, openEnvelope, verifyEnvelope, type Envelope } from '../../protocol/envelope.ts';
import { makePin } from '../../protocol/pin.ts';
import { deriveReceiptKeys } from '../../protocol/receipt.ts';
import { teamSigningKeys } from '../../protocol/signing.ts';
import { sodiumReady } from '../../protocol/sodium.ts';

const doc = readFileSync('docs/PROTOCOL.md', 'utf8');
function jsonAfter(heading: string): Envelope {
  const at = doc.indexOf('```json', doc.indexOf(heading));
  return JSON.parse(doc.slice(at + 7, doc.indexOf('```', at + 7))) as Envelope;
}
const CASE = 'c0ffee00-0000-4000-8000-000000000002';

async function keys() {
  const sodium = await sodiumReady();
  const team = sodium.crypto_box_seed_keypair(new Uint8Array(32).fill(1));
  const recovery = sodium.crypto_box_seed_keypair(new Uint8Array(32).fill(2));
  const reporter = await deriveReceiptKeys('12345678901234567890', toBase64Url(new Uint8Array(16).fill(7)));
  return { team, recovery, reporter, reporterPair: { publicKey: reporter.publicKey, privateKey: reporter.privateKey } };
}

describe('PROTOCOL.md §12 vectors', () => {
  it('gives the keys, the pin and the signed v2 message of §12.12', async () => {
    const { team, recovery, reporter, reporterPair } = await keys();
    const sodium = await sodiumReady();
    const vkT = toBase64Url((await teamSigningKeys(team.privateKey)).verifyKey);
    expect(vkT).toBe('2dt4-Wxt9-kgcgP7hpPlmOBZk_IuV8yjDhnkD26zD-0');
    expect(toBase64Url(reporter.verifyKey)).toBe('dcuLjOzUB6RZfCkr9DEpUowGHS8OUVG9gZ3ZCufeDVE');
    expect(sodium.to_hex(reporter.pinKey)).toBe('ea23b8fedbd2914048691c8c8f54062fda3d3a5ed47ceb98ed880540c9992b67');
    expect(await makePin(reporter.pinKey, { team: toBase64Url(team.publicKey), recovery: toBase64Url(recovery.publicKey), teamVerifyKey: vkT }))
      .toBe('jO80IVXxdhRWwEmk1xURRefoMWZi4tpfLmW4ik13GWo');
    const message = jsonAfter('### 12.12 Envelope v2');
    const bound = messageBinding(CASE, 'to_reporter');
    for (const pair of [team, reporterPair]) expect(await openEnvelope(AD_LABEL.message, bound, message, pair)).toEqual({ text: 'We received your report and will write to you here.' });
    expect(await verifyEnvelope(AD_LABEL.message, bound, message, (await teamSigningKeys(team.privateKey)).verifyKey)).toBe(true);
    expect(await verifyEnvelope(AD_LABEL.message, bound, message, reporter.verifyKey)).toBe(false);
    expect(await openEnvelope(AD_LABEL.message, messageBinding(CASE, 'from_reporter'), message, team)).toBeNull();
    expect(await openEnvelope(AD_LABEL.message, bound, { ...message, recipients: [message.recipients[1]!] }, team)).toBeNull();
    const ct = Buffer.from(message.ciphertext, 'base64url');
    expect(sodium.to_hex(sodium.crypto_hash_sha256(ct))).toBe('6dc781633f47098098e689fa6da7a625ded24378c8ec5017887919ba72a873bd');
  });
});
