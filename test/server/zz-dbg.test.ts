import { it } from 'vitest';
import { sealSubmission } from '../../client/report/seal.ts';
import { makeTestApp } from '../helpers/app.ts';
import { validForm } from '../fixtures/report.ts';
import { AD_LABEL, associatedData, decodeEnvelope, keyId } from '../../protocol/envelope.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { utf8 } from '../../protocol/encoding.ts';
it('dbg', async () => {
  const sodium = await sodiumReady();
  for (let i = 0; i < 3; i++) {
  const t = await makeTestApp();
  const { body } = await sealSubmission(validForm(), 'en', t.intake());
  const d = decodeEnvelope(body.envelope)!;
  const kid = await keyId(t.recovery!.publicKey);
  const mine = d.recipients.find((r) => r.kid === kid)!;
  const ck = sodium.crypto_box_seal_open(mine.sealedKey, t.recovery!.publicKey, t.recovery!.privateKey);
  console.log('CK', ck.length, d.ciphertext.length);
  try {
    const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, d.ciphertext, associatedData(AD_LABEL.report, body.clear), d.nonce, ck);
    console.log('PADDED', padded.length);
    const un = sodium.unpad(padded, 256);
    console.log('UNPAD', un.length, utf8.decode(un).slice(0, 400));
    console.log('PARSE', JSON.parse(utf8.decode(un)).narrative);
  } catch (e) { console.log('ERR', String(e)); }
  await t.close();
  }
});
