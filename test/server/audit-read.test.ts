// Reading the audit log at the desk (PROTOCOL.md §32): filters by account, action (or area) and
// day, names instead of ids, and a CSV export that a spreadsheet opens safely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.ts';
import { appendAudit } from '../../server/services/audit.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';

let t: TestApp;
let asAdmin: SignedIn;
let adminId: string;
let workerId: string;
let teamA: string;
beforeAll(async () => {
  t = await makeTestApp();
  const admin = await setupAdmin(t.db);
  adminId = admin.id;
  teamA = defaultTeamId(t.db);
  workerId = (await createDeskUser(t.db, { email: '=cmd|calc@example.org', role: 'caseworker' })).id;
  asAdmin = await signIn(t.app, admin);
  appendAudit(t.db, { at: '2026-01-10T09:00:00.000Z', actor: adminId, action: 'team.member_added', subject: teamA, detail: { user: workerId } });
  appendAudit(t.db, { at: '2026-01-11T09:00:00.000Z', actor: workerId, action: 'case.opened', subject: 'c0ffee00-0000-4000-8000-000000000002' });
  appendAudit(t.db, { at: '2026-01-12T23:59:59.999Z', actor: workerId, action: 'case.note_added', subject: 'c0ffee00-0000-4000-8000-000000000002' });
});
afterAll(async () => { await t.close(); });

const get = (url: string) => t.app.inject({ url, headers: { cookie: asAdmin.cookie } });

describe('the audit log at the desk', () => {
  it('filters by account, action or area, and inclusive days, with names for the ids', async () => {
    const page = (await get(`/api/audit?actor=${workerId}`)).json<{ entries: { action: string }[]; names: Record<string, string> }>();
    expect(page.entries.map((e) => e.action)).toEqual(['case.note_added', 'case.opened']);
    expect(page.names[workerId]).toBe('=cmd|calc@example.org');
    expect(page.names['c0ffee00-0000-4000-8000-000000000002']).toBeUndefined(); // no such case: the id stays
    expect((await get('/api/audit?action=case.')).json().entries).toHaveLength(2);
    expect((await get('/api/audit?action=case.opened')).json().entries).toHaveLength(1);
    const days = (await get('/api/audit?from=2026-01-11&to=2026-01-12')).json<{ entries: { at: string }[] }>().entries.map((e) => e.at);
    expect(days).toEqual(['2026-01-12T23:59:59.999Z', '2026-01-11T09:00:00.000Z']);
    const team = (await get('/api/audit?action=team.member_added')).json<{ names: Record<string, string> }>();
    expect(team.names[teamA]).toBe('Caseworkers');
    expect((await get('/api/audit?action=DROP TABLE')).statusCode).toBe(400);
  });

  it('exports CSV with a BOM, readable action texts, and formulas defused', async () => {
    const res = await get('/api/audit.csv?lang=fr&from=2026-01-10&to=2026-01-12');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="redress-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.body.startsWith('\uFEFFseq,at,actor_id,actor,action,action_text,subject_id,subject,detail,hash\r\n')).toBe(true);
    const rows = res.body.trim().split('\r\n').slice(1);
    expect(rows).toHaveLength(3);
    // An email that starts like a formula is written as text.
    expect(rows[1]).toContain(",'=cmd|calc@example.org,case.opened,");
    expect(rows[0]).toContain(',Caseworkers,');
    expect(rows[0]).toContain('"{""user"":');
    const hashes = t.db.select().from(auditLog).all().slice(-3).map((e) => e.hash);
    rows.forEach((row, i) => expect(row.endsWith(hashes[i]!)).toBe(true));
  });
});
