// What a backup folder holds and how its files are encrypted: manifest.json (format, migrations,
// per-file SHA-256, the sealed key) and each file, plain or as a secretstream to a backup key
// sealed to the recovery public key (THREAT-MODEL.md 3.14). Shared by backup.ts and restore.ts.
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { sodiumReady } from '../../protocol/sodium.ts';

export const MANIFEST = 'manifest.json';
export const BACKUP_FORMAT = 'redress-backup';
export const BACKUP_VERSION = 1;
export const ENCRYPTION_SCHEME = 'secretstream-xchacha20poly1305+box_seal';
/** Plaintext bytes per secretstream chunk. */
export const CHUNK_BYTES = 64 * 1024;
/** Associated data of every chunk: this label, a NUL, then the file's path in the backup. */
const AD_PREFIX = 'redress-backup-v1\0';
const ABYTES = 17; // crypto_secretstream_xchacha20poly1305_ABYTES
const HEADERBYTES = 24; // crypto_secretstream_xchacha20poly1305_HEADERBYTES

export interface BackupFile {
  /** Where the file goes under DATA_DIR when restored. */
  path: string;
  /** Its name in the backup folder (path, plus ".enc" when encrypted). */
  stored: string;
  /** Size and SHA-256 (hex) of the stored bytes, checkable without the kit. */
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  redress: string;
  migrations: { hash: string; createdAt: number }[];
  encryption: null | { scheme: typeof ENCRYPTION_SCHEME; recoveryKid: string; sealedKey: string; chunkBytes: number };
  files: BackupFile[];
}

/** redress.sqlite, or a file under attachments/ whose every segment is plain: no "..", no NUL, no slash games. */
const SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;
export function isSafeBackupPath(path: unknown): path is string {
  if (typeof path !== 'string' || path.length > 1024) return false;
  if (path === 'redress.sqlite') return true;
  const parts = path.split('/');
  return parts.length >= 2 && parts[0] === 'attachments' && parts.slice(1).every((p) => SEGMENT.test(p));
}

/** Checks the shape of a parsed manifest; returns a reason, or null when it is usable. */
export function manifestProblem(value: unknown): string | null {
  const m = value as Partial<Manifest> | null;
  if (!m || typeof m !== 'object') return 'manifest.json is not an object';
  if (m.format !== BACKUP_FORMAT) return 'manifest.json is not a Redress backup manifest';
  if (m.version !== BACKUP_VERSION) return `the backup format version ${String(m.version)} is not one this release reads (${BACKUP_VERSION})`;
  if (!Array.isArray(m.migrations) || !m.migrations.every((x) => typeof x?.hash === 'string' && Number.isFinite(x?.createdAt))) return 'manifest.json lists no valid migrations';
  if (!Array.isArray(m.files) || !m.files.some((f) => f?.path === 'redress.sqlite')) return 'manifest.json lists no database';
  const seen = new Set<string>();
  for (const f of m.files) {
    if (!isSafeBackupPath(f?.path)) return `manifest.json names an unsafe path: ${JSON.stringify(f?.path)}`;
    const stored = m.encryption ? `${f.path}.enc` : f.path;
    if (f.stored !== stored) return `manifest.json stores ${f.path} under an unexpected name`;
    if (!Number.isSafeInteger(f.bytes) || f.bytes < 0 || typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) return `manifest.json has no valid size or checksum for ${f.path}`;
    if (seen.has(f.path)) return `manifest.json lists ${f.path} twice`;
    seen.add(f.path);
  }
  const e = m.encryption;
  if (e !== null && (typeof e !== 'object' || e?.scheme !== ENCRYPTION_SCHEME || typeof e.recoveryKid !== 'string' ||
    typeof e.sealedKey !== 'string' || e.chunkBytes !== CHUNK_BYTES)) return 'manifest.json describes an encryption this release does not know';
  return null;
}

/** Reads a file in chunks and calls `each` with every chunk; returns size and SHA-256 (hex). */
export function readChunks(path: string, size: number, each?: (chunk: Uint8Array, last: boolean) => void): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(size);
  let total = 0;
  try {
    let n = readSync(fd, buffer, 0, size, null);
    for (;;) {
      const chunk = buffer.subarray(0, n);
      total += n;
      hash.update(chunk);
      // Look one chunk ahead so the caller knows which one is last (secretstream's FINAL tag).
      const next = Buffer.alloc(size);
      const m = n === size ? readSync(fd, next, 0, size, null) : 0;
      each?.(new Uint8Array(chunk), m === 0);
      if (m === 0) break;
      next.copy(buffer, 0, 0, m);
      n = m;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: total, sha256: hash.digest('hex') };
}

/** A file written chunk by chunk, hashed as it goes, fsynced and closed at the end. */
export function hashingWriter(path: string) {
  const fd = openSync(path, 'wx', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  return {
    write(chunk: Uint8Array) { writeSync(fd, chunk); hash.update(chunk); bytes += chunk.length; },
    close() { fsyncSync(fd); closeSync(fd); return { bytes, sha256: hash.digest('hex') }; },
    abort() { closeSync(fd); },
  };
}

function adFor(path: string): Uint8Array {
  return new TextEncoder().encode(AD_PREFIX + path);
}

/** Encrypts `source` into `target` (header, then one sealed chunk per CHUNK_BYTES, the last FINAL). */
export async function encryptFile(source: string, target: string, path: string, key: Uint8Array): Promise<{ bytes: number; sha256: string }> {
  const sodium = await sodiumReady();
  const out = hashingWriter(target);
  try {
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    out.write(header);
    const ad = adFor(path);
    readChunks(source, CHUNK_BYTES, (chunk, last) => {
      const tag = last ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      out.write(sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, ad, tag));
    });
  } catch (err) {
    out.abort();
    throw err;
  }
  return out.close();
}

/** Decrypts a stream made by encryptFile; false (and a partial target to delete) if anything is off. */
export async function decryptFile(source: string, target: string, path: string, key: Uint8Array): Promise<boolean> {
  const sodium = await sodiumReady();
  const out = hashingWriter(target);
  const ad = adFor(path);
  let ok = true;
  let state: unknown = null;
  let finished = false;
  let pending: Uint8Array = new Uint8Array(0);
  const sealed = CHUNK_BYTES + ABYTES;
  const take = (bytes: Uint8Array) => {
    if (finished) { ok = false; return; } // bytes after the FINAL chunk
    const result = sodium.crypto_secretstream_xchacha20poly1305_pull(state as never, bytes, ad);
    if (!result) { ok = false; return; }
    out.write(result.message);
    if (result.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) finished = true;
  };
  try {
    readChunks(source, sealed, (chunk, last) => {
      if (!ok) return;
      let bytes = pending.length ? new Uint8Array(Buffer.concat([pending, chunk])) : chunk;
      if (state === null) {
        if (bytes.length < HEADERBYTES) { ok = false; return; }
        state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(bytes.subarray(0, HEADERBYTES), key);
        bytes = bytes.subarray(HEADERBYTES);
      }
      while (ok && bytes.length >= sealed) { take(bytes.subarray(0, sealed)); bytes = bytes.subarray(sealed); }
      pending = bytes;
      if (last && ok && (pending.length > 0 || !finished)) {
        if (pending.length < ABYTES) ok = false; else take(pending);
        pending = new Uint8Array(0);
      }
    });
  } catch {
    ok = false;
  }
  out.close();
  return ok && finished;
}
