// Notification mail against a real SMTP server started here: the team is told about a new case, an
// urgent case, a reporter's reply and a deadline, with a link and nothing else: not the report's
// text, its category, its country or its reference. A mail server that refuses or is down never
// fails or holds up a report: the notice waits in the database and is retried with backoff, and
// the failure is logged without content. Without SMTP_URL nothing is queued at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { deadlineNotices, notifications, users } from '../../db/schema.ts';
import { receiptKeys, sealReply } from '../../client/report/follow-up-crypto.ts';
import { announceDeadlines } from '../../server/services/deadline-notices.ts';
import { caseDeadlines } from '../../server/services/deadlines.ts';
import { MAX_ATTEMPTS, deliverDue, smtpSender, type DeliveryDeps } from '../../server/services/mail-outbox.ts';
import { nextDigestAt } from '../../server/services/notifications.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { caseRow, copyCase, submitReport } from '../helpers/cases.ts';
import { createDeskUser, defaultTeamId, setupAdmin, type DeskUser } from '../helpers/desk.ts';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { MARKER } from '../fixtures/report.ts';

let smtp: TestSmtp;
let t: TestApp;
let worker: DeskUser;
let deps: DeliveryDeps;
const warnings: string[] = [];
const pending = () => t.db.select().from(notifications).all();
const clearOutbox = () => t.db.delete(notifications).run();

beforeAll(async () => {
  smtp = await startSmtp();
  t = await makeTestApp({ config: { smtpUrl: smtp.url, mailFrom: 'desk@redress.example', publicUrl: 'https://redress.example', submitRateLimit: 100 } });
  const admin = await setupAdmin(t.db);
  worker = await createDeskUser(t.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(t.db)], granter: { ...admin.keys, id: admin.id } });
  deps = {
    sender: smtpSender(t.config), locales: t.app.locales, deskUrl: 'https://redress.example/desk',
    log: { warn: (obj: object, msg?: string) => warnings.push(JSON.stringify({ ...obj, msg })) } as DeliveryDeps['log'],
  };
});
afterAll(async () => {
  deps.sender.close();
  await t.close();
  await smtp.close();
});

describe('a new case', () => {
  it('mails each team member a link to the desk, and nothing about the case', async () => {
    const { caseId } = await submitReport(t, { category: 'biometric_lockout', country: 'JO' });
    expect(pending().map((n) => n.kind)).toEqual(['new_case', 'new_case']); // the admin and the worker
    expect(await deliverDue(t.db, deps)).toEqual({ sent: 2, failed: 0 });
    expect(pending()).toEqual([]);
    const mails = await smtp.waitFor(2);
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['admin@example.org', 'worker@example.org']);
    const { reference } = caseRow(t, caseId);
    for (const mail of mails) {
      expect(mail.from).toBe('desk@redress.example');
      expect(mail.raw).toContain('https://redress.example/desk');
      const body = mail.raw.replace(/=\r?\n/g, ''); // undo quoted-printable line wrapping
      for (const secret of [MARKER, reference!, caseId, 'biometric_lockout', 'iris', 'fingerprint', 'Jordan', 'Jordanie']) expect(body).not.toContain(secret);
      expect(body).not.toMatch(/\bJO\b/);
    }
  });

  it('waits as one notice per person, however many cases arrive', async () => {
    smtp.mails.length = 0;
    await submitReport(t);
    await submitReport(t);
    expect(pending()).toHaveLength(2);
    clearOutbox();
  });
});

describe('an urgent case, a reply, a digest', () => {
  it('tells about an urgent case at once, even an account that asked for a daily digest', async () => {
    t.db.update(users).set({ notify: 'daily' }).where(eq(users.id, worker.id)).run();
    const now = new Date();
    await submitReport(t, { category: 'pushback' });
    expect(pending().find((n) => n.userId === worker.id)).toMatchObject({ kind: 'urgent_case' });
    clearOutbox();
    // Anything else waits for the next digest.
    await submitReport(t);
    const digest = pending().find((n) => n.userId === worker.id)!;
    expect(digest.kind).toBe('digest');
    expect(Date.parse(digest.dueAt)).toBeGreaterThan(now.getTime());
    expect(digest.dueAt).toBe(nextDigestAt(new Date(Date.parse(digest.dueAt) - 3_600_000)));
    expect(await deliverDue(t.db, deps)).toEqual({ sent: 1, failed: 0 }); // only the admin's, now
    expect(await deliverDue(t.db, deps, new Date(digest.dueAt))).toEqual({ sent: 1, failed: 0 });
    t.db.update(users).set({ notify: 'each' }).where(eq(users.id, worker.id)).run();
    clearOutbox();
  });

  it('tells the team about a reporter\'s reply', async () => {
    const { caseId, receipt } = await submitReport(t);
    clearOutbox();
    const keys = await receiptKeys(receipt, t.intake().receiptSalt);
    const { token, case: view } = (await t.app.inject({ method: 'POST', url: '/api/follow-up/open', payload: { authToken: keys.authToken } })).json();
    const res = await t.app.inject({
      method: 'POST', url: '/api/follow-up/messages', headers: { authorization: `Bearer ${token}` },
      payload: { envelope: await sealReply(caseId, `A reply ${MARKER}`, view.replyTo, keys) },
    });
    expect(res.statusCode).toBe(201);
    expect(pending().map((n) => n.kind)).toEqual(['reporter_reply', 'reporter_reply']);
    clearOutbox();
  });
});

describe('deadlines', () => {
  it('announces a deadline once when due within a day and once when overdue, to the assignee', async () => {
    const { caseId: base } = await submitReport(t);
    clearOutbox();
    const id = copyCase(t, base, { status: 'received', receivedOn: '2026-01-10', ...caseDeadlines('2026-01-10', false), assigneeId: worker.id });
    const announced = (now: string) => announceDeadlines(t.db, new Date(now));
    t.db.delete(deadlineNotices).run();
    // Older cases of this database are long overdue: announce them first, then watch this one.
    announced('2026-01-11T00:00:00Z');
    clearOutbox();
    const mine = () => t.db.select().from(deadlineNotices).where(eq(deadlineNotices.caseId, id)).all().map((n) => `${n.kind}:${n.stage}`).sort();
    expect(mine()).toEqual([]);
    announced('2026-01-12T00:30:00Z'); // triage due 13 Jan 00:00
    expect(mine()).toEqual(['triage:due_soon']);
    expect(pending()).toMatchObject([{ userId: worker.id, kind: 'deadline' }]);
    clearOutbox();
    expect(announced('2026-01-12T06:00:00Z')).toBe(0);
    expect(pending()).toEqual([]);
    announced('2026-01-13T00:00:00Z');
    expect(mine()).toEqual(['triage:due_soon', 'triage:overdue']);
    clearOutbox();
  });
});

describe('a mail server that fails', () => {
  it('never fails the report; the notice is retried with backoff and the failure logged without content', async () => {
    smtp.refuse = true;
    const { caseId } = await submitReport(t, { category: 'biometric_lockout', country: 'JO' });
    const now = new Date();
    expect(await deliverDue(t.db, deps, now)).toEqual({ sent: 0, failed: 2 });
    const [first] = pending();
    expect(first).toMatchObject({ attempts: 1, lastError: '451', dueAt: new Date(now.getTime() + 60_000).toISOString() });
    expect(await deliverDue(t.db, deps, now)).toEqual({ sent: 0, failed: 0 }); // not due again yet
    expect(await deliverDue(t.db, deps, new Date(now.getTime() + 60_000))).toEqual({ sent: 0, failed: 2 });
    expect(pending()[0]).toMatchObject({ attempts: 2, dueAt: new Date(now.getTime() + 60_000 + 120_000).toISOString() });
    // The log says what failed, never to whom or about what.
    const { reference } = caseRow(t, caseId);
    for (const line of warnings) {
      for (const secret of ['@example.org', reference!, caseId, MARKER, 'biometric', 'JO', 'Try again later']) expect(line).not.toContain(secret);
    }
    expect(warnings.some((w) => w.includes('"error":"451"'))).toBe(true);

    // At the last try the notice is dropped (and logged), so the outbox cannot fill up.
    t.db.update(notifications).set({ attempts: MAX_ATTEMPTS - 1, dueAt: now.toISOString() }).run();
    await deliverDue(t.db, deps, now);
    expect(pending()).toEqual([]);
    expect(warnings.at(-1)).toContain('given up');
    smtp.refuse = false;
  });

  it('takes reports and delivers later when the server was down', async () => {
    const down = { ...deps, sender: smtpSender({ smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'desk@redress.example' }) };
    await submitReport(t);
    expect(await deliverDue(t.db, down)).toEqual({ sent: 0, failed: 2 });
    expect(pending().every((n) => n.lastError === 'ECONNREFUSED' || n.lastError === 'ESOCKET')).toBe(true);
    down.sender.close();
    smtp.mails.length = 0;
    expect(await deliverDue(t.db, deps, new Date(Date.now() + 60_000))).toEqual({ sent: 2, failed: 0 });
    expect(await smtp.waitFor(2)).toHaveLength(2);
  });
});

describe('the background job', () => {
  it('sends the outbox while the server runs, outside the request that queued it', async () => {
    const live = await makeTestApp({ config: { smtpUrl: smtp.url, jobIntervalMs: 50, submitRateLimit: 100 } });
    try {
      await live.app.ready();
      smtp.mails.length = 0;
      await submitReport(live); // answered 201 before any mail is sent: the send happens in the job
      expect((await smtp.waitFor(1))[0]!.to).toEqual(['admin@example.org']);
    } finally {
      await live.close();
    }
  });
});

describe('without SMTP_URL', () => {
  it('queues nothing (a queued notice would hold the time of a submission)', async () => {
    const quiet = await makeTestApp();
    try {
      await submitReport(quiet, { category: 'pushback' });
      expect(quiet.db.select({ n: count() }).from(notifications).get()!.n).toBe(0);
    } finally {
      await quiet.close();
    }
  });
});
