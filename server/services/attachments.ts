// Encrypted files after upload: linking them to a report or message in that row's transaction
// (PROTOCOL.md §24.5), serving them to whoever may read them (§24.8), and removing what nobody
// claimed (§24.6). Linking dates the file to the report's day, never more precisely.
import { randomBytes } from 'node:crypto';
import { readdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { uploads } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { filePath, isUploadId, type FileStore } from './uploads.ts';

export interface LinkTarget { caseId: string; messageId?: string }

/** Checks and links uploads inside the caller's transaction. Throws (rolling back) on any problem. */
export function linkUploads(tx: Conn, files: FileStore | undefined, ids: readonly string[], target: LinkTarget): void {
  if (ids.length === 0) return;
  if (!files) throw new Error('linkUploads: no file store');
  if (ids.length > files.limits.maxFiles) throw new AppError(400, 'too_many_attachments', 'attachments');
  if (new Set(ids).size !== ids.length) throw new AppError(400, 'invalid_request', 'attachments');
  const rows = tx.select().from(uploads).where(inArray(uploads.id, [...ids])).all();
  let total = 0;
  ids.forEach((id, i) => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new AppError(422, 'upload_not_found', `attachments.${i}`);
    if (!row.complete) throw new AppError(409, 'upload_incomplete', `attachments.${i}`);
    if (row.caseId) throw new AppError(409, 'upload_in_use', `attachments.${i}`);
    total += row.length;
  });
  if (total > files.limits.maxTotalBytes) throw new AppError(413, 'attachments_too_large', 'attachments');
  tx.update(uploads).set({ caseId: target.caseId, messageId: target.messageId ?? null }).where(inArray(uploads.id, [...ids])).run();
}

/** After the commit: the files' times say no more than the day (YYYY-MM-DD) of what they belong to. */
export async function dateFiles(files: FileStore | undefined, ids: readonly string[], day: string): Promise<void> {
  if (!files) return;
  const midnight = new Date(`${day.slice(0, 10)}T00:00:00.000Z`);
  await Promise.all(ids.map((id) => utimes(filePath(files, id), midnight, midnight).catch(() => {})));
}

/**
 * A file the server encrypted itself (a reply without JavaScript, §26.3): written first, then
 * recorded as a complete upload inside the caller's transaction, so linking works as for any
 * upload. If that transaction fails, the cleanup removes the file.
 */
export async function writeServerFile(files: FileStore, bytes: Uint8Array): Promise<{ id: string; length: number }> {
  if (bytes.length > files.limits.maxFileBytes) throw new AppError(413, 'file_too_large', 'file');
  const id = randomBytes(16).toString('base64url');
  await writeFile(filePath(files, id), bytes, { mode: 0o600, flag: 'wx' });
  return { id, length: bytes.length };
}

export function recordServerFile(tx: Conn, file: { id: string; length: number }): void {
  tx.insert(uploads).values({ id: file.id, length: file.length, complete: true }).run();
}

/**
 * The path of a stored file that belongs to this case: to its report or any message (desk), or
 * to a message only (the reporter, who cannot open the report). 404 for anything else.
 */
export function caseFile(db: Conn, files: FileStore, caseId: string, uploadId: string, messagesOnly: boolean): string {
  const row = isUploadId(uploadId)
    ? db.select().from(uploads).where(and(eq(uploads.id, uploadId), eq(uploads.caseId, caseId), messagesOnly ? isNotNull(uploads.messageId) : undefined)).get()
    : undefined;
  if (!row) throw new AppError(404, 'not_found');
  return filePath(files, uploadId);
}

/** Removes unlinked uploads idle longer than the expiry, rows without files, files without rows. */
export async function cleanUploads(db: Conn, files: FileStore, now = Date.now()): Promise<{ removed: number }> {
  let removed = 0;
  const onDisk = new Set(await readdir(files.dir).catch(() => [] as string[]));
  const known = new Set<string>();
  for (const row of db.select({ id: uploads.id, caseId: uploads.caseId }).from(uploads).all()) {
    known.add(row.id);
    if (row.caseId) continue;
    const modified = onDisk.has(row.id) ? await stat(filePath(files, row.id)).then((s) => s.mtimeMs, () => null) : null;
    if (modified !== null && now - modified <= files.limits.expiryMs) continue;
    db.delete(uploads).where(and(eq(uploads.id, row.id), isNull(uploads.caseId))).run();
    await unlink(filePath(files, row.id)).catch(() => {});
    removed++;
  }
  for (const name of onDisk) {
    if (known.has(name)) continue;
    // A file whose row never committed (a crash between the two). Give it the same grace period.
    const modified = await stat(filePath(files, name)).then((s) => s.mtimeMs, () => now);
    if (now - modified > files.limits.expiryMs) { await unlink(filePath(files, name)).catch(() => {}); removed++; }
  }
  return { removed };
}
