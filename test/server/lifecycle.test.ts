// The case lifecycle, every pair of statuses: which moves are allowed (written out here as the
// spec, and checked against protocol/lifecycle.ts), that a refused move changes nothing, that
// reopening needs a reason and is audited as such, and the reporter's grace period after closing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, caseEvents, cases, teams } from '../../db/schema.ts';
import { TRANSITIONS } from '../../protocol/lifecycle.ts';
import { CASE_STATUSES, type CaseStatus } from '../../protocol/taxonomy.ts';
import { receiptKeys, sealReply } from '../../client/report/follow-up-crypto.ts';
import { addMessage, reporterView } from '../../server/services/follow-up.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { caseRow, copyCase, submitReport } from '../helpers/cases.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';

/** The lifecycle of DESIGN.md, move by move. Anything not listed is refused. */
const ALLOWED = new Set([
  'received→triaged', 'received→acknowledged', 'received→closed',
  'triaged→acknowledged', 'triaged→in_progress', 'triaged→referred', 'triaged→closed',
  'acknowledged→in_progress', 'acknowledged→referred', 'acknowledged→closed',
  'in_progress→referred', 'in_progress→closed',
  'referred→in_progress', 'referred→closed',
  'closed→in_progress', // reopening, with a reason
]);

let t: TestApp;
let as: SignedIn;
let baseId: string;
let receipt: string;
const post = (id: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/cases/${id}/status`, payload, headers: { cookie: as.cookie, 'x-csrf-token': as.csrf } });
const audit = (id: string) => t.db.select().from(auditLog).where(eq(auditLog.subject, id)).all();
const today = () => new Date().toISOString().slice(0, 10);
const daysFrom = (day: string, n: number) => new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000);

beforeAll(async () => {
  t = await makeTestApp();
  const admin = await setupAdmin(t.db);
  const worker = await createDeskUser(t.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(t.db)], granter: { ...admin.keys, id: admin.id } });
  as = await signIn(t.app, worker);
  ({ caseId: baseId, receipt } = await submitReport(t));
});
afterAll(async () => { await t.close(); });

describe('the transition table', () => {
  it('is the one written above', () => {
    const table = new Set(Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}→${to}`)));
    expect([...table].sort()).toEqual([...ALLOWED].sort());
  });

  const pairs = CASE_STATUSES.flatMap((from) => CASE_STATUSES.map((to) => [from, to] as [CaseStatus, CaseStatus]));
  it.each(pairs)('%s → %s', async (from, to) => {
    const closed = from === 'closed' || from === 'purged';
    const id = copyCase(t, baseId, { status: from, outcome: closed ? 'resolved' : null, closedOn: closed ? today() : null });
    const before = caseRow(t, id);
    const res = await post(id, {
      status: to, ...(to === 'closed' ? { outcome: 'withdrawn' } : {}), ...(from === 'closed' ? { reason: 'new_information' } : {}),
    });
    if (from === 'purged') {
      // Nothing of a purged case is left to move; its team learns that it was purged.
      expect(res.statusCode).toBe(410);
      expect(res.json().code).toBe('case_purged');
    } else if (ALLOWED.has(`${from}→${to}`)) {
      expect(res.statusCode, res.body).toBe(200);
      expect(caseRow(t, id)).toMatchObject({ status: to, outcome: to === 'closed' ? 'withdrawn' : null, closedOn: to === 'closed' ? today() : null });
      expect(audit(id).map((e) => e.action)).toEqual([from === 'closed' ? 'case.reopened' : 'case.status_changed']);
      return;
    } else {
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('invalid_transition');
    }
    expect(caseRow(t, id)).toEqual(before);
    expect(audit(id)).toEqual([]);
  });
});

describe('reopening', () => {
  it('needs a reason from the list, and refuses one elsewhere', async () => {
    const id = copyCase(t, baseId, { status: 'closed', outcome: 'out_of_scope', closedOn: today() });
    const before = caseRow(t, id);
    for (const payload of [{ status: 'in_progress' }, { status: 'in_progress', reason: 'because' }]) {
      const res = await post(id, payload);
      expect(res.statusCode).toBe(400);
    }
    expect((await post(id, { status: 'in_progress' })).json()).toMatchObject({ code: 'reason_required', field: 'reason' });
    expect(caseRow(t, id)).toEqual(before);
    expect(audit(id)).toEqual([]);

    const open = copyCase(t, baseId, { status: 'triaged' });
    const misplaced = await post(open, { status: 'in_progress', reason: 'other' });
    expect(misplaced.statusCode).toBe(400);
    expect(caseRow(t, open).status).toBe('triaged');
  });

  it('moves a closed case back to in progress, clears its outcome, and audits why', async () => {
    const id = copyCase(t, baseId, { status: 'closed', outcome: 'resolved', closedOn: today() });
    const res = await post(id, { status: 'in_progress', reason: 'reporter_replied' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id, status: 'in_progress', outcome: null });
    expect(caseRow(t, id)).toMatchObject({ status: 'in_progress', outcome: null, closedOn: null });
    const [entry] = audit(id);
    expect(entry!.action).toBe('case.reopened');
    expect(JSON.parse(entry!.detail)).toEqual({ from: 'closed', to: 'in_progress', outcome: null, reason: 'reporter_replied' });
    // The reporter's timeline shows the case being worked on again.
    expect(t.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).all().map((e) => e.status)).toEqual(['in_progress']);
  });
});

describe('after closing', () => {
  it('lets the reporter write until the end of the grace period, then not', async () => {
    const closedOn = today();
    t.db.update(cases).set({ status: 'closed', outcome: 'resolved', closedOn }).where(eq(cases.id, baseId)).run();
    const team = t.db.select().from(teams).where(eq(teams.id, caseRow(t, baseId).teamId)).get()!;
    expect(team.graceDays).toBe(30);
    const reporterKeys = await receiptKeys(receipt, t.intake().receiptSalt);
    const view = reporterView(t.db, baseId);
    expect(view).toMatchObject({ status: 'closed', canReply: true, repliesOpenUntil: daysFrom(closedOn, 30).toISOString().slice(0, 10) });
    const reply = () => sealReply(baseId, 'One more thing.', view.replyTo, reporterKeys);

    await expect(addMessage(t.db, baseId, 'from_reporter', await reply(), null, { now: daysFrom(closedOn, 30) })).resolves.toHaveProperty('id');
    expect(reporterView(t.db, baseId, daysFrom(closedOn, 31))).toMatchObject({ canReply: false });
    await expect(addMessage(t.db, baseId, 'from_reporter', await reply(), null, { now: daysFrom(closedOn, 31) }))
      .rejects.toMatchObject({ statusCode: 409, code: 'case_closed' });

    // A team with no grace: the reporter's last day is the closing day.
    t.db.update(teams).set({ graceDays: 0 }).where(eq(teams.id, team.id)).run();
    await expect(addMessage(t.db, baseId, 'from_reporter', await reply(), null, { now: daysFrom(closedOn, 0) })).resolves.toHaveProperty('id');
    await expect(addMessage(t.db, baseId, 'from_reporter', await reply(), null, { now: daysFrom(closedOn, 1) }))
      .rejects.toMatchObject({ statusCode: 409, code: 'case_closed' });
    t.db.update(teams).set({ graceDays: 30 }).where(eq(teams.id, team.id)).run();
  });

  it('takes a reply through the follow-up API during the grace period, and marks it unread', async () => {
    const keys = await receiptKeys(receipt, t.intake().receiptSalt);
    const opened = await t.app.inject({ method: 'POST', url: '/api/follow-up/open', payload: { authToken: keys.authToken } });
    const { token, case: view } = opened.json();
    expect(view).toMatchObject({ status: 'closed', canReply: true });
    const unread = caseRow(t, baseId).unread;
    const res = await t.app.inject({
      method: 'POST', url: '/api/follow-up/messages', headers: { authorization: `Bearer ${token}` },
      payload: { envelope: await sealReply(baseId, 'Thank you.', view.replyTo, keys) },
    });
    expect(res.statusCode).toBe(201);
    expect(caseRow(t, baseId).unread).toBe(unread + 1);
  });
});
