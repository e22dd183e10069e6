// The tamper-evident audit log: each entry's hash covers the previous entry's hash and the
// entry itself, so altering, deleting or reordering any stored entry breaks the chain.
import { createHash } from 'node:crypto';
import { asc, desc } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { auditLog } from '../../db/schema.ts';
import { canonicalJson } from '../../protocol/encoding.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  actor: string;
  action: string;
  subject?: string | null;
  detail?: Record<string, string | boolean | null>;
  /** ISO time; public submissions pass only the day, never the exact time. */
  at: string;
}

type StoredEntry = typeof auditLog.$inferSelect;

export function entryHash(prevHash: string, e: Omit<StoredEntry, 'hash' | 'prevHash'>): string {
  const body = canonicalJson({
    seq: String(e.seq), at: e.at, actor: e.actor, action: e.action, subject: e.subject ?? null, detail: e.detail,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

/** Appends one entry. Call inside the transaction that makes the change it records. */
export function appendAudit(db: Conn, entry: AuditEntry): void {
  const last = db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get();
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = {
    seq, at: entry.at, actor: entry.actor, action: entry.action, subject: entry.subject ?? null,
    detail: canonicalJson(entry.detail ?? {}),
  };
  db.insert(auditLog).values({ ...row, prevHash, hash: entryHash(prevHash, row) }).run();
}

export type ChainCheck = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string };

/** Walks the whole chain and names the first entry that does not fit. */
export function verifyAuditChain(db: Conn): ChainCheck {
  const rows = db.select().from(auditLog).orderBy(asc(auditLog.seq)).all();
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq) return { ok: false, entries: rows.length, brokenAt: row.seq, reason: `expected entry ${expectedSeq}, found ${row.seq} (missing or reordered)` };
    if (row.prevHash !== prevHash) return { ok: false, entries: rows.length, brokenAt: row.seq, reason: 'does not follow the previous entry' };
    if (entryHash(prevHash, row) !== row.hash) return { ok: false, entries: rows.length, brokenAt: row.seq, reason: 'content was altered' };
    prevHash = row.hash;
    expectedSeq++;
  }
  return { ok: true, entries: rows.length };
}
