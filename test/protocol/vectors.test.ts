// The test vectors of PROTOCOL.md §12, recomputed with the project's own functions: every value in
// test/fixtures/protocol-vectors.json is derived again here and compared, and every sealed object
// in it is opened. Where a function draws random bytes, the draw is replaced by the vector's bytes.
// These are envelope v1 vectors: the project seals v2 since §27 and only opens v1, so v1 sealing is
// written out below from §3.2 with the project's primitives (v2 vectors: vectors-document.test.ts).
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import vectors from '../fixtures/protocol-vectors.json' with { type: 'json' };
import { canonicalJson, fromBase64Url, toBase64Url, utf8 } from '../../protocol/encoding.ts';
import {
  AD_LABEL, PAD_BLOCK, associatedData, keyId, messageBinding, openEnvelope, reportBinding,
  type AdLabel, type ClearFields, type Envelope, type KeyPair,
} from '../../protocol/envelope.ts';
import {
  RECOVERY_PREFIX, WRAP_LABEL, derivePasswordKeys, hashAuthKey, openGrant, recoveryKeyPairFromKit, unwrapSecret, wrapSecret,
} from '../../protocol/keys.ts';
import {
  RECEIPT_KDF, RECEIPT_KDF_CONTEXT, deriveReceiptKeys, formatReceipt, generateReceipt, hashAuthToken, normaliseReceipt,
} from '../../protocol/receipt.ts';
import { EMPTY_FORM, splitReport } from '../../protocol/report-form.ts';
import { formatRecoveryKit } from '../../protocol/setup.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { entryHash } from '../../server/services/audit.ts';

const sodium = await sodiumReady();
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const hex = (value: Uint8Array) => Buffer.from(value).toString('hex');
const sha256 = (value: Uint8Array | string) => createHash('sha256').update(value).digest('hex');
const pair = (key: { publicKey: string; secretKey: string }): KeyPair => ({ publicKey: bytes(key.publicKey), privateKey: bytes(key.secretKey) });
/** libsodium's random functions are overloaded by output format; the protocol only asks for bytes. */
const drawing = (bytesFor: (length: number) => Uint8Array) => bytesFor as unknown as typeof sodium.randombytes_buf;

const { keys, clearFields, reportContent, reportEnvelope, receipt, password, note, message } = vectors;
/** A value named elsewhere in the fixture by its path, such as "keys.team". */
const lookup = (path: string): unknown => path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], vectors);
const pairAt = (path: string) => pair(lookup(path) as { publicKey: string; secretKey: string });
const team = pair(keys.team);
const recovery = pair(keys.recovery);
// The vector's form holds the fields that decide the clear fields; the others keep their defaults.
const report = splitReport({ ...EMPTY_FORM, ...clearFields.form }, clearFields.language);
const binding = reportBinding(clearFields.clear, clearFields.reporterPublicKey);
// The sealed content is the vector's own bytes, not today's form: a form that grows a member
// changes what new reports contain, not the format this vector pins down.
const reportPlaintext = JSON.parse(reportContent.contentJson) as unknown;

/** Makes the next sealing use the vector's content key and nonce instead of fresh random ones. */
function fixRandomness(contentKey: string, nonce: string) {
  // Fresh copies each time: sealing erases the content key it was given.
  vi.spyOn(sodium, 'crypto_aead_xchacha20poly1305_ietf_keygen')
    .mockImplementation(drawing(() => bytes(contentKey)) as unknown as typeof sodium.crypto_aead_xchacha20poly1305_ietf_keygen);
  vi.spyOn(sodium, 'randombytes_buf').mockImplementation(drawing((length) => {
    if (length === 24) return bytes(nonce);
    if (length === 32) return bytes(contentKey);
    throw new Error(`unexpected random draw of ${length} bytes`);
  }));
}

/** Envelope v1 as §3.2 seals it (no commitment, recipients outside the AD, no signature). */
async function sealV1(label: AdLabel, bound: ClearFields, content: unknown, to: Uint8Array[]): Promise<Envelope> {
  const contentKey = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = sodium.randombytes_buf(24);
  const padded = sodium.pad(utf8.encode(JSON.stringify(content)), PAD_BLOCK);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, associatedData(label, bound), null, nonce, contentKey);
  const recipients = [];
  for (const pk of to) recipients.push({ kid: await keyId(pk), sealedKey: toBase64Url(sodium.crypto_box_seal(contentKey, pk)) });
  sodium.memzero(contentKey);
  return { v: 1, nonce: toBase64Url(nonce), ciphertext: toBase64Url(ciphertext), recipients };
}

async function sealFixed(label: AdLabel, bound: ClearFields, content: unknown, to: Uint8Array[], vector: { contentKey: string; nonce: string }) {
  fixRandomness(vector.contentKey, vector.nonce);
  const envelope = await sealV1(label, bound, content, to);
  vi.restoreAllMocks();
  return { envelope, ciphertext: fromBase64Url(envelope.ciphertext)! };
}

/** The AEAD output matches what the vector says of it: length, first bytes, tag and SHA-256. */
function expectCiphertext(ciphertext: Uint8Array, vector: { ciphertextLength: number; ciphertextFirst16?: string; tag: string; sha256: string }) {
  expect(ciphertext.length).toBe(vector.ciphertextLength);
  if (vector.ciphertextFirst16) expect(hex(ciphertext.subarray(0, 16))).toBe(vector.ciphertextFirst16);
  expect(hex(ciphertext.subarray(-16))).toBe(vector.tag);
  expect(sha256(ciphertext)).toBe(vector.sha256);
}

/** Each sealed key of a vector's envelope opens, with its holder's keypair, to the vector's content key. */
function expectSealedKeys(envelope: Envelope, holders: readonly KeyPair[], contentKey: string) {
  for (const holder of holders) {
    const kid = toBase64Url(sodium.crypto_generichash(16, holder.publicKey, null));
    const recipient = envelope.recipients.find((r) => r.kid === kid)!;
    expect(hex(sodium.crypto_box_seal_open(fromBase64Url(recipient.sealedKey)!, holder.publicKey, holder.privateKey))).toBe(contentKey);
  }
}

afterEach(() => vi.restoreAllMocks());

describe('§12.1 clear fields, report binding and associated data', () => {
  it('splits the form into the vector clear fields and binds them with the reporter key', () => {
    expect(report.clear).toEqual(clearFields.clear);
    expect(JSON.stringify(report.clear)).toBe(clearFields.clearJson);
    expect(canonicalJson(binding)).toBe(clearFields.reportBindingCanonicalJson);
    const ad = associatedData(AD_LABEL.report, binding);
    expect(clearFields.associatedData.label).toBe(AD_LABEL.report);
    expect(ad.length).toBe(clearFields.associatedData.length);
    expect(hex(ad)).toBe(clearFields.associatedData.hex);
  });
});

describe('§12.2 keys from fixed seeds', () => {
  it('derives each keypair, its BLAKE2b-128 and its kid', async () => {
    for (const key of [keys.team, keys.recovery]) {
      const made = sodium.crypto_box_seed_keypair(bytes(key.seed));
      expect(hex(made.privateKey)).toBe(key.secretKey);
      expect(createHash('sha512').update(bytes(key.seed)).digest('hex').slice(0, 64)).toBe(key.secretKey);
      expect(hex(made.publicKey)).toBe(key.publicKey);
      expect(toBase64Url(made.publicKey)).toBe(key.publicKeyB64u);
      expect(await keyId(made.publicKey)).toBe(key.kid);
    }
    expect(hex(sodium.crypto_generichash(16, team.publicKey, null))).toBe(keys.team.blake2b128);
  });
});

describe('§12.3 content, padding and AEAD', () => {
  it('serialises and pads the content as the vector says', () => {
    expect(JSON.stringify(reportPlaintext)).toBe(reportContent.contentJson);
    const plain = utf8.encode(reportContent.contentJson);
    expect(plain.length).toBe(reportContent.contentLength);
    const padded = sodium.pad(plain, PAD_BLOCK);
    expect(padded.length).toBe(reportContent.paddedLength);
    expect(hex(padded.subarray(215, 223))).toBe(reportContent.paddedBytes215to222);
  });

  it('seals to the vector ciphertext with the fixed content key and nonce', async () => {
    const { envelope, ciphertext } = await sealFixed(AD_LABEL.report, binding, reportPlaintext, [team.publicKey, recovery.publicKey], reportContent);
    expectCiphertext(ciphertext, reportContent);
    expect(envelope.ciphertext).toBe(reportContent.ciphertext);
    expect(envelope.nonce).toBe(toBase64Url(bytes(reportContent.nonce)));
    expect(envelope.recipients.map((r) => r.kid)).toEqual([keys.team.kid, keys.recovery.kid]);
  });

  it('changes only the tag when the associated data changes', async () => {
    const other = await sealFixed(AD_LABEL.report, { ...binding, country: 'SY' }, reportPlaintext, [team.publicKey], reportContent);
    const ciphertext = fromBase64Url(reportContent.ciphertext)!;
    expect(hex(other.ciphertext.subarray(0, 256))).toBe(hex(ciphertext.subarray(0, 256)));
    expect(hex(other.ciphertext.subarray(-16))).not.toBe(reportContent.tag);
  });
});

describe('§12.4 a complete envelope to open', () => {
  const envelope = reportEnvelope.envelope as Envelope;

  it('carries the §12.3 ciphertext and opens with either secret key of §12.2', async () => {
    expect(envelope.ciphertext).toBe(reportContent.ciphertext);
    expect(await openEnvelope(AD_LABEL.report, binding, envelope, team)).toEqual(reportPlaintext);
    expect(await openEnvelope(AD_LABEL.report, binding, envelope, recovery)).toEqual(reportPlaintext);
    expectSealedKeys(envelope, [team, recovery], reportEnvelope.contentKey);
  });

  it('fails with a changed clear field, another reporter key, or none', async () => {
    expect(await openEnvelope(AD_LABEL.report, { ...binding, urgent: true }, envelope, team)).toBeNull();
    expect(await openEnvelope(AD_LABEL.report, reportBinding(clearFields.clear, keys.team.publicKeyB64u), envelope, team)).toBeNull();
    expect(await openEnvelope(AD_LABEL.report, clearFields.clear, envelope, team)).toBeNull();
  });
});

describe('§12.5 receipt', () => {
  it('turns the vector random bytes into the vector receipts, and draws again above the ceiling', async () => {
    const draw = vi.spyOn(sodium, 'randombytes_buf');
    const next = (hexBytes: string) => draw.mockImplementationOnce(drawing(() => bytes(hexBytes)));
    const accepted = receipt.generation.filter((g) => !g.rejected);
    for (const g of accepted) {
      expect(BigInt(`0x${g.bytes}`).toString()).toBe(g.n);
      next(g.bytes);
      expect(await generateReceipt()).toBe(g.receipt);
    }
    draw.mockClear();
    next(receipt.generation.find((g) => g.rejected)!.bytes);
    next(accepted[0]!.bytes);
    expect(await generateReceipt()).toBe(accepted[0]!.receipt);
    expect(draw).toHaveBeenCalledTimes(2);
  });

  it('normalises and displays typed receipts as the vectors say', () => {
    for (const typed of receipt.normalisation) {
      const want = typed.digits ? { ok: true, digits: typed.digits } : { ok: false, problem: typed.problem };
      expect(normaliseReceipt(typed.input), typed.input).toEqual(want);
    }
    expect(formatReceipt(receipt.display.digits)).toBe(receipt.display.formatted);
  });

  it('derives the auth token, its stored hash and the reporter keypair', async () => {
    const d = receipt.derivation;
    expect(toBase64Url(bytes(d.receiptSaltHex))).toBe(d.receiptSalt);
    const master = sodium.crypto_pwhash(32, d.digits, bytes(d.receiptSaltHex), RECEIPT_KDF.opslimit, RECEIPT_KDF.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    expect(hex(master)).toBe(d.master);
    expect(hex(sodium.crypto_kdf_derive_from_key(32, 1, RECEIPT_KDF_CONTEXT, master))).toBe(d.authToken);
    const seed = sodium.crypto_kdf_derive_from_key(32, 2, RECEIPT_KDF_CONTEXT, master);
    expect(hex(seed)).toBe(d.seed);
    expect(hex(sodium.crypto_box_seed_keypair(seed).privateKey)).toBe(d.secretKey);

    const derived = await deriveReceiptKeys(d.digits, d.receiptSalt);
    expect(hex(derived.authToken)).toBe(d.authToken);
    expect(toBase64Url(derived.authToken)).toBe(d.authTokenB64u);
    expect(await hashAuthToken(derived.authToken)).toBe(d.receiptAuthHash);
    expect(hex(fromBase64Url(d.receiptAuthHash)!)).toBe(d.authTokenHash);
    expect(hex(derived.privateKey)).toBe(d.secretKey);
    expect(hex(derived.publicKey)).toBe(d.publicKey);
    expect(toBase64Url(derived.publicKey)).toBe(d.publicKeyB64u);
    expect(d.publicKeyB64u).toBe(clearFields.reporterPublicKey);
  });
});

describe('§12.6 password keys and a wrapped private key', () => {
  it('derives the auth key, its stored hash and the wrap key', async () => {
    expect(toBase64Url(bytes(password.saltHex))).toBe(password.kdf.salt);
    const derived = await derivePasswordKeys(password.password, password.kdf);
    expect(hex(derived.authKey)).toBe(password.authKey);
    expect(hex(derived.wrapKey)).toBe(password.wrapKey);
    expect(await hashAuthKey(derived.authKey)).toBe(password.authHash);
  });

  it('wraps the team secret key to the vector bytes and unwraps it again', async () => {
    const wrap = vectors.wrappedPrivateKey;
    expect(wrap.label).toBe(WRAP_LABEL.userPrivateKey);
    vi.spyOn(sodium, 'randombytes_buf').mockImplementationOnce(drawing(() => bytes(wrap.nonce)));
    const secret = pairAt(wrap.wraps).privateKey;
    const wrapKey = bytes(lookup(wrap.wrapKey) as string);
    const wrapped = await wrapSecret(secret, wrapKey, wrap.label);
    expect(wrapped).toBe(wrap.wrapped);
    expect(fromBase64Url(wrapped)!.length).toBe(wrap.length);
    expect(hex((await unwrapSecret(wrap.wrapped, wrapKey, wrap.label))!)).toBe(hex(secret));
  });
});

describe('§12.7 a grant and a recovery kit line', () => {
  it('opens the grant with the recovery keypair to the team keypair', async () => {
    const { grants, holder, sealedPrivateKey } = vectors.grant;
    const opened = await openGrant(sealedPrivateKey, pairAt(holder));
    expect(hex(opened!.privateKey)).toBe(hex(pairAt(grants).privateKey));
    expect(hex(opened!.publicKey)).toBe(hex(pairAt(grants).publicKey));
  });

  it('writes and reads the recovery key line', async () => {
    const { line, recoveryKey } = vectors.recoveryKitLine;
    const key = pairAt(recoveryKey);
    expect(`${RECOVERY_PREFIX}${toBase64Url(key.privateKey)}`).toBe(line);
    const kit = formatRecoveryKit('Example', await keyId(key.publicKey), toBase64Url(key.privateKey), '2026-01-15T09:30:00.000Z');
    expect(kit.split('\n')).toContain(line);
    const read = await recoveryKeyPairFromKit(kit);
    expect(hex(read!.privateKey)).toBe(hex(key.privateKey));
    expect(hex(read!.publicKey)).toBe(hex(key.publicKey));
  });
});

describe('§12.8 audit chain', () => {
  it('hashes each entry over the previous hash and its canonical body', () => {
    let prevHash = vectors.audit.genesis;
    expect(prevHash).toBe('0'.repeat(64));
    for (const entry of vectors.audit.entries) {
      const { hashedBody, hash, ...stored } = entry;
      const body = canonicalJson({ seq: String(stored.seq), at: stored.at, actor: stored.actor, action: stored.action, subject: stored.subject, detail: stored.detail });
      expect(body).toBe(hashedBody);
      expect(sha256(`${prevHash}\n${hashedBody}`)).toBe(hash);
      expect(entryHash(prevHash, stored)).toBe(hash);
      prevHash = hash;
    }
  });
});

describe('§12.9 padding lengths', () => {
  it('pads to the next multiple of 256, always adding at least one byte', () => {
    for (const { length, padded } of vectors.padding) expect(sodium.pad(new Uint8Array(length), PAD_BLOCK).length).toBe(padded);
  });
});

describe('§12.10 a note and §12.11 a message', () => {
  const sealedObjects = [
    { name: 'note', label: AD_LABEL.note, vector: note, bound: { caseId: note.caseId }, wrongBindings: [{ caseId: note.caseId.replace(/2$/, '3') }] },
    {
      name: 'message', label: AD_LABEL.message, vector: message, bound: messageBinding(message.caseId, message.direction as 'to_reporter'),
      wrongBindings: [messageBinding(message.caseId, 'from_reporter'), messageBinding(message.caseId.replace(/2$/, '3'), 'to_reporter')],
    },
  ] as const;

  for (const { name, label, vector, bound, wrongBindings } of sealedObjects) {
    it(`${name}: binds the case, seals to the vector ciphertext, and opens with the vector keys only`, async () => {
      const holders = vector.sealedTo.map(pairAt);
      expect(canonicalJson(bound)).toBe(vector.bindingCanonicalJson);
      const ad = associatedData(label, bound);
      expect(vector.associatedData.label).toBe(label);
      expect(ad.length).toBe(vector.associatedData.length);
      expect(hex(ad)).toBe(vector.associatedData.hex);

      const content = JSON.parse(vector.contentJson);
      expect(utf8.encode(JSON.stringify(content)).length).toBe(vector.contentLength);
      const { ciphertext } = await sealFixed(label, bound, content, holders.map((h) => h.publicKey), vector);
      expectCiphertext(ciphertext, vector);

      const envelope = vector.envelope as Envelope;
      // The reporter's key of a message is the receipt key of §12.5.
      if ('reporterKid' in vector) expect(await keyId(pair(receipt.derivation).publicKey)).toBe(vector.reporterKid);
      expect(envelope.ciphertext).toBe(toBase64Url(ciphertext));
      expect(envelope.nonce).toBe(toBase64Url(bytes(vector.nonce)));
      expect(envelope.recipients.map((r) => r.kid).sort()).toEqual((await Promise.all(holders.map((h) => keyId(h.publicKey)))).sort());
      for (const holder of holders) expect(await openEnvelope(label, bound, envelope, holder)).toEqual(content);
      expectSealedKeys(envelope, holders, vector.contentKey);
      for (const wrong of wrongBindings) expect(await openEnvelope(label, wrong, envelope, team)).toBeNull();
      expect(await openEnvelope(label === AD_LABEL.note ? AD_LABEL.message : AD_LABEL.note, bound, envelope, team)).toBeNull();
      expect(await openEnvelope(label, bound, envelope, recovery)).toBeNull();
    });
  }
});
