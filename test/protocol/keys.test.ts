// Password-derived keys, key wrapping, grants and the recovery kit format.
import { describe, expect, it } from 'vitest';
import {
  RECOVERY_PREFIX, WRAP_LABEL, derivePasswordKeys, generateKeyPair, hashAuthKey, newKdfParams, openGrant,
  recoveryKeyPairFromKit, sealGrant, unwrapSecret, wrapSecret,
} from '../../protocol/keys.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';

describe('keys', () => {
  it('derives distinct auth and wrap keys, reproducibly, from a password', async () => {
    const params = await newKdfParams();
    const a = await derivePasswordKeys('a long enough password', params);
    const b = await derivePasswordKeys('a long enough password', params);
    const c = await derivePasswordKeys('a long enough passworD', params);
    expect(await hashAuthKey(a.authKey)).toBe(await hashAuthKey(b.authKey));
    expect(await hashAuthKey(a.authKey)).not.toBe(await hashAuthKey(c.authKey));
    expect(toBase64Url(a.authKey)).not.toBe(toBase64Url(a.wrapKey));
  });

  it('unwraps only with the right key and label, and refuses a flipped byte', async () => {
    const params = await newKdfParams();
    const { wrapKey } = await derivePasswordKeys('a long enough password', params);
    const { wrapKey: wrong } = await derivePasswordKeys('another long password', params);
    const secret = (await generateKeyPair()).privateKey;
    const wrapped = await wrapSecret(secret, wrapKey, WRAP_LABEL.userPrivateKey);
    expect(toBase64Url((await unwrapSecret(wrapped, wrapKey, WRAP_LABEL.userPrivateKey))!)).toBe(toBase64Url(secret));
    expect(await unwrapSecret(wrapped, wrong, WRAP_LABEL.userPrivateKey)).toBeNull();
    expect(await unwrapSecret(wrapped, wrapKey, 'redress/wrap/other/v1')).toBeNull();
    const bytes = fromBase64Url(wrapped)!;
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 1;
    expect(await unwrapSecret(toBase64Url(bytes), wrapKey, WRAP_LABEL.userPrivateKey)).toBeNull();
  });

  it('seals a team key to a member, who alone can open it', async () => {
    const team = await generateKeyPair();
    const member = await generateKeyPair();
    const outsider = await generateKeyPair();
    const grant = await sealGrant(team.privateKey, member.publicKey);
    const opened = (await openGrant(grant, member))!;
    expect(toBase64Url(opened.publicKey)).toBe(toBase64Url(team.publicKey));
    expect(await openGrant(grant, outsider)).toBeNull();
  });

  it('reads the recovery key back from a kit', async () => {
    const pair = await generateKeyPair();
    const kit = `REDRESS RECOVERY KIT\n\nblah\n${RECOVERY_PREFIX}${toBase64Url(pair.privateKey)}\n`;
    expect(toBase64Url((await recoveryKeyPairFromKit(kit))!.publicKey)).toBe(toBase64Url(pair.publicKey));
    expect(await recoveryKeyPairFromKit('no key here')).toBeNull();
  });
});
