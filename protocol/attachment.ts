// Attachment file format v1 (docs/PROTOCOL.md §23): each file is padded and encrypted in 64 KiB
// chunks with libsodium's crypto_secretstream_xchacha20poly1305 under a key of its own. The key,
// the name and the type travel inside the sealed report or message (an AttachmentRef), never in
// clear; the server stores only these bytes, under a random upload id.
import { sodiumReady } from './sodium.ts';
import { utf8 } from './encoding.ts';

export const ATTACHMENT_VERSION = 0x01;
/** Authenticated with every chunk, so a v1 opener cannot be handed a chunk of another kind. */
export const ATTACHMENT_AD = 'redress/attachment/v1';
/** Plaintext bytes per chunk (the last may be shorter). */
export const CHUNK_BYTES = 65_536;
/** The padded plaintext is a multiple of this: stored sizes say little about the file's size. */
export const FILE_PAD_BLOCK = 4096;
const HEADER_BYTES = 24;
const ABYTES = 17;
const TAG_MESSAGE = 0;
const TAG_FINAL = 3;

/** Bytes of the encrypted file for a plaintext of `size` bytes (§23.2). */
export function encryptedSize(size: number): number {
  const padded = (Math.floor(size / FILE_PAD_BLOCK) + 1) * FILE_PAD_BLOCK;
  return 1 + HEADER_BYTES + padded + ABYTES * Math.ceil(padded / CHUNK_BYTES);
}

export interface EncryptedFile {
  /** 32 random bytes, used for this file only. */
  key: Uint8Array;
  /** The chunks of the file as stored: version byte and header first. */
  parts: Uint8Array[];
  size: number;
}

/** Encrypts one file under a fresh key. */
export async function encryptFile(plaintext: Uint8Array): Promise<EncryptedFile> {
  const sodium = await sodiumReady();
  const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  const padded = sodium.pad(plaintext, FILE_PAD_BLOCK);
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const parts: Uint8Array[] = [Uint8Array.of(ATTACHMENT_VERSION), header];
  const ad = utf8.encode(ATTACHMENT_AD);
  for (let at = 0; at < padded.length; at += CHUNK_BYTES) {
    const last = at + CHUNK_BYTES >= padded.length;
    parts.push(sodium.crypto_secretstream_xchacha20poly1305_push(state, padded.subarray(at, at + CHUNK_BYTES), ad, last ? TAG_FINAL : TAG_MESSAGE));
  }
  return { key, parts, size: parts.reduce((n, p) => n + p.length, 0) };
}

/**
 * Opens a whole encrypted file. Null on any failure: a wrong key, a flipped byte, chunks
 * reordered, dropped or duplicated, a missing final chunk, bytes after it, bad padding. Never a
 * partial result: a damaged file is reported as damaged, not shown as garbage.
 */
export async function decryptFile(file: Uint8Array, key: Uint8Array): Promise<Uint8Array | null> {
  const sodium = await sodiumReady();
  if (key.length !== 32 || file.length < 1 + HEADER_BYTES + ABYTES + FILE_PAD_BLOCK || file[0] !== ATTACHMENT_VERSION) return null;
  const ad = utf8.encode(ATTACHMENT_AD);
  const chunks: Uint8Array[] = [];
  try {
    const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(file.subarray(1, 1 + HEADER_BYTES), key);
    let at = 1 + HEADER_BYTES;
    while (at < file.length) {
      const end = Math.min(at + CHUNK_BYTES + ABYTES, file.length);
      const opened = sodium.crypto_secretstream_xchacha20poly1305_pull(state, file.subarray(at, end), ad);
      if (!opened) return null;
      const last = end === file.length;
      // The final tag must be on the last chunk and only there: this is what catches truncation.
      if (opened.tag !== (last ? TAG_FINAL : TAG_MESSAGE)) return null;
      chunks.push(opened.message);
      at = end;
    }
  } catch {
    return null;
  }
  const padded = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) { padded.set(c, offset); offset += c.length; }
  if (padded.length === 0 || padded.length % FILE_PAD_BLOCK !== 0) return null;
  try {
    return sodium.unpad(padded, FILE_PAD_BLOCK);
  } catch {
    return null;
  }
}
