// The remedy-pathway directory in the database: seeded from db/seed/pathways.json on start (new
// entries only, so an admin's edits stay), imported from a file by the operator (all or nothing),
// listed, created and edited by admins, retired rather than deleted (old referrals point at them).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { pathways } from '../../db/schema.ts';
import type { EditPathway, PathwayEntry, PathwayView } from '../../protocol/remedy-api.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { describeProblem, readPathwayFile } from './pathway-file.ts';

export const SEED_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'db', 'seed', 'pathways.json');

type PathwayRow = typeof pathways.$inferSelect;

/** The stored entry as the API shows it: the data-file fields, plus when it was retired. */
export function pathwayView(row: PathwayRow): PathwayView {
  return { ...(row.entry as PathwayEntry), id: row.id, name: row.name, kind: row.kind, retiredAt: row.retiredAt };
}

const rowOf = (entry: PathwayEntry, at: string) => ({ id: entry.id, name: entry.name, kind: entry.kind, entry, updatedAt: at });

export class PathwayFileError extends Error {}

/** Adds the entries of the seed file that are not in the database yet. Idempotent. */
export function seedPathways(db: Conn, file = SEED_FILE, now = new Date()): number {
  const result = readPathwayFile(readFileSync(file, 'utf8'), now.toISOString().slice(0, 10));
  if (!result.ok) throw new PathwayFileError(`${file}: ${describeProblem(result)}`);
  return db.transaction((tx) => {
    let added = 0;
    for (const entry of result.entries) added += tx.insert(pathways).values(rowOf(entry, now.toISOString())).onConflictDoNothing().run().changes;
    if (added > 0) appendAudit(tx, { at: now.toISOString(), actor: 'system', action: 'pathways.seeded', detail: { added: String(added) } });
    return added;
  });
}

/**
 * Imports a directory file: every entry is checked first, and a single problem stores nothing.
 * Entries already present are replaced (the file is the operator's word); none is removed.
 */
export function importPathways(db: Conn, text: string, actor: string, now = new Date()): { added: number; updated: number } {
  const result = readPathwayFile(text, now.toISOString().slice(0, 10));
  if (!result.ok) throw new PathwayFileError(describeProblem(result));
  return db.transaction((tx) => {
    let added = 0;
    for (const entry of result.entries) {
      const exists = tx.select({ id: pathways.id }).from(pathways).where(eq(pathways.id, entry.id)).get();
      if (exists) tx.update(pathways).set(rowOf(entry, now.toISOString())).where(eq(pathways.id, entry.id)).run();
      else { tx.insert(pathways).values(rowOf(entry, now.toISOString())).run(); added++; }
    }
    const updated = result.entries.length - added;
    appendAudit(tx, { at: now.toISOString(), actor, action: 'pathways.imported', detail: { added: String(added), updated: String(updated) } });
    return { added, updated };
  });
}

export function listPathways(db: Conn): PathwayView[] {
  return db.select().from(pathways).orderBy(asc(pathways.kind), asc(pathways.id)).all().map(pathwayView);
}

export function findPathway(db: Conn, id: string): PathwayRow | undefined {
  return db.select().from(pathways).where(eq(pathways.id, id)).get();
}

/** What the data file promises of an entry, checked the same way as an import (one entry). */
function checkEntry(entry: PathwayEntry, today: string): void {
  const result = readPathwayFile(JSON.stringify([entry]), today);
  if (!result.ok) throw new AppError(400, 'invalid_pathway', result.field ? `entry.${result.field}` : 'entry');
}

export function createPathway(db: Conn, actor: string, entry: PathwayEntry, now = new Date()): PathwayView {
  checkEntry(entry, now.toISOString().slice(0, 10));
  if (findPathway(db, entry.id)) throw new AppError(409, 'pathway_exists', 'id');
  return db.transaction((tx) => {
    tx.insert(pathways).values(rowOf(entry, now.toISOString())).run();
    appendAudit(tx, { at: now.toISOString(), actor, action: 'pathway.created', subject: entry.id });
    return pathwayView(findPathway(tx, entry.id)!);
  });
}

export function editPathway(db: Conn, actor: string, id: string, { entry, retired }: EditPathway, now = new Date()): PathwayView {
  const existing = findPathway(db, id);
  if (!existing) throw new AppError(404, 'not_found');
  if (entry.id !== id) throw new AppError(400, 'invalid_pathway', 'entry.id');
  checkEntry(entry, now.toISOString().slice(0, 10));
  const retiredAt = retired ? existing.retiredAt ?? now.toISOString() : null;
  return db.transaction((tx) => {
    tx.update(pathways).set({ ...rowOf(entry, now.toISOString()), retiredAt }).where(eq(pathways.id, id)).run();
    appendAudit(tx, { at: now.toISOString(), actor, action: 'pathway.edited', subject: id, detail: { retired } });
    return pathwayView(findPathway(tx, id)!);
  });
}
