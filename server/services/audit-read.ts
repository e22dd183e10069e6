// Reading the audit log at the desk (PROTOCOL.md §32): filtered by account, action and day, with
// readable names for the ids it mentions, and as a CSV file for spreadsheets. Reading only: the
// chain's check is `npm run cli -- verify-audit`.
import { and, asc, desc, eq, gte, inArray, like, lt, type SQL } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { auditLog, cases, invitations, teams, users } from '../../db/schema.ts';
import type { AuditEntry, AuditFilter, AuditPage } from '../../protocol/accounts-api.ts';

const PAGE = 100;
/** The export stops here; a larger log is exported in date ranges. */
export const CSV_MAX_ROWS = 100_000;

function conditions(filter: AuditFilter, before?: number): SQL[] {
  const where: SQL[] = [];
  if (filter.actor) where.push(eq(auditLog.actor, filter.actor));
  if (filter.action) where.push(filter.action.endsWith('.') ? like(auditLog.action, `${filter.action}%`) : eq(auditLog.action, filter.action));
  // Days are UTC and inclusive; stored instants sort as text.
  if (filter.from) where.push(gte(auditLog.at, `${filter.from}T00:00:00.000Z`));
  if (filter.to) where.push(lt(auditLog.at, `${nextDay(filter.to)}T00:00:00.000Z`));
  if (before) where.push(lt(auditLog.seq, before));
  return where;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
}

const parse = (e: typeof auditLog.$inferSelect): AuditEntry => ({ ...e, detail: JSON.parse(e.detail) as AuditEntry['detail'] });

/** Emails, team names, case references and invitees for the ids that appear as actors or subjects. */
export function namesFor(db: Conn, entries: AuditEntry[]): Record<string, string> {
  const ids = [...new Set(entries.flatMap((e) => [e.actor, e.subject, typeof e.detail.user === 'string' ? e.detail.user : null]))]
    .filter((id): id is string => Boolean(id));
  if (!ids.length) return {};
  const names: Record<string, string> = {};
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const u of db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, chunk)).all()) names[u.id] = u.email;
    for (const t of db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, chunk)).all()) names[t.id] = t.name;
    for (const c of db.select({ id: cases.id, reference: cases.reference }).from(cases).where(inArray(cases.id, chunk)).all()) {
      names[c.id] = c.reference ?? c.id.slice(0, 8);
    }
    // An invitation or reset link is named by the address it was for.
    for (const i of db.select({ id: invitations.id, email: invitations.email }).from(invitations).where(inArray(invitations.id, chunk)).all()) {
      names[i.id] = i.email ?? i.id.slice(0, 8);
    }
  }
  return names;
}

/** The 100 latest matching entries before `before`, newest first, with names. */
export function readAudit(db: Conn, filter: AuditFilter, before?: number): AuditPage {
  const where = conditions(filter, before);
  const entries = db.select().from(auditLog).where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.seq)).limit(PAGE).all().map(parse);
  return { entries, names: namesFor(db, entries) };
}

/** A spreadsheet would run a cell starting with these as a formula: prefix it with a quote. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The matching entries, oldest first, as CSV (UTF-8 with a BOM, so spreadsheets read it right). */
export function auditCsv(db: Conn, filter: AuditFilter, actionText: (action: string) => string): string {
  const where = conditions(filter);
  const entries = db.select().from(auditLog).where(where.length ? and(...where) : undefined)
    .orderBy(asc(auditLog.seq)).limit(CSV_MAX_ROWS).all();
  const names = namesFor(db, entries.map(parse));
  const lines = [['seq', 'at', 'actor_id', 'actor', 'action', 'action_text', 'subject_id', 'subject', 'detail', 'hash'].join(',')];
  for (const e of entries) {
    lines.push([
      String(e.seq), e.at, e.actor, names[e.actor] ?? '', e.action, actionText(e.action), e.subject ?? '', e.subject ? names[e.subject] ?? '' : '',
      e.detail, e.hash,
    ].map(cell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
