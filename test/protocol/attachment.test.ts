// Attachment format v1 (PROTOCOL.md §23): round trips at chunk boundaries, the size formula, and
// every tamper case fails closed: truncated, reordered, duplicated, flipped, wrong key, extra bytes.
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_AD, CHUNK_BYTES, FILE_PAD_BLOCK, decryptFile, encryptFile, encryptedSize } from '../../protocol/attachment.ts';
import { sodiumReady } from '../../protocol/sodium.ts';

const join = (parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
const STRIDE = CHUNK_BYTES + 17;
/** Buffer comparison: vitest's deep equality walks large arrays element by element. */
const same = (a: Uint8Array | null, b: Uint8Array) => a !== null && Buffer.from(a).equals(Buffer.from(b));

describe('attachment file format', () => {
  it('round-trips files of every awkward size, and its size follows the formula', async () => {
    for (const n of [0, 1, FILE_PAD_BLOCK - 1, FILE_PAD_BLOCK, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 5]) {
      const plain = bytes(n);
      const { key, parts, size } = await encryptFile(plain);
      const file = join(parts);
      expect(file.length, `size ${n}`).toBe(size);
      expect(size, `size ${n}`).toBe(encryptedSize(n));
      expect(file[0]).toBe(1);
      expect(same(await decryptFile(file, key), plain), `size ${n}`).toBe(true);
    }
  });

  it('pads: two files of nearly the same size are stored at the same size', async () => {
    expect(encryptedSize(10)).toBe(encryptedSize(4000));
    expect(encryptedSize(4096)).toBeGreaterThan(encryptedSize(4095));
  });

  it('uses a fresh key and header for every file', async () => {
    const a = await encryptFile(bytes(100));
    const b = await encryptFile(bytes(100));
    expect(a.key).not.toEqual(b.key);
    expect(join(a.parts).subarray(1, 25)).not.toEqual(join(b.parts).subarray(1, 25));
  });

  it('fails closed on every tampering', async () => {
    const plain = bytes(3 * CHUNK_BYTES + 100); // four chunks
    // The third chunk ends as padding would (0x80), so only the final tag can tell it is not the end.
    plain[3 * CHUNK_BYTES - 1] = 0x80;
    const { key, parts } = await encryptFile(plain);
    const file = join(parts);
    const chunk = (i: number) => file.subarray(25 + i * STRIDE, Math.min(25 + (i + 1) * STRIDE, file.length));
    const head = file.subarray(0, 25);
    expect(same(await decryptFile(file, key), plain)).toBe(true);

    const flipped = file.slice();
    flipped[25 + STRIDE + 40]! ^= 0x01;
    const cases: Record<string, Uint8Array> = {
      'last chunk missing (truncated at a chunk boundary)': join([head, chunk(0), chunk(1), chunk(2)]),
      'truncated inside the last chunk': file.subarray(0, file.length - 10),
      'truncated to the header': head,
      'chunks reordered': join([head, chunk(1), chunk(0), chunk(2), chunk(3)]),
      'a chunk repeated': join([head, chunk(0), chunk(0), chunk(1), chunk(2), chunk(3)]),
      'a chunk dropped from the middle': join([head, chunk(0), chunk(2), chunk(3)]),
      'a flipped byte': flipped,
      'bytes after the final chunk': join([file, Uint8Array.of(0)]),
      'another version byte': join([Uint8Array.of(2), file.subarray(1)]),
      'empty': new Uint8Array(0),
    };
    for (const [name, damaged] of Object.entries(cases)) expect(await decryptFile(damaged, key), name).toBeNull();
    const other = await encryptFile(plain);
    expect(await decryptFile(file, other.key), 'wrong key').toBeNull();
    expect(await decryptFile(file, key.subarray(0, 16)), 'short key').toBeNull();
    // A file of another format in the same stream (no label as associated data) does not open either.
    const sodium = await sodiumReady();
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const foreign = sodium.crypto_secretstream_xchacha20poly1305_push(state, new Uint8Array(FILE_PAD_BLOCK), null, sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    expect(await decryptFile(join([Uint8Array.of(1), header, foreign]), key), 'chunk without the v1 label').toBeNull();
    expect(ATTACHMENT_AD).toBe('redress/attachment/v1');
  });

  it('opens a file built by hand from the description in PROTOCOL.md §23', async () => {
    // An independent reading of §23.2: pad with 0x80 0x00…, 64 KiB chunks, the label as AD, final tag last.
    const sodium = await sodiumReady();
    const key = new Uint8Array(32).fill(7);
    const plain = new TextEncoder().encode('A refusal letter, photographed.');
    const padded = new Uint8Array(FILE_PAD_BLOCK);
    padded.set(plain);
    padded[plain.length] = 0x80;
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const c = sodium.crypto_secretstream_xchacha20poly1305_push(state, padded, new TextEncoder().encode('redress/attachment/v1'), 3);
    expect(await decryptFile(join([Uint8Array.of(1), header, c]), key)).toEqual(plain);
  });
});
