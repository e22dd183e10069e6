// tus 1.0 uploads of encrypted files (PROTOCOL.md §24): create, report the offset, append bytes
// in order, terminate. A file is DATA_DIR/attachments/<id>; its size on disk is the offset, so a
// request cut by the network keeps what arrived. No time is stored (§24.6).
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, stat, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { eq } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { uploads } from '../../db/schema.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import type { AttachmentConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Store } from '../state.ts';

/** Where encrypted files live and the limits they obey (app.files). */
export interface FileStore {
  dir: string;
  limits: AttachmentConfig;
}

export interface UploadState {
  /** Bytes each anonymous client declared in the last 24 hours. */
  volume: Store<{ bytes: number; since: number }>;
  /** Uploads with a PATCH in progress. */
  busy: Store<number>;
}

export const filePath = (files: FileStore, id: string) => join(files.dir, id);
const DAY_MS = 24 * 3_600_000;

export function isUploadId(id: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(id) && fromBase64Url(id)?.length === 16;
}

/** The `id` of a tus Upload-Metadata header ("key base64,key base64"); other keys are ignored. */
export function metadataId(header: string | undefined): string | null | undefined {
  if (!header) return undefined;
  for (const pair of header.split(',')) {
    const [key, value = ''] = pair.trim().split(' ');
    if (key === 'id') return Buffer.from(value, 'base64').toString('latin1');
  }
  return undefined;
}

export async function createUpload(db: Conn, files: FileStore, state: UploadState, client: string, length: number, chosenId?: string | null): Promise<string> {
  const { limits } = files;
  if (length > limits.maxFileBytes) throw new AppError(413, 'file_too_large', 'Upload-Length');
  if (chosenId === null || (chosenId !== undefined && !isUploadId(chosenId))) throw new AppError(400, 'invalid_request', 'Upload-Metadata');
  const id = chosenId ?? randomBytes(16).toString('base64url');
  if (db.select({ id: uploads.id }).from(uploads).where(eq(uploads.id, id)).get()) throw new AppError(409, 'upload_exists');
  const now = Date.now();
  const used = state.volume.get(client, now);
  const today = used && now - used.since < DAY_MS ? used : { bytes: 0, since: now };
  if (today.bytes + length > limits.dailyBytesPerClient) throw new AppError(429, 'daily_upload_limit');
  // 'wx': never reuse a file that is already there (an orphan is removed by the cleanup).
  const handle = await open(filePath(files, id), 'wx', 0o600).catch(() => { throw new AppError(409, 'upload_exists'); });
  await handle.close();
  try {
    db.insert(uploads).values({ id, length, complete: false }).run();
  } catch (err) {
    await unlink(filePath(files, id)).catch(() => {});
    throw err;
  }
  state.volume.set(client, { ...today, bytes: today.bytes + length }, now);
  return id;
}

export interface UploadStatus { offset: number; length: number; linked: boolean }

export async function uploadStatus(db: Conn, files: FileStore, id: string): Promise<UploadStatus> {
  const row = isUploadId(id) ? db.select().from(uploads).where(eq(uploads.id, id)).get() : undefined;
  if (!row) throw new AppError(404, 'upload_not_found');
  const linked = Boolean(row.caseId);
  if (linked) return { offset: row.length, length: row.length, linked };
  const size = await stat(filePath(files, id)).then((s) => s.size, () => null);
  if (size === null) throw new AppError(404, 'upload_not_found');
  return { offset: size, length: row.length, linked };
}

/** Counts bytes as they pass and fails as soon as there are more than allowed. */
function limited(max: number) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > max ? new AppError(413, 'upload_too_large') : null, chunk);
    },
  });
}

/** PATCH: appends the body at `offset`, which must be where the file ends. Returns the new offset. */
export async function appendToUpload(
  db: Conn, files: FileStore, state: UploadState, id: string, offset: number, contentLength: number | undefined, body: Readable,
): Promise<number> {
  const status = await uploadStatus(db, files, id);
  if (status.linked) throw new AppError(409, 'upload_in_use');
  if (state.busy.get(id) !== undefined) throw new AppError(423, 'upload_busy');
  if (offset !== status.offset) throw new AppError(409, 'upload_offset_mismatch', 'Upload-Offset');
  const room = status.length - offset;
  if (contentLength !== undefined && contentLength > room) throw new AppError(413, 'upload_too_large');
  state.busy.set(id, Date.now());
  const path = filePath(files, id);
  try {
    await pipeline(body, limited(room), createWriteStream(path, { flags: 'r+', start: offset }));
  } catch (err) {
    // Too many bytes: none of this request is kept. A dropped connection: what arrived is kept.
    if (err instanceof AppError) {
      await truncate(path, offset);
      throw err;
    }
  } finally {
    state.busy.delete(id);
  }
  const size = (await stat(path)).size;
  if (size === status.length) db.update(uploads).set({ complete: true }).where(eq(uploads.id, id)).run();
  return size;
}

export async function deleteUpload(db: Conn, files: FileStore, id: string): Promise<void> {
  const status = await uploadStatus(db, files, id);
  if (status.linked) throw new AppError(409, 'upload_in_use');
  db.delete(uploads).where(eq(uploads.id, id)).run();
  await unlink(filePath(files, id)).catch(() => {});
}
